import type { ClassificationCapability, EMModel, EStepResult, IncrementalCapability, InformationCapability, MonteCarloCapability } from '../../engine/types.js'
import type { Matrix } from '../../core/matrix.js'
import type { Kernels } from '../../kernels/types.js'
import { MASS_EPS } from '../components/component.js'
import { GaussianComponent } from '../components/gaussian.js'
import type { CovarianceStrategy } from './covariance.js'
import { covarianceStrategy, type GmmCovarianceType } from './mclust/index.js'
import type { GmmData } from './data.js'
import { hasMissing, observedLogDensities, prepareMissing } from './missing.js'
import { missingStatisticsCode } from './missing-load.js'
import { gmmMonteCarlo } from './monte-carlo.js'
import { gmmIncremental } from './blocks.js'
import { noFarRows, withFarOffsets } from '../common/far.js'
import { blocksEStep, blocksLogLik, checkWholeRows, mixtureBuffers, mixtureClassification, mixtureResponsibilities, workBlocks } from '../common/mixture.js'
import type { GmmParams } from './params.js'

export type { GmmData } from './data.js'
export type { GmmParams } from './params.js'

export interface GmmSpec {
  readonly kernels: Kernels
  readonly k: number
  readonly d: number
  readonly covarianceType: GmmCovarianceType
  readonly regCovar: number
  /** mclust's equalPro: the weights stay 1/k (not estimated). */
  readonly equalWeights?: boolean
}

/**
 * The Gaussian mixture as an EM model: k components in d dimensions. The Gaussian
 * parts (densities, statistics, the M-step of means and covariances, their packing and
 * checks) are the shared Gaussian component's; the mixture adds the weights, the
 * responsibilities, and what only it has: values missing at random (gmm/missing.ts),
 * the SEM/MCEM draws (gmm/monte-carlo.ts) and incremental EM's blocks (gmm/blocks.ts).
 */
export class GaussianMixtureModel implements EMModel<GmmParams, GmmData> {
  readonly name = 'gaussian-mixture'
  readonly kernels: Kernels
  readonly k: number
  readonly d: number
  readonly regCovar: number
  readonly gaussian: GaussianComponent
  readonly covariance: CovarianceStrategy
  /** SEM / MCEM: labels drawn from the responsibilities (gmm/monte-carlo.ts). */
  readonly monteCarlo: MonteCarloCapability<GmmParams, GmmData>
  /** Incremental EM: row blocks as views of the data (gmm/blocks.ts). */
  readonly incremental: IncrementalCapability<GmmParams, GmmData>
  /** Classification EM: the posteriors hardened before the statistics. */
  readonly classification: ClassificationCapability<GmmParams, GmmData>
  /** Weights fixed at 1/k (mclust's equalPro). */
  readonly equalWeights: boolean
  /** The information terms, once loadInformation has imported them (information.ts). */
  information?: InformationCapability<GmmParams, GmmData>

  constructor(spec: GmmSpec) {
    this.kernels = spec.kernels
    this.k = spec.k
    this.d = spec.d
    this.regCovar = spec.regCovar
    this.gaussian = new GaussianComponent(spec.kernels, spec.k, spec.d, covarianceStrategy(spec.covarianceType), spec.regCovar)
    this.covariance = this.gaussian.covariance
    this.monteCarlo = gmmMonteCarlo(this)
    this.incremental = gmmIncremental(this)
    this.equalWeights = spec.equalWeights ?? false
    this.classification = mixtureClassification<GmmParams, GmmData>(
      this.kernels, this.k,
      (data, params) => this.expectation(data, params),
      (data, params) => this.statistics(data, params.means, params),
      (data) => { this.overwriteResponsibilities(data) },
    )
  }

  /** Import the information terms (standard errors: the estimator awaits this before them). */
  async loadInformation(): Promise<void> {
    // the Gaussian component's standard-error coordinates come with its derivatives; SEM's Q of the statistics with incremental EM's and MCEM's
    await Promise.all([this.gaussian.loadDerivatives(), this.incremental.load?.(), this.monteCarlo.load?.()])
    this.information ??= (await import('./information.js')).gmmInformation(this)
  }

