/**
 * scikit-learn's approximate bound of LDA (_approx_bound, without sub-sampling), in
 * two parts: the documents' terms (each needs its gamma) and the topics' (lambda).
 *   documents: sum_d [ sum_j cnt_j log(sum_k exp(Elt_dk + Elb_kw_j))       (the kernel's wordBound)
 *              + sum_k (alpha - gamma_dk) Elt_dk + lgamma(gamma_dk) - lgamma(alpha)
 *              + lgamma(K alpha) - lgamma(sum_k gamma_dk) ],   Elt_dk = psi(gamma_dk) - psi(sum_k gamma_dk)
 *   topics:    sum_kw (eta - lambda_kw) Elb_kw + lgamma(lambda_kw) - lgamma(eta)
 *              + sum_k [lgamma(V eta) - lgamma(sum_w lambda_kw)]
 */
import { digamma, lgamma } from '../../core/math/special.js'

/** The documents' terms of documents begin..end-1, summed in document order. */
export function documentBound(gamma: Float64Array, wordBound: Float64Array, begin: number, end: number, K: number, alpha: number): number {
  const lgA = lgamma(alpha), lgKA = lgamma(K * alpha)
  let total = 0
  for (let d = begin; d < end; d++) {
    let sum = 0
    for (let k = 0; k < K; k++) sum += gamma[d * K + k]!
    const ps = digamma(sum)
    let s = wordBound[d]!
    for (let k = 0; k < K; k++) {
      const g = gamma[d * K + k]!
      s += (alpha - g) * (digamma(g) - ps) + (lgamma(g) - lgA)
    }
    total += s + (lgKA - lgamma(sum))
  }
  return total
}

/** The topics' terms, from lambda (K x V) and E[log beta] (K x V). */
export function topicBound(lambda: Float64Array, elogBeta: Float64Array, K: number, V: number, eta: number): number {
  const lgE = lgamma(eta), lgVE = lgamma(V * eta)
  let total = 0
  for (let k = 0; k < K; k++) {
    let sum = 0, s = 0
    for (let w = 0; w < V; w++) {
      const l = lambda[k * V + w]!
      sum += l
      s += (eta - l) * elogBeta[k * V + w]! + (lgamma(l) - lgE)
    }
    total += s + (lgVE - lgamma(sum))
  }
  return total
}
