import { DegenerateError } from '../../io/errors.js'
import type { EMModel, PreparedData, StepResult, Stepper, StoppingRule } from '../types.js'

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
 *   rate rho = |v| / |r|, (l1 - l0) / (1 - rho^2), is below tol per sample. Plain EM's
 *   rule bounds only the last gain; an accelerator lands on points where one EM step
 *   gains little but much remains, so it must bound what remains.
 */
export function mapConverged(rule: StoppingRule, l0: number, l1: number, r: number, v: number): boolean {
  if (rule.criterion === 'parameters') return r < rule.tol || v < rule.tol
  const gain = l1 - l0
  if (Math.abs(gain) <= RESOLUTION * Math.abs(l1)) return true
  const rho = r > 0 ? v / r : 0
  if (!(rho < 1)) return false
  return Math.abs(gain) / (1 - rho * rho) / rule.totalWeight < rule.tol
}
