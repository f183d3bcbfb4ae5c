/**
 * The one estimator base. A subclass says what its options are (a schema), how user
 * input becomes a Dataset, how a model is built for a data shape and how it starts;
 * the base does the rest the same way for every estimator: option validation and
 * get/setParams, restarts (serial or on the worker pool), warm starts, the engine
 * call, the fit-result getters, bic/aic/score, and saving and loading.
 */
import { type DegenerateError, InputError, NotFittedError, OptionError, UnsupportedError } from '../core/errors.js'
import { show } from '../core/show.js'
import { decodeStatistics, paramsFingerprint, sumDecoded } from '../runtime/statistics.js'
import { checkFitScale } from '../core/validate.js'
import { aic, bic } from '../core/math/criteria.js'
import { Rng } from '../core/rng/xoshiro128.js'
import { type Accelerate, type Algorithm, refuseAcceleratedStochastic, type StrategyOptions } from '../engine/strategy.js'
import type { FitResult, FitStatus, IterationInfo, PreparedData, Stepper } from '../engine/types.js'
import { type KernelFamily, loadKernels } from '../kernels/index.js'
import type { BackendName, Kernels } from '../kernels/types.js'
import type { Dataset } from '../runtime/dataset.js'
import { bestOfRestarts } from '../runtime/restarts.js'
import { parallelRunner, threadsFor } from '../runtime/runner.js'
import type { ShardSession } from './shard.js'
import type { RowsPlan, ShardHandler } from '../models/init/plan.js'
import type { EstimatorSpec } from '../runtime/tasks.js'
import { checkCallbacks } from '../engine/check.js'
import type { InformationMethod, StandardErrors } from '../engine/information/index.js'
import { type EngineCallOptions, type EngineRun, runEngine } from './engine-call.js'
import type { OnlineSettings, OnlineState } from '../engine/online-options.js'
// streams, standard errors, shards and online EM's step are imported when first used (dynamic imports: bundles load them on demand)
import type { ChunkSource } from './stream.js'
import { isAsyncIterable } from '../core/async-iterable.js'
import { encode, type Json, MODEL_FORMAT, MODEL_VERSION, type SavedModel } from './persist.js'
import { type OptionSchema, optionsObject, parseOptions, rejectUnknownCallNames, rejectUnknownNames } from './schema.js'

/** What a sharded fit on the pool runs before its first await: estimators/shard.ts's sharedInput and sharedDataset. */
export type ShardSharing = Pick<typeof import('./shard.js'), 'sharedInput' | 'sharedDataset'>

/** Handed over by the Node entry, which installs the pool (bundles without a pool never carry shard.ts). */
let shardSharing: ShardSharing | null = null

/**
 * Give sharded fits their copy into shared memory (the Node entry does, importing
 * shard.ts statically): the caller's rows are then copied before any await, so a
 * change after fit() returns cannot reach the fit. Without it a sharded fit copies X
 * as any fit does, and the shards share the copy.
 */
export function provideShardSharing(sharing: ShardSharing): void {
  shardSharing = sharing
}

export type { BaseFitOptions, EngineSettings, EstimatorHooks, FitModel, Fitted, Scoring, ShardedFitOptions, Shape, WeightedFitOptions } from './hooks.js'
import type { BaseFitOptions, EngineSettings, EstimatorHooks, FitModel, Fitted, Scoring, ShardedFitOptions, Shape } from './hooks.js'

/** What `scoreDataset` gives: see there. */
export interface DatasetScore {
  readonly logLik: number
  readonly n: number
  /** One row of posterior class probabilities per row of X (latent-class estimators), else null. */
  readonly posteriors: ArrayLike<ArrayLike<number>> | null
  /** ICL's classification term (core/math/criteria.ts: mapLogPosterior) when the estimator computed it where its posteriors are, instead of giving `posteriors` (n row arrays: ~3x the data's memory at K = 6). */
  readonly classification?: number
}

/** A latent-class estimator's posterior class probabilities, from its scoring arguments. */
interface LatentClasses {
  predictProba(...args: unknown[]): ArrayLike<ArrayLike<number>>
}

/** Whether `estimator`'s class declares latent classes (its static `latentClasses`). */
export function hasLatentClasses(estimator: unknown): boolean {
  return (estimator as { constructor?: { latentClasses?: unknown } } | null)?.constructor?.latentClasses === true
}

/** A class of estimator: constructible from options, with its kind's name. */
export interface EstimatorClass<E> {
  new (options?: any): E
  readonly kind: string
}

