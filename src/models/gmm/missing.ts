/**
 * Values missing at random (NaN) in the Gaussian mixture, handled exactly in the
 * E-step (the mixture version of Little & Rubin ch. 11):
 *
 * - row i's log-density under component c is that of its observed coordinates,
 *   N(x_o | mu_co, Sigma_coo), and the responsibilities come from those;
 * - the statistics of component c use the row with its missing coordinates replaced by
 *   E[x_m | x_o, c] = mu_cm + B_c (x_o - mu_co), and add the conditional covariance
 *   Sigma_cmm - B_c Sigma_com (weighted by r_ic) to the second moments. Statistics
 *   that keep only the diagonal (diag, spherical) add only its diagonal, so their
 *   M-steps use the expected diagonal second moments; tied pools the per-component
 *   expected scatters as usual.
 *
 * Rows are grouped by missingness pattern. Per pattern and component one factorisation
 * (common/conditional-normal.ts, the one MultivariateNormal uses) gives the density
 * factor and the regression; the per-row work runs through the kernels:
 * `logDensityFull` once per pattern on its compacted observed columns (all k
 * components in one call), and the model's statistics kernel once per component on the
 * filled rows. Every covariance type goes through its full matrices
 * (`CovarianceStrategy.expandFull`), so nothing here switches on the type; a shared
 * (tied) covariance is factorised once per pattern. Only the conditional means are
 * computed in TypeScript (irregular, per pattern), once per parameters: they are cached
 * with the factors, so statistics gathered again at the same parameters (SEM/MCEM, one
 * call per draw) only copy them into place before the kernel runs.
 *
 * A row with no observed coordinate has density 1 under every component: probabilities
 * equal to the weights and log-likelihood 0 (the estimator gives such rows weight 0 in
 * fit, so they contribute nothing there).
 *
 * None of this runs when the data has no NaN: `prepareMissing` returns null and the
 * model keeps its complete-data path unchanged.
 */
import { DegenerateError } from '../../core/errors.js'
import type { Matrix } from '../../core/matrix.js'
import { knownComplete } from '../../core/validate.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import { conditionalNormal, type ConditionalNormal } from '../common/conditional-normal.js'
import { missingPatterns } from '../common/missing-patterns.js'
import { invertLower } from '../../core/math/dense.js'
import { gaussianFarRows } from '../common/far.js'
import type { CovarianceStrategy } from './covariance.js'
import type { GmmParams } from './params.js'

/** What the missing-data passes read of the prepared data (GmmData has it all). */
export interface MissingData {
  readonly n: number
  readonly resp: F64Buffer
  readonly sampleWeight: F64Buffer | null
  readonly missing?: MissingLayout
}

export interface Pattern {
  readonly obs: Int32Array
  readonly miss: Int32Array
  /** Row indices in the data's order. */
  readonly rows: Int32Array
  /** Observed values of the rows (n_g x q) in kernel memory, for the density kernel. */
  readonly x: F64Buffer
  /** The same values in JS, for the conditional means. */
  readonly xObs: Float64Array
  /** Kernel buffers of the pattern's density call: out n_g x k, means k x q, factors, log-determinants. */
  readonly out: F64Buffer
  readonly means: F64Buffer
  readonly prec: F64Buffer
  readonly logDetP: F64Buffer
}

export interface Factor {
  readonly cn: ConditionalNormal
  /** P = L^-1 of Sigma_oo = L L^T, as logDensityFull wants it. */
  readonly prec: Float64Array
}

export interface MissingLayout {
  readonly patterns: readonly Pattern[]
  /** n x d: observed values, missing ones refilled with one component's conditional means at a time. */
  readonly filled: F64Buffer
  /** One component's responsibilities (n), its reference point (d) and its statistics. */
  readonly column: F64Buffer
  readonly refOne: F64Buffer
  readonly statsOne: F64Buffer
  /** Factorisations at the parameters seen last (by identity: parameters are never mutated). */
  cache: ParamsCache | null
}

interface ParamsCache {
  readonly params: GmmParams
  readonly factors: readonly (readonly Factor[])[]
  /**
   * Per component, E[x_m | x_o, c] of every missing entry (patterns in order, rows in
   * pattern order, missing columns in order), filled on the first statistics call at
   * these parameters: SEM/MCEM gather statistics once per draw at the same parameters,
   * and only the labels change between draws.
   */
  conditionalMeans?: readonly Float64Array[]
}

/** What the missing-data passes need from the model. */
export interface MixtureShape {
  readonly kernels: Kernels
  readonly k: number
  readonly d: number
  readonly covariance: CovarianceStrategy
}

