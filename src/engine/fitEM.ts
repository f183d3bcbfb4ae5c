import { DegenerateError } from '../core/errors.js'
import { checkFitArguments } from './check.js'
import { hasConverged, hasConvergedRelative, isDecrease, parameterChange } from './convergence.js'
import { emStepper } from './emStep.js'
import type { Criterion, EMModel, FitOptions, FitResult, FitStatus, PreparedData, Stepper, StoppingRule } from './types.js'
import type { MonteCarloReport } from './types.js'

/** Hand control back to the event loop this often, so an AbortSignal can fire. */
const YIELD_EVERY_MS = 50

/**
 * The one EM loop of emkit. Each iteration asks the stepper (the plain EM map unless
 * a variant or accelerator supplies another) to move the parameters; the step reports
 * the objective at the parameters it started from, which is recorded, and the loop
 * stops when the mean per-sample objective (or the objective on the model's
 * `objectiveScale`) changed by less than `tol` (or, with
 * criterion 'parameters', when the packed parameters moved by less than `tol`; a
 * stepper that owns its stopping rule, like an accelerator, decides instead). A final evaluation at the
 * returned parameters closes the history, so `predict` after a fit sees exactly the
 * parameters whose log-likelihood was reported.
 */
export async function fitEM<P, D extends PreparedData>(
  model: EMModel<P, D>, data: D, start: P, options: FitOptions<P> = {},
): Promise<FitResult<P>> {
  return runEM(model, data, start, checkFitArguments<P>(model, data, options))
}

/** fitEM's options once checked (check.ts's checkFitArguments, or an estimator's schema). */
export type CheckedFitOptions<P> = FitOptions<P> & { tol: number; maxIter: number; criterion: Criterion }

/**
 * The loop of fitEM on checked options (the model and data checked too: check.ts's
 * checkRunArguments): what an estimator's run calls (estimators/engine-call.ts).
 */
export async function runEM<P, D extends PreparedData>(
  model: EMModel<P, D>, data: D, start: P, options: CheckedFitOptions<P>,
): Promise<FitResult<P>> {
  const { tol, maxIter, criterion } = options
  const scale = model.objectiveScale?.(data) ?? data.totalWeight
  const rule: StoppingRule = { criterion, tol, scale }

  const began = now()
  let lastYield = began
  const history: number[] = []
  const decreases: number[] = []
  let params = start
  let status: FitStatus = 'max-iter'
  let error: DegenerateError | undefined
  let nIter = 0
  let objectiveEvaluations = 0
  let fixedPointEvaluations = 0
  const stepper: Stepper<P, D> = options.stepper ?? emStepper(model)
  let finalLogLik: number | undefined
  /** The parameters the last step started from: their objective is the last one recorded. */
  let lastFrom: P | undefined

  for (let iteration = 1; iteration <= maxIter; iteration++) {
    if (options.signal?.aborted) { status = 'aborted'; break }
    let step
    try {
      step = stepper.stepAsync ? await stepper.stepAsync(data, params, rule) : stepper.step(data, params, rule)
    } catch (e) {
      if (!(e instanceof DegenerateError)) throw e
      status = 'degenerate'
      error = e
      break
    }
    const { logLik } = step
    objectiveEvaluations += step.objectiveEvaluations
    fixedPointEvaluations += step.fixedPointEvaluations
    history.push(logLik)
    if (!Number.isFinite(logLik)) {
      status = 'degenerate'
      error = new DegenerateError('DEGENERATE', `The log-likelihood became ${logLik} at iteration ${iteration}; rescale the data or use fewer components.`, { iteration })
      finalLogLik = logLik
      break
    }
    const previous = history.length > 1 ? history[history.length - 2]! : -Infinity
    // a stochastic objective is an estimate: its falls are noise, not a broken monotone map
    if (!model.stochastic && isDecrease(logLik, previous)) decreases.push(iteration - 1)
    // a warm start measures its first change from the fit it continues (scikit-learn's warm_start)
    const before = history.length > 1 ? previous : (options.previousObjective ?? previous)
    const from = params
    lastFrom = from
    params = step.params
    nIter = iteration
    const change = (logLik - before) / scale
    options.onIteration?.({ iteration, logLik, change, params })
    const converged = step.converged ?? (model.stopRule ? model.stopRule(history, data) : criterion === 'objective'
      ? hasConverged(logLik, before, scale, tol)
      : criterion === 'relative' ? hasConvergedRelative(logLik, before, tol)
        : parameterChange(model.pack(from), model.pack(params)) < tol)
    // mclust's rule keeps the parameters whose log-likelihood stopped it
    if (converged && criterion === 'relative' && step.converged === undefined) params = from
    if (converged) { status = 'converged'; break }
    if (now() - lastYield > YIELD_EVERY_MS) {
      await yieldToEventLoop()
      lastYield = now()
    }
  }

  if (finalLogLik === undefined) {
    try {
      // a stream's stepper evaluates the objective with one more pass over the stream; CEM's is the classification log-likelihood
      finalLogLik = stepper.objective ? await stepper.objective(data, params) : model.logLik(data, params)
      objectiveEvaluations++
    } catch (e) {
      // the last M-step left parameters the model cannot evaluate (e.g. a scatter no longer positive
      // definite): degenerate, keeping the parameters whose objective was last recorded, as when the
      // same happens to a step inside the loop
      if (!(e instanceof DegenerateError) || lastFrom === undefined) throw e
      status = 'degenerate'
      error = e
      params = lastFrom
      finalLogLik = history[history.length - 1]!
    }
    history.push(finalLogLik)
    const previous = history.length > 1 ? history[history.length - 2]! : -Infinity
    if (!model.stochastic && isDecrease(finalLogLik, previous)) decreases.push(nIter)
  }

  return {
    params,
    history,
    logLik: finalLogLik,
    nIter,
    status,
    converged: status === 'converged',
    fixedPointEvaluations,
    objectiveEvaluations,
    decreases,
    ...(error ? { error } : {}),
    timeMs: now() - began,
    ...monteCarloFields(stepper),
  }
}

/** What a Monte Carlo stepper reports, and its last Monte Carlo error at the top level. */
function monteCarloFields(stepper: Stepper<unknown, any>): { monteCarlo?: MonteCarloReport; mcError?: number } {
  if (!stepper.report) return {}
  const monteCarlo = stepper.report()
  return { monteCarlo, mcError: monteCarlo.mcError }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now()
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0))
}
