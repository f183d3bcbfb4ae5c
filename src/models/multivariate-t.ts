import type { ConditionalStep, EMModel, EStepResult, ParameterExpansion, PreparedData } from '../engine/types.js'
import { DegenerateError, InputError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import type { Arena, F64Buffer, Kernels } from '../kernels/types.js'
import { conditionalMean, conditionalNormal, type ConditionalNormal } from './common/conditional-normal.js'
import { missingPatterns } from './common/missing-patterns.js'
import { cholesky, invertLower } from '../core/math/dense.js'
import { digamma } from '../core/math/special.js'
import { NU_MAX, NU_MIN, nuFromExpanded, nuFromQ, nuScore, rootDecreasing, tConstant } from './t/nu.js'
import { studentFarEntries } from './common/far.js'

/**
 * The multivariate t distribution t_nu(mu, Sigma) (location mu, scatter Sigma,
 * degrees of freedom nu, estimated or fixed), as a normal scale mixture:
 * x | tau ~ N(mu, Sigma / tau), tau ~ Gamma(nu/2, rate nu/2). Values may be missing
 * at random (NaN): rows are grouped by their pattern of observed columns, the
 * E-step works on each row's observed part and fills the missing part with its
 * conditional expectation (Liu & Rubin 1995).
 *
 * Statistics (additive): [N_tau | S1 (d) | S2 (d*d) | W | U], with tau-weighted
 * moments of the filled rows around a fixed centre (the observed column means, set
 * at prepare), the conditional covariances of the missing parts added to S2,
 * W = sum of weights and U = sum w E[log tau].
 */
export interface TParams {
  readonly mean: Float64Array
  /** d x d, symmetric positive definite. */
  readonly scatter: Float64Array
  readonly nu: number
}

interface Pattern {
  readonly obs: Int32Array
  readonly miss: Int32Array
  /** Row indices (in the original order). */
  readonly rows: Int32Array
  /** Position of the pattern's first row in the pattern-ordered buffers. */
  readonly offset: number
  readonly x: F64Buffer
  readonly out: F64Buffer
  readonly tau: F64Buffer
  readonly logTau: F64Buffer
  readonly means: F64Buffer
  readonly prec: F64Buffer
  readonly nu: F64Buffer
  readonly logNorm: F64Buffer
  /** Sample weights of the rows (null: all 1) and their sum. */
  readonly weight: Float64Array | null
  readonly totalWeight: number
  /** Observed values of the rows (JS copy, n_g x p_g) for filling the missing parts. */
  readonly xObs: Float64Array
}

export interface TData extends PreparedData {
  readonly n: number
  readonly d: number
  readonly patterns: readonly Pattern[]
  /** Filled rows in pattern order (n x d): observed values fixed, missing ones refilled by each E-step. */
  readonly xhat: F64Buffer
  /** E[tau] per row in pattern order. */
  readonly w: F64Buffer
  readonly sampleWeight: F64Buffer | null
  readonly center: F64Buffer
  readonly stats: F64Buffer
  /** Per-row log-likelihoods (original order) after each E-step. */
  readonly rowLogLik: Float64Array
  readonly hasMissing: boolean
  readonly arena: Arena
}

export interface TSpec {
  readonly kernels: Kernels
  readonly d: number
  /** Fixed degrees of freedom; estimated when undefined. */
  readonly nu?: number
}

export class MultivariateTModel implements EMModel<TParams, TData> {
  readonly name = 'MultivariateT'
  readonly kernels: Kernels
  readonly d: number
  readonly fixedNu: number | undefined
  readonly cmSteps: readonly ConditionalStep<TParams, TData>[]
  readonly parameterExpansion: ParameterExpansion<TParams, TData>

  constructor(spec: TSpec) {
    this.kernels = spec.kernels
    this.d = spec.d
    this.fixedNu = spec.nu
    const locationScatter: ConditionalStep<TParams, TData> = {
      name: 'location and scatter',
      maximiseQ: (stats, params, data) => this.locationScatter(stats, data, params.nu, false),
    }
    const nu: ConditionalStep<TParams, TData> = {
      name: 'degrees of freedom',
      maximiseQ: (stats, params, data) => ({ ...params, nu: nuFromQ((stats[2 + data.d + data.d * data.d]! - stats[0]!) / stats[1 + data.d + data.d * data.d]!) }),
      maximiseL: (params, data) => ({ ...params, nu: this.nuMaximisingLikelihood(params, data) }),
    }
    this.cmSteps = spec.nu === undefined ? [locationScatter, nu] : [locationScatter]
    this.parameterExpansion = {
      expandedMStep: (stats, params, data) => this.expandedMStep(stats, params, data),
      reduce: (expanded) => expanded as TParams,
    }
  }

  /** The algorithms this configuration supports (ECME needs an estimated nu). */
  static algorithms(nuFixed: boolean): ('em' | 'ecm' | 'ecme' | 'px-em')[] {
    return nuFixed ? ['em', 'ecm', 'px-em'] : ['em', 'ecm', 'ecme', 'px-em']
  }

  /** Group the rows by missingness pattern and copy them into kernel memory once. */
  prepare(m: Matrix, sampleWeight: Float64Array | null = null): TData {
    const { d } = this
    const n = m.rows
    const X = m.data
    const groups = missingPatterns(X, n, d).patterns
    const empty = groups.find((g) => g.observed.length === 0)
    if (empty) {
      const i = empty.rows[0]!
      throw new InputError('INVALID_DATA', `Row ${i} has no observed value; remove it (it carries no information).`, { row: i })
    }
    const arena = this.kernels.arena()
    const center = new Float64Array(d), count = new Float64Array(d)
    for (let i = 0; i < n; i++) {
      const w = sampleWeight ? sampleWeight[i]! : 1
      for (let j = 0; j < d; j++) {
        const v = X[i * d + j]!
        if (!Number.isNaN(v)) { center[j] += w * v; count[j] += w }
      }
    }
    for (let j = 0; j < d; j++) {
      if (!(count[j]! > 0)) throw new InputError('INVALID_DATA', `Column ${j} has no observed value (with positive weight); remove it.`, { column: j })
      center[j] = center[j]! / count[j]!
    }
    const xhat = new Float64Array(n * d)
    const swOrdered = sampleWeight ? new Float64Array(n) : null
    const patterns: Pattern[] = []
    let offset = 0
    let totalWeight = 0
    // Complete rows first (the common case), then the others in order of appearance.
    const ordered = [...groups].sort((a, b) => (b.missing.length === 0 ? 1 : 0) - (a.missing.length === 0 ? 1 : 0))
    for (const { observed: obs, missing: miss, rows } of ordered) {
      const p = obs.length, ng = rows.length
      const xObs = new Float64Array(ng * p)
      const weight = sampleWeight ? new Float64Array(ng) : null
      let tw = 0
      for (let r = 0; r < ng; r++) {
        const i = rows[r]!
        for (let a = 0; a < p; a++) xObs[r * p + a] = X[i * d + obs[a]!]!
        for (let j = 0; j < d; j++) xhat[(offset + r) * d + j] = Number.isNaN(X[i * d + j]!) ? center[j]! : X[i * d + j]!
        const w = sampleWeight ? sampleWeight[i]! : 1
        if (weight) weight[r] = w
        if (swOrdered) swOrdered[offset + r] = w
        tw += w
      }
      totalWeight += tw
      patterns.push({
        obs, miss, rows, offset,
        x: arena.f64From(xObs), out: arena.f64(ng), tau: arena.f64(ng), logTau: arena.f64(ng),
        means: arena.f64(p), prec: arena.f64(p * p), nu: arena.f64(1), logNorm: arena.f64(1),
        weight, totalWeight: tw, xObs,
      })
      offset += ng
    }
    return {
      n, d, patterns, totalWeight,
      xhat: arena.f64From(xhat),
      w: arena.f64(n),
      sampleWeight: swOrdered ? arena.f64From(swOrdered) : null,
      center: arena.f64From(center),
      stats: arena.f64(3 + d + d * d),
      rowLogLik: new Float64Array(n),
      hasMissing: patterns.some((g) => g.miss.length > 0),
      arena,
    }
  }

  release(data: TData): void {
    data.arena.dispose()
  }

  /**
   * Densities (and, with `withStats`, the statistics) at `params`. Returns the total
   * weighted log-likelihood; per-row values land in data.rowLogLik.
   */
  private pass(data: TData, params: TParams, withStats: boolean): { logLik: number; stats?: Float64Array } {
    const { d } = this
    const S = params.scatter, mu = params.mean, nu = params.nu
    const logDensityT = this.kernels.logDensityT.bind(this.kernels)
    let total = 0, uLog = 0
    const extra = withStats ? new Float64Array(d * d) : null
    const xhat = withStats && data.hasMissing ? data.xhat.view : null
    const w = withStats ? data.w.view : null
    for (const g of data.patterns) {
      const { obs, miss } = g
      const p = obs.length, ng = g.rows.length
      // One factorisation of S_OO per pattern: the density factor and, below, the regression of the missing part.
      const cn = conditionalNormal(S, d, obs, miss)
      if (!cn) throw singularScatter()
      const l = cn.chol
      const prec = invertLower(l, p)
      const logDetP = -0.5 * cn.logDet
      const muO = new Float64Array(p)
      for (let a = 0; a < p; a++) muO[a] = mu[obs[a]!]!
      g.means.view.set(muO)
      g.prec.view.set(prec)
      g.nu.view[0] = nu
      g.logNorm.view[0] = tConstant(nu, p) + logDetP
      logDensityT(g.x, ng, p, g.means, 1, g.prec, 0, g.nu, g.logNorm, g.out, g.tau, withStats ? g.logTau : null)
      const out = g.out.view
      // a point so far that its squared distance overflows: its t density is still finite (common/far.ts)
      if (out.subarray(0, ng).includes(-Infinity)) studentFarEntries(g.x.view, ng, p, muO, 1, prec, 0, [nu], g.logNorm.view, out, withStats ? g.logTau.view : null)
      for (let r = 0; r < ng; r++) {
        const v = out[r]!
        data.rowLogLik[g.rows[r]!] = v
        total += g.weight ? g.weight[r]! * v : v
      }
      if (!withStats) continue
      const tau = g.tau.view, logTau = g.logTau.view
      w!.set(tau, g.offset)
      const shift = digamma((nu + p) / 2) - Math.log((nu + p) / 2)
      let lt = 0
      for (let r = 0; r < ng; r++) lt += (g.weight ? g.weight[r]! : 1) * logTau[r]!
      uLog += lt + shift * g.totalWeight
      if (miss.length > 0) this.fillMissing(g, cn, mu, xhat!, extra!)
    }
    if (!withStats) return { logLik: total }
    this.kernels.statsFull(data.xhat, data.n, d, data.w, 1, data.sampleWeight, data.center, data.stats)
    const stats = new Float64Array(3 + d + d * d)
    stats.set(data.stats.view.subarray(0, 1 + d + d * d))
    for (let p = 0; p < d * d; p++) stats[1 + d + p] = stats[1 + d + p]! + extra![p]!
    stats[1 + d + d * d] = data.totalWeight
    stats[2 + d + d * d] = uLog
    return { logLik: total, stats }
  }

  /**
   * Conditional means of the missing values into xhat, and the pattern's weighted
   * conditional covariance (Sigma_MM - Sigma_MO Sigma_OO^-1 Sigma_OM) into `extra`,
   * from the pattern's factorisation (common/conditional-normal.ts).
   */
  private fillMissing(g: Pattern, cn: ConditionalNormal, mu: Float64Array, xhat: Float64Array, extra: Float64Array): void {
    const { d } = this
    const { obs, miss } = g
    const p = obs.length, q = miss.length, ng = g.rows.length
    const cond = cn.covariance
    for (let r = 0; r < q; r++) {
      for (let c = 0; c < q; c++) {
        extra[miss[r]! * d + miss[c]!] = extra[miss[r]! * d + miss[c]!]! + g.totalWeight * cond[r * q + c]!
      }
    }
    const xo = g.xObs
    for (let i = 0; i < ng; i++) conditionalMean(cn, obs, miss, mu, 0, xo, i * p, xhat, (g.offset + i) * d)
  }

  eStep(data: TData, params: TParams): EStepResult {
    const { logLik, stats } = this.pass(data, params, true)
    return { stats: stats!, logLik }
  }

  /** EM (= ECM: Q separates into location-scatter and nu) M-step. */
  mStep(stats: Float64Array, params: TParams, data: TData): TParams {
    const next = this.locationScatter(stats, data, params.nu, false)
    if (this.fixedNu !== undefined) return next
    const { d } = this
    return { ...next, nu: nuFromQ((stats[2 + d + d * d]! - stats[0]!) / stats[1 + d + d * d]!) }
  }

  /** mu = centre + S1 / N_tau; Sigma = scatter about mu / W (EM) or / N_tau (PX-EM). */
  private locationScatter(stats: Float64Array, data: TData, nu: number, px: boolean): TParams {
    const { d } = this
    const nTau = stats[0]!, w = stats[1 + d + d * d]!
    if (!(nTau > 0)) throw new DegenerateError('DEGENERATE', 'Every row has zero weight in the E-step; check the data and sample weights.')
    const c = data.center.view
    const mean = new Float64Array(d), scatter = new Float64Array(d * d)
    for (let j = 0; j < d; j++) mean[j] = c[j]! + stats[1 + j]! / nTau
    const div = px ? nTau : w
    for (let j = 0; j < d; j++) {
      for (let l = 0; l <= j; l++) {
        const v = (stats[1 + d + j * d + l]! - stats[1 + j]! * stats[1 + l]! / nTau) / div
        scatter[j * d + l] = v
        scatter[l * d + j] = v
      }
    }
    return { mean, scatter, nu }
  }

  /**
   * PX-EM (Liu, Rubin & Wu 1998): tau is expanded to alpha * Gamma(nu/2, nu/2); the
   * expanded M-step gives alpha = N_tau / W and, for an estimated nu, the ML gamma
   * shape; the reduction Sigma = Psi / alpha divides the scatter by N_tau instead of W.
   */
  private expandedMStep(stats: Float64Array, params: TParams, data: TData): TParams {
    const { d } = this
    const next = this.locationScatter(stats, data, params.nu, true)
    if (this.fixedNu !== undefined) return next
    const w = stats[1 + d + d * d]!
    return { ...next, nu: nuFromExpanded(stats[0]! / w, stats[2 + d + d * d]! / w) }
  }

  /** ECME: nu maximising the observed log-likelihood with location and scatter fixed. */
  private nuMaximisingLikelihood(params: TParams, data: TData): number {
    const { d } = this
    const groups: { p: number; delta: Float64Array; weight: Float64Array | null }[] = []
    const logDensityT = this.kernels.logDensityT.bind(this.kernels)
    for (const g of data.patterns) {
      const { obs } = g
      const p = obs.length, ng = g.rows.length
      const l = cholesky(subMatrix(params.scatter, d, obs, obs), p)
      if (!l) throw singularScatter()
      g.means.view.set(Array.from(obs, (j) => params.mean[j]!))
      g.prec.view.set(invertLower(l, p))
      // With nu = 1 and logNorm = 0 the kernel gives out = -(1 + p)/2 log(1 + delta): delta from it.
      g.nu.view[0] = 1
      g.logNorm.view[0] = 0
      logDensityT(g.x, ng, p, g.means, 1, g.prec, 0, g.nu, g.logNorm, g.out, g.tau, null)
      const out = g.out.view
      const delta = new Float64Array(ng)
      for (let r = 0; r < ng; r++) delta[r] = Math.expm1(-2 * out[r]! / (1 + p))
      groups.push({ p, delta, weight: g.weight })
    }
    return rootDecreasing((nu) => nuScore(nu, groups), NU_MIN, NU_MAX)
  }

  logLik(data: TData, params: TParams): number {
    return this.pass(data, params, false).logLik
  }

  nParameters(): number {
    const { d } = this
    return d + (d * (d + 1)) / 2 + (this.fixedNu === undefined ? 1 : 0)
  }

  /** [mean (d) | lower triangle of the scatter, row by row | nu (when estimated)]. */
  pack(params: TParams): Float64Array {
    const { d } = this
    const out = new Float64Array(this.nParameters())
    out.set(params.mean, 0)
    let o = d
    for (let j = 0; j < d; j++) for (let l = 0; l <= j; l++) out[o++] = params.scatter[j * d + l]!
    if (this.fixedNu === undefined) out[o] = params.nu
    return out
  }

  unpack(vec: Float64Array, like: TParams): TParams {
    const { d } = this
    const mean = vec.slice(0, d)
    const scatter = new Float64Array(d * d)
    let o = d
    for (let j = 0; j < d; j++) for (let l = 0; l <= j; l++) { scatter[j * d + l] = vec[o]!; scatter[l * d + j] = vec[o++]! }
    const nu = this.fixedNu === undefined ? vec[o]! : like.nu
    if (!cholesky(scatter, d)) throw singularScatter()
    return { mean, scatter, nu }
  }

  isValid(vec: Float64Array, like: TParams): boolean {
    for (let i = 0; i < vec.length; i++) if (!Number.isFinite(vec[i]!)) return false
    if (this.fixedNu === undefined) {
      const nu = vec[vec.length - 1]!
      if (!(nu >= NU_MIN && nu <= NU_MAX)) return false
    }
    try {
      this.unpack(vec, like)
      return true
    } catch {
      return false
    }
  }

  /** Starting values: weighted observed means, pairwise-complete covariances (diagonal when not positive definite). */
  moments(data: TData, nu: number): TParams {
    const { d } = this
    const mean = Float64Array.from(data.center.view)
    const scatter = new Float64Array(d * d)
    const wsum = new Float64Array(d * d)
    for (const g of data.patterns) {
      const { obs } = g
      const p = obs.length
      for (let r = 0; r < g.rows.length; r++) {
        const w = g.weight ? g.weight[r]! : 1
        for (let a = 0; a < p; a++) {
          for (let b = 0; b < p; b++) {
            const j = obs[a]!, l = obs[b]!
            scatter[j * d + l] = scatter[j * d + l]! + w * (g.xObs[r * p + a]! - mean[j]!) * (g.xObs[r * p + b]! - mean[l]!)
            wsum[j * d + l] = wsum[j * d + l]! + w
          }
        }
      }
    }
    for (let p = 0; p < d * d; p++) scatter[p] = wsum[p]! > 0 ? scatter[p]! / wsum[p]! : 0
    for (let j = 0; j < d; j++) if (!(scatter[j * d + j]! > 0)) scatter[j * d + j] = 1
    if (!cholesky(scatter, d)) for (let j = 0; j < d; j++) for (let l = 0; l < d; l++) if (j !== l) scatter[j * d + l] = 0
    return { mean, scatter, nu }
  }
}

function singularScatter(): DegenerateError {
  return new DegenerateError('SINGULAR_COVARIANCE', 'The scatter matrix is not positive definite: remove constant or duplicated columns, rescale the data, or give more rows.')
}

export function subMatrix(a: Float64Array, d: number, rows: Int32Array, cols: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * cols.length)
  for (let r = 0; r < rows.length; r++) for (let c = 0; c < cols.length; c++) out[r * cols.length + c] = a[rows[r]! * d + cols[c]!]!
  return out
}
