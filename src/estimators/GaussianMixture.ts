import { CRITERIA } from '../engine/convergence.js'
import { fitEM } from '../engine/fitEM.js'
import { type Accelerate, ALGORITHMS, checkAccelerate, makeStepper, refuseAcceleratedStochastic, unsupportedAlgorithm } from '../engine/strategy.js'
import type { Criterion, FitResult, FitStatus, IterationInfo } from '../engine/types.js'
import { checkMcemOptions, type McemOptions } from '../engine/variants/mcem.js'
import { checkSemOptions, type SemOptions, semSteps } from '../engine/variants/sem.js'
import { aic, bic } from '../core/math/criteria.js'
import { InputError, NotFittedError, OptionError } from '../core/errors.js'
import { type MatrixInput, toRows } from '../core/matrix.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { loadKernels } from '../kernels/index.js'
import type { BackendName } from '../kernels/types.js'
import { COVARIANCE_TYPES, type CovarianceType, type PublicCovariances } from '../models/gmm/covariance.js'
import { type GmmInit, INIT_METHODS, initialParams } from '../models/gmm/init.js'
import { hasMissing } from '../models/gmm/missing.js'
import { GaussianMixtureModel, type GmmData, type GmmParams } from '../models/gmm/model.js'
import { sampleMixture } from '../models/gmm/sample.js'
import { Rng } from '../core/rng/xoshiro128.js'
import { integerAtLeast, numberAtLeast, oneOf, rejectUnknown, safeInteger } from './options.js'
import { bestOfRestarts, chainSeed, restartSeeds } from '../runtime/restarts.js'
import { checkWorkers, parallelRunner, threadsFor, type Workers } from '../runtime/runner.js'
import { type EstimatorSpec, fromWireError, fromWireFit, type RestartTask } from '../runtime/tasks.js'
import type { Matrix } from '../core/matrix.js'

export interface GaussianMixtureOptions {
  /** Number of mixture components K (default 1). */
  nComponents?: number
  /** 'full' (default), 'diag', 'spherical' or 'tied'. */
  covarianceType?: CovarianceType
  /** Convergence threshold (default 1e-3): on the change of the mean per-sample log-likelihood, or see `criterion`. */
  tol?: number
  /**
   * What `tol` bounds: 'objective' (default; scikit-learn's rule, the change of the mean
   * per-sample log-likelihood) or 'parameters' (the Euclidean norm of the change of the
   * packed weights, means and covariances: R SQUAREM's rule, stricter near a maximum).
   */
  criterion?: Criterion
  /** Maximum EM iterations per restart (default 100). */
  maxIter?: number
  /** Number of restarts; the best final log-likelihood wins (default 1). */
  nInit?: number
  /** Added to the diagonal of every covariance (default 1e-6). */
  regCovar?: number
  /** Seed of the one random generator (default 0). */
  seed?: number
  /** Compute backend (default 'wasm': SIMD where supported, else scalar). */
  backend?: BackendName
  /** 'kmeans++' (default), 'kmeans', 'random', 'random-from-data', or explicit { weights, means, covariances }. */
  init?: GmmInit
  /**
   * How the E- and M-steps are done: 'em' (default), 'sem' (stochastic EM: labels drawn
   * from the responsibilities each iteration; the result is the average of the iterates
   * after burn-in) or 'mcem' (Monte Carlo EM). NaN entries of X are missing values in
   * every algorithm.
   */
  algorithm?: GmmAlgorithm
  /**
   * Settings of algorithm 'sem' (maxIter defaults to burnIn + iterations). Restart r's
   * chain is seeded from that restart's seed, derived from `sem.seed` when given (else
   * `seed`) as restart seeds are: see `chainSeed` in src/estimators/restarts.ts.
   */
  sem?: SemOptions
  /** Settings of algorithm 'mcem' (seeded per restart as `sem`). */
  mcem?: McemOptions
  /** 'none' (default), 'aitken', 'squarem', 'quasi-newton', or { method, ...settings }: see docs/fitEM.md. */
  accelerate?: Accelerate
  /** Threads for the nInit restarts (Node entry only; elsewhere serial): 'auto' (default: in parallel when nInit > 1 and the fit is large enough to pay), or a count (1 = serial). Same results either way. */
  workers?: Workers
}

