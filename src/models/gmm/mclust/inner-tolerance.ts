/**
 * The inner iterations' stopping rule of mclust's M-steps, apart from their algebra:
 * the mixture's information terms (supplemented EM) tighten it without importing the
 * 12 models, which a fit loads only when its covariance type is one of them.
 */

/**
 * mclust's emControl(): inner (M-step) tolerance sqrt(eps). Its cap on the inner
 * iterations is .Machine$integer.max; a fit must return, so emkit stops at 10,000
 * (the most seen over 14 models x G = 1..9 on faithful and iris: 129, EVE and VVE).
 */
export const INNER_TOL = Math.sqrt(2.220446049250313e-16)
export const INNER_MAX_ITER = 10_000

/** The parameter tolerance withInnerTolerance has set, or null: mclust's rule. */
let tight: number | null = null

/**
 * Whether an inner iteration has converged: by mclust's rule, the relative change of
 * what it monitors below INNER_TOL; under withInnerTolerance, the largest relative change
 * of the parameters themselves below that tolerance (a target flat at its optimum
 * stops changing, to the last digit, while its arguments still move at ~1e-8).
 */
export function innerConverged(monitoredChange: number, parameterChange: () => number): boolean {
  return tight === null ? !(monitoredChange > INNER_TOL) : !(parameterChange() > tight)
}

/** Whether withInnerTolerance is in force: only then does innerConverged read the parameters' change, so only then need an M-step keep the previous iterate. */
export function innerTightened(): boolean {
  return tight !== null
}

/**
 * `run` with the iterative M-steps converged on their parameters to `tol`. Supplemented
 * EM differentiates the EM map numerically: an inner iteration stopped by mclust's rule
 * leaves the map noisy at ~1e-8, which a difference step of 1e-4 turns into 1e-4 errors of DM.
 */
export function withInnerTolerance<T>(tol: number, run: () => T): T {
  const before = tight
  tight = tol
  try {
    return run()
  } finally {
    tight = before
  }
}