export abstract class Estimator<P, M extends FitModel<P, D>, D extends PreparedData = PreparedData, O extends object = Record<string, unknown>> {
  /** The registered name of this estimator (what toJSON's `kind` and worker specs carry). */
  static readonly kind: string = 'Estimator'
  /** The options this estimator takes. */
  static readonly schema: OptionSchema = {}
  /** Names a fit call accepts besides signal and onIteration. */
  static readonly fitOptionNames: readonly string[] = []
  /**
   * Whether the model has latent classes whose posterior probabilities classify the
   * rows (mixtures; HMMs, whose states classify the observations): what ICL needs.
   * A class that sets it has `predictProba(...scoringArgs(data))` giving one row of
   * class probabilities per row of X. Class probabilities of a response (a probit's
   * P(y = 1)) are not latent classes.
   */
  static readonly latentClasses: boolean = false

  private given: Readonly<Record<string, unknown>>
  private resolved: Readonly<Record<string, unknown>>
  protected state: Fitted<P, M> | null = null
  /** The data of the last fit (a reference, no copy: standardErrors() reads it); not saved by toJSON. */
  private trainingData: Dataset | null = null

  /** `O` is the estimator's options type: the constructor every subclass inherits takes it. */
  constructor(options: O = {} as O) {
    this.given = { ...optionsObject(options, `${this.kind} options`) }
    this.resolved = this.resolve(this.given)
  }

  get kind(): string { return (this.constructor as typeof Estimator).kind }
  private get schema(): OptionSchema { return (this.constructor as typeof Estimator).schema }

  private resolve(given: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
    const resolved = parseOptions(this.schema, given, this.kind)
    // SEM and MCEM draw at random: an accelerator's extrapolation of their iterates means nothing
    if (resolved['algorithm'] !== undefined && resolved['accelerate'] !== undefined) refuseAcceleratedStochastic(resolved['algorithm'] as Algorithm, resolved['accelerate'] as Accelerate)
    this.validate(resolved)
    // the resolved options are the estimator's public, read-only attributes (declared by each subclass's interface),
    // except where the class has a getter of that name: an option the fit may settle (CategoricalHMM's nSymbols)
    for (const [name, value] of Object.entries(resolved)) {
      if (!hasGetter(this, name)) Object.defineProperty(this, name, { value, enumerable: true, configurable: true, writable: false })
    }
    return resolved
  }

  /** Checks across options (e.g. an accelerator with a stochastic algorithm); throw OptionError. */
  protected validate(_options: Readonly<Record<string, unknown>>): void {}

  /** The options as they will be used, defaults filled in (scikit-learn's get_params). */
  getParams(): Record<string, unknown> {
    return { ...this.resolved }
  }

  /** Change options (validated as by the constructor); the fitted state stays until the next fit. */
  setParams(options: Readonly<Record<string, unknown>>): this {
    const changes = optionsObject(options, 'setParams options')
    rejectUnknownNames(changes, Object.keys(this.schema), this.kind)
    const given = { ...this.given, ...changes }
    this.resolved = this.resolve(given)
    this.given = given
    this.sampleStream = undefined
    return this
  }

  private sampleStream?: Rng
  /**
   * The stream `sample()` draws from when given no generator: seeded by `seed`, and
   * restarted by setParams, so that it draws as a fresh estimator with that seed would.
   */
  protected get sampler(): Rng {
    return (this.sampleStream ??= new Rng((this.resolved['seed'] as number | undefined) ?? 0))
  }

  /** { kind, options }: re-creatable elsewhere (worker threads, the bootstrap's registry). */
  toSpec(): EstimatorSpec {
    return { kind: this.kind, options: { ...this.given } }
  }

  protected get settings(): EngineSettings {
    return this.resolved as unknown as EngineSettings
  }

  // ---- what a subclass supplies ----

