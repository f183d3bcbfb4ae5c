import { checkMcemOptions, checkSemOptions, type McemOptions, type SemOptions, semSteps } from '../engine/variants/options.js'
import type { StreamInput } from './stream.js'
import { InputError, OptionError } from '../core/errors.js'
import { type Matrix, type MatrixInput, toRows } from '../core/matrix.js'
import { choleskyStack } from '../core/math/cholesky.js'
import { flattenShape } from '../core/shape.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { Rng } from '../core/rng/xoshiro128.js'
import type { KernelFamily } from '../kernels/exports.js'
import type { Kernels } from '../kernels/types.js'
import { publicCovariances, publicMeans } from '../models/gmm/covariance.js'
import { GMM_COVARIANCE_TYPES, type GmmCovarianceType, loadCovarianceStrategy, publicForm } from '../models/gmm/mclust/index.js'
import { type GivenGmmParams, givenWeights, gmmStartPlan, gmmStartShard, type GmmInit, HC_SUBSET, INIT_METHODS, initialParams, loadInit, shardableInit } from '../models/gmm/init.js'
import { HC_MAX_ROWS } from '../models/init/hc/limits.js'
import { mapPlan, type RowsPlan, type ShardHandler } from '../models/init/plan.js'
import { mixtureTotalWeight } from '../models/common/mixture.js'
import { SHARD_BLOCK_ROWS } from '../runtime/statistics.js'
import { hasMissing } from '../models/gmm/missing.js'
import { loadMissingStatistics, missingStatisticsCode } from '../models/gmm/missing-load.js'
import { GaussianMixtureModel, type GmmData, type GmmParams } from '../models/gmm/model.js'
import { sampleMixture } from '../models/gmm/sample.js'
import type { Dataset } from '../runtime/dataset.js'
import { chainSeed } from '../runtime/restarts.js'
import type { ShardedFitOptions, Shape, WeightedFitOptions } from './base.js'
import { MixtureEstimator } from './mixture.js'
import { type Imputable, IMPUTE_OPTION_NAMES, imputeMeanRows, type ImputeOptions } from './impute.js'
import { checkComponents, drawCount, usableRows } from './inputs.js'
import { algorithmOption, BLOCKS_OPTION, ENGINE_OPTIONS, type EngineOptions, ONLINE_OPTIONS, type OnlineOptions, withDefault } from './engine-options.js'
import { asOption, closest, flag, integerAtLeast, numberAtLeast, oneOf, type OptionDef, show, type Resolved } from './schema.js'

export type GmmAlgorithm = 'em' | 'sem' | 'mcem' | 'incremental' | 'cem'

/** The covariances' public shape for each covariance type (scikit-learn's). */
export type CovariancesOf<T extends GmmCovarianceType> =
  T extends 'full' | 'VVV' | 'VEE' | 'EVE' | 'VVE' | 'EEV' | 'VEV' | 'EVV' ? number[][][]
    : T extends 'tied' | 'EEE' ? number[][] : T extends 'diag' | 'VVI' | 'EEI' | 'VEI' | 'EVI' ? number[][]
      : T extends 'spherical' | 'VII' | 'EII' ? number[] : number[] | number[][] | number[][][]

