/**
 * Gaussian linear regression observed only inside [a, b] (truncation: rows outside are
 * never recorded and their number is unknown): y_i = z_i' beta + sigma e_i, kept only
 * when a <= y_i <= b. TruncatedNormal is the intercept-only case (z_i = 1).
 *
 * EM with the missing-data formulation of Dempster, Laird and Rubin (1977, sec. 4.7):
 * every recorded row at z_i stands for a geometric number of unrecorded draws at the
 * same z_i, with expectation m_i = (1 - P_i) / P_i, P_i = Phi(beta_i) - Phi(alpha_i),
 * falling in the two tails outside [a, b]. The complete data are then an ordinary
 * normal regression, so the E-step adds each row's unseen count and tail moments
 * (src/core/math/normal.ts, in logs so they stay accurate in the tails) and the M-step
 * is weighted least squares. The fixed point is the truncated-likelihood MLE.
 *
 * Statistics layout (additive): [Z'WZ (p*p), Z'E[y] (p), sum E[y^2] (1), sum W (1)],
 * W_i = f_i (1 + m_i) = f_i / P_i with f_i the row's frequency weight.
 */
import { DegenerateError } from '../core/errors.js'
import { cholesky, solveCholesky } from '../core/math/dense.js'
import { LOG_SQRT_2PI, logNormalCdfBoth, logNormalInterval, logNormalPdf } from '../core/math/normal.js'
import type { EMModel, PreparedData } from '../engine/types.js'
import { CoefScaleModel } from './common/coef-scale.js'

export interface TruncatedParams {
  /** Coefficients of the columns of Z (the intercept first when fitted). */
  readonly coef: Float64Array
  readonly sigma: number
}

export interface TruncatedData extends PreparedData {
  readonly n: number
  /** Columns of Z (p). */
  readonly p: number
  /** Design, row-major n x p. */
  readonly z: Float64Array
  readonly y: Float64Array
  /** The truncation interval (either end may be infinite). */
  readonly lower: number
  readonly upper: number
  /** Frequency weight of each row. */
  readonly weight: Float64Array
}

/** What the unseen draws at one row add, per recorded row: their expected count and the tail sums of e and e^2 (standardised). */
export interface UnseenTails {
  /** log P, the probability of [alpha, beta]. */
  readonly logP: number
  /** m = (1 - P) / P. */
  readonly count: number
  /** E[sum of e over the unseen] = (phi(beta) - phi(alpha)) / P. */
  readonly s1: number
  /** E[sum of e^2 over the unseen] = (Phi(alpha) - alpha phi(alpha) + 1 - Phi(beta) + beta phi(beta)) / P. */
  readonly s2: number
}

/** The unseen tails of a standard normal recorded only on [alpha, beta]. */
export function unseenTails(alpha: number, beta: number): UnseenTails {
  const logP = logNormalInterval(alpha, beta)
  const below = alpha === -Infinity ? 0 : Math.exp(logNormalCdfBoth(alpha)[0] - logP)
  const above = beta === Infinity ? 0 : Math.exp(logNormalCdfBoth(beta)[1] - logP)
  const pa = alpha === -Infinity ? 0 : Math.exp(logNormalPdf(alpha) - logP)
  const pb = beta === Infinity ? 0 : Math.exp(logNormalPdf(beta) - logP)
  return {
    logP,
    count: below + above,
    s1: pb - pa,
    s2: below - (alpha === -Infinity ? 0 : alpha * pa) + above + (beta === Infinity ? 0 : beta * pb),
  }
}

export class TruncatedModel extends CoefScaleModel<TruncatedParams> implements EMModel<TruncatedParams, TruncatedData> {
  protected readonly scaleName = 'scale'
  readonly name = 'TruncatedRegression'

  prepare(z: Float64Array, n: number, p: number, y: Float64Array, lower: number, upper: number, weight: Float64Array = new Float64Array(n).fill(1)): TruncatedData {
    let total = 0
    for (let i = 0; i < n; i++) total += weight[i]!
    return { n, p, z, y, lower, upper, weight, totalWeight: total }
  }

  /** Each recorded row's log-density under truncation: log phi(r) - log sigma - log P. */
  rowLogLiks(data: TruncatedData, params: TruncatedParams): Float64Array {
    const { sigma, coef } = params
    const logSigma = Math.log(sigma)
    const out = new Float64Array(data.n)
    for (let i = 0; i < data.n; i++) {
      const mu = this.rowPredictor(data, coef, i)
      const r = (data.y[i]! - mu) / sigma
      out[i] = -0.5 * r * r - LOG_SQRT_2PI - logSigma - logNormalInterval((data.lower - mu) / sigma, (data.upper - mu) / sigma)
    }
    return out
  }

