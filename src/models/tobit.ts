/**
 * Censored Gaussian linear regression (Tobit): y*_i = z_i' beta + sigma e_i, observed
 * exactly, or only as an interval [a_i, b_i] that holds y*_i (left censoring:
 * a_i = -Infinity; right: b_i = Infinity; interval: both finite).
 *
 * Exact EM: the complete-data statistics are Z'Z (fixed, kept with the data), Z'y* and
 * sum y*^2; the E-step replaces y*_i of a censored row by its truncated-normal moments
 * (src/core/math/normal.ts, accurate in the tails). MCEM (`monteCarlo`): the
 * censored y*_i are drawn by the `sampleTruncatedNormals` kernel, one kernel call for
 * all m draws of an iteration.
 *
 * Statistics layout: [Z'y (p), sum y^2 (1)], weighted by the sample weights.
 */
import { DegenerateError } from '../core/errors.js'
import type { EMModel, PreparedData } from '../engine/types.js'
import type { Kernels } from '../kernels/types.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { cholesky, solveCholesky } from '../core/math/dense.js'
import { LOG_SQRT_2PI, logNormalInterval, truncatedNormalMoments } from '../core/math/normal.js'
import { CoefScaleModel } from './common/coef-scale.js'
import { censoredNormalLouis } from './tobit-louis.js'

export interface TobitParams {
  /** Coefficients of the columns of Z (the intercept first when fitted). */
  readonly coef: Float64Array
  readonly sigma: number
}

export interface TobitData extends PreparedData, CensoredRows {
  readonly n: number
  /** Columns of Z (p). */
  readonly p: number
  /** Design, row-major n x p. */
  readonly z: Float64Array
  /** Indices of the censored rows. */
  readonly censoredRows: Int32Array
  readonly weight: Float64Array
  /** Weighted Z'Z and its Cholesky factor. */
  readonly ztz: Float64Array
  readonly cholZtZ: Float64Array
}

/** How each row was observed: exactly (y), or only inside [lower, upper] (`censored`). */
export interface CensoredRows {
  /** Exact values (NaN for censored rows). */
  readonly y: Float64Array
  /** Censoring intervals (only read where `censored`). */
  readonly lower: Float64Array
  readonly upper: Float64Array
  readonly censored: Uint8Array
}

/**
 * Row i's log-likelihood at latent mean mu (logSigma = log sigma): the normal
 * log-density of its exact value, or the log-probability of its censoring interval.
 */
export function rowLogLik(mu: number, sigma: number, logSigma: number, rows: CensoredRows, i: number): number {
  if (rows.censored[i]) return logNormalInterval((rows.lower[i]! - mu) / sigma, (rows.upper[i]! - mu) / sigma)
  const r = (rows.y[i]! - mu) / sigma
  return -0.5 * r * r - LOG_SQRT_2PI - logSigma
}

export class TobitModel extends CoefScaleModel<TobitParams> implements EMModel<TobitParams, TobitData> {
  protected readonly scaleName = 'scale'
  readonly name = 'TobitRegression'
  readonly monteCarlo

  constructor(readonly kernels: Kernels) {
    super()
    this.monteCarlo = {
      sampleLatent: (data: TobitData, params: TobitParams, rng: Rng, m: number) => this.sampleLatent(data, params, rng, m),
      completeLogLik: (stats: Float64Array, params: TobitParams, data: TobitData) => this.completeLogLik(stats, params, data),
    }
  }

  /** Standard errors in [coef, log sigma] (CoefScaleModel), and Louis's terms (tobit-louis.ts). */
  override get information() {
    return { ...super.information, louis: (data: TobitData, params: TobitParams) => censoredNormalLouis(data, params.coef, params.sigma, true) }
  }

  /** Data as given (copied by the estimator), with the fixed statistics. */
  prepare(z: Float64Array, n: number, p: number, y: Float64Array, lower: Float64Array, upper: Float64Array, censored: Uint8Array, weight: Float64Array): TobitData {
    const ztz = new Float64Array(p * p)
    let total = 0
    for (let i = 0; i < n; i++) {
      const w = weight[i]!
      total += w
      for (let a = 0; a < p; a++) {
        const za = w * z[i * p + a]!
        for (let b = 0; b < p; b++) ztz[a * p + b]! += za * z[i * p + b]!
      }
    }
    const chol = cholesky(ztz, p)
    if (!chol) throw new DegenerateError('SINGULAR_COVARIANCE', 'The design matrix is rank deficient (Z\'Z is singular): remove collinear or constant columns (the intercept is added by fitIntercept).')
    const rows: number[] = []
    for (let i = 0; i < n; i++) if (censored[i]) rows.push(i)
    return { n, p, z, y, lower, upper, censored, censoredRows: Int32Array.from(rows), weight, ztz, cholZtZ: chol, totalWeight: total }
  }

  logLik(data: TobitData, params: TobitParams): number {
    const { sigma, coef } = params
    const logSigma = Math.log(sigma)
    let ll = 0
    for (let i = 0; i < data.n; i++) {
      ll += data.weight[i]! * rowLogLik(this.rowPredictor(data, coef, i), sigma, logSigma, data, i)
    }
    return ll
  }

