/** The one definition of the stopping rule and of "the objective went down". */

/** Relative fall of the objective that counts as a decrease (below it is rounding). */
export const DECREASE_SLACK = 1e-9

/** scikit-learn's rule: the mean per-sample objective changed by less than tol. */
export function hasConverged(current: number, previous: number, totalWeight: number, tol: number): boolean {
  return Math.abs((current - previous) / totalWeight) < tol
}

export function isDecrease(current: number, previous: number): boolean {
  return current < previous - DECREASE_SLACK * Math.abs(previous)
}