  logLik(data: TruncatedData, params: TruncatedParams): number {
    const rows = this.rowLogLiks(data, params)
    let ll = 0
    for (let i = 0; i < data.n; i++) ll += data.weight[i]! * rows[i]!
    return ll
  }

  /** Expected number of unseen rows (outside [lower, upper]) behind the recorded ones. */
  unseen(data: TruncatedData, params: TruncatedParams): number {
    let m = 0
    for (let i = 0; i < data.n; i++) {
      const mu = this.rowPredictor(data, params.coef, i)
      m += data.weight[i]! * unseenTails((data.lower - mu) / params.sigma, (data.upper - mu) / params.sigma).count
    }
    return m
  }

  eStep(data: TruncatedData, params: TruncatedParams): { stats: Float64Array; logLik: number } {
    const { p, z } = data
    const { sigma, coef } = params
    const logSigma = Math.log(sigma)
    const stats = new Float64Array(p * p + p + 2)
    let ll = 0
    for (let i = 0; i < data.n; i++) {
      const mu = this.rowPredictor(data, coef, i)
      const t = unseenTails((data.lower - mu) / sigma, (data.upper - mu) / sigma)
      const y = data.y[i]!, f = data.weight[i]!
      const w = f * (1 + t.count)
      const sy = f * (y + t.count * mu + sigma * t.s1)
      const syy = f * (y * y + t.count * mu * mu + 2 * mu * sigma * t.s1 + sigma * sigma * t.s2)
      for (let a = 0; a < p; a++) {
        const za = w * z[i * p + a]!
        for (let b = 0; b < p; b++) stats[a * p + b]! += za * z[i * p + b]!
        stats[p * p + a]! += z[i * p + a]! * sy
      }
      stats[p * p + p]! += syy
      stats[p * p + p + 1]! += w
      const r = (y - mu) / sigma
      ll += f * (-0.5 * r * r - LOG_SQRT_2PI - logSigma - t.logP)
    }
    return { stats, logLik: ll }
  }

  mStep(stats: Float64Array, _params: TruncatedParams, data: TruncatedData): TruncatedParams {
    const { p } = data
    const chol = cholesky(stats.subarray(0, p * p), p)
    if (!chol) throw new DegenerateError('SINGULAR_COVARIANCE', 'The weighted design matrix is singular: remove collinear or constant columns (the intercept is added by fitIntercept).')
    const zy = stats.subarray(p * p, p * p + p)
    const coef = solveCholesky(chol, p, zy)
    let fitted = 0
    for (let a = 0; a < p; a++) fitted += coef[a]! * zy[a]!
    const variance = (stats[p * p + p]! - fitted) / stats[p * p + p + 1]!
    if (!(variance > 0 && variance < Infinity)) throw new DegenerateError('DEGENERATE', `The residual variance became ${variance}: the recorded rows leave the scale undetermined (too few distinct values, or the fit ran off to a degenerate limit).`)
    return { coef, sigma: Math.sqrt(variance) }
  }

  /** Start: least squares on the recorded rows (ignoring the truncation). */
  initialParams(data: TruncatedData): TruncatedParams {
    const { p, z } = data
    const ztz = new Float64Array(p * p), zy = new Float64Array(p)
    let yy = 0
    for (let i = 0; i < data.n; i++) {
      const y = data.y[i]!, f = data.weight[i]!
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) ztz[a * p + b]! += f * z[i * p + a]! * z[i * p + b]!
        zy[a]! += f * z[i * p + a]! * y
      }
      yy += f * y * y
    }
    const chol = cholesky(ztz, p)
    if (!chol) throw new DegenerateError('SINGULAR_COVARIANCE', 'The design matrix is rank deficient (Z\'Z is singular): remove collinear or constant columns (the intercept is added by fitIntercept).')
    const coef = solveCholesky(chol, p, zy)
    let fitted = 0
    for (let a = 0; a < p; a++) fitted += coef[a]! * zy[a]!
    const variance = (yy - fitted) / data.totalWeight
    return { coef, sigma: variance > 0 ? Math.sqrt(variance) : 1 }
  }
}