  /** User input of a fit (or scoring) call as a validated Dataset. */
  protected abstract toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset
  /** The numbers the model is built for, read off the data. */
  protected abstract shapeOf(data: Dataset): Shape
  protected abstract createModel(kernels: Kernels, shape: Shape): M
  protected abstract prepareData(model: M, data: Dataset): D
  /** Starting parameters of one restart (draws only from `rng`). */
  protected abstract initialParams(model: M, data: D, rng: Rng, dataset: Dataset): P
  /** The dataset a fit runs on (checks only a fit needs, e.g. K <= n; adjusted weights). */
  protected forFit(data: Dataset): Dataset { return data }
  /**
   * Import the parts of the model that these options (or these data) need and that
   * bundles split off (a covariance structure's code, an initialisation): awaited before
   * any model is built, by fits, restarts, streams, shards and restore, so synchronous
   * calls on a fitted or loaded model find them.
   */
  protected async loadParts(_data: Dataset | null): Promise<void> {}
  /**
   * The kernel families (kernels/exports.ts) these options' models run: a wasm backend
   * then wraps only those (a bundle loads their wrappers alone). Default: every family.
   */
  protected kernelFamilies(): readonly KernelFamily[] | undefined { return undefined }
  /**
   * Refuse data whose squares overflow or underflow (core/validate.ts: 'values too
   * large / too small: rescale'), which models would otherwise call singular, constant
   * or rank deficient. Estimators of counts and symbols override it: their data are
   * checked as counts (exact integers up to 2^53 - 1), and never squared.
   */
  protected checkScale(data: Dataset): void {
    checkFitScale(data.X)
    if (data.y) checkFitScale({ rows: data.y.length, cols: 1, data: data.y }, 'y')
  }
  /** Restarts a fit runs (fewer when the start is fully given; one without an nInit option). */
  protected restarts(): number { return this.settings.nInit ?? 1 }
  /** Where a warm start begins: the fitted parameters (an estimator whose parameters carry data-dependent settings renews them). */
  protected warmStartParams(previous: P, _dataset: Dataset): P { return previous }
  /** Settings of the stepper beyond algorithm and accelerator (e.g. a restart's Monte Carlo seeds). */
  protected strategyExtras(_restart: number, _seed: number): Partial<StrategyOptions> { return {} }
  /**
   * What a fit keeps besides its parameters, read before its prepared data are freed
   * (e.g. a Monte Carlo chain's acceptance rates, the centre the parameters are
   * relative to); saved by toJSON. When restarts ran on workers, `data` was prepared
   * here but not run on. `params`: the fit's chosen parameters.
   */
  protected fitExtras(_model: M, _data: D, _dataset: Dataset, _params: P): Record<string, unknown> { return {} }
  /**
   * A finished run as the estimator reports it: a subclass may find it degenerate
   * where the engine could not (e.g. separated data, whose estimate does not exist)
   * and say why (see `degenerateRun`).
   */
  protected reviewFit(result: FitResult<P>, _model: M, _data: D): FitResult<P> { return result }
  /** Units of work of one restart, for 'auto' workers (rows x K x d^2 for a Gaussian mixture). */
  protected workOf(data: Dataset, _shape: Shape): number { return data.X.rows * data.X.cols }
  /**
   * The chosen restart's parameters with those the data fix rather than EM iterates
   * (factor analysis's mean): once per fit, on this thread, whoever ran the restarts.
   */
  protected completeParams(params: P, _data: D): P { return params }
  /**
   * A sharded fit's start drawn on its shards (models/init/plan.ts), as a plan given the
   * restart's generator; null when the start needs the rows on this thread (they are
   * then prepared here, as for a serial fit). The plan gives initialParams' bits.
   */
  protected shardedStart(_model: M, _dataset: Dataset): ((rng: Rng) => RowsPlan<P>) | null { return null }
  /** A shard's side of shardedStart's plan, over the shard's prepared rows. */
  protected startShard(_model: M, _data: D, _dataset: Dataset, _firstBlock: number): ShardHandler | null { return null }
  /** What the engine and the M-step read of a sharded fit's data when its rows stay on the shards (n, total weight); null: they need the rows here. */
  protected shardStandIn(_model: M, _dataset: Dataset): D | null { return null }
  /** The rows of a fit (its restarts' too) in kernel memory: prepareData unless the model evaluates a fit in blocks of rows and can hold less. */
  protected prepareFit(model: M, dataset: Dataset): D { return this.prepareData(model, dataset) }
  /** A shard's rows in kernel memory (evaluated only in blocks of SHARD_BLOCK_ROWS rows, one at a time): prepareData unless the model can hold less. */
  protected prepareShard(model: M, dataset: Dataset): D { return this.prepareData(model, dataset) }
  /** The shape of a later partialFit chunk, checked against the fitted one (a categorical model's chunk may lack its largest symbols). */
  protected chunkShape(data: Dataset, _fitted: Shape): Shape { return this.shapeOf(data) }
  /** Refuse data whose shape the fitted model cannot take (scoring calls). */
  protected checkShape(fitted: Shape, given: Shape): void {
    for (const [name, value] of Object.entries(fitted)) {
      if (given[name] !== undefined && given[name] !== value) {
        throw new InputError('SHAPE_MISMATCH', `X has ${name} = ${given[name]} but the model was fitted with ${name} = ${value}; pass data shaped like the training data.`, { expected: value, got: given[name] })
      }
    }
  }

  // ---- fitting ----

  /**
   * A public call's arguments as (input, options): `fit(X, options)` for most
   * estimators; regressions override it for `fit(X, y, options)` (input { X, y }).
   */
  protected splitArgs(args: readonly unknown[]): { input: unknown; options: unknown } {
    return { input: args[0], options: args[1] }
  }

