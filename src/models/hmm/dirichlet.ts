/**
 * Rows of Dirichlet distributions: q(p_r) = Dir(alpha_r) over each row of a rows x
 * cols table (the start probabilities: one row; the transition matrix and the
 * categorical emissions: one row per state), each with its own prior Dir(alpha0_r).
 * Digamma and log-gamma go through the kernels (`Special`), one call per quantity.
 */
import type { Special } from '../common/special.js'

/** E[log p_rj] = psi(alpha_rj) - psi(sum_j alpha_rj). */
export function expectedLogRows(alpha: Float64Array, rows: number, cols: number, special: Special): Float64Array {
  const psi = special.psi(withRowSums(alpha, rows, cols))
  const out = new Float64Array(rows * cols)
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out[r * cols + j] = psi[r * cols + j]! - psi[rows * cols + r]!
  return out
}

/** E[p_rj] = alpha_rj / sum_j alpha_rj: the posterior means (hmmlearn's startprob_, transmat_, emissionprob_). */
export function meanRows(alpha: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols)
  for (let r = 0; r < rows; r++) {
    let s = 0
    for (let j = 0; j < cols; j++) s += alpha[r * cols + j]!
    for (let j = 0; j < cols; j++) out[r * cols + j] = alpha[r * cols + j]! / s
  }
  return out
}

/**
 * sum_r KL(Dir(alpha_r) || Dir(alpha0_r)) = sum_r [log Gamma(A_r) - sum_j log Gamma(alpha_rj)
 * - log Gamma(A0_r) + sum_j log Gamma(alpha0_rj) + sum_j (alpha_rj - alpha0_rj)(psi(alpha_rj) - psi(A_r))].
 */
export function klRows(alpha: Float64Array, alpha0: Float64Array, rows: number, cols: number, special: Special): number {
  const n = rows * cols
  const q = withRowSums(alpha, rows, cols)
  const psi = special.psi(q)
  const lg = special.lnGamma(q)
  const lg0 = special.lnGamma(withRowSums(alpha0, rows, cols))
  let kl = 0
  for (let r = 0; r < rows; r++) {
    let s = lg[n + r]! - lg0[n + r]!
    for (let j = 0; j < cols; j++) {
      const p = r * cols + j
      s += lg0[p]! - lg[p]! + (alpha[p]! - alpha0[p]!) * (psi[p]! - psi[n + r]!)
    }
    kl += s
  }
  return kl
}

/** [alpha (rows * cols) | the sum of each row (rows)]: one kernel call for both. */
function withRowSums(alpha: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols + rows)
  out.set(alpha.subarray(0, rows * cols))
  for (let r = 0; r < rows; r++) {
    let s = 0
    for (let j = 0; j < cols; j++) s += alpha[r * cols + j]!
    out[rows * cols + r] = s
  }
  return out
}
