/**
 * Louis's terms for a finite mixture, from its component's per-row complete-data score
 * and expected complete-data Hessian. The complete data of row i are (x_i, z_i); with
 * r_ic = P(z_i = c | x_i) and s_ic the score of log w_c + log f_c(x_i) in the free
 * coordinates [first K - 1 weights | the component's],
 *   complete = sum_i sum_c r_ic (-d2 log w_c f_c(x_i))
 *   missing  = sum_i ( sum_c r_ic s_ic s_ic' - g_i g_i' ),  g_i = sum_c r_ic s_ic,
 * the conditional variance of the complete-data score given x_i (rows independent).
 * Sample weights multiply each row's terms.
 */
import type { LouisTerms } from '../../engine/types.js'

/** What a component supplies for Louis's method, in its own free coordinates. */
export interface ComponentLouis {
  /** Number of the component's free coordinates. */
  readonly m: number
  /** The complete-data score of log f_c(x_i) into `out` (length m; entries of other components left 0). */
  score(i: number, c: number, out: Float64Array): void
  /** sum_i w_i sum_c r_ic (-d2 log f_c(x_i)), m x m, from the responsibilities. */
  complete(resp: Float64Array, rowWeight: (i: number) => number): Float64Array
}

/**
 * Louis's terms of a K-component mixture with `weights`, over n rows with responsibilities
 * `resp` (n x K, row-major) and row weights.
 */
export function mixtureLouis(weights: Float64Array, n: number, resp: Float64Array, rowWeight: (i: number) => number, comp: ComponentLouis): LouisTerms & { readonly score: Float64Array } {
  const K = weights.length, nw = K - 1, m = nw + comp.m
  const complete = new Float64Array(m * m)
  const missing = new Float64Array(m * m)
  // the observed score sum_i g_i (0 at an unconstrained MLE; a constrained model's chain rule needs it)
  const score = new Float64Array(m)
  const nk = new Float64Array(K)
  const s = Array.from({ length: K }, () => new Float64Array(m))
  const part = new Float64Array(comp.m)
  const g = new Float64Array(m)
  for (let i = 0; i < n; i++) {
    const wi = rowWeight(i)
    g.fill(0)
    for (let c = 0; c < K; c++) {
      const r = resp[i * K + c]!
      nk[c]! += wi * r
      const sc = s[c]!
      sc.fill(0)
      // d log w_c / d w_j: 1 / w_c at j = c (c < K); -1 / w_K for every j when c = K
      if (c < nw) sc[c] = 1 / weights[c]!
      else for (let j = 0; j < nw; j++) sc[j] = -1 / weights[K - 1]!
      part.fill(0)
      comp.score(i, c, part)
      sc.set(part, nw)
      for (let a = 0; a < m; a++) g[a]! += r * sc[a]!
    }
    for (let c = 0; c < K; c++) {
      const r = wi * resp[i * K + c]!
      if (r === 0) continue
      const sc = s[c]!
      for (let a = 0; a < m; a++) {
        const ra = r * sc[a]!
        if (ra === 0) continue
        for (let b = 0; b < m; b++) missing[a * m + b]! += ra * sc[b]!
      }
    }
    for (let a = 0; a < m; a++) {
      const ga = wi * g[a]!
      score[a]! += ga
      if (ga === 0) continue
      for (let b = 0; b < m; b++) missing[a * m + b]! -= ga * g[b]!
    }
  }
  // weights: -d2 log w_c = e_c e_c' / w_c^2 (c < K), 1 1' / w_K^2 (c = K)
  for (let c = 0; c < nw; c++) complete[c * m + c]! += nk[c]! / (weights[c]! * weights[c]!)
  const last = nk[K - 1]! / (weights[K - 1]! * weights[K - 1]!)
  for (let a = 0; a < nw; a++) for (let b = 0; b < nw; b++) complete[a * m + b]! += last
  const cc = comp.complete(resp, rowWeight)
  for (let a = 0; a < comp.m; a++) for (let b = 0; b < comp.m; b++) complete[(nw + a) * m + nw + b] = cc[a * comp.m + b]!
  return { complete, missing, score }
}