  /** Fit by EM (best of nInit restarts, or one run from the fitted parameters with warmStart); resolves to this estimator. */
  async fit(...args: any[]): Promise<this> {
    const { input, options } = this.splitArgs(args)
    const callOptions = this.checkFitOptions(options)
    // a function returning a fresh stream: exact batch EM, one pass per iteration; a one-shot stream: read into memory
    if (typeof input === 'function') return this.fitStream(input as ChunkSource, callOptions)
    if (isAsyncIterable(input)) {
      const { collectChunks, refuseRowOptions } = await import('./stream.js')
      refuseRowOptions(callOptions, `${this.kind}.fit()`)
      await this.fitDataset(this.toDataset(await collectChunks(input, (X) => this.toDataset(X, {})), {}), callOptions)
      return this
    }
    // a sharded fit on the pool: its rows in shared memory from the start, copied once (one expression: no copy is held meanwhile),
    // and before any await (provideShardSharing): a caller's change after fit() returns cannot reach the fit
    const sharing = (callOptions as ShardedFitOptions<P>).workers !== undefined && parallelRunner()?.openShards ? shardSharing : null
    await this.fitDataset(sharing ? sharing.sharedDataset(this.toDataset(sharing.sharedInput(input, (callOptions as ShardedFitOptions<P>).workers, this.backendName), callOptions)) : this.toDataset(input, callOptions), callOptions)
    return this
  }

  /** Fit, then label the same data (scikit-learn's fit_predict). */
  async fitPredict(...args: any[]): Promise<number[]> {
    const predict = (this as unknown as { predict?: (...a: unknown[]) => number[] }).predict
    if (typeof predict !== 'function') throw new UnsupportedError(`${this.kind} has no predict(), so no fitPredict().`)
    await this.fit(...args)
    return predict.apply(this, args)
  }

  /** Fit to a validated dataset (what the bootstrap and workers call). */
  async fitDataset(given: Dataset, options: BaseFitOptions<P> = {}): Promise<this> {
    await this.loadParts(given)
    const dataset = this.forFit(given)
    this.checkScale(dataset)
    const shape = this.shapeOf(dataset)
    const kernels = await loadKernels(this.settings.backend, this.kernelFamilies())
    const model = this.createModel(kernels, shape)
    const warm = this.warmStartFrom(shape)
    let data: D | null = null
    let preparedHere = false
    try {
      // a sharded fit whose start runs on the shards: only the shards hold the rows
      const sharded = (options as ShardedFitOptions<P>).workers !== undefined
      const plan = sharded && !warm ? this.shardedStart(model, dataset) : null
      const standIn = sharded && (warm || plan) ? this.shardStandIn(model, dataset) : null
      preparedHere = standIn === null
      data = standIn ?? this.prepareFit(model, dataset)
      const prepared = data
      const restarts = warm ? 1 : this.restarts()
      const serial = options.signal || options.onIteration || warm
      const threads = serial ? 1 : threadsFor(this.settings.workers ?? 1, restarts, this.workOf(dataset, shape), this.kind)
      const result = (options as ShardedFitOptions<P>).workers !== undefined
        ? await this.shardedRestarts(model, prepared, dataset, restarts, options, warm, preparedHere ? null : plan)
        : threads > 1
        // on the pool (Node): imported on first use, so browser bundles (no pool) load it never
        ? await (await import('./parallel-restarts.js')).parallelRestarts<P>(this.toSpec(), dataset, this.seedOfFit, restarts, threads, this.backendName)
        : await bestOfRestarts(this.seedOfFit, restarts, (rng, restart, seed) => this.runRestart(model, prepared, dataset, rng, restart, seed, options, warm))
      const params = this.completeParams(result.params, prepared)
      const extras = this.fitExtras(model, prepared, dataset, params)
      this.state = { params, result: params === result.params ? result : { ...result, params }, shape, totalWeight: prepared.totalWeight, model, kernels, extras }
      this.trainingData = dataset
    } finally {
      if (data && preparedHere) model.release?.(data)
      model.dispose?.()
    }
    return this
  }

  /**
   * One restart on `dataset`, its initialisation drawn from `new Rng(seed)` (restart r
   * of a fit with seed s uses the r-th 32-bit output of `new Rng(s)`): what a worker
   * runs. Does not change this estimator.
   */
  async fitRestart(dataset: Dataset, seed: number, restart = 0): Promise<FitResult<P>> {
    // the body with the pool's side of restarts (parallel-restarts.ts): browsers, which have no pool, never load it
    return (await import('./parallel-restarts.js')).fitRestart(this.hooks(), dataset, seed, restart)
  }

