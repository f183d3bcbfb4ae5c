/**
 * The Wishart pieces the variational models share: its log normaliser, the
 * arguments of its Gamma functions, and KL(q || p) between two Wisharts. A Gamma
 * distribution is the one-dimensional Wishart (Gamma(a, rate b) = W_1(2a, 1 / (2b))),
 * so the Normal-Gamma emissions use the same functions with dimension 1.
 */
export const LN2 = Math.log(2)

/** (nu_c - j) / 2 for c < count, j < d, one block of d per c (scikit-learn's 0.5 * (nu - arange(d))). */
export function halfDof(dof: ArrayLike<number>, count: number, d: number): Float64Array {
  const out = new Float64Array(count * d)
  for (let c = 0; c < count; c++) for (let j = 0; j < d; j++) out[c * d + j] = 0.5 * (dof[c]! - j)
  return out
}

/**
 * log B(W, nu) + d(d-1)/4 log pi, the Wishart's log normaliser without its pi term
 * (scikit-learn's `_log_wishart_norm`; the term cancels in every KL), from half log|W|
 * and log Gamma((nu - j) / 2) at lg[c*d + j].
 */
export function wishartNorm(nu: number, halfLogDetW: number, d: number, lg: Float64Array, c: number): number {
  let s = 0
  for (let j = 0; j < d; j++) s += lg[c * d + j]!
  return -(nu * halfLogDetW + nu * d * 0.5 * LN2 + s)
}

/**
 * KL(W(W, nu) || W(W0, nu0)) in d dimensions: log B(W, nu) - log B(W0, nu0)
 * + (nu - nu0)/2 E log|Lambda| - nu d/2 + tr(W0^-1 E[Lambda])/2, with the two
 * normalisers (`wishartNorm`), sum_j psi((nu - j)/2) and tr(W0^-1 E[Lambda]) given.
 */
export function wishartKl(d: number, nu: number, logDetW: number, norm: number, priorNorm: number, sumPsi: number, nu0: number, priorTrace: number): number {
  const expectedLogDet = sumPsi + d * LN2 + logDetW
  return norm - priorNorm + 0.5 * (nu - nu0) * expectedLogDet - 0.5 * nu * d + 0.5 * priorTrace
}

/**
 * E over q(Lambda) of KL(N(m, (beta Lambda)^-1) || N(m0, (beta0 Lambda)^-1)): the mean's
 * part of a Normal-Wishart (or Normal-Gamma) KL, with `quadratic` =
 * (m - m0)^T E[Lambda] (m - m0).
 */
export function meanKl(d: number, beta0: number, beta: number, quadratic: number): number {
  return 0.5 * d * (beta0 / beta - Math.log(beta0 / beta) - 1) + 0.5 * beta0 * quadratic
}
