/**
 * The conditional normal of missing coordinates given observed ones: for
 * x ~ N(mu, Sigma) split into observed (o) and missing (m) coordinates,
 *   x_m | x_o ~ N(mu_m + B (x_o - mu_o), Sigma_mm - B Sigma_om),  B = Sigma_mo Sigma_oo^-1,
 * and x_o ~ N(mu_o, Sigma_oo). One factorisation per (pattern, covariance) serves the
 * observed-data density, the conditional means and the conditional covariance: the
 * E-step of every normal model with values missing at random (MultivariateNormal,
 * the Gaussian mixture) uses this one helper.
 */
import { cholesky, logDetFromCholesky, solveCholesky } from '../../core/math/dense.js'

export interface ConditionalNormal {
  /** Lower Cholesky factor of Sigma_oo (q x q, q = observed count). */
  readonly chol: Float64Array
  /** log det Sigma_oo. */
  readonly logDet: number
  /** B = Sigma_mo Sigma_oo^-1 (r x q, r = missing count). */
  readonly regression: Float64Array
  /** Sigma_mm - B Sigma_om (r x r): the conditional covariance of the missing coordinates. */
  readonly covariance: Float64Array
}

/**
 * The factorisation for the d x d covariance stored at `cov[offset ..]` (row-major) and
 * the observed / missing coordinates `obs` / `miss`; null when Sigma_oo is not
 * numerically positive definite.
 */
export function conditionalNormal(cov: Float64Array, d: number, obs: Int32Array, miss: Int32Array, offset = 0): ConditionalNormal | null {
  const q = obs.length, r = miss.length
  const s = new Float64Array(q * q)
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) s[a * q + b] = cov[offset + obs[a]! * d + obs[b]!]!
  const chol = cholesky(s, q)
  if (!chol) return null
  const regression = new Float64Array(r * q)
  const covariance = new Float64Array(r * r)
  if (r > 0) {
    const row = new Float64Array(q)
    for (let a = 0; a < r; a++) {
      for (let c = 0; c < q; c++) row[c] = cov[offset + miss[a]! * d + obs[c]!]!
      regression.set(solveCholesky(chol, q, row), a * q)
    }
    for (let a = 0; a < r; a++) for (let c = 0; c < r; c++) {
      let v = cov[offset + miss[a]! * d + miss[c]!]!
      for (let e = 0; e < q; e++) v -= regression[a * q + e]! * cov[offset + obs[e]! * d + miss[c]!]!
      covariance[a * r + c] = v
    }
  }
  return { chol, logDet: logDetFromCholesky(chol, q), regression, covariance }
}

/**
 * E[x_m | x_o] into `out` at the missing coordinates (out has d entries; the observed
 * ones are left alone): mu_m + B (x_o - mu_o), with x_o read from `xo[xoOffset ..]`
 * (q values in the order of `obs`) and mu from `mean[meanOffset ..]`.
 */
export function conditionalMean(
  cn: ConditionalNormal, obs: Int32Array, miss: Int32Array,
  mean: Float64Array, meanOffset: number, xo: Float64Array, xoOffset: number, out: Float64Array, outOffset = 0,
): void {
  const q = obs.length, b = cn.regression
  for (let a = 0; a < miss.length; a++) {
    let v = mean[meanOffset + miss[a]!]!
    for (let c = 0; c < q; c++) v += b[a * q + c]! * (xo[xoOffset + c]! - mean[meanOffset + obs[c]!]!)
    out[outOffset + miss[a]!] = v
  }
}