  /**
   * Exact batch EM over a re-readable stream: `source()` gives a fresh iterable of
   * chunks each time. A first pass checks every chunk (columns as the first's, finite,
   * not ragged) and counts the rows; the start is drawn from the first chunk (restart 0's
   * seed; one run; settings a start derives from the data, such as a Bayesian mixture's
   * default priors, come from that chunk), or is the fitted parameters with warmStart; then every iteration
   * reads the stream once (engine/stream.ts), holding one prepared chunk and the
   * statistics. Its log-likelihoods equal in-memory EM's up to the order of the sums.
   */
  private async fitStream(source: ChunkSource, options: Readonly<Record<string, unknown>> & BaseFitOptions<P>): Promise<this> {
    // imported on first use: bundles load the stream's fit only for fits over a stream
    await (await import('./fit-stream.js')).fitStream(this.hooks(), source, options)
    return this
  }

  /**
   * Online EM (Cappé & Moulines): one step per chunk (per mini-batch of it for a
   * model with `onlineEM.batches`), s <- (1 - rho_t) s + rho_t s-bar(chunk),
   * rho_t = (t + learningOffset)^(-learningDecay), then the M-step (engine/online.ts).
   * The first call starts from the chunk (drawn as restart 0 of fit, from `seed`), or
   * from fitted parameters. `X` is one chunk (as fit's X, with
   * fit's options), or an async iterable of chunks. A call that fails (bad chunk, a
   * stream that throws, a degenerate step) leaves the estimator as it was before it.
   */
  async partialFit(...args: any[]): Promise<this> {
    // online EM (the call's checks, the chunks and each chunk's step) imported on first use: bundles load it only for partialFit
    await (await import('./partial-fit.js')).partialFit(this.hooks(), args)
    return this
  }

  /** Weight (rows; time steps for HMMs) that partialFit has seen (0 before the first call). */
  get nSeen(): number {
    return (this.state?.extras['online'] as OnlineState<P> | undefined)?.nSeen ?? 0
  }

  /** The step sizes of partialFit (an estimator whose mini-batches stand for a known total adds totalWeight); null: no online EM, so no partialFit. */
  protected onlineSettings(): OnlineSettings | null {
    const { learningOffset, learningDecay } = this.resolved as { learningOffset?: number; learningDecay?: number }
    return learningOffset === undefined || learningDecay === undefined ? null : { learningOffset, learningDecay }
  }

  /**
   * What the parts imported on demand (fit-stream.ts, partial-fit.ts, persist-read.ts's
   * restore, shard-fit.ts, standard-errors.ts, parallel-restarts.ts's fitRestart) drive: the estimator itself, its hooks
   * by name (no object of closures: a bundle's start carried ~1 kB of them). `Own`
   * checks at compile time that each hook is a member of the class with the hook's type.
   */
  private hooks(): EstimatorHooks<P, M, D> {
    type E = Estimator<P, M, D, O>
    type Own = {
      kind: E['kind']; settings: E['settings']; seedOfFit: E['seedOfFit']; state: E['state']; toDataset: E['toDataset']; checkScale: E['checkScale']
      forFit: E['forFit']; shapeOf: E['shapeOf']; chunkShape: E['chunkShape']; checkShape: E['checkShape']; warmStartFrom: E['warmStartFrom']
      loadParts: E['loadParts']; kernelFamilies: E['kernelFamilies']; createModel: E['createModel']; prepareData: E['prepareData']
      initialParams: E['initialParams']; reviveParams: E['reviveParams']; toSpec: E['toSpec']; backendName: E['backendName']; openShard: E['openShard']
      runRestart: E['runRestart']; prepareFit: E['prepareFit']; prepareShard: E['prepareShard']; startShard: E['startShard']; callOptions: E['callOptions']
      trainingData: E['trainingData']; reportStandardErrors: E['reportStandardErrors']; fitted: E['fitted']; checkFitOptions: E['checkFitOptions']
      splitArgs: E['splitArgs']; onlineSettings: E['onlineSettings']
    }
    return this as unknown as Own
  }

  /** The seed restarts derive from (0 for an estimator without a seed option: its start draws nothing). */
  private get seedOfFit(): number { return this.settings.seed ?? 0 }

  private warmStartFrom(shape: Shape): Fitted<P, M> | null {
    if (!this.settings.warmStart || !this.state) return null
    this.checkShape(this.state.shape, shape)
    return this.state
  }

  private runRestart(model: M, data: D, dataset: Dataset, rng: Rng, restart: number, seed: number, options: BaseFitOptions<P>, warm: Fitted<P, M> | null, stepper?: Stepper<P, D>, given?: P): Promise<FitResult<P>> {
    const start = given ?? (warm ? this.warmStartParams(warm.params, dataset) : this.initialParams(model, data, rng, dataset))
    const onIteration = options.onIteration
    return this.runEngineOn(model, data, start, this.settings, {
      ...(stepper ? { stepper } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onIteration ? { onIteration: (info: IterationInfo<P>) => onIteration({ ...info, restart }) } : {}),
      ...(warm ? lastStepObjective(warm, model, data.totalWeight) : {}),
    }, this.strategyExtras(restart, seed))
  }

