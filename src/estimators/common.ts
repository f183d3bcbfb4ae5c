import { CRITERIA } from '../engine/convergence.js'
import { fitEM } from '../engine/fitEM.js'
import { type Accelerate, type Algorithm, ALGORITHMS, checkAccelerate, makeStepper, refuseAcceleratedStochastic, type StrategyOptions, unsupportedAlgorithm } from '../engine/strategy.js'
import type { Criterion, EMModel, FitResult, FitStatus, IterationInfo, PreparedData } from '../engine/types.js'
import { NotFittedError, UnsupportedError } from '../core/errors.js'
import { BACKEND_NAMES, type BackendName } from '../kernels/types.js'
import type { EstimatorSpec } from '../runtime/tasks.js'
import type { McemOptions } from '../engine/variants/mcem.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { integerAtLeast, numberAtLeast, oneOf, safeInteger } from './options.js'
import { bestOfRestarts } from '../runtime/restarts.js'

/** Options every EM estimator takes (besides its model's own). */
export interface EstimatorOptions<A extends Algorithm = Algorithm> {
  /** Convergence threshold (default 1e-3): see `criterion`. */
  tol?: number
  /** 'objective' (default): stop when the mean per-sample log-likelihood changes by less than tol; 'parameters': when the packed parameters move by less than tol (Euclidean norm). */
  criterion?: Criterion
  /** Maximum iterations per restart (default 100). */
  maxIter?: number
  /** Number of restarts; the best final log-likelihood wins (default 1). */
  nInit?: number
  /** Seed of the one random generator (default 0). */
  seed?: number
  /** Compute backend (default 'wasm': SIMD where supported, else scalar). */
  backend?: BackendName
  /** How the E- and M-steps are done (default 'em'); each model lists what it supports. */
  algorithm?: A
  /** 'none' (default), 'aitken', 'squarem', 'quasi-newton', or { method, ...settings }. */
  accelerate?: Accelerate
}

export const ESTIMATOR_OPTION_NAMES = ['tol', 'criterion', 'maxIter', 'nInit', 'seed', 'backend', 'algorithm', 'accelerate'] as const

export interface Settings {
  readonly tol: number
  readonly criterion: Criterion
  readonly maxIter: number
  readonly nInit: number
  readonly seed: number
  readonly backend: BackendName
  readonly algorithm: Algorithm
  readonly accelerate: Accelerate
}

/**
 * What one engine run reads of the settings. Left out, tol is 1e-3, criterion
 * 'objective', algorithm 'em' and accelerate 'none' (the engine's defaults).
 */
export type EngineRun = Pick<Settings, 'maxIter'> & Partial<Pick<Settings, 'tol' | 'criterion' | 'algorithm' | 'accelerate'>>

/** Check the shared options; `supported` are the algorithms this model (as configured) can run. */
export function parseSettings(options: EstimatorOptions, modelName: string, supported: readonly Algorithm[], defaults: { tol?: number; maxIter?: number } = {}, why = ''): Settings {
  const algorithm = oneOf('algorithm', options.algorithm ?? 'em', ALGORITHMS)
  if (!supported.includes(algorithm)) throw unsupportedAlgorithm(modelName, algorithm, supported, why)
  const criterion = oneOf('criterion', options.criterion ?? 'objective', CRITERIA)
  const accelerate = checkAccelerate(options.accelerate ?? 'none')
  refuseAcceleratedStochastic(algorithm, accelerate)
  return {
    tol: numberAtLeast('tol', options.tol ?? defaults.tol ?? 1e-3, 0),
    criterion,
    maxIter: integerAtLeast('maxIter', options.maxIter ?? defaults.maxIter ?? 100, 1),
    nInit: integerAtLeast('nInit', options.nInit ?? 1, 1),
    seed: safeInteger('seed', options.seed ?? 0),
    backend: oneOf('backend', options.backend ?? 'wasm', BACKEND_NAMES),
    algorithm,
    accelerate,
  }
}

export interface FitCallOptions<P> {
  /** Frequency weights: weight 2 counts the row twice. */
  sampleWeight?: ArrayLike<number>
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<P> & { restart: number }) => void
}

/** What a fit call may pass to the engine besides the data. */
export interface EngineCallOptions<P> {
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<P>) => void
  previousObjective?: number
}

/**
 * One run of the engine with the estimator's settings: its algorithm, accelerator and
 * stopping rule, and the settings of a Monte Carlo algorithm (`monteCarlo.mcem`).
 */
export function runEngine<P, D extends PreparedData>(
  model: EMModel<P, D>, data: D, start: P, settings: EngineRun, options: EngineCallOptions<P>, extras: Partial<StrategyOptions> = {},
): Promise<FitResult<P>> {
  return fitEM(model, data, start, {
    tol: settings.tol,
    criterion: settings.criterion,
    maxIter: settings.maxIter,
    stepper: makeStepper(model, { algorithm: settings.algorithm, accelerate: settings.accelerate, ...extras }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onIteration ? { onIteration: options.onIteration } : {}),
    ...(options.previousObjective !== undefined ? { previousObjective: options.previousObjective } : {}),
  })
}

/** Best of `nInit` restarts, each one run of the engine with the configured algorithm and accelerator. */
export function fitWithRestarts<P, D extends PreparedData>(
  model: EMModel<P, D>, data: D, settings: Settings, restarts: number,
  start: (rng: Rng) => P, options: FitCallOptions<P>,
): Promise<FitResult<P>> {
  return bestOfRestarts(settings.seed, restarts, (rng, restart) => {
    const onIteration = options.onIteration
    return runEngine(model, data, start(rng), settings, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onIteration ? { onIteration: (info: IterationInfo<P>) => onIteration({ ...info, restart }) } : {}),
    })
  })
}

/** The fit-result getters every estimator shares. */
export abstract class FittedEstimator<P> {
  protected result: FitResult<P> | null = null
  protected totalWeight = 0
  protected abstract readonly estimatorName: string
  /** The constructor options as given (a shallow copy, set by the subclass's constructor): what re-creates this estimator elsewhere. */
  protected specOptions: Readonly<Record<string, unknown>> | null = null

  /** { kind, options }: re-creatable on a worker thread (the bootstrap's registry, src/registry/kinds/). */
  toSpec(): EstimatorSpec {
    // no silent default: replicates re-created without the user's options would be wrong, not slow
    if (!this.specOptions) throw new UnsupportedError(`${this.estimatorName} cannot be described for workers or the bootstrap yet: its constructor does not record its options (this.specOptions).`)
    return { kind: this.estimatorName, options: this.specOptions }
  }

  protected fitted(what: string): FitResult<P> {
    if (!this.result) throw new NotFittedError(this.estimatorName, what)
    return this.result
  }

  /** { params, nIter, history, status, fixedPointEvaluations, objectiveEvaluations, ... } of the chosen restart. */
  get fitResult(): FitResult<P> { return this.fitted('fitResult') }
  get converged(): boolean { return this.fitted('converged').converged }
  get nIter(): number { return this.fitted('nIter').nIter }
  get status(): FitStatus { return this.fitted('status').status }
  /** Total log-likelihood per iteration: [0] at the start, last at the fitted parameters. */
  get history(): number[] { return this.fitted('history').history.slice() }
  /** Total (weighted) log-likelihood of the fitted parameters on the training data. */
  get logLik(): number { return this.fitted('logLik').logLik }
  /** Mean log-likelihood per sample (per unit of weight) on the training data. */
  get lowerBound(): number { return this.fitted('lowerBound').logLik / this.totalWeight }
}