export interface GaussianMixtureFitOptions {
  /** Frequency weights: weight 2 counts the row twice. */
  sampleWeight?: ArrayLike<number>
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<GmmParams> & { restart: number }) => void
}

export type GmmAlgorithm = 'em' | 'sem' | 'mcem'
const GMM_ALGORITHMS: readonly GmmAlgorithm[] = ['em', 'sem', 'mcem']
const OPTION_NAMES = ['nComponents', 'covarianceType', 'tol', 'criterion', 'maxIter', 'nInit', 'regCovar', 'seed', 'backend', 'init', 'algorithm', 'accelerate', 'workers', 'sem', 'mcem'] as const
const BACKENDS: readonly BackendName[] = ['wasm', 'wasm-scalar', 'js']

interface Fitted {
  readonly model: GaussianMixtureModel
  readonly params: GmmParams
  readonly result: FitResult<GmmParams>
  readonly totalWeight: number
}

/**
 * A Gaussian mixture fitted by EM, with scikit-learn's GaussianMixture semantics.
 * NaN entries of X are values missing at random, handled exactly (observed-data
 * likelihood; src/models/gmm/missing.ts); without NaN nothing changes.
 */
export class GaussianMixture {
  readonly nComponents: number
  readonly covarianceType: CovarianceType
  readonly tol: number
  readonly criterion: Criterion
  readonly maxIter: number
  readonly nInit: number
  readonly regCovar: number
  readonly seed: number
  readonly backend: BackendName
  readonly init: GmmInit
  readonly algorithm: GmmAlgorithm
  readonly sem: SemOptions
  readonly mcem: McemOptions
  readonly accelerate: Accelerate
  readonly workers: Workers
  private fitted: Fitted | null = null
  private sampler: Rng

  constructor(options: GaussianMixtureOptions = {}) {
    rejectUnknown(options, OPTION_NAMES, 'GaussianMixture')
    this.nComponents = integerAtLeast('nComponents', options.nComponents ?? 1, 1)
    this.covarianceType = oneOf('covarianceType', options.covarianceType ?? 'full', COVARIANCE_TYPES)
    this.tol = numberAtLeast('tol', options.tol ?? 1e-3, 0)
    this.criterion = oneOf('criterion', options.criterion ?? 'objective', CRITERIA)
    const algorithm = oneOf('algorithm', options.algorithm ?? 'em', ALGORITHMS)
    if (!GMM_ALGORITHMS.includes(algorithm as GmmAlgorithm)) throw unsupportedAlgorithm('GaussianMixture', algorithm, GMM_ALGORITHMS)
    this.algorithm = algorithm as GmmAlgorithm
    this.sem = checkSemOptions(options.sem)
    this.mcem = checkMcemOptions(options.mcem)
    // SEM returns the average after burn-in only once it has run burnIn + iterations steps.
    const { burnIn, iterations } = semSteps(this.sem)
    this.maxIter = integerAtLeast('maxIter', options.maxIter ?? (this.algorithm === 'sem' ? burnIn + iterations : 100), 1)
    if (this.algorithm === 'sem' && this.maxIter < burnIn + iterations) {
      throw new OptionError('maxIter', `algorithm 'sem' runs burnIn + iterations = ${burnIn + iterations} steps and averages the last ${iterations}; maxIter (${this.maxIter}) must be at least that (or leave it out).`)
    }
    this.nInit = integerAtLeast('nInit', options.nInit ?? 1, 1)
    this.regCovar = numberAtLeast('regCovar', options.regCovar ?? 1e-6, 0)
    this.seed = safeInteger('seed', options.seed ?? 0)
    this.backend = oneOf('backend', options.backend ?? 'wasm', BACKENDS)
    const init = options.init ?? 'kmeans++'
    this.init = typeof init === 'object' && init !== null ? init : oneOf('init', init, INIT_METHODS)
    this.accelerate = checkAccelerate(options.accelerate ?? 'none')
    refuseAcceleratedStochastic(this.algorithm, this.accelerate)
    this.workers = checkWorkers(options.workers ?? 'auto')
    this.sampler = new Rng(this.seed)
  }