  private async runEngineOn(model: M, data: D, start: P, settings: EngineRun, options: EngineCallOptions<P>, extras: Partial<StrategyOptions>): Promise<FitResult<P>> {
    return this.reviewFit(await runEngine(model, data, start, settings, options, extras), model, data)
  }

  /**
   * Restarts one after another, each one fit whose E-steps run on `options.workers`
   * shards of the rows (estimators/shard.ts); the shards keep their rows for all of them.
   */
  private async shardedRestarts(model: M, data: D, dataset: Dataset, restarts: number, options: BaseFitOptions<P>, warm: Fitted<P, M> | null, plan: ((rng: Rng) => RowsPlan<P>) | null): Promise<FitResult<P>> {
    // imported on first use with shard.ts: bundles load the sharded fit's body only for a fit given `workers`
    return (await import('./shard-fit.js')).shardedRestarts(this.hooks(), model, data, dataset, restarts, options, warm, plan)
  }

  /**
   * The rows of `dataset` (whole blocks of SHARD_BLOCK_ROWS rows, the first being global
   * block `firstBlock`) in kernel memory, for E-steps at parameters sent later: what a
   * shard of a sharded fit holds. Close it to free the memory.
   */
  async openShard(dataset: Dataset, firstBlock = 0): Promise<ShardSession<P>> {
    return (await import('./shard-fit.js')).openShard(this.hooks(), dataset, firstBlock)
  }

  /**
   * One host's part of an E-step at this fitted estimator's parameters: the statistics
   * of rows X (a shard: whole blocks of SHARD_BLOCK_ROWS rows, the first numbered
   * `firstBlock` over the whole data; only the last shard may end in a part block), as
   * a versioned binary buffer for `mergeStatistics` (docs/sharding.md). Takes the
   * options of a fit call that travel with the rows (e.g. sampleWeight).
   */
  async eStepShard(X: unknown, options: Readonly<Record<string, unknown>> & { firstBlock?: number } = {}): Promise<Uint8Array> {
    // the body with openShard's (shard-fit.ts): bundles load it only for a host's E-step
    return (await import('./shard-fit.js')).eStepShard(this.hooks(), X, options)
  }

  /**
   * The M-step from statistics of every shard at the current parameters
   * (`mergeStatistics` of the hosts' `eStepShard` buffers): the parameters move one EM
   * iteration; nIter counts it. The log-likelihood at the parameters the statistics
   * were computed at is `statisticsSummary(merged).logLik`. Statistics of other
   * parameters or another version are an InputError 'STATISTICS_FORMAT'.
   */
  mStep(statistics: Uint8Array): this {
    const s = this.fitted('mStep')
    const merged = sumDecoded(decodeStatistics(statistics))
    if (merged.fingerprint !== paramsFingerprint(s.model.pack(s.params))) {
      throw new InputError('STATISTICS_FORMAT', `The statistics were computed at other parameters than this ${this.kind}'s: send the hosts this estimator's current toJSON() before each eStepShard, and merge the buffers of one iteration only.`, { fingerprint: merged.fingerprint })
    }
    try {
      const params = s.model.mStep(merged.blocks[0]!.stats, s.params, undefined as never)
      this.state = { ...s, params, result: { ...s.result, params, nIter: s.result.nIter + 1 } }
    } finally {
      s.model.dispose?.()
    }
    return this
  }

  /** Options of a scoring call taking `names`: an object, known names only (with a suggestion). */
  protected callOptions(options: unknown, what: string, names: readonly string[]): Readonly<Record<string, unknown>> {
    const given = optionsObject(options, `${this.kind}.${what} options`)
    rejectUnknownCallNames(given, names, `${this.kind}.${what}()`, this.kind, Object.keys(this.schema))
    return given
  }

  /** Fit-call options (of `call`, named in messages): an object, known names only (with a suggestion), a real AbortSignal and callback. */
  protected checkFitOptions(options: unknown, call = 'fit'): Readonly<Record<string, unknown>> & BaseFitOptions<P> {
    const given = optionsObject(options, `${this.kind}.${call} options`, true)
    const names = [...(this.constructor as typeof Estimator).fitOptionNames, 'signal', 'onIteration']
    rejectUnknownCallNames(given, names, `${this.kind}.${call}()`, this.kind, Object.keys(this.schema))
    checkCallbacks(given)
    return given as Readonly<Record<string, unknown>> & BaseFitOptions<P>
  }

  // ---- the fitted state ----

  protected fitted(what: string): Fitted<P, M> {
    if (!this.state) throw new NotFittedError(this.kind, what)
    return this.state
  }

