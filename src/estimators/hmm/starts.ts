/**
 * Starting values from the data for Gaussian emissions (GaussianHMM's, and a
 * Gaussian mixture per state's): the covariance of all rows, which hmmlearn gives
 * every state before the first Baum-Welch step.
 */
import type { Matrix } from '../../core/matrix.js'

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