export interface GaussianMixtureOptions<T extends GmmCovarianceType = GmmCovarianceType> extends EngineOptions, OnlineOptions {
  /** Number of mixture components K (default 1). */
  nComponents?: number
  /**
   * 'full' (default), 'diag', 'spherical' or 'tied', or one of mclust's 14 models
   * (EII, VII, EEI, VEI, EVI, VVI, EEE, VEE, EVE, VVE, EEV, VEV, EVV, VVV; scikit-learn's
   * names are VII, VVI, EEE and VVV). Covariances keep the shape of the structure they
   * are stored in: [k] for EII/VII, [k, d] for EEI/VEI/EVI/VVI, [d, d] for EEE, [k, d, d]
   * for the others.
   */
  covarianceType?: T
  /** Added to the diagonal of every covariance (default 1e-6). */
  regCovar?: number
  /**
   * 'kmeans++' (default), 'kmeans', 'random', 'random-from-data', 'hc' (mclust's start:
   * its model-based hierarchical partition of the SVD-scaled rows, VVV; of a random
   * subset of `hcSubset` rows when there are more; quantile classes for one column), or starting parameters
   * { weights?, means?, covariances?, method? }: what is left out is estimated, as
   * scikit-learn does, from the responsibilities of `method` (default 'kmeans++').
   */
  init?: GmmInit
  /**
   * init 'hc' on more rows than this agglomerates a random subset of this many rows
   * (drawn with the restart's seed), and EM starts on every row from one M-step on the
   * subset's partition: mclust's `mclust.options('subset')` (default 2000; at most 5000,
   * hc's limit).
   */
  hcSubset?: number
  /**
   * How the E- and M-steps are done: 'em' (default), 'sem' (stochastic EM: labels drawn
   * from the responsibilities each iteration; the result is the average of the iterates
   * after burn-in), 'mcem' (Monte Carlo EM) or 'incremental' (Neal & Hinton's
   * incremental EM over `blocks` row blocks: an M-step after each block's E-step; one
   * iteration is one sweep over the rows) or 'cem' (classification EM: each row assigned
   * to its most probable component; the objective is the classification
   * log-likelihood). NaN entries of X are missing values in every algorithm.
   */
  algorithm?: GmmAlgorithm
  /** mclust's equalPro: the mixing weights stay 1/K (default false: estimated). With algorithm 'cem' and covarianceType 'EII' the fit is k-means. */
  equalWeights?: boolean
  /** Row blocks of algorithm 'incremental' (default 10; contiguous, in row order: shuffle rows sorted by cluster). */
  blocks?: number
  /**
   * Settings of algorithm 'sem' (maxIter defaults to burnIn + iterations). Restart r's
   * chain is seeded from that restart's seed, derived from `sem.seed` when given (else
   * `seed`) as restart seeds are: see `chainSeed` in src/runtime/restarts.ts.
   */
  sem?: SemOptions
  /** Settings of algorithm 'mcem' (seeded per restart as `sem`). */
  mcem?: McemOptions
}

export type GaussianMixtureFitOptions = WeightedFitOptions<GmmParams> & ShardedFitOptions<GmmParams>

const ALGORITHMS: readonly GmmAlgorithm[] = ['em', 'sem', 'mcem', 'incremental', 'cem']
const GMM_KERNELS: readonly KernelFamily[] = ['linalg', 'mixture']

function checkInit(value: unknown, name: string): GmmInit {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as GmmInit
  return oneOf(INIT_METHODS)(value, name)
}

const INIT_KEYS = ['weights', 'means', 'covariances', 'method']

function checkHcSubset(value: unknown, name: string): number {
  const n = integerAtLeast(2)(value, name)
  if (n > HC_MAX_ROWS) throw new OptionError(name, `is ${show(value)}, but hc agglomerates at most ${HC_MAX_ROWS} rows (it keeps n(n - 1)/2 merge costs); give at most ${HC_MAX_ROWS} (mclust's default is 2000).`, { value, limit: HC_MAX_ROWS })
  return n
}

/**
 * Starting parameters checked against K, and against d once it is known (from
 * init.means, or from X at fit): anything wrong in them is an OptionError (code
 * INVALID_OPTION) naming the part, never a data or degeneracy error later.
 */
function checkGivenInit(init: GivenGmmParams, k: number, type: GmmCovarianceType, dataCols: number | null): void {
  for (const key of Object.keys(init)) {
    if (INIT_KEYS.includes(key)) continue
    const near = closest(key, INIT_KEYS)
    throw new OptionError(`init.${key}`, `init takes ${INIT_KEYS.join(', ')}${near ? `; did you mean '${near}'?` : '.'}`, near ? { suggestion: near } : {})
  }
  if (init.method !== undefined) oneOf(INIT_METHODS)(init.method, 'init.method')
  if (init.weights !== undefined) asOption('init.weights', () => givenWeights(init.weights!, k))
  let d = dataCols
  if (init.means !== undefined) {
    const width = (init.means as ArrayLike<ArrayLike<number>> | null)?.[0]?.length ?? 0
    asOption('init.means', () => flattenShape(init.means, [k, width], 'init.means'))
    if (dataCols !== null && width !== dataCols) throw new OptionError('init.means', `has ${width} column${width === 1 ? '' : 's'} but X has ${dataCols}; give ${k} rows of ${dataCols} means.`)
    d = width
  }
  // mclust's other ten structures are imported by the fit (loadParts): checked there if not loaded yet
  const form = publicForm(type)
  if (init.covariances === undefined || d === null || form === null) return
  const full = form.expandFull(asOption('init.covariances', () => form.fromPublic(init.covariances, k, d)), k, d)
  const bad = choleskyStack(full, k, d, new Float64Array(full.length))
  if (bad >= 0) {
    throw new OptionError('init.covariances', `${type === 'tied' ? 'the tied covariance' : `the covariance of component ${bad}`} is not positive definite; give symmetric positive-definite matrices in the shape of covarianceType '${type}', or leave init.covariances out to estimate them.`, { component: bad })
  }
}

