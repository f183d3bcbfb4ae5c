/**
 * Sigma_c^-1 through the precision factors the density kernels use: lower factors P
 * with Sigma^-1 = P^T P (full: one per component; tied: one shared), or per-entry
 * precisions 1 / variance (diag, spherical).
 */
import type { CovarianceStrategy } from './covariance.js'

/**
 * tr(Sigma_c^-1 A) for the d x d matrix A at `offset`: a full matrix, or, for the
 * diagonal types unless `fullMatrix`, its diagonal alone (d values).
 */
export function precisionTrace(covariance: CovarianceStrategy, P: Float64Array, c: number, d: number, a: Float64Array, offset: number, fullMatrix = false): number {
  if (covariance.statsKernel === 'statsDiag') {
    let s = 0
    for (let j = 0; j < d; j++) s += P[c * d + j]! * a[offset + (fullMatrix ? j * d + j : j)]!
    return s
  }
  // tr(P A P^T), P lower triangular
  const o = covariance.shared ? 0 : c * d * d
  let s = 0
  for (let j = 0; j < d; j++) {
    for (let l = 0; l <= j; l++) {
      let row = 0
      for (let m = 0; m <= j; m++) row += a[offset + l * d + m]! * P[o + j * d + m]!
      s += P[o + j * d + l]! * row
    }
  }
  return s
}

/** v^T Sigma_c^-1 v. */
export function precisionQuadratic(covariance: CovarianceStrategy, P: Float64Array, c: number, d: number, v: Float64Array): number {
  let s = 0
  if (covariance.statsKernel === 'statsDiag') {
    for (let j = 0; j < d; j++) s += P[c * d + j]! * v[j]! * v[j]!
    return s
  }
  const o = covariance.shared ? 0 : c * d * d
  for (let j = 0; j < d; j++) {
    let y = 0
    for (let l = 0; l <= j; l++) y += P[o + j * d + l]! * v[l]!
    s += y * y
  }
  return s
}
