import type { EMModel, EStepResult, MonteCarloCapability, PreparedData } from '../../engine/types.js'
import type { Matrix } from '../../core/matrix.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import { COVARIANCE, type CovarianceStrategy, type CovarianceType, type FactorScratch } from './covariance.js'
import type { GmmData } from './data.js'
import { missingStatistics, observedLogDensities, prepareMissing } from './missing.js'
import { gmmMonteCarlo } from './monte-carlo.js'
import type { GmmParams } from './params.js'

export type { GmmData } from './data.js'
export type { GmmParams } from './params.js'

/** scikit-learn adds 10 machine epsilons to every component's weight (keeps empty components finite). */
const WEIGHT_EPS = 10 * Number.EPSILON

export interface GmmSpec {
  readonly kernels: Kernels
  readonly k: number
  readonly d: number
  readonly covarianceType: CovarianceType
  readonly regCovar: number
}

/** The Gaussian mixture as an EM model: k components in d dimensions. */
export class GaussianMixtureModel implements EMModel<GmmParams, GmmData> {
  readonly name = 'gaussian-mixture'
  readonly kernels: Kernels
  readonly k: number
  readonly d: number
  readonly regCovar: number
  readonly covariance: CovarianceStrategy
  /** SEM / MCEM: labels drawn from the responsibilities (gmm/monte-carlo.ts). */
  readonly monteCarlo: MonteCarloCapability<GmmParams, GmmData>
  private readonly scratchArena: Arena
  private readonly scratch: FactorScratch

  constructor(spec: GmmSpec) {
    this.kernels = spec.kernels
    this.k = spec.k
    this.d = spec.d
    this.regCovar = spec.regCovar
    this.covariance = COVARIANCE[spec.covarianceType]
    this.scratchArena = this.kernels.arena()
    const size = this.k * this.d * this.d
    this.scratch = {
      kernels: this.kernels,
      cov: this.scratchArena.f64(size),
      chol: this.scratchArena.f64(size),
      prec: this.scratchArena.f64(size),
    }
    this.monteCarlo = gmmMonteCarlo(this)
  }

  /** Copy the data into kernel memory once, with every buffer the iterations need. */
  prepare(m: Matrix, sampleWeight: Float64Array | null = null): GmmData {
    const { k, d } = this
    const arena = this.kernels.arena()
    const statsSize = k + k * d + (this.covariance.statsKernel === 'statsFull' ? k * d * d : k * d)
    let totalWeight = m.rows
    if (sampleWeight) {
      totalWeight = 0
      for (let i = 0; i < sampleWeight.length; i++) totalWeight += sampleWeight[i]!
    }
    const missing = prepareMissing(this, m, arena)
    const data: GmmData = {
      n: m.rows,
      totalWeight,
      x: arena.f64From(missing ? missing.imputed : m.data),
      sampleWeight: sampleWeight ? arena.f64From(sampleWeight) : null,
      resp: arena.f64(m.rows * k),
      rowLogLik: arena.f64(m.rows),
      stats: arena.f64(statsSize),
      means: arena.f64(k * d),
      precision: arena.f64(this.covariance.precisionSize(k, d)),
      logDetP: arena.f64(k),
      logWeights: arena.f64(k),
      arena,
      ...(missing ? { missing: missing.layout } : {}),
      respAt: null,
    }
    return data
  }

  release(data: GmmData): void {
    data.arena.dispose()
  }

  dispose(): void {
    this.scratchArena.dispose()
  }

  /** Parameters from weights, means and covariances; derives the precision factors (may throw DegenerateError). */
  makeParams(weights: Float64Array, means: Float64Array, covariances: Float64Array): GmmParams {
    const { precision, logDetP } = this.covariance.precisions(covariances, this.k, this.d, this.scratch, this.regCovar)
    return { weights, means, covariances, precision, logDetP }
  }