  /** Fit by EM (best of nInit restarts); resolves to this estimator. */
  async fit(X: MatrixInput, options: GaussianMixtureFitOptions = {}): Promise<this> {
    const m = toMatrix(X, 'X', { allowMissing: true })
    const weight = withoutEmptyRows(m, toSampleWeight(options.sampleWeight, m.rows))
    const k = this.nComponents
    const usable = weight ? weight.reduce((s, w) => s + (w > 0 ? 1 : 0), 0) : m.rows
    if (k > usable) {
      throw new InputError('TOO_MANY_COMPONENTS', `nComponents = ${k} but X has only ${usable} rows${weight ? ' with positive weight' : ''}; use at most ${usable} components or give more data.`, { nComponents: k, rows: usable })
    }
    const kernels = await loadKernels(this.backend)
    const model = new GaussianMixtureModel({ kernels, k, d: m.cols, covarianceType: this.covarianceType, regCovar: this.regCovar })
    const data = model.prepare(m, weight)
    // Explicit starting parameters make every restart identical: run one.
    const restarts = typeof this.init === 'object' ? 1 : this.nInit
    try {
      const threads = options.signal || options.onIteration ? 1 : threadsFor(this.workers, restarts, m.rows * k * m.cols * m.cols)
      const result = threads > 1
        ? await this.parallelRestarts(m, weight, restarts, threads)
        : await bestOfRestarts(this.seed, restarts, (rng, restart, seed) => this.runRestart(model, data, rng, restart, seed, weight, options))
      this.fitted?.model.dispose()
      this.fitted = { model, params: result.params, result, totalWeight: data.totalWeight }
    } catch (e) {
      model.dispose()
      throw e
    } finally {
      model.release(data)
    }
    return this
  }

