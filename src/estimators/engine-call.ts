/** The one engine call of every estimator: its settings, its stepper, its fit-call hooks. */
import { checkPreparedData, FIT_DEFAULTS } from '../engine/check.js'
import { runEM } from '../engine/fitEM.js'
import type { Accelerate, Algorithm, StrategyOptions } from '../engine/strategy.js'
import { loadStepper } from '../engine/load-stepper.js'
import type { Criterion, EMModel, FitResult, IterationInfo, PreparedData, Stepper } from '../engine/types.js'

/**
 * What one engine run reads of an estimator's options. Left out, tol is 1e-3,
 * criterion 'objective', algorithm 'em' and accelerate 'none' (the engine's defaults).
 */
export interface EngineRun {
  readonly maxIter: number
  readonly tol?: number
  readonly criterion?: Criterion
  readonly algorithm?: Algorithm
  readonly accelerate?: Accelerate
  /** Row blocks of algorithm 'incremental' (estimators that offer it have the option). */
  readonly blocks?: number
}

/** What a fit call may pass to the engine besides the data. */
export interface EngineCallOptions<P> {
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<P>) => void
  previousObjective?: number
  /** How an iteration moves the parameters instead of the estimator's settings (a sharded fit's stepper). */
  stepper?: Stepper<P, any>
}

/**
 * One run of the engine with the estimator's settings: its algorithm, accelerator and
 * stopping rule, and the settings of a Monte Carlo algorithm (`extras.sem`, `extras.mcem`).
 */
export async function runEngine<P, D extends PreparedData>(
  model: EMModel<P, D>, data: D, start: P, settings: EngineRun, options: EngineCallOptions<P>, extras: Partial<StrategyOptions> = {},
): Promise<FitResult<P>> {
  const stepper = options.stepper ?? await loadStepper(model, { algorithm: settings.algorithm, accelerate: settings.accelerate, blocks: settings.blocks, ...extras })
  return runWithStepper(model, data, start, settings, { ...options, stepper })
}

/**
 * The engine's loop with the estimator's stopping rule and a stepper at hand (the
 * stream's fit passes its own). The settings were checked by the estimator's schema,
 * the callbacks by its fit call: fitEM's loop (runEM) without its options' checks, so
 * bundles leave those out; the data are checked as fitEM checks them (the model is
 * emkit's own: fitEM and makeStepper check a given one's functions).
 */
export function runWithStepper<P, D extends PreparedData>(
  model: EMModel<P, D>, data: D, start: P, settings: EngineRun, options: EngineCallOptions<P> & { stepper: Stepper<P, D> },
): Promise<FitResult<P>> {
  checkPreparedData(data)
  return runEM(model, data, start, {
    tol: settings.tol ?? FIT_DEFAULTS.tol,
    criterion: settings.criterion ?? FIT_DEFAULTS.criterion,
    maxIter: settings.maxIter,
    stepper: options.stepper,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onIteration ? { onIteration: options.onIteration } : {}),
    ...(options.previousObjective !== undefined ? { previousObjective: options.previousObjective } : {}),
  })
}