  /** Whether fit() (or fromJSON) has given this estimator parameters. */
  get isFitted(): boolean { return this.state !== null }
  /** { params, nIter, history, status, fixedPointEvaluations, objectiveEvaluations, ... } of the chosen restart. */
  get fitResult(): FitResult<P> { return this.fitted('fitResult').result }
  get converged(): boolean { return this.fitted('converged').result.converged }
  get nIter(): number { return this.fitted('nIter').result.nIter }
  get status(): FitStatus { return this.fitted('status').result.status }
  /** Objective (total log-likelihood) per iteration: [0] at the start, last at the fitted parameters. */
  get history(): number[] { return this.fitted('history').result.history.slice() }
  /** Total (weighted) log-likelihood of the fitted parameters on the training data. */
  get logLik(): number { return this.fitted('logLik').result.logLik }
  /** Mean log-likelihood per sample (per unit of weight) on the training data. */
  get lowerBound(): number {
    const s = this.fitted('lowerBound')
    return s.result.logLik / s.totalWeight
  }
  /** Number of features (columns) seen in fit. */
  get nFeaturesIn(): number { return this.fitted('nFeaturesIn').shape['nFeatures'] ?? this.fitted('nFeaturesIn').shape['d']! }
  /** Free parameters of the fitted model (for BIC and AIC). */
  nParameters(): number {
    const s = this.scoringState('nParameters')
    return s.model.nParameters(s.params)
  }

  /**
   * Standard errors of the fitted parameters from the observed information on the
   * training data: `method` 'louis', 'sem' or 'hessian' (default; every model). The
   * parameters are the model's free ones (see each estimator's parameterisation: e.g.
   * a mixture's weights are the first K - 1). Throws UNSUPPORTED for a method the model
   * cannot honour and SINGULAR_INFORMATION (InformationError, naming the parameters)
   * when the information is not positive definite at the estimate.
   */
  async standardErrors(options: { method?: InformationMethod } = {}): Promise<StandardErrors> {
    // imported on first use with the information terms: bundles load them only for standard errors
    return (await import('./standard-errors.js')).standardErrors(this.hooks(), options)
  }

  /** Standard errors as the user sees the parameters (e.g. a mean fitted to centred data moved back); default: as computed. */
  protected reportStandardErrors(se: StandardErrors, _extras: Readonly<Record<string, unknown>>): StandardErrors { return se }

  // ---- scoring ----

  /** The parameters scoring calls use: the fit's (an HMM with every parameter given overrides it to score before fit). */
  protected scoringState(what: string): Scoring<P, M> {
    return this.fitted(what)
  }

  /**
   * Run `read` on `X` prepared for the fitted model (validated like fit's input, its
   * shape checked against the training data); the prepared data is freed afterwards.
   */
  protected withData<T>(X: unknown, options: Readonly<Record<string, unknown>>, what: string, read: (model: M, data: D, params: P, dataset: Dataset) => T): T {
    const s = this.scoringState(what)
    const dataset = this.toDataset(X, options)
    this.checkShape(s.shape, this.shapeOf(dataset))
    const data = this.prepareData(s.model, dataset)
    try {
      return read(s.model, data, s.params, dataset)
    } finally {
      s.model.release?.(data)
      s.model.dispose?.()
    }
  }

  /** Log-likelihood of each sample (row) of X under the fitted model. */
  abstract scoreSamples(...args: any[]): unknown

  /**
   * The arguments of this estimator's public scoring calls (scoreSamples, bic,
   * predictProba, ...) naming the data of `data`: [X] here; [X, y] for regressions,
   * [counts, { exposure }], [X, { lengths }], ... where the calls take more than X.
   */
  protected scoringArgs(data: Dataset): unknown[] {
    return [data.X]
  }

  /**
   * A dataset scored at the fitted parameters, as model selection reads it: the total
   * log-likelihood and its n as bic() counts them, and for latent-class estimators the
   * posterior class probabilities of the rows (for ICL; null otherwise). With
   * sampleWeight a row counts w times: log L = sum_i w_i l_i, n = sum_i w_i.
   */
  scoreDataset(data: Dataset): DatasetScore {
    const args = this.scoringArgs(data)
    const { logLik, n } = data.sampleWeight ? this.weightedLogLik(args, data.sampleWeight) : this.totalLogLik(args)
    const posteriors = hasLatentClasses(this) ? (this as unknown as LatentClasses).predictProba(...args) : null
    return { logLik, n, posteriors }
  }

  private weightedLogLik(args: readonly unknown[], weight: Float64Array): { logLik: number; n: number } {
    const rows = this.scoreSamples(...args) as ArrayLike<number>
    if (rows.length !== weight.length) {
      throw new UnsupportedError(`${this.kind}.scoreSamples does not give one log-likelihood per row (sampleWeight has ${weight.length}), so its rows cannot be weighted; leave sampleWeight out.`)
    }
    let logLik = 0, n = 0
    for (let i = 0; i < weight.length; i++) { logLik += weight[i]! * rows[i]!; n += weight[i]! }
    return { logLik, n }
  }

