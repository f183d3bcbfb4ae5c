import type { EMModel, PreparedData, Stepper, StoppingRule } from '../types.js'
import { MapEvaluator, norm, sub } from './evaluator.js'

export interface AitkenOptions {
  /** Try a guarded Aitken jump when the rate of convergence has settled (default true). */
  readonly jump?: boolean
}

/** Relative agreement of two successive rate estimates before a jump is tried, in units of 1 - rate. */
const RATE_AGREEMENT = 0.1
/** Differences of the objective below this many ulps of it carry no information. */
const RESOLUTION = 64 * Number.EPSILON

/**
 * Aitken acceleration of the base map (Aitken's delta-squared on a linearly
 * converging sequence; Böhning et al. 1994, McNicholas et al. 2010 for the stopping
 * rule).
 *
 * Stopping rule: from three successive objective values of plain base steps,
 * a = (L_t - L_{t-1}) / (L_{t-1} - L_{t-2}) estimates the rate and
 * L_inf = L_{t-1} + (L_t - L_{t-1}) / (1 - a) the limit; the fit has converged when
 * |L_inf - L_t| / scale < tol (criterion 'objective', scale as the fit's rule), i.e. when the predicted
 * remaining gain, not the last one, is small. With criterion 'parameters' the same is
 * done with the lengths of successive steps: |F(theta) - theta| / (1 - r) < tol.
 *
 * Guarded jump (option `jump`, default on): when two successive estimates of the
 * parameter rate r = |F(theta_t) - theta_t| / |theta_t - theta_{t-1}| agree (to 10% of
 * 1 - r), the iterate jumps to theta_t + (F(theta_t) - theta_t) / (1 - r), the limit of
 * a sequence converging linearly at rate r. The jump is kept only if it is a valid
 * point whose objective exceeds that of F(theta_t); otherwise the fit goes on from
 * F(theta_t). Each jump costs one extra application of the map; after a jump the rate
 * and the objective sequence are estimated afresh.
 */
export function aitkenStepper<P, D extends PreparedData>(model: EMModel<P, D>, base: Stepper<P, D>, options: AitkenOptions = {}): Stepper<P, D> {
  const jump = options.jump ?? true
  const ev = new MapEvaluator(model, base)
  let run: number[] = []      // objective at the start of consecutive plain steps
  let steps: number[] = []    // lengths of those steps
  let rates: number[] = []

  return {
    step(data, theta, rule?: StoppingRule) {
      const s0 = ev.at(data, theta)
      const l = s0.logLik
      if (!Number.isFinite(l)) return { params: theta, logLik: l, ...ev.take() }
      const p1 = s0.params
      const x = model.pack(theta)
      const r = sub(model.pack(p1), x)
      const length = norm(r)
      run.push(l)
      if (run.length > 3) run.shift()
      if (steps.length > 0) rates.push(length / steps[steps.length - 1]!)
      if (rates.length > 2) rates.shift()
      steps.push(length)
      if (steps.length > 2) steps.shift()

      const converged = rule ? aitkenConverged(rule, run, length, rates) : false
      if (converged || !jump || rates.length < 2) return { params: p1, logLik: l, converged, ...ev.take() }
      const [r0, r1] = rates as [number, number]
      if (!(r1 > 0 && r1 < 1 && Math.abs(r1 - r0) < RATE_AGREEMENT * (1 - r1))) return { params: p1, logLik: l, converged, ...ev.take() }

      // Guarded jump to the limit of a sequence converging linearly at rate r1.
      const xJump = new Float64Array(x.length)
      for (let i = 0; i < x.length; i++) xJump[i] = x[i]! + r[i]! / (1 - r1)
      rates = []
      const jumped = ev.toParams(xJump, theta)
      const s1 = ev.at(data, p1)
      const sJ = jumped === undefined ? undefined : ev.tryAt(data, jumped)
      if (sJ !== undefined && sJ.logLik > s1.logLik) {
        run = []
        steps = []
        return { params: jumped!, logLik: l, converged, ...ev.take() }
      }
      return { params: p1, logLik: l, converged, ...ev.take() }
    },
  }
}

function aitkenConverged(rule: StoppingRule, run: number[], length: number, rates: number[]): boolean {
  if (rule.criterion === 'parameters') {
    const rate = rates[rates.length - 1]
    if (length === 0) return true
    if (rate === undefined || !(rate >= 0 && rate < 1)) return false
    return length / (1 - rate) < rule.tol
  }
  if (run.length < 3) return false
  const [l0, l1, l2] = run as [number, number, number]
  const d1 = l1 - l0, d2 = l2 - l1
  if (Math.abs(d2) <= RESOLUTION * Math.abs(l2)) return true
  const a = d2 / d1
  if (!(a >= 0 && a < 1)) return false
  const limit = l1 + d2 / (1 - a)
  return Math.abs(limit - l2) / rule.scale < rule.tol
}
