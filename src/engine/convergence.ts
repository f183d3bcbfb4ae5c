/** The one definition of the stopping rule and of "the objective went down". */
import type { Criterion } from './types.js'

/** What a fit's `tol` may bound (see FitOptions.criterion). */
export const CRITERIA: readonly Criterion[] = ['objective', 'parameters']

/** Relative fall of the objective that counts as a decrease (below it is rounding). */
export const DECREASE_SLACK = 1e-9

/** scikit-learn's rule: the objective changed by less than tol on its scale (per sample: scale = total weight). */
export function hasConverged(current: number, previous: number, scale: number, tol: number): boolean {
  return Math.abs((current - previous) / scale) < tol
}

/** The slack's scale is at least one nat: a model that fits the data perfectly has an
 *  objective of rounding noise around 0, where a purely relative test flags the noise. */
export function isDecrease(current: number, previous: number): boolean {
  return current < previous - DECREASE_SLACK * Math.max(1, Math.abs(previous))
}

/** Euclidean norm of b - a: the 'parameters' criterion (R's fpiter and SQUAREM use it). */
export function parameterChange(a: Float64Array, b: Float64Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) {
    const v = b[i]! - a[i]!
    s += v * v
  }
  return Math.sqrt(s)
}