/** SEM averages the iterates after burn-in only once it has run burnIn + iterations steps. */
function semLength(sem: unknown): number {
  const { burnIn, iterations } = semSteps(checkSemOptions(sem as SemOptions | undefined))
  return burnIn + iterations
}

const SCHEMA = {
  /** Number of mixture components K. */
  nComponents: { default: 1, check: integerAtLeast(1) } as OptionDef<number>,
  /** 'full', 'diag', 'spherical' or 'tied', or an mclust model name (EII ... VVV). */
  covarianceType: { default: 'full', check: oneOf(GMM_COVARIANCE_TYPES) } as OptionDef<GmmCovarianceType>,
  ...ENGINE_OPTIONS,
  ...ONLINE_OPTIONS,
  maxIter: withDefault(ENGINE_OPTIONS.maxIter, (given) => (given['algorithm'] === 'sem' ? semLength(given['sem']) : 100)),
  /** Added to the diagonal of every covariance. */
  regCovar: { default: 1e-6, check: numberAtLeast(0) } as OptionDef<number>,
  /** 'kmeans++', 'kmeans', 'random', 'random-from-data', 'hc' (mclust's hierarchical partition), or starting parameters. */
  init: { default: 'kmeans++', check: checkInit } as OptionDef<GmmInit>,
  /** init 'hc' on more rows agglomerates a random subset of this many (mclust's subset; default 2000, at most 5000). */
  hcSubset: { default: HC_SUBSET, check: checkHcSubset } as OptionDef<number>,
  algorithm: algorithmOption('GaussianMixture', ALGORITHMS),
  /** Settings of algorithm 'sem'. */
  sem: { default: () => checkSemOptions(undefined), check: (v: unknown) => checkSemOptions(v as SemOptions) } as OptionDef<SemOptions>,
  /** Settings of algorithm 'mcem'. */
  mcem: { default: () => checkMcemOptions(undefined), check: (v: unknown) => checkMcemOptions(v as McemOptions) } as OptionDef<McemOptions>,
  blocks: BLOCKS_OPTION,
  /** Keep the mixing weights at 1/K (mclust's equalPro) instead of estimating them. */
  equalWeights: { default: false, check: flag } as OptionDef<boolean>,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator (covarianceType as its literal). */
export interface GaussianMixture<T extends GmmCovarianceType = GmmCovarianceType> extends Omit<Resolved<typeof SCHEMA>, 'covarianceType'> {
  readonly covarianceType: T
  // the base's fit calls typed for this estimator's input (declared here: no code of their own)
  fit(X: MatrixInput | StreamInput, options?: GaussianMixtureFitOptions): Promise<this>
  /** Online EM on one chunk of rows, or on each chunk of an async iterable (see Estimator.partialFit). */
  partialFit(X: MatrixInput | AsyncIterable<unknown>, options?: GaussianMixtureFitOptions): Promise<this>
  fitPredict(X: MatrixInput, options?: GaussianMixtureFitOptions): Promise<number[]>
}

/**
 * A Gaussian mixture fitted by EM, with scikit-learn's GaussianMixture semantics.
 * NaN entries of X are values missing at random, handled exactly (observed-data
 * likelihood; src/models/gmm/missing.ts); without NaN nothing changes.
 *
 * Standard errors (`standardErrors({ method })`) are in the coordinates
 * [weight[0..K-2] | mean[c][j] | covariance]. The covariance part is each stored entry
 * once for full, tied, diag and spherical (= VVV, EEE, VVI, VII); for mclust's ten
 * constrained models, Sigma_k = lambda_k D_k A_k D_k^T in a chart: `volume` / `volume[c]`
 * (lambda itself), `shape[j]` / `shape[c][j]` (the first d - 1 entries of A, det A = 1,
 * the last implied), `orientation[i][j]` / `orientation[c][i][j]` (D = D_hat cay(Omega),
 * Omega skew, 0 at the estimate: to first order the rotation in radians in the plane of
 * principal axes i and j); E parts once, V parts per component, I parts none.
 */
export class GaussianMixture<T extends GmmCovarianceType = GmmCovarianceType> extends MixtureEstimator<GmmParams, GaussianMixtureModel, GmmData, MatrixInput, GaussianMixtureOptions<T>> {
  static override readonly kind: string = 'GaussianMixture'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight', 'workers']



  protected override validate(o: Readonly<Record<string, unknown>>): void {
    if (typeof o['init'] === 'object') checkGivenInit(o['init'] as GivenGmmParams, o['nComponents'] as number, o['covarianceType'] as GmmCovarianceType, null)
    if (o['algorithm'] === 'sem' && (o['maxIter'] as number) < semLength(o['sem'])) {
      const steps = semLength(o['sem'])
      const { iterations } = semSteps(o['sem'] as SemOptions)
      throw new OptionError('maxIter', `algorithm 'sem' runs burnIn + iterations = ${steps} steps and averages the last ${iterations}; maxIter (${show(o['maxIter'])}) must be at least that (or leave it out).`)
    }
  }

  // ---- the base's hooks ----

  protected toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    const m = toMatrix(X as MatrixInput, 'X', { allowMissing: true })
    const weight = toSampleWeight(options['sampleWeight'] as ArrayLike<number> | undefined, m.rows)
    return weight ? { X: m, sampleWeight: weight } : { X: m }
  }

  protected override forFit(data: Dataset): Dataset {
    if (typeof this.init === 'object') checkGivenInit(this.init, this.nComponents, this.covarianceType, data.X.cols)
    const weight = hasMissing(data.X) ? missingStatisticsCode().withoutEmptyRows(data.X, data.sampleWeight ?? null) : data.sampleWeight ?? null
    checkComponents(this.nComponents, usableRows(data.X.rows, weight), 'components', weight ? 'rows with positive weight' : 'rows')
    return weight ? { ...data, sampleWeight: weight } : data
  }

  /** The covariance structure's and the start's code; for data with missing values, the fit's statistics of them. */
  protected override async loadParts(data: Dataset | null): Promise<void> {
    await Promise.all([loadCovarianceStrategy(this.covarianceType), loadInit(this.init), data && hasMissing(data.X) ? loadMissingStatistics() : null])
  }

  /** The Gaussian kernels (the wasm backend's core families); SEM's and MCEM's label draws add the samplers, classification EM its hardening. */
  protected override kernelFamilies(): readonly KernelFamily[] {
    return this.algorithm === 'sem' || this.algorithm === 'mcem' ? [...GMM_KERNELS, 'sampling'] : this.algorithm === 'cem' ? [...GMM_KERNELS, 'classify'] : GMM_KERNELS
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected createModel(kernels: Kernels, shape: Shape): GaussianMixtureModel {
    return new GaussianMixtureModel({ kernels, k: this.nComponents, d: shape['nFeatures']!, covarianceType: this.covarianceType, regCovar: this.regCovar, equalWeights: this.equalWeights })
  }

  protected prepareData(model: GaussianMixtureModel, data: Dataset): GmmData {
    return model.prepare(data.X, data.sampleWeight ?? null)
  }

  protected initialParams(model: GaussianMixtureModel, data: GmmData, rng: Rng, dataset: Dataset): GmmParams {
    return this.equalised(initialParams(model, data, this.init, rng, dataset.sampleWeight ?? null, this.hcSubset))
  }

  // equalPro from the start: given weights are replaced by 1/K, as every M-step will
  private equalised(start: GmmParams): GmmParams {
    return this.equalWeights ? { ...start, weights: new Float64Array(this.nComponents).fill(1 / this.nComponents) } : start
  }

  /** k-means++, k-means, random-from-data and random run on the shards; not with missing values (their column-mean imputation is of all the rows), nor 'hc'. */
  protected override shardedStart(model: GaussianMixtureModel, dataset: Dataset): ((rng: Rng) => RowsPlan<GmmParams>) | null {
    if (!shardableInit(this.init) || hasMissing(dataset.X)) return null
    const init = this.init, n = dataset.X.rows, weighted = dataset.sampleWeight !== undefined
    return (rng) => mapPlan(gmmStartPlan(model, init, rng, n, weighted), (start) => this.equalised(start))
  }

  /**
   * A fit by plain EM (any accelerator) from a start over row blocks is evaluated in
   * blocks of SHARD_BLOCK_ROWS rows, as a sharded fit's shards evaluate theirs, and its
   * sums added in block order as theirs are (engine/blocks.ts): the two fits are
   * bit-identical, and kernel memory holds one block's responsibilities rather than
   * every row's (n x K values: at 10^6 x 4 rows and K = 8, 64 MB against 32 for the
   * rows). The other algorithms read or write every row's responsibilities.
   */
  protected override prepareFit(model: GaussianMixtureModel, data: Dataset): GmmData {
    return model.prepare(data.X, data.sampleWeight ?? null, this.algorithm === 'em' && shardableInit(this.init) ? SHARD_BLOCK_ROWS : undefined)
  }

  protected override prepareShard(model: GaussianMixtureModel, data: Dataset): GmmData {
    return model.prepare(data.X, data.sampleWeight ?? null, SHARD_BLOCK_ROWS)
  }

  protected override startShard(model: GaussianMixtureModel, data: GmmData, dataset: Dataset, firstBlock: number): ShardHandler {
    return gmmStartShard(model, data, dataset.sampleWeight ?? null, firstBlock)
  }

  /** The E-steps and the data's statistics are on the shards; the engine reads the total weight, the M-step nothing. */
  protected override shardStandIn(_model: GaussianMixtureModel, dataset: Dataset): GmmData {
    return { n: dataset.X.rows, totalWeight: mixtureTotalWeight(dataset.X.rows, dataset.sampleWeight ?? null) } as GmmData
  }

  /** Fully given starting parameters make every restart identical: run one. */
  protected override restarts(): number {
    const init = this.init
    return typeof init === 'object' && init.weights !== undefined && init.means !== undefined && init.covariances !== undefined ? 1 : this.nInit
  }

  /** The chain's seed comes from this restart's own seed (or the given sem/mcem seed's restart r), as restartSeeds makes them. */
  protected override strategyExtras(restart: number, seed: number): { sem: SemOptions; mcem: McemOptions } {
    return {
      sem: { ...this.sem, seed: chainSeed(seed, restart, this.sem.seed) },
      mcem: { ...this.mcem, seed: chainSeed(seed, restart, this.mcem.seed) },
    }
  }

  protected override workOf(data: Dataset): number {
    return data.X.rows * this.nComponents * data.X.cols * data.X.cols
  }

  protected override reviveParams(value: unknown): GmmParams {
    return value as GmmParams
  }

  /** Free the fitted model's kernel memory now (the estimator is unfitted afterwards). */
  dispose(): void {
    this.state?.model.dispose()
    this.state = null
  }

  // ---- fitted attributes (scikit-learn's shapes) ----

  private get model(): GaussianMixtureModel { return this.fitted('model').model }

  get weights(): number[] { return Array.from(this.fitted('weights').params.weights) }
  get means(): number[][] { const s = this.fitted('means'); return publicMeans(s.model, s.params.means) }
  get covariances(): CovariancesOf<T> { const s = this.fitted('covariances'); return publicCovariances(s.model, s.params.covariances) as CovariancesOf<T> }
  /** The inverse of each covariance, in the covariances' shape (scikit-learn's precisions_). */
  get precisions(): CovariancesOf<T> {
    const { params, model } = this.fitted('precisions')
    return model.covariance.toPublic(precisionsOf(model, params, false), model.k, model.d) as CovariancesOf<T>
  }
  /** Cholesky factors U of the precisions, precision = U U^T, U upper triangular (scikit-learn's precisions_cholesky_). */
  get precisionsCholesky(): CovariancesOf<T> {
    const { params, model } = this.fitted('precisionsCholesky')
    return model.covariance.toPublic(precisionsOf(model, params, true), model.k, model.d) as CovariancesOf<T>
  }
  /** Every component's covariance as a full d x d matrix, whatever the covariance type. */
  get fullCovariances(): number[][][] {
    const { params, model } = this.fitted('fullCovariances')
    const full = model.covariance.expandFull(params.covariances, model.k, model.d)
    return Array.from({ length: model.k }, (_, c) => toRows(full.subarray(c * model.d * model.d), model.d, model.d))
  }
  /** Number of features seen in fit (also `nFeaturesIn`). */
  get nFeatures(): number { return this.model.d }

  // ---- using the fit ----

  /** n draws from the fitted mixture, with the component of each; successive calls continue the stream (or draw from `rng`). */
  sample(n: number, rng: Rng = this.sampler): { X: number[][]; labels: number[] } {
    const { model, params } = this.fitted('sample')
    const { k, d } = model
    drawCount(n, d + 1)
    const fullCovariances = model.covariance.expandFull(params.covariances, k, d)
    const { data, labels } = sampleMixture(model.kernels, { k, d, weights: params.weights, means: params.means, fullCovariances }, n, rng)
    return { X: toRows(data, n, d), labels: Array.from(labels) }
  }

  /**
   * `draws` completed copies of X (NaN where missing), each missing entry drawn from
   * the mixture's predictive distribution given the row's observed entries (a
   * component by its posterior, then its conditional normal), at parameters refitted
   * from the fit on a bootstrap resample of X's rows for each copy (Amelia's EMB;
   * `bootstrap: false`: at the fitted parameters).
   */
  async impute(X: MatrixInput, options: ImputeOptions = {}): Promise<number[][][]> {
    const given = this.callOptions(options, 'impute', IMPUTE_OPTION_NAMES)
    // the draws imported on first use: bundles load them only for impute
    return (await import('./impute-draws.js')).imputeRows(X, given, this.imputable('impute'))
  }

  /** X with each missing entry replaced by its conditional mean given the row's observed entries (over the components' posterior). */
  imputeMean(X: MatrixInput): number[][] {
    return imputeMeanRows(X, this.imputable('imputeMean'))
  }

  private imputable(what: string): Imputable {
    const { shape } = this.fitted(what)
    const partsOf = (fit: GaussianMixture<T>) => ({ k: fit.nComponents, d: fit.nFeatures, weights: Float64Array.from(fit.weights), means: Float64Array.from(fit.means.flat()), covariances: Float64Array.from(fit.fullCovariances.flat(2)) })
    // each resample starts from the fitted parameters: one run, components kept in place
    const init = { weights: this.weights, means: this.means, covariances: this.covariances } as GivenGmmParams
    return {
      parts: partsOf(this),
      refit: async (X) => partsOf(await new GaussianMixture<T>({ ...this.toSpec().options, init, nInit: 1, workers: 1, warmStart: false } as GaussianMixtureOptions<T>).fit(X)),
      checkColumns: (cols) => this.checkShape(shape, { nFeatures: cols }),
    }
  }
}

/**
 * The precisions (or their Cholesky factors) in the covariance storage layout, from
 * the kernel-ready factors the parameters carry: full/tied hold P = L^-1 with
 * Sigma = L L^T, so precision = P^T P and its upper factor U = P^T; diagonal types
 * hold 1 / variance per entry.
 */
function precisionsOf(model: GaussianMixtureModel, params: GmmParams, cholesky: boolean): Float64Array {
  const { k, d, covariance } = model
  const P = params.precision
  if (covariance.statsKernel === 'statsDiag') {
    const perEntry = covariance.storageSize(k, d) === k ? 1 : d
    const out = new Float64Array(covariance.storageSize(k, d))
    for (let c = 0; c < out.length; c++) {
      const v = perEntry === 1 ? P[c * d]! : P[c]!
      out[c] = cholesky ? Math.sqrt(v) : v
    }
    return out
  }
  const blocks = covariance.shared ? 1 : k
  const out = new Float64Array(blocks * d * d)
  for (let b = 0; b < blocks; b++) {
    const o = b * d * d
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        if (cholesky) { out[o + i * d + j] = P[o + j * d + i]!; continue }
        let s = 0
        for (let m = Math.max(i, j); m < d; m++) s += P[o + m * d + i]! * P[o + m * d + j]!
        out[o + i * d + j] = s
      }
    }
  }
  return out
}

