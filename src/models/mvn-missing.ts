/**
 * The multivariate normal with values missing at random (the classic EM: Dempster,
 * Laird & Rubin 1977; Little & Rubin ch. 11). Rows are grouped by missingness
 * pattern; per pattern and iteration one Cholesky factor of Sigma_oo
 * (common/conditional-normal.ts, shared with the Gaussian mixture) gives the
 * regression of the missing on the observed coordinates, the conditional covariance
 * (added to the statistics) and the observed-data log-likelihood. Irregular per-pattern
 * work, done in TypeScript (O(n d^2) per iteration).
 *
 * Data are centred at the observed column means (kept in `centre`), statistics are
 * [S1 (d), S2 (d x d)] of the centred, filled-in rows.
 */
import type { EMModel, InformationCapability, PreparedData } from '../engine/types.js'
import { mvnInformation } from './mvn-louis.js'
import { DegenerateError } from '../core/errors.js'
import { conditionalNormal } from './common/conditional-normal.js'
import { type MissingPattern, missingPatterns } from './common/missing-patterns.js'
import { cholesky } from '../core/math/dense.js'

export interface MvnParams {
  /** Mean of the centred data (add `centre` for the data's scale). */
  readonly mean: Float64Array
  /** Row-major d x d covariance. */
  readonly cov: Float64Array
}

export interface MvnData extends PreparedData {
  readonly n: number
  readonly d: number
  /** Centred rows, NaN where missing. */
  readonly x: Float64Array
  readonly centre: Float64Array
  readonly patterns: readonly MissingPattern[]
}

const LOG_2PI = 1.8378770664093453

/** The observed mean of each column (a column with no observed value is an error). */
function observedMeans(data: Float64Array, n: number, d: number): Float64Array {
  const centre = new Float64Array(d)
  const counts = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
    const v = data[i * d + j]!
    if (!Number.isNaN(v)) { centre[j]! += v; counts[j]!++ }
  }
  for (let j = 0; j < d; j++) {
    if (counts[j]! === 0) throw new DegenerateError('DEGENERATE', `Column ${j} has no observed value: drop it.`, { column: j })
    centre[j]! /= counts[j]!
  }
  return centre
}

export class MvnMissingModel implements EMModel<MvnParams, MvnData> {
  readonly name = 'MultivariateNormal'
  /** Standard errors: named coordinates, Louis's terms and Q for SEM (mvn-louis.ts). */
  readonly information: InformationCapability<MvnParams, MvnData> = mvnInformation(this)

  /**
   * Rows with every value missing carry no information and are left out. The data are
   * centred at `centre` when given (new data for parameters fitted relative to it),
   * else at their observed column means.
   */
  prepare(data: Float64Array, n: number, d: number, centre: Float64Array = observedMeans(data, n, d)): MvnData {
    const x = new Float64Array(n * d)
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = data[i * d + j]! - centre[j]!
    const patterns = missingPatterns(data, n, d).patterns.filter((p) => p.observed.length > 0)
    let used = 0
    for (const p of patterns) used += p.rows.length
    return { n, d, x, centre, patterns, totalWeight: used }
  }

  /** Each row's observed-data log-likelihood (0 for a row with nothing observed). */
  rowLogLiks(data: MvnData, params: MvnParams): Float64Array {
    const out = new Float64Array(data.n)
    this.run(data, params, null, out)
    return out
  }