  /**
   * Responsibilities of `params` for every row of `data` into data.resp, per-row
   * log-likelihoods into data.rowLogLik; returns the total (weighted) log-likelihood.
   */
  expectation(data: GmmData, params: GmmParams): number {
    const { kernels, k, d } = this
    // not valid until the responsibilities kernel has finished (a throw leaves it null)
    data.respAt = null
    if (data.missing) {
      observedLogDensities(this, data, params)
    } else {
      data.means.view.set(params.means)
      data.precision.view.set(params.precision)
      data.logDetP.view.set(params.logDetP)
      this.covariance.logDensity(kernels, { x: data.x, n: data.n, means: data.means, precision: data.precision, logDetP: data.logDetP, out: data.resp }, k, d)
    }
    const lw = data.logWeights.view
    for (let c = 0; c < k; c++) lw[c] = Math.log(params.weights[c]!)
    const logLik = kernels.responsibilities(data.resp, data.n, k, data.logWeights, data.rowLogLik, data.sampleWeight)
    data.respAt = params
    return logLik
  }

  /** data.resp for a caller about to write something other than `expectation`'s output into it. */
  overwriteResponsibilities(data: GmmData): Float64Array {
    data.respAt = null
    return data.resp.view
  }

  /** Responsibilities of `params` in data.resp: the E-step only when they are not there already. */
  ensureResponsibilities(data: GmmData, params: GmmParams): void {
    if (data.respAt !== params) this.expectation(data, params)
  }

  /**
   * Sufficient statistics of the responsibilities now in data.resp, around `ref` (k*d).
   * With missing values and `params`, the missing coordinates contribute their
   * conditional moments at `params` (gmm/missing.ts); without `params` (the
   * initialisation) the column-mean-imputed rows in data.x are used.
   */
  statistics(data: GmmData, ref: Float64Array, params?: GmmParams): Float64Array {
    if (data.missing && params) return missingStatistics(this, data, ref, params)
    const { kernels, k, d } = this
    data.means.view.set(ref)
    kernels[this.covariance.statsKernel](data.x, data.n, d, data.resp, k, data.sampleWeight, data.means, data.stats)
    return data.stats.view.slice()
  }

  eStep(data: GmmData, params: GmmParams): EStepResult {
    const logLik = this.expectation(data, params)
    return { stats: this.statistics(data, params.means, params), logLik }
  }

  mStep(stats: Float64Array, params: GmmParams): GmmParams {
    return this.fromStats(stats, params.means)
  }

  /** The M-step proper: statistics gathered around `ref` give the new parameters. */
  fromStats(stats: Float64Array, ref: Float64Array): GmmParams {
    const { k, d } = this
    const nk = new Float64Array(k)
    let total = 0
    for (let c = 0; c < k; c++) {
      nk[c] = stats[c]! + WEIGHT_EPS
      total += nk[c]!
    }
    const weights = new Float64Array(k)
    const means = new Float64Array(k * d)
    for (let c = 0; c < k; c++) {
      weights[c] = nk[c]! / total
      for (let j = 0; j < d; j++) {
        // (S1 + N ref) / nk is sum_i r x_i / nk, as scikit-learn computes the mean.
        means[c * d + j] = (stats[k + c * d + j]! + stats[c]! * ref[c * d + j]!) / nk[c]!
      }
    }
    const covariances = this.covariance.fromStats(stats, nk, k, d, this.regCovar)
    return this.makeParams(weights, means, covariances)
  }

  logLik(data: GmmData, params: GmmParams): number {
    return this.expectation(data, params)
  }

  nParameters(): number {
    const { k, d } = this
    return k - 1 + k * d + this.covariance.freeParameters(k, d)
  }

  pack(params: GmmParams): Float64Array {
    const { weights, means, covariances } = params
    const out = new Float64Array(weights.length + means.length + covariances.length)
    out.set(weights, 0)
    out.set(means, weights.length)
    out.set(covariances, weights.length + means.length)
    return out
  }

  unpack(vec: Float64Array, like: GmmParams): GmmParams {
    const kw = like.weights.length, km = like.means.length
    return this.makeParams(vec.slice(0, kw), vec.slice(kw, kw + km), vec.slice(kw + km))
  }

  isValid(vec: Float64Array, like: GmmParams): boolean {
    const kw = like.weights.length
    let sum = 0
    for (let c = 0; c < kw; c++) {
      const w = vec[c]!
      if (!(w >= 0 && w <= 1)) return false
      sum += w
    }
    if (Math.abs(sum - 1) > 1e-8) return false
    for (let p = kw; p < vec.length; p++) if (!Number.isFinite(vec[p]!)) return false
    try {
      this.unpack(vec, like)
      return true
    } catch {
      return false
    }
  }
}
