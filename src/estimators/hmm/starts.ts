/**
 * Starting values the HMM estimators share: for Gaussian emissions (GaussianHMM's, a
 * Gaussian mixture per state's, the variational one's) the covariance of all rows,
 * which hmmlearn gives every state before the first step; for categorical emissions
 * random rows of symbol probabilities.
 */
import type { Matrix } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'

/** Maximum-likelihood covariance of the rows (d x d), plus `ridge` on the diagonal. */
export function dataCovariance(m: Matrix, ridge: number): Float64Array {
  const { rows: n, cols: d, data } = m
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]! / n
  const s = new Float64Array(d * d)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const zj = data[i * d + j]! - mean[j]!
      for (let l = 0; l <= j; l++) s[j * d + l] += zj * (data[i * d + l]! - mean[l]!) / n
    }
  }
  for (let j = 0; j < d; j++) for (let l = j + 1; l < d; l++) s[j * d + l] = s[l * d + j]!
  for (let j = 0; j < d; j++) s[j * d + j] = s[j * d + j]! + ridge
  return s
}

/** k rows of `cols` probabilities: uniform draws, each row divided by its sum (k * cols draws of `rng`, row by row). */
export function randomRows(rng: Rng, k: number, cols: number): Float64Array {
  const p = new Float64Array(k * cols)
  for (let c = 0; c < k; c++) {
    let s = 0
    for (let v = 0; v < cols; v++) { p[c * cols + v] = rng.uniform(); s += p[c * cols + v]! }
    for (let v = 0; v < cols; v++) p[c * cols + v] = p[c * cols + v]! / s
  }
  return p
}
