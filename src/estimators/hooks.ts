/**
 * The types an estimator is made of (its shape, model, fit options, fitted state,
 * settings) and the hooks through which the parts imported on demand (fit-stream.ts,
 * partial-fit.ts, persist-read.ts's restore, shard-fit.ts, standard-errors.ts) drive it; base.ts re-exports them. Apart from base.ts so that those
 * modules need not import it (no circle).
 */
import type { Rng } from '../core/rng/xoshiro128.js'
import type { EMModel, FitResult, IterationInfo, PreparedData, Stepper } from '../engine/types.js'
import type { StandardErrors } from '../engine/information/index.js'
import type { ShardHandler } from '../models/init/plan.js'
import type { EstimatorSpec } from '../runtime/tasks.js'
import type { ShardSession } from './shard.js'
import type { BackendName, Kernels } from '../kernels/types.js'
import type { KernelFamily } from '../kernels/exports.js'
import type { Dataset } from '../runtime/dataset.js'
import type { Workers } from '../runtime/runner.js'
import type { OnlineSettings } from '../engine/online-options.js'
import type { EngineRun } from './engine-call.js'

/** What the model was built for: numbers that fix its parameter shapes (features, symbols, ...). */
export type Shape = Readonly<Record<string, number>>

/** A model the base can fit and score: the engine's interface plus freeing its prepared data. */
export interface FitModel<P, D extends PreparedData> extends EMModel<P, D> {
  /** Free the kernel memory of prepared data. */
  release?(data: D): void
  /**
   * Free any kernel memory the model itself holds (work space); the model stays usable
   * and makes it again when needed. The base calls it after every fit and scoring call,
   * so a fitted estimator holds no kernel memory between calls (wasm memory is not
   * garbage-collected: a service fitting in a loop would otherwise grow without bound).
   */
  dispose?(): void
}

/** The options every fit call takes (estimators add their own, e.g. sampleWeight, lengths). */
export interface BaseFitOptions<P> {
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<P> & { restart: number }) => void
}

/** What scoring calls read: parameters, the shape they were fitted for, and the model that evaluates them. */
export interface Scoring<P, M> {
  readonly params: P
  readonly shape: Shape
  readonly model: M
}

/** The fit options of estimators whose one fit shards over workers (their fitOptionNames list 'workers'). */
export interface ShardedFitOptions<P> extends BaseFitOptions<P> {
  /** One fit with its rows sharded over this many workers ('auto': the cores); bit-identical for any count (estimators/shard.ts, docs/sharding.md). */
  workers?: Workers
}

/** A fit call that takes frequency weights. */
export interface WeightedFitOptions<P> extends BaseFitOptions<P> {
  /** Frequency weights, one per row: weight 2 counts the row twice (e.g. a table of values and frequencies). */
  sampleWeight?: ArrayLike<number>
}

export interface Fitted<P, M> extends Scoring<P, M> {
  readonly result: FitResult<P>
  readonly totalWeight: number
  readonly kernels: Kernels
  /** What the fit keeps besides its parameters (see fitExtras); saved with them. */
  readonly extras: Readonly<Record<string, unknown>>
}

/**
 * The options the base itself reads. An estimator whose start is deterministic has no
 * nInit, seed or workers (one run: nothing to draw, nothing to spread over threads);
 * one that runs only MCEM has no tol, criterion or accelerate (MCEM stops by its own
 * rule and is never extrapolated).
 */
export interface EngineSettings extends EngineRun {
  readonly nInit?: number
  readonly seed?: number
  readonly backend?: BackendName
  readonly workers?: Workers
  readonly warmStart: boolean
}

/**
 * An estimator as the fits imported on demand see it (fit-stream.ts, partial-fit.ts):
 * its settings, its fitted state, and the hooks of its subclass.
 */
export interface EstimatorHooks<P, M extends FitModel<P, D>, D extends PreparedData> {
  readonly kind: string
  readonly settings: EngineSettings
  /** The seed restarts derive from. */
  readonly seedOfFit: number
  state: Fitted<P, M> | null
  toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset
  checkScale(data: Dataset): void
  forFit(data: Dataset): Dataset
  shapeOf(data: Dataset): Shape
  chunkShape(data: Dataset, fitted: Shape): Shape
  checkShape(fitted: Shape, given: Shape): void
  /** The fitted state a warm start continues from (null: a fresh start). */
  warmStartFrom(shape: Shape): Fitted<P, M> | null
  loadParts(data: Dataset | null): Promise<void>
  /** The kernel families its models run (loadKernels' `families`). */
  kernelFamilies(): readonly KernelFamily[] | undefined
  createModel(kernels: Kernels, shape: Shape): M
  prepareData(model: M, data: Dataset): D
  initialParams(model: M, data: D, rng: Rng, dataset: Dataset): P
  /** Parameters from their decoded JSON (persist-read.ts's restore). */
  reviveParams(value: unknown): P
  // what the sharded fit's and standard errors' bodies read (shard-fit.ts, standard-errors.ts)
  toSpec(): EstimatorSpec
  readonly backendName: BackendName
  openShard(data: Dataset, firstBlock: number): Promise<ShardSession<P>>
  /** One restart's run (a sharded fit's: its stepper, and the start its shards drew). */
  runRestart(model: M, data: D, dataset: Dataset, rng: Rng, restart: number, seed: number, options: BaseFitOptions<P>, warm: Fitted<P, M> | null, stepper?: Stepper<P, D>, given?: P): Promise<FitResult<P>>
  /** The rows of a fit (a restart's on a worker: parallel-restarts.ts's fitRestart) in kernel memory. */
  prepareFit(model: M, data: Dataset): D
  prepareShard(model: M, data: Dataset): D
  startShard(model: M, data: D, dataset: Dataset, firstBlock: number): ShardHandler | null
  callOptions(options: unknown, what: string, names: readonly string[]): Readonly<Record<string, unknown>>
  /** Fit-call options (of `call`): known names only, a real AbortSignal and callback. */
  checkFitOptions(options: unknown, call?: string): Readonly<Record<string, unknown>> & BaseFitOptions<P>
  /** A fit call's arguments: the input and the options object. */
  splitArgs(args: readonly unknown[]): { input: unknown; options: unknown }
  /** partialFit's step sizes (null: the estimator has no online EM). */
  onlineSettings(): OnlineSettings | null
  /** The fitted state, or NotFittedError naming the call `what`. */
  fitted(what: string): Fitted<P, M>
  /** The data of the last fit (null for a loaded model). */
  readonly trainingData: Dataset | null
  reportStandardErrors(se: StandardErrors, extras: Readonly<Record<string, unknown>>): StandardErrors
}
