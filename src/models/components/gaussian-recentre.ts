/**
 * Gaussian statistics moved to other reference means, apart from the component
 * (gaussian.ts): incremental EM (gmm/blocks.ts, with its complete-data log-likelihood),
 * online EM's running averages (the HMMs' emissions, the Bayesian mixture) use it, a
 * plain fit never.
 *
 * Statistics gathered around `from` (k*d) as gathered around `to`, from the same
 * weights: with z' = z - delta, delta = to_c - from_c, S1' = S1 - N delta and
 * S2' = S2 - S1 delta^T - delta S1^T + N delta delta^T (the diagonal of it for
 * diagonal statistics). Exact in exact arithmetic; incremental EM adds blocks
 * gathered at different means this way. The layout is [N (k) | S1 (k*d) | S2 (k*d*d
 * full, k*d diagonal) | anything after, copied].
 */
export function recentreGaussianStats(stats: Float64Array, from: Float64Array, to: Float64Array, k: number, d: number, full: boolean): Float64Array {
  const s2 = full ? d * d : d
  const out = Float64Array.from(stats)
  const delta = new Float64Array(d)
  for (let c = 0; c < k; c++) {
    const n = stats[c]!, s1 = k + c * d, s2At = k + k * d + c * s2
    for (let j = 0; j < d; j++) delta[j] = to[c * d + j]! - from[c * d + j]!
    for (let j = 0; j < d; j++) {
      out[s1 + j] = stats[s1 + j]! - n * delta[j]!
      if (!full) {
        out[s2At + j] = stats[s2At + j]! - 2 * stats[s1 + j]! * delta[j]! + n * delta[j]! * delta[j]!
        continue
      }
      for (let l = 0; l < d; l++) {
        out[s2At + j * d + l] = stats[s2At + j * d + l]! - stats[s1 + j]! * delta[l]! - delta[j]! * stats[s1 + l]! + n * delta[j]! * delta[l]!
      }
    }
  }
  return out
}