  /**
   * Total log-likelihood of the data a public call names, and the number of samples
   * it is over (what bic/aic/score read); no arguments: the training data's.
   */
  protected totalLogLik(args: readonly unknown[]): { logLik: number; n: number } {
    if (args.length === 0 || args[0] === undefined) {
      const s = this.fitted('score/bic/aic')
      return { logLik: s.result.logLik, n: s.totalWeight }
    }
    const s = this.scoreSamples(...args) as number[]
    let total = 0
    for (const v of s) total += v
    return { logLik: total, n: s.length }
  }

  /** Mean log-likelihood per sample of X (scikit-learn's score for density models). */
  score(...args: any[]): number {
    const { logLik, n } = this.totalLogLik(args)
    return logLik / n
  }

  /** Bayesian information criterion on X (default: the training data): -2 log L + p log n, smaller is better. */
  bic(...args: any[]): number {
    const { logLik, n } = this.totalLogLik(args)
    return bic(logLik, this.nParameters(), n)
  }

  /** Akaike information criterion on X (default: the training data): -2 log L + 2 p, smaller is better. */
  aic(...args: any[]): number {
    return aic(this.totalLogLik(args).logLik, this.nParameters())
  }

  // ---- saving and loading ----

  /** The estimator as a versioned, plain-JSON document (see persist.ts); fromJSON restores it bit for bit. */
  toJSON(): SavedModel {
    const s = this.state
    return {
      format: MODEL_FORMAT,
      version: MODEL_VERSION,
      kind: this.kind,
      options: encode(this.given),
      fitted: s ? {
        shape: encode(s.shape), params: encode(s.params), result: encode(resultSummary(s.result)), totalWeight: s.totalWeight,
        ...(Object.keys(s.extras).length > 0 ? { extras: encode(s.extras) } : {}),
      } : null,
    }
  }

  /** An estimator of this class from a document made by toJSON (a string is parsed first). */
  static async fromJSON<E extends Estimator<any, any, any>>(this: EstimatorClass<E>, json: unknown): Promise<E> {
    // the format's reader imported on demand: bundles load it only for loading a model
    const { decode, readSaved } = await import('./persist-read.js')
    const doc = readSaved(json, this.kind)
    const estimator = new this(decode(doc.options))
    await estimator.restore(doc)
    return estimator
  }

  /** Load the fitted part of a document into this (fresh) estimator. */
  async restore(doc: SavedModel): Promise<this> {
    // the format's reader (and this body) imported on demand: bundles load them only for loading a model
    if (doc.fitted) await (await import('./persist-read.js')).restoreFitted(this.hooks(), doc.fitted)
    return this
  }

  /** Parameters from their decoded JSON (typed arrays already restored); override to rebuild derived fields. */
  protected reviveParams(value: unknown): P {
    return value as P
  }

  /** Kernels of the fitted model, for subclasses' samplers and scoring. */
  protected get backendName(): BackendName { return this.settings.backend ?? 'wasm' }
}

/** The parts of a FitResult worth saving (no parameters: they are saved once, and no error object). */
function resultSummary<P>(r: FitResult<P>): Json {
  const { params: _params, error, ...rest } = r
  return { ...(rest as unknown as Record<string, Json>), ...(error ? { error: { code: error.code, message: error.message } } : {}) }
}

/**
 * scikit-learn's warm start: the first change of a warm fit is measured from the
 * objective of the previous fit's last step (before its last update: scikit-learn's
 * lower_bound_), per unit of weight when the data differ. A warm fit's first step
 * evaluates the previous fit's final parameters, so measuring from that final value
 * would always give a change of 0; measured this way, a loop of maxIter = 1 warm fits
 * reports `converged` at the same iteration as one long fit. A model whose tol bounds
 * its total objective (objectiveScale: the variational bound, as scikit-learn's)
 * carries the total.
 */
function lastStepObjective<P>(warm: { readonly result: FitResult<P>; readonly totalWeight: number }, model: FitModel<P, any>, totalWeight: number): { previousObjective?: number } {
  const h = warm.result.history
  if (h.length < 2) return {}
  const last = h[h.length - 2]!
  return { previousObjective: model.objectiveScale || warm.totalWeight === totalWeight ? last : (last / warm.totalWeight) * totalWeight }
}

/** Whether `obj`'s class chain defines a getter `name` (below Object.prototype). */
function hasGetter(obj: object, name: string): boolean {
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name)
    if (d) return typeof d.get === 'function'
  }
  return false
}

export { checkCallbacks }

/** `result` with status 'degenerate' for the reason `error` gives. */
export function degenerateRun<P>(result: FitResult<P>, error: DegenerateError): FitResult<P> {
  return { ...result, status: 'degenerate', converged: false, error }
}