/** Whether any entry is NaN (missing). */
export function hasMissing(m: Matrix): boolean {
  if (knownComplete(m)) return false
  // once: an owned matrix's data is a getter (a fresh view whenever kernel memory moved)
  const data = m.data
  for (let p = 0; p < data.length; p++) if (Number.isNaN(data[p]!)) return true
  return false
}

/**
 * The pattern layout of data with NaN (null without any), and the rows with every NaN
 * replaced by its column's observed mean (0 for a column with none): the model keeps
 * those in `GmmData.x`, where the initialisation (k-means++ etc.) and nothing else
 * reads them. Column-mean imputation is for the start only.
 */
export function prepareMissing(shape: MixtureShape, m: Matrix, arena: Arena): { layout: MissingLayout; imputed: Float64Array } | null {
  if (!hasMissing(m)) return null
  const { k } = shape
  const n = m.rows, d = m.cols, X = m.data
  const sum = new Float64Array(d), count = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
    const v = X[i * d + j]!
    if (!Number.isNaN(v)) { sum[j] += v; count[j]++ }
  }
  const imputed = Float64Array.from(X)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
    if (Number.isNaN(imputed[i * d + j]!)) imputed[i * d + j] = count[j]! > 0 ? sum[j]! / count[j]! : 0
  }
  const patterns: Pattern[] = []
  for (const { observed: obs, missing: miss, rows } of missingPatterns(X, n, d).patterns) {
    const q = obs.length, ng = rows.length
    const xObs = new Float64Array(ng * q)
    for (let r = 0; r < ng; r++) for (let a = 0; a < q; a++) xObs[r * q + a] = X[rows[r]! * d + obs[a]!]!
    patterns.push({
      obs, miss, rows,
      x: arena.f64From(xObs), xObs,
      out: arena.f64(ng * k), means: arena.f64(k * q), prec: arena.f64(k * q * q), logDetP: arena.f64(k),
    })
  }
  const s2 = shape.covariance.statsKernel === 'statsFull' ? d * d : d
  const layout: MissingLayout = {
    patterns,
    filled: arena.f64From(imputed),
    column: arena.f64(n),
    refOne: arena.f64(d),
    statsOne: arena.f64(1 + d + s2),
    cache: null,
  }
  return { layout, imputed }
}

/** Per pattern, one factorisation per covariance block (k, or 1 when shared), cached by parameters. */
export function factorise(shape: MixtureShape, layout: MissingLayout, params: GmmParams): readonly (readonly Factor[])[] {
  if (layout.cache?.params === params) return layout.cache.factors
  const { k, d, covariance } = shape
  const full = covariance.expandFull(params.covariances, k, d)
  const blocks = covariance.shared ? 1 : k
  const factors = layout.patterns.map((pat) => Array.from({ length: blocks }, (_, c) => {
    const cn = conditionalNormal(full, d, pat.obs, pat.miss, c * d * d)
    if (!cn) {
      throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of component ${c} restricted to the observed columns of some rows is not positive definite (regCovar too small for these data); use a larger regCovar or fewer components.`, { component: c })
    }
    return { cn, prec: invertLower(cn.chol, pat.obs.length) }
  }))
  layout.cache = { params, factors }
  return factors
}

/**
 * Log-densities of every row's observed coordinates under every component into
 * data.resp (n x k, the data's row order), ready for the responsibilities kernel.
 */
export function observedLogDensities(shape: MixtureShape, data: MissingData, params: GmmParams, far: Float64Array | null = null): void {
  const { kernels, k, d, covariance } = shape
  const layout = data.missing!
  const factors = factorise(shape, layout, params)
  const shared = covariance.shared
  layout.patterns.forEach((pat, g) => {
    const q = pat.obs.length, ng = pat.rows.length
    if (q === 0) {
      // nothing observed: density 1 under every component
      const resp = data.resp.view
      for (const i of pat.rows) resp.fill(0, i * k, i * k + k)
      return
    }
    const means = pat.means.view, prec = pat.prec.view, logDetP = pat.logDetP.view
    for (let c = 0; c < k; c++) {
      for (let a = 0; a < q; a++) means[c * q + a] = params.means[c * d + pat.obs[a]!]!
      const f = factors[g]![shared ? 0 : c]!
      logDetP[c] = -0.5 * f.cn.logDet
      if (!shared || c === 0) prec.set(f.prec, c * q * q)
    }
    kernels.logDensityFull(pat.x, ng, q, pat.means, k, pat.prec, shared ? 0 : q * q, pat.logDetP, pat.out)
    if (far) gaussianFarRows(pat.xObs, ng, q, pat.means.view, k, pat.prec.view, shared ? 0 : q * q, pat.logDetP.view, pat.out.view, far, pat.rows)
    const out = pat.out.view, resp = data.resp.view
    for (let r = 0; r < ng; r++) resp.set(out.subarray(r * k, r * k + k), pat.rows[r]! * k)
  })
}