  /**
   * Copy the data into kernel memory once, with every buffer the iterations need.
   * `blockRows`: the data are only ever evaluated in blocks of at most that many rows,
   * one at a time (a shard of a sharded fit), so the responsibilities and per-row
   * log-likelihoods are one block's, shared by the blocks (`incremental.rowBlock`):
   * K + 1 values per row less kernel memory, and a block's responsibilities stay in
   * cache. Not with missing values (their layout addresses every row).
   */
  prepare(m: Matrix, sampleWeight: Float64Array | null = null, blockRows?: number): GmmData {
    const arena = this.kernels.arena()
    // rows already in kernel memory (the command's parsed file) are read there, not copied
    // (nothing writes to x but the imputation of missing values, into its own copy)
    const values = m.data
    const lent = arena.lend?.(values) ?? null
    // missing values' layout is built with allocations that may move kernel memory under a
    // view of it: lent rows with NaN are read from a JS copy (`values`: one view, not a getter's per entry)
    const rows = lent && hasMissing({ ...m, data: values }) ? { ...m, data: values.slice() } : m
    const missing = prepareMissing(this, rows, arena)
    const gaussian = this.gaussian.prepare(arena, m.rows, missing ? null : lent)
    if (missing || !lent) gaussian.x.view.set(missing ? missing.imputed : rows.data)
    return {
      ...gaussian,
      ...mixtureBuffers(arena, m.rows, this.k, sampleWeight, missing ? m.rows : blockRows),
      ...(missing ? { missing: missing.layout } : {}),
      respAt: null,
    }
  }

  release(data: GmmData): void {
    data.arena.dispose()
  }

  dispose(): void {
    this.gaussian.dispose()
  }

  /** Parameters from weights, means and covariances; derives the precision factors (may throw DegenerateError). */
  makeParams(weights: Float64Array, means: Float64Array, covariances: Float64Array): GmmParams {
    return { weights, ...this.gaussian.makeParams(means, covariances) }
  }

  /**
   * Responsibilities of `params` for every row of `data` into data.resp, per-row
   * log-likelihoods into data.rowLogLik; returns the total (weighted) log-likelihood.
   */
  expectation(data: GmmData, params: GmmParams): number {
    const logLik = this.responsibilities(data, params, null)
    if (Number.isFinite(logLik)) return logLik
    // rows too far from every component to be represented: once more, those rows relative to their offsets (common/far.ts)
    const far = noFarRows(data.n)
    const relative = this.responsibilities(data, params, far)
    return withFarOffsets(relative, far, data.sampleWeight?.view ?? null, data.rowLogLik.view)
  }

  private responsibilities(data: GmmData, params: GmmParams, far: Float64Array | null): number {
    checkWholeRows(data)
    // not valid until the responsibilities kernel has finished (a throw leaves it null)
    data.respAt = null
    if (data.missing) observedLogDensities(this, data, params, far)
    else this.gaussian.logDensities(data, data.n, params, data.resp, far ?? undefined)
    const logLik = mixtureResponsibilities(this.kernels, data, this.k, params.weights)
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
    if (data.missing && params) return missingStatisticsCode().missingStatistics(this, data, ref, params)
    const out = new Float64Array(this.gaussian.statsSize)
    this.gaussian.statisticsAround(data, data.n, data.resp, data.sampleWeight, ref, out)
    return out
  }

  eStep(data: GmmData, params: GmmParams): EStepResult {
    const blocks = workBlocks(data, this.incremental.rowBlock!)
    if (blocks) return blocksEStep(this, blocks, params)
    const logLik = this.expectation(data, params)
    return { stats: this.statistics(data, params.means, params), logLik }
  }

  mStep(stats: Float64Array, params: GmmParams): GmmParams {
    return this.fromStats(stats, params.means, params)
  }

  /** The M-step proper: statistics gathered around `ref` give the new parameters (weights: the masses normalised, as scikit-learn); `previous` warm-starts mclust's iterative M-steps. */
  fromStats(stats: Float64Array, ref: Float64Array, previous?: GmmParams): GmmParams {
    const { k } = this
    const nk = new Float64Array(k)
    let total = 0
    for (let c = 0; c < k; c++) {
      nk[c] = stats[c]! + MASS_EPS
      total += nk[c]!
    }
    const weights = new Float64Array(k)
    for (let c = 0; c < k; c++) weights[c] = this.equalWeights ? 1 / k : nk[c]! / total
    return { weights, ...this.gaussian.fromStatsAround(stats, ref, previous) }
  }

  logLik(data: GmmData, params: GmmParams): number {
    const blocks = workBlocks(data, this.incremental.rowBlock!)
    return blocks ? blocksLogLik(blocks, (block) => this.expectation(block, params)) : this.expectation(data, params)
  }

  nParameters(): number {
    return (this.equalWeights ? 0 : this.k - 1) + this.gaussian.nParameters()
  }

  /** [weights | means | covariances]. */
  pack(params: GmmParams): Float64Array {
    const gaussian = this.gaussian.pack(params)
    const out = new Float64Array(params.weights.length + gaussian.length)
    out.set(params.weights, 0)
    out.set(gaussian, params.weights.length)
    return out
  }

  unpack(vec: Float64Array, like: GmmParams): GmmParams {
    const kw = like.weights.length
    return { weights: vec.slice(0, kw), ...this.gaussian.unpack(vec.subarray(kw), like) }
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
    return this.gaussian.isValid(vec.subarray(kw), like)
  }
}
