/**
 * The checks of fitEM's arguments (a public entry point: anything may arrive), and of
 * the callbacks every fit call takes. Each failure is a typed EmkitError naming the
 * argument, the value given and what to do, never a TypeError from deep in the loop.
 */
import { InputError, OptionError, UnsupportedError } from '../core/errors.js'
import { optionsObject, rejectUnknownNames } from '../core/options.js'
import { show } from '../core/show.js'
import { CRITERIA } from './convergence.js'
import type { Criterion, EMModel, FitOptions, PreparedData } from './types.js'

const FIT_OPTION_NAMES = ['tol', 'criterion', 'maxIter', 'onIteration', 'signal', 'stepper', 'previousObjective']

/** fitEM's stopping rule when its options leave it out (an estimator's run takes the same: engine-call.ts). */
export const FIT_DEFAULTS = { tol: 1e-3, maxIter: 100, criterion: 'objective' } as const satisfies { tol: number; maxIter: number; criterion: Criterion }

/** Refuse a `signal` that is not an AbortSignal and an `onIteration` that is not a function. */
export function checkCallbacks(given: Readonly<Record<string, unknown>>): void {
  const signal = given['signal']
  if (signal !== undefined && !isAbortSignal(signal)) {
    const hint = signal && typeof signal === 'object' && 'signal' in signal ? ' (you passed an AbortController: pass its .signal)' : ''
    throw new OptionError('signal', `must be an AbortSignal${hint}, got ${show(signal)}.`)
  }
  const onIteration = given['onIteration']
  if (onIteration !== undefined && typeof onIteration !== 'function') throw new OptionError('onIteration', `must be a function, got ${show(onIteration)}.`)
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return typeof AbortSignal !== 'undefined' && value instanceof AbortSignal
    || (!!value && typeof value === 'object' && typeof (value as AbortSignal).aborted === 'boolean' && typeof (value as AbortSignal).addEventListener === 'function')
}

/** A model with the functions a fit calls: logLik always, eStep and mStep for the plain EM map, pack for criterion 'parameters'. */
export function checkModel(model: unknown, needs: readonly string[], who = 'fitEM'): asserts model is EMModel<unknown, PreparedData> {
  if (!model || typeof model !== 'object') {
    const functions = needs.length > 0 ? ` with ${needs.map((f) => `${f}()`).join(', ')}` : ''
    throw new UnsupportedError(`${who} needs a model object${functions} (the EM model interface), got ${show(model)}.`)
  }
  const missing = needs.filter((f) => typeof (model as Record<string, unknown>)[f] !== 'function')
  if (missing.length > 0) {
    const name = typeof (model as { name?: unknown }).name === 'string' ? `'${(model as { name: string }).name}'` : 'given'
    throw new UnsupportedError(`The model ${name} has no ${missing.map((f) => `${f}()`).join(', ')}: ${who} needs ${needs.map((f) => `${f}()`).join(', ')} (see the EMModel interface), or a stepper for other algorithms.`, { missing })
  }
}

/**
 * fitEM's arguments checked: the model's functions, prepared data with a positive
 * total weight (the scale of `tol`: with weight 0 there is nothing to fit), and the
 * options (known names, their types, a real AbortSignal and callback).
 */
export function checkFitArguments<P>(model: unknown, data: unknown, options: unknown): FitOptions<P> & { tol: number; maxIter: number; criterion: Criterion } {
  const given = optionsObject(options, 'fitEM options', true)
  rejectUnknownNames(given, FIT_OPTION_NAMES, 'fitEM()')
  checkCallbacks(given)
  const tol = given['tol'] ?? FIT_DEFAULTS.tol
  if (typeof tol !== 'number' || !(tol >= 0)) throw new OptionError('tol', `must be a number >= 0, got ${show(tol)}.`)
  const maxIter = given['maxIter'] ?? FIT_DEFAULTS.maxIter
  if (typeof maxIter !== 'number' || !Number.isInteger(maxIter) || maxIter < 0) throw new OptionError('maxIter', `must be an integer >= 0, got ${show(maxIter)}.`)
  const criterion = given['criterion'] ?? FIT_DEFAULTS.criterion
  if (!CRITERIA.includes(criterion as Criterion)) throw new OptionError('criterion', `must be 'objective', 'parameters' or 'relative', got ${show(criterion)}.`)
  const stepper = given['stepper']
  if (stepper !== undefined && (!stepper || typeof (stepper as { step?: unknown }).step !== 'function')) {
    throw new OptionError('stepper', `must be a stepper { step(data, params, rule) } (e.g. from makeStepper), got ${show(stepper)}.`)
  }
  const previous = given['previousObjective']
  if (previous !== undefined && typeof previous !== 'number') throw new OptionError('previousObjective', `must be a number, got ${show(previous)}.`)
  checkRunArguments(model, data, criterion as Criterion, stepper !== undefined)
  return { ...(given as FitOptions<P>), tol, maxIter, criterion: criterion as Criterion }
}

/** What fitEM checks of the model and the data, apart from its options. */
export function checkRunArguments(model: unknown, data: unknown, criterion: Criterion, hasStepper: boolean): void {
  checkModel(model, ['logLik', ...(hasStepper ? [] : ['eStep', 'mStep']), ...(criterion === 'parameters' ? ['pack'] : [])])
  checkPreparedData(data)
}

/**
 * Prepared data with a positive total weight (the scale of `tol`: with weight 0 there
 * is nothing to fit). An estimator's run checks only this: its model is emkit's own,
 * typed as an EMModel, so the model's functions are fitEM's and makeStepper's checks.
 */
export function checkPreparedData(data: unknown): void {
  if (!data || typeof data !== 'object') throw new InputError('INVALID_DATA', `fitEM needs the model's prepared data (an object with totalWeight), got ${show(data)}.`)
  const totalWeight = (data as { totalWeight?: unknown }).totalWeight
  if (totalWeight === 0) {
    throw new InputError('EMPTY_DATA', 'data.totalWeight is 0: every row has weight 0, so there is nothing to fit; give rows with a positive weight.')
  }
  if (typeof totalWeight !== 'number' || !(totalWeight > 0 && totalWeight < Infinity)) {
    throw new InputError('INVALID_DATA', `data.totalWeight is ${show(totalWeight)}; prepared data must give its total weight (the number of rows without weights), a finite number > 0.`)
  }
}
