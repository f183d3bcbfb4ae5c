import { DegenerateError } from '../../core/errors.js'
import type { EMModel, PreparedData, StepResult, Stepper, StoppingRule } from '../types.js'

/** Two applications of the base map from theta (see MapEvaluator.twoMaps). */
export interface TwoMaps<P> {
  readonly l0: number
  readonly l1: number
  readonly p1: P
  readonly p2: P
  readonly x: Float64Array
  readonly x1: Float64Array
  readonly x2: Float64Array
  readonly r: Float64Array
  readonly v: Float64Array
  readonly rr: number
  readonly vv: number
}

/**
 * The base map (EM or a variant) as an accelerator sees it: F(theta) and the
 * objective at theta come from one step of the base stepper. The last result is kept,
 * so the map at a point the previous call already evaluated (an accepted
 * extrapolation) costs nothing twice. Counts are what was really computed.
 */
export class MapEvaluator<P, D extends PreparedData> {
  fixedPointEvaluations = 0
  objectiveEvaluations = 0
  /** The two most recent results (an accelerator compares two candidates, then continues from either). */
  private recent: { params: P; result: StepResult<P> }[] = []

  constructor(readonly model: EMModel<P, D>, private readonly base: Stepper<P, D>) {}

  /** One base step at `params` (the two most recent are cached, by identity). Throws DegenerateError as the base does. */
  at(data: D, params: P): StepResult<P> {
    for (const r of this.recent) if (r.params === params) return r.result
    const result = this.base.step(data, params)
    this.fixedPointEvaluations += result.fixedPointEvaluations
    this.objectiveEvaluations += result.objectiveEvaluations
    this.recent.unshift({ params, result })
    if (this.recent.length > 2) this.recent.pop()
    return result
  }

  /** A base step at an extrapolated point: undefined when it is outside the model or the objective is not finite there. */
  tryAt(data: D, params: P): StepResult<P> | undefined {
    try {
      const r = this.at(data, params)
      return Number.isFinite(r.logLik) ? r : undefined
    } catch (e) {
      if (e instanceof DegenerateError) return undefined
      throw e
    }
  }

  /** Parameters from a vector, or undefined when it is not a valid point of the model. */
  toParams(vec: Float64Array, like: P): P | undefined {
    for (let i = 0; i < vec.length; i++) if (!Number.isFinite(vec[i]!)) return undefined
    if (!this.model.isValid(vec, like)) return undefined
    try {
      return this.model.unpack(vec, like)
    } catch (e) {
      if (e instanceof DegenerateError) return undefined
      throw e
    }
  }

  /**
   * The start of an extrapolation cycle, shared by SQUAREM and quasi-Newton: F(theta)
   * and F(F(theta)) with the stopping checks between them. Either `done` (the step to
   * return as it is: a non-finite objective, or convergence by `mapConverged` or by
   * `alsoStop`) or both applications of the map, their packed points and differences
   * r = F(theta) - theta, v = F(F(theta)) - F(theta) with their squared norms.
   */
  twoMaps(data: D, theta: P, rule: StoppingRule | undefined, alsoStop?: (l0: number, l1: number) => boolean): { done: StepResult<P> } | TwoMaps<P> {
    const model = this.model
    const s0 = this.at(data, theta)
    const l0 = s0.logLik
    if (!Number.isFinite(l0)) return { done: { params: theta, logLik: l0, ...this.take() } }
    const p1 = s0.params
    const x = model.pack(theta), x1 = model.pack(p1)
    const r = sub(x1, x)
    const rr = dot(r, r)
    if (rule?.criterion === 'parameters' && Math.sqrt(rr) < rule.tol) return { done: { params: p1, logLik: l0, converged: true, ...this.take() } }
    const s1 = this.at(data, p1)
    const p2 = s1.params
    if (!Number.isFinite(s1.logLik)) return { done: { params: p1, logLik: l0, converged: false, ...this.take() } }
    const x2 = model.pack(p2)
    const v = sub(x2, x1)
    const vv = dot(v, v)
    if (rule && (mapConverged(rule, l0, s1.logLik, Math.sqrt(rr), Math.sqrt(vv)) || alsoStop?.(l0, s1.logLik))) {
      return { done: { params: p2, logLik: l0, converged: true, ...this.take() } }
    }
    return { l0, l1: s1.logLik, p1, p2, x, x1, x2, r, v, rr, vv }
  }

  /** The counts since the last call (what one engine step reports). */
  take(): { fixedPointEvaluations: number; objectiveEvaluations: number } {
    const out = { fixedPointEvaluations: this.fixedPointEvaluations, objectiveEvaluations: this.objectiveEvaluations }
    this.fixedPointEvaluations = 0
    this.objectiveEvaluations = 0
    return out
  }
}

export function sub(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length)
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!
  return out
}

export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!
  return s
}

export function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a))
}

/** Differences of the objective below this many ulps of it carry no information. */
const RESOLUTION = 64 * Number.EPSILON

/**
 * The stopping rule of the extrapolating accelerators, from two applications of the
 * base map at theta (steps of lengths |r| = |F(theta) - theta| and
 * |v| = |F(F(theta)) - F(theta)|, objective l0 at theta and l1 at F(theta)):
 * - 'parameters': |r| < tol or |v| < tol (R SQUAREM's rule);
 * - 'objective': the remaining gain predicted for a sequence converging linearly at
 *   rate rho = |v| / |r|, (l1 - l0) / (1 - rho^2), is below tol on the rule's scale (per sample by default). Plain EM's
 *   rule bounds only the last gain; an accelerator lands on points where one EM step
 *   gains little but much remains, so it must bound what remains.
 */
export function mapConverged(rule: StoppingRule, l0: number, l1: number, r: number, v: number): boolean {
  if (rule.criterion === 'parameters') return r < rule.tol || v < rule.tol
  const gain = l1 - l0
  if (Math.abs(gain) <= RESOLUTION * Math.abs(l1)) return true
  const rho = r > 0 ? v / r : 0
  if (!(rho < 1)) return false
  return Math.abs(gain) / (1 - rho * rho) / rule.scale < rule.tol
}
