/**
 * The inverse of a symmetric positive definite matrix through its Cholesky factor,
 * apart from the Cholesky routines (dense.ts) that every Gaussian fit runs: standard
 * errors, complete-data log-likelihoods and the iterative covariance models use it, a
 * plain fit never.
 */
import { cholesky, invertLower } from './dense.js'

/** A^{-1} for symmetric positive definite A (null when it is not). */
export function inverseSPD(a: Float64Array, d: number): Float64Array | null {
  const l = cholesky(a, d)
  if (!l) return null
  const li = invertLower(l, d)
  // A^{-1} = L^{-T} L^{-1}
  const out = new Float64Array(d * d)
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0
      for (let k = i; k < d; k++) s += li[k * d + i]! * li[k * d + j]!
      out[i * d + j] = s
      out[j * d + i] = s
    }
  }
  return out
}