  eStep(data: TobitData, params: TobitParams): { stats: Float64Array; logLik: number } {
    const { p } = data
    const { sigma, coef } = params
    const stats = new Float64Array(p + 1)
    for (let i = 0; i < data.n; i++) {
      let ey: number, ey2: number
      if (data.censored[i]) {
        const mu = this.rowPredictor(data, coef, i)
        const { mean, variance } = truncatedNormalMoments((data.lower[i]! - mu) / sigma, (data.upper[i]! - mu) / sigma)
        ey = mu + sigma * mean
        ey2 = ey * ey + sigma * sigma * variance
      } else {
        ey = data.y[i]!
        ey2 = ey * ey
      }
      const w = data.weight[i]!
      for (let a = 0; a < p; a++) stats[a]! += w * data.z[i * p + a]! * ey
      stats[p]! += w * ey2
    }
    return { stats, logLik: this.logLik(data, params) }
  }

  mStep(stats: Float64Array, _params: TobitParams, data: TobitData): TobitParams {
    const { p } = data
    const coef = solveCholesky(data.cholZtZ, p, stats.subarray(0, p))
    let fitted = 0
    for (let a = 0; a < p; a++) fitted += coef[a]! * stats[a]!
    const variance = (stats[p]! - fitted) / data.totalWeight
    if (!(variance > 0)) throw new DegenerateError('DEGENERATE', `The residual variance became ${variance}: the data are fitted exactly; nothing is left to estimate the scale from.`)
    return { coef, sigma: Math.sqrt(variance) }
  }

  /** m draws of the censored y* at params: one row [Z'y, sum y^2] per draw. */
  sampleLatent(data: TobitData, params: TobitParams, rng: Rng, m: number): Float64Array {
    const { p } = data
    const rows = data.censoredRows
    const nc = rows.length
    const base = new Float64Array(p + 1)
    for (let i = 0; i < data.n; i++) {
      if (data.censored[i]) continue
      const w = data.weight[i]!, y = data.y[i]!
      for (let a = 0; a < p; a++) base[a]! += w * data.z[i * p + a]! * y
      base[p]! += w * y * y
    }
    const out = new Float64Array(m * (p + 1))
    for (let r = 0; r < m; r++) out.set(base, r * (p + 1))
    if (nc === 0 || m === 0) return out
    const K = this.kernels
    const arena = K.arena()
    try {
      const total = m * nc
      const mean = arena.f64(total), sd = arena.f64(total), lo = arena.f64(total), hi = arena.f64(total), draws = arena.f64(total)
      const state = arena.i32(4)
      const mv = mean.view, sv = sd.view, lv = lo.view, hv = hi.view
      for (let j = 0; j < nc; j++) {
        const i = rows[j]!
        const mu = this.rowPredictor(data, params.coef, i)
        for (let r = 0; r < m; r++) {
          mv[r * nc + j] = mu
          sv[r * nc + j] = params.sigma
          lv[r * nc + j] = data.lower[i]!
          hv[r * nc + j] = data.upper[i]!
        }
      }
      state.view.set(rng.state)
      const bad = K.sampleTruncatedNormals(state, mean, sd, lo, hi, total, draws)
      rng.state.set(state.view)
      if (bad >= 0) throw new DegenerateError('DEGENERATE', `Cannot draw the censored value of row ${rows[bad % nc]}: its interval has no mass at the current parameters.`)
      const dv = draws.view
      for (let r = 0; r < m; r++) {
        const o = r * (p + 1)
        for (let j = 0; j < nc; j++) {
          const i = rows[j]!
          const y = dv[r * nc + j]!, w = data.weight[i]!
          for (let a = 0; a < p; a++) out[o + a]! += w * data.z[i * p + a]! * y
          out[o + p]! += w * y * y
        }
      }
      return out
    } finally {
      arena.dispose()
    }
  }

  /** Complete-data log-likelihood from one draw's statistics (constants dropped). */
  completeLogLik(stats: Float64Array, params: TobitParams, data: TobitData): number {
    const { p } = data
    const { coef, sigma } = params
    let quad = stats[p]!
    for (let a = 0; a < p; a++) {
      quad -= 2 * coef[a]! * stats[a]!
      let s = 0
      for (let b = 0; b < p; b++) s += data.ztz[a * p + b]! * coef[b]!
      quad += coef[a]! * s
    }
    return -data.totalWeight * Math.log(sigma) - quad / (2 * sigma * sigma)
  }


  /** Start: least squares with censored rows at their finite bound (or the interval's midpoint). */
  initialParams(data: TobitData): TobitParams {
    const { p } = data
    const stats = new Float64Array(p + 1)
    for (let i = 0; i < data.n; i++) {
      let y = data.y[i]!
      if (data.censored[i]) {
        const lo = data.lower[i]!, hi = data.upper[i]!
        y = Number.isFinite(lo) && Number.isFinite(hi) ? (lo + hi) / 2 : Number.isFinite(lo) ? lo : hi
      }
      const w = data.weight[i]!
      for (let a = 0; a < p; a++) stats[a]! += w * data.z[i * p + a]! * y
      stats[p]! += w * y * y
    }
    const coef = solveCholesky(data.cholZtZ, p, stats.subarray(0, p))
    let fitted = 0
    for (let a = 0; a < p; a++) fitted += coef[a]! * stats[a]!
    const variance = (stats[p]! - fitted) / data.totalWeight
    return { coef, sigma: variance > 0 ? Math.sqrt(variance) : 1 }
  }
}
