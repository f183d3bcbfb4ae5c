/**
 * Draws of the missing entries (NaN) of rows from their predictive distribution under a
 * Gaussian mixture given the row's observed entries (impute.ts has the conditionals and
 * the per-pattern terms): what multiple imputation (estimators/impute-draws.ts) runs, in
 * a file of its own so that bundles load it with the asynchronous `impute` only.
 */
import { DegenerateError } from '../../core/errors.js'
import { cholesky } from '../../core/math/dense.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { eachIncomplete, type GaussianMixtureParts } from './impute.js'

/** A copy of x with the missing entries drawn from their predictive distribution given the observed ones. */
export function drawMissing(x: Float64Array, n: number, g: GaussianMixtureParts, rng: Rng): Float64Array {
  const out = Float64Array.from(x)
  eachIncomplete(x, n, g, (i, pt, parts, post) => {
    const u = rng.uniform()
    let c = 0, cum = post[0]!
    while (c < g.k - 1 && cum <= u) cum += post[++c]!
    const { mean } = parts[c]!
    const mis = pt.mis, nm = mis.length
    const l = (pt.drawFactors[c] ??= drawFactor(pt.covs[c]!, nm, i))
    const z = Float64Array.from({ length: nm }, () => rng.normal())
    for (let a = 0; a < nm; a++) {
      let s = mean[a]!
      for (let b = 0; b <= a; b++) s += l[a * nm + b]! * z[b]!
      out[i * g.d + mis[a]!] = s
    }
  })
  return out
}

/**
 * The Cholesky factor a draw uses; a conditional covariance can be singular to rounding
 * when a column is a function of the others: then a tiny ridge (the error names `row`,
 * the first row that needed it).
 */
function drawFactor(cov: Float64Array, nm: number, row: number): Float64Array {
  const l = cholesky(cov, nm)
  if (l) return l
  let trace = 0
  for (let a = 0; a < nm; a++) trace += cov[a * nm + a]!
  const ridged = Float64Array.from(cov)
  for (let a = 0; a < nm; a++) ridged[a * nm + a] = ridged[a * nm + a]! + 1e-12 * (trace / nm || 1)
  const r = cholesky(ridged, nm)
  if (!r) throw new DegenerateError('SINGULAR_COVARIANCE', `The conditional covariance of row ${row}'s missing entries is not positive definite; refit with a larger regCovar.`, { row })
  return r
}