  /** One restart on prepared data: the single code path of serial and worker restarts. */
  private runRestart(model: GaussianMixtureModel, data: GmmData, rng: Rng, restart: number, seed: number, weight: Float64Array | null, options: GaussianMixtureFitOptions = {}): Promise<FitResult<GmmParams>> {
    const start = initialParams(model, data, this.init, rng, weight)
    const onIteration = options.onIteration
    // The chain's seed comes from this restart's own seed (or the given sem/mcem seed's restart r), as restartSeeds makes them.
    const stepper = makeStepper(model, {
      algorithm: this.algorithm,
      accelerate: this.accelerate,
      sem: { ...this.sem, seed: chainSeed(seed, restart, this.sem.seed) },
      mcem: { ...this.mcem, seed: chainSeed(seed, restart, this.mcem.seed) },
    })
    return fitEM(model, data, start, {
      tol: this.tol,
      criterion: this.criterion,
      maxIter: this.maxIter,
      stepper,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onIteration ? { onIteration: (info: IterationInfo<GmmParams>) => onIteration({ ...info, restart }) } : {}),
    })
  }

  /** Restarts as tasks on the parallel runner; the best is chosen exactly as serially. */
  private async parallelRestarts(m: Matrix, weight: Float64Array | null, restarts: number, threads: number): Promise<FitResult<GmmParams>> {
    const runner = parallelRunner()!
    const spec = this.toSpec()
    const data = runner.share(m)
    const shared = weight ? runner.share({ rows: 1, cols: weight.length, data: weight }).data : null
    const seeds = restartSeeds(this.seed, restarts)
    const tasks: RestartTask[] = seeds.map((seed, restart) => ({ type: 'restart', spec, data, weight: shared, seed, restart }))
    const results = await runner.run(tasks, threads, this.backend)
    return bestOfRestarts<GmmParams>(this.seed, restarts, async (_rng, r) => {
      const out = results[r]!
      if (out.type !== 'restart') throw new Error('emkit: a restart task returned another result type')
      if (out.thrown) throw fromWireError(out.thrown)
      return fromWireFit<GmmParams>(out.fit!)
    })
  }

  /**
   * One restart of this estimator's configuration on `X`, its initialisation drawn
   * from `new Rng(seed)` (restart r of a fit with seed s uses the r-th 32-bit output of
   * `new Rng(s)`): what a worker thread runs. Does not change this estimator.
   */
  async fitRestart(X: Matrix, weight: Float64Array | null, seed: number, restart = 0): Promise<FitResult<GmmParams>> {
    const kernels = await loadKernels(this.backend)
    const model = new GaussianMixtureModel({ kernels, k: this.nComponents, d: X.cols, covarianceType: this.covarianceType, regCovar: this.regCovar })
    const data = model.prepare(X, weight)
    try {
      return await this.runRestart(model, data, new Rng(seed), restart, seed, weight)
    } finally {
      model.release(data)
      model.dispose()
    }
  }

  /** This estimator as a value (kind + constructor options), for worker threads and bootstrap. */
  toSpec(): EstimatorSpec {
    return {
      kind: 'GaussianMixture',
      options: {
        nComponents: this.nComponents, covarianceType: this.covarianceType, tol: this.tol, criterion: this.criterion, maxIter: this.maxIter,
        nInit: this.nInit, regCovar: this.regCovar, seed: this.seed, backend: this.backend, init: this.init,
        algorithm: this.algorithm, accelerate: this.accelerate, workers: this.workers, sem: this.sem, mcem: this.mcem,
      },
    }
  }

  // provisional: replaced by the estimator base
  /** The constructor options, every one filled in (what toSpec() carries). */
  getParams(): GaussianMixtureOptions {
    return { ...this.toSpec().options } as GaussianMixtureOptions
  }

  // provisional: replaced by the estimator base
  /**
   * Change options in place, checked exactly as the constructor checks them (an unknown
   * name or a bad value is an OptionError and changes nothing); a fit already made is kept.
   */
  setParams(params: GaussianMixtureOptions): this {
    const checked = new GaussianMixture({ ...this.getParams(), ...params })
    for (const name of OPTION_NAMES) (this as unknown as Record<string, unknown>)[name] = checked[name]
    this.sampler = checked.sampler
    return this
  }

  /** Free the fitted model's kernel memory now (the estimator is unfitted afterwards); emkit calls it on the estimators of bootstrap replicates. */
  dispose(): void {
    this.fitted?.model.dispose()
    this.fitted = null
  }

  // ---- fitted attributes (scikit-learn's shapes) ----

  get weights(): number[] { return Array.from(this.state('weights').params.weights) }
  get means(): number[][] {
    const { params, model } = this.state('means')
    return toRows(params.means, model.k, model.d)
  }
  get covariances(): PublicCovariances {
    const { params, model } = this.state('covariances')
    return model.covariance.toPublic(params.covariances, model.k, model.d)
  }
  /** Every component's covariance as a full d x d matrix, whatever the covariance type. */
  get fullCovariances(): number[][][] {
    const { params, model } = this.state('fullCovariances')
    const full = model.covariance.expandFull(params.covariances, model.k, model.d)
    return Array.from({ length: model.k }, (_, c) => toRows(full.subarray(c * model.d * model.d), model.d, model.d))
  }
  get converged(): boolean { return this.state('converged').result.converged }
  get nIter(): number { return this.state('nIter').result.nIter }
  get status(): FitStatus { return this.state('status').result.status }
  /** Total log-likelihood per iteration: [0] at the start, last at the fitted parameters. */
  get history(): number[] { return this.state('history').result.history.slice() }
  /** Mean log-likelihood per sample of the fitted parameters on the training data. */
  get lowerBound(): number {
    const { result, totalWeight } = this.state('lowerBound')
    return result.logLik / totalWeight
  }
  get fitResult(): FitResult<GmmParams> { return this.state('fitResult').result }
  get nFeatures(): number { return this.state('nFeatures').model.d }

  nParameters(): number { return this.state('nParameters').model.nParameters() }

  // ---- using the fit ----

  predict(X: MatrixInput): number[] {
    return this.withExpectation(X, 'predict', (data, k) => {
      const R = data.resp.view
      return Array.from({ length: data.n }, (_, i) => {
        let best = 0
        for (let c = 1; c < k; c++) if (R[i * k + c]! > R[i * k + best]!) best = c
        return best
      })
    })
  }

  predictProba(X: MatrixInput): number[][] {
    return this.withExpectation(X, 'predictProba', (data, k) => toRows(data.resp.view, data.n, k))
  }

  scoreSamples(X: MatrixInput): number[] {
    return this.withExpectation(X, 'scoreSamples', (data) => Array.from(data.rowLogLik.view.subarray(0, data.n)))
  }

  /** Mean log-likelihood per sample. */
  score(X: MatrixInput): number {
    const s = this.scoreSamples(X)
    return s.reduce((a, b) => a + b, 0) / s.length
  }

  bic(X: MatrixInput): number {
    const s = this.scoreSamples(X)
    return bic(s.reduce((a, b) => a + b, 0), this.nParameters(), s.length)
  }

  aic(X: MatrixInput): number {
    const s = this.scoreSamples(X)
    return aic(s.reduce((a, b) => a + b, 0), this.nParameters())
  }

  /** n draws from the fitted mixture, with the component of each; successive calls continue the stream (or draw from `rng`). */
  sample(n: number, rng: Rng = this.sampler): { X: number[][]; labels: number[] } {
    integerAtLeast('n', n, 1)
    const { model, params } = this.state('sample')
    const { k, d } = model
    const fullCovariances = model.covariance.expandFull(params.covariances, k, d)
    const { data, labels } = sampleMixture(model.kernels, { k, d, weights: params.weights, means: params.means, fullCovariances }, n, rng)
    return { X: toRows(data, n, d), labels: Array.from(labels) }
  }

  private state(what: string): Fitted {
    if (!this.fitted) throw new NotFittedError('GaussianMixture', what)
    return this.fitted
  }

  private withExpectation<T>(X: MatrixInput, method: string, read: (data: GmmData, k: number) => T): T {
    const { model, params } = this.state(method)
    const m = toMatrix(X, 'X', { allowMissing: true })
    if (m.cols !== model.d) {
      throw new InputError('SHAPE_MISMATCH', `X has ${m.cols} features but the model was fitted with ${model.d}; pass rows with ${model.d} columns in the same order as in fit().`, { expected: model.d, got: m.cols })
    }
    const data = model.prepare(m)
    try {
      model.expectation(data, params)
      return read(data, model.k)
    } finally {
      model.release(data)
    }
  }
}

/**
 * Missing values in fit: every column needs an observed value, and a row with none
 * carries no information (its observed-data likelihood is 1 whatever the parameters),
 * so it gets weight 0: it contributes nothing to the fit, to `lowerBound` or to the
 * k-means++ start. Without NaN the weights are returned as given.
 */
function withoutEmptyRows(m: Matrix, weight: Float64Array | null): Float64Array | null {
  if (!hasMissing(m)) return weight
  const { rows, cols, data } = m
  for (let j = 0; j < cols; j++) {
    let observed = false
    for (let i = 0; i < rows && !observed; i++) observed = !Number.isNaN(data[i * cols + j]!)
    if (!observed) throw new InputError('INVALID_DATA', `Column ${j} of X has no observed value (all NaN); drop that column.`, { column: j })
  }
  let out = weight
  for (let i = 0; i < rows; i++) {
    let observed = false
    for (let j = 0; j < cols && !observed; j++) observed = !Number.isNaN(data[i * cols + j]!)
    if (observed) continue
    out ??= new Float64Array(rows).fill(1)
    out[i] = 0
  }
  return out
}
