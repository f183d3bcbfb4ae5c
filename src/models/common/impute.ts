/**
 * Missing entries (NaN) of rows under a Gaussian mixture (one component: the
 * multivariate normal), given the observed entries of the same row: the posterior
 * component probabilities from the observed marginals, and each component's
 * conditional normal mu_m + S_mo S_oo^-1 (x_o - mu_o), S_mm - S_mo S_oo^-1 S_om (the
 * one helper of models/common/conditional-normal.ts).
 * `conditionalMeans` fills in E[x_m | x_o]; `drawMissing` (impute-draws.ts, apart: only
 * the asynchronous `impute` runs it, so bundles load it then) a draw from the predictive
 * distribution (a component by its posterior probability, then its conditional normal).
 * Rows are grouped by missingness pattern: Sigma_oo is factorised once per pattern and
 * component (and a draw's conditional covariance once per pattern and component drawn),
 * and only the solve against a row's residual runs per row. Parameter-sized dense
 * algebra; no kernels (d is small, rows few).
 */
import { DegenerateError } from '../../core/errors.js'
import { solveCholesky } from '../../core/math/dense.js'
import { conditionalMean, conditionalNormal, type ConditionalNormal } from './conditional-normal.js'
import { missingPatterns } from './missing-patterns.js'

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
  /** |m| x |m|, the pattern's (shared by its rows) */
  readonly cov: Float64Array
}

/** What a pattern's rows share, made at its first row: per component its factorisation (null with nothing observed) and conditional covariance. */
export interface PatternTerms {
  readonly obs: Int32Array
  readonly mis: Int32Array
  readonly factors: (ConditionalNormal | null)[]
  readonly covs: Float64Array[]
  /** drawMissing's Cholesky factor of each component's conditional covariance, made when first drawn from. */
  readonly drawFactors: (Float64Array | undefined)[]
}

function patternTerms(g: GaussianMixtureParts, obs: Int32Array, mis: Int32Array): PatternTerms {
  const { d, k } = g
  const nm = mis.length
  const factors: (ConditionalNormal | null)[] = [], covs: Float64Array[] = []
  for (let c = 0; c < k; c++) {
    if (obs.length === 0) {
      const cov = new Float64Array(nm * nm)
      for (let a = 0; a < nm; a++) for (let b = 0; b < nm; b++) cov[a * nm + b] = g.covariances[c * d * d + mis[a]! * d + mis[b]!]!
      factors.push(null)
      covs.push(cov)
      continue
    }
    const cn = conditionalNormal(g.covariances, d, obs, mis, c * d * d)
    if (!cn) throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of component ${c} restricted to the observed columns is not positive definite; refit with a larger regCovar or fewer components.`, { component: c })
    factors.push(cn)
    covs.push(cn.covariance)
  }
  return { obs, mis, factors, covs, drawFactors: new Array(k) }
}

/** Component c's share and conditional normal for a row of pattern `pt` (models/common/conditional-normal.ts). */
function conditional(g: GaussianMixtureParts, c: number, row: Float64Array, pt: PatternTerms): Conditional {
  const { d } = g
  const { obs, mis } = pt
  const no = obs.length
  const means = g.means
  const cn = pt.factors[c]
  if (!cn) return { logWeight: Math.log(g.weights[c]!), mean: Float64Array.from(mis, (j) => means[c * d + j]!), cov: pt.covs[c]! }
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
    cov: pt.covs[c]!,
  }
}

/**
 * Walk the rows with a missing entry, in data order (drawMissing's draws follow it):
 * fill(row, its pattern's terms, per-component conditionals with posterior
 * probabilities). The factorisations are made once per pattern, not per row.
 */
export function eachIncomplete(x: Float64Array, n: number, g: GaussianMixtureParts, fill: (i: number, pt: PatternTerms, parts: Conditional[], post: Float64Array) => void): void {
  const { d, k } = g
  const { patterns, patternOf } = missingPatterns(x, n, d)
  const terms: (PatternTerms | undefined)[] = new Array(patterns.length)
  for (let i = 0; i < n; i++) {
    const p = patternOf[i]!, pat = patterns[p]!
    if (pat.missing.length === 0) continue
    const pt = (terms[p] ??= patternTerms(g, pat.observed, pat.missing))
    const row = x.subarray(i * d, i * d + d)
    const parts = Array.from({ length: k }, (_, c) => conditional(g, c, row, pt))
    let top = -Infinity
    for (const q of parts) top = Math.max(top, q.logWeight)
    const post = Float64Array.from(parts, (q) => Math.exp(q.logWeight - top))
    let total = 0
    for (const v of post) total += v
    for (let c = 0; c < k; c++) post[c] = post[c]! / total
    fill(i, pt, parts, post)
  }
}

/** A copy of x (n x d, NaN where missing) with each missing entry replaced by E[x_m | x_o]. */
export function conditionalMeans(x: Float64Array, n: number, g: GaussianMixtureParts): Float64Array {
  const out = Float64Array.from(x)
  eachIncomplete(x, n, g, (i, { mis }, parts, post) => {
    mis.forEach((j, a) => {
      let s = 0
      for (let c = 0; c < g.k; c++) s += post[c]! * parts[c]!.mean[a]!
      out[i * g.d + j] = s
    })
  })
  return out
}
