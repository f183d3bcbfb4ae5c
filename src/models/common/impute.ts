/**
 * Missing entries (NaN) of rows under a Gaussian mixture (one component: the
 * multivariate normal), given the observed entries of the same row: the posterior
 * component probabilities from the observed marginals, and each component's
 * conditional normal mu_m + S_mo S_oo^-1 (x_o - mu_o), S_mm - S_mo S_oo^-1 S_om (the
 * one helper of models/common/conditional-normal.ts).
 * `conditionalMeans` fills in E[x_m | x_o]; `drawMissing` (impute-draws.ts, apart: only
 * the asynchronous `impute` runs it, so bundles load it then) a draw from the predictive
 * distribution (a component by its posterior probability, then its conditional normal).
 * Parameter-sized dense algebra per row pattern; no kernels (d is small, rows few).
 */
import { DegenerateError } from '../../core/errors.js'
import { solveCholesky } from '../../core/math/dense.js'
import { conditionalMean, conditionalNormal } from './conditional-normal.js'

export interface GaussianMixtureParts {
  readonly k: number
  readonly d: number
  readonly weights: Float64Array
  /** k x d */
  readonly means: Float64Array
  /** k x d x d, full */
  readonly covariances: Float64Array
}

const LOG_2PI = Math.log(2 * Math.PI)

export interface Conditional {
  /** log(weight) + log N(x_o; mu_o, S_oo) */
  readonly logWeight: number
  readonly mean: Float64Array
  /** |m| x |m| */
  readonly cov: Float64Array
}

/** Component c's share and conditional normal for a row with observed columns `obs` (models/common/conditional-normal.ts). */
function conditional(g: GaussianMixtureParts, c: number, row: Float64Array, obs: Int32Array, mis: Int32Array): Conditional {
  const { d } = g
  const nm = mis.length, no = obs.length
  const means = g.means
  if (no === 0) {
    const cov = new Float64Array(nm * nm)
    for (let a = 0; a < nm; a++) for (let b = 0; b < nm; b++) cov[a * nm + b] = g.covariances[c * d * d + mis[a]! * d + mis[b]!]!
    return { logWeight: Math.log(g.weights[c]!), mean: Float64Array.from(mis, (j) => means[c * d + j]!), cov }
  }
  const cn = conditionalNormal(g.covariances, d, obs, mis, c * d * d)
  if (!cn) throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of component ${c} restricted to the observed columns is not positive definite; refit with a larger regCovar or fewer components.`, { component: c })
  const xo = Float64Array.from(obs, (j) => row[j]!)
  const r = Float64Array.from(obs, (j, a) => xo[a]! - means[c * d + j]!)
  const alpha = solveCholesky(cn.chol, no, r)
  let quad = 0
  for (let a = 0; a < no; a++) quad += r[a]! * alpha[a]!
  const full = new Float64Array(d)
  conditionalMean(cn, obs, mis, means, c * d, xo, 0, full)
  return {
    logWeight: Math.log(g.weights[c]!) - 0.5 * (no * LOG_2PI + cn.logDet + quad),
    mean: Float64Array.from(mis, (j) => full[j]!),
    cov: cn.covariance,
  }
}

/** Walk the rows with a missing entry: fill(row, missing columns, per-component conditionals with posterior probabilities). */
export function eachIncomplete(x: Float64Array, n: number, g: GaussianMixtureParts, fill: (i: number, mis: Int32Array, parts: Conditional[], post: Float64Array) => void): void {
  const { d, k } = g
  for (let i = 0; i < n; i++) {
    const row = x.subarray(i * d, i * d + d)
    const o: number[] = [], m: number[] = []
    for (let j = 0; j < d; j++) (Number.isNaN(row[j]!) ? m : o).push(j)
    if (m.length === 0) continue
    const obs = Int32Array.from(o), mis = Int32Array.from(m)
    const parts = Array.from({ length: k }, (_, c) => conditional(g, c, row, obs, mis))
    let top = -Infinity
    for (const p of parts) top = Math.max(top, p.logWeight)
    const post = Float64Array.from(parts, (p) => Math.exp(p.logWeight - top))
    let total = 0
    for (const v of post) total += v
    for (let c = 0; c < k; c++) post[c] = post[c]! / total
    fill(i, mis, parts, post)
  }
}

/** A copy of x (n x d, NaN where missing) with each missing entry replaced by E[x_m | x_o]. */
export function conditionalMeans(x: Float64Array, n: number, g: GaussianMixtureParts): Float64Array {
  const out = Float64Array.from(x)
  eachIncomplete(x, n, g, (i, mis, parts, post) => {
    mis.forEach((j, a) => {
      let s = 0
      for (let c = 0; c < g.k; c++) s += post[c]! * parts[c]!.mean[a]!
      out[i * g.d + j] = s
    })
  })
  return out
}