  private run(data: MvnData, params: MvnParams, stats: Float64Array | null, perRow?: Float64Array): number {
    const { d, x } = data
    const { mean, cov } = params
    let ll = 0
    for (const pat of data.patterns) {
      const o = pat.observed, m = pat.missing
      const q = o.length, r = m.length
      const cn = conditionalNormal(cov, d, o, m)
      if (!cn) throw new DegenerateError('SINGULAR_COVARIANCE', 'The covariance of the observed coordinates is not positive definite: remove collinear columns or give more complete rows.')
      const { chol: l, logDet, regression: b, covariance: cond } = cn
      const resid = new Float64Array(q)
      const filled = new Float64Array(d)
      const z = new Float64Array(q)
      for (const i of pat.rows) {
        for (let a = 0; a < q; a++) resid[a] = x[i * d + o[a]!]! - mean[o[a]!]!
        // forward solve L z = resid: |z|^2 is the Mahalanobis distance
        let maha = 0
        for (let a = 0; a < q; a++) {
          let s = resid[a]!
          for (let c = 0; c < a; c++) s -= l[a * q + c]! * z[c]!
          z[a] = s / l[a * q + a]!
          maha += z[a]! * z[a]!
        }
        const li = -0.5 * (q * LOG_2PI + logDet + maha)
        if (perRow) perRow[i] = li
        ll += li
        if (!stats) continue
        for (let a = 0; a < q; a++) filled[o[a]!] = x[i * d + o[a]!]!
        for (let a = 0; a < r; a++) {
          let s = mean[m[a]!]!
          for (let c = 0; c < q; c++) s += b[a * q + c]! * resid[c]!
          filled[m[a]!] = s
        }
        for (let j = 0; j < d; j++) {
          stats[j]! += filled[j]!
          for (let k = 0; k < d; k++) stats[d + j * d + k]! += filled[j]! * filled[k]!
        }
      }
      if (stats) {
        const w = pat.rows.length
        for (let a = 0; a < r; a++) for (let c = 0; c < r; c++) stats[d + m[a]! * d + m[c]!]! += w * cond[a * r + c]!
      }
    }
    return ll
  }

  eStep(data: MvnData, params: MvnParams): { stats: Float64Array; logLik: number } {
    const stats = new Float64Array(data.d + data.d * data.d)
    const logLik = this.run(data, params, stats)
    return { stats, logLik }
  }

  logLik(data: MvnData, params: MvnParams): number {
    return this.run(data, params, null)
  }

  mStep(stats: Float64Array, _params: MvnParams, data: MvnData): MvnParams {
    const { d } = data
    const n = data.totalWeight
    const mean = new Float64Array(d)
    for (let j = 0; j < d; j++) mean[j] = stats[j]! / n
    const cov = new Float64Array(d * d)
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) cov[j * d + k] = stats[d + j * d + k]! / n - mean[j]! * mean[k]!
    return { mean, cov }
  }

  nParameters(params: MvnParams): number {
    const d = params.mean.length
    return d + (d * (d + 1)) / 2
  }

  pack(params: MvnParams): Float64Array {
    const d = params.mean.length
    const v = new Float64Array(d + (d * (d + 1)) / 2)
    v.set(params.mean)
    let t = d
    for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) v[t++] = params.cov[j * d + k]!
    return v
  }

  unpack(vec: Float64Array, like: MvnParams): MvnParams {
    const d = like.mean.length
    const mean = vec.slice(0, d)
    const cov = new Float64Array(d * d)
    let t = d
    for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) { cov[j * d + k] = vec[t]!; cov[k * d + j] = vec[t++]! }
    if (!cholesky(cov, d)) throw new DegenerateError('SINGULAR_COVARIANCE', 'The covariance left the positive definite cone.')
    return { mean, cov }
  }

  isValid(vec: Float64Array, like: MvnParams): boolean {
    try {
      this.unpack(vec, like)
      return vec.every(Number.isFinite)
    } catch {
      return false
    }
  }

  /** Start: observed column means (0 after centring) and observed variances on the diagonal. */
  initialParams(data: MvnData): MvnParams {
    const { d, x, n } = data
    const cov = new Float64Array(d * d)
    for (let j = 0; j < d; j++) {
      let s = 0, c = 0
      for (let i = 0; i < n; i++) { const v = x[i * d + j]!; if (!Number.isNaN(v)) { s += v * v; c++ } }
      cov[j * d + j] = c > 0 && s > 0 ? s / c : 1
    }
    return { mean: new Float64Array(d), cov }
  }
}
