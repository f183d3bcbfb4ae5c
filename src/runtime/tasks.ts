/**
 * The wire format: serialisable units of work and their results.
 *
 * A task names an estimator kind and its options (an `EstimatorSpec`), the data (a
 * Dataset whose Float64Arrays may live in a SharedArrayBuffer, so every task of a fit
 * shares one copy), and a seed. The registry's `runTask` (src/registry/registry.ts)
 * turns it into one EM run, on a worker thread or, identically, on the calling
 * thread. Results are plain values (structured-cloneable). No Node built-ins here,
 * and no estimator: this layer only carries values.
 */
import type { FitResult, FitStatus } from '../engine/types.js'
import {
  BackendError, DegenerateError, EmkitError, type EmkitErrorCode, InputError, ModelFormatError, NotFittedError, OptionError, ParseError, UnsupportedError,
} from '../core/errors.js'
import type { Dataset } from './dataset.js'

/** An estimator described by value: its registered kind and constructor options. */
export interface EstimatorSpec {
  readonly kind: string
  readonly options: Readonly<Record<string, unknown>>
}

/** An estimator that can be re-created on a worker from a spec. */
export interface Describable {
  toSpec(): EstimatorSpec
}

/** A flat parameter vector with a name per entry. */
export interface ParameterVector {
  readonly values: Float64Array
  readonly names: readonly string[]
}

/** The spec of an estimator instance (it must have toSpec()). */
export function specOf(estimator: unknown, what = 'estimator'): EstimatorSpec {
  const spec = (estimator as Partial<Describable> | null)?.toSpec?.()
  if (!spec || typeof spec.kind !== 'string') {
    throw new UnsupportedError(`The ${what} cannot be described for workers: it needs a toSpec() method returning { kind, options } of a registered kind.`)
  }
  return spec
}

/** For tests: make the worker fail on purpose. */
export type DebugFailure = 'throw' | 'exit'

interface TaskBase {
  readonly spec: EstimatorSpec
  /** The fit's data (X and the arrays its fit takes: y, sampleWeight, exposure, lengths, trials, groups), arrays shared between tasks. */
  readonly data: Dataset
  readonly debug?: DebugFailure
}

export interface RestartTask extends TaskBase {
  readonly type: 'restart'
  readonly seed: number
  readonly restart: number
}

export interface ReplicateTask extends TaskBase {
  readonly type: 'replicate'
  readonly mode: 'nonparametric' | 'parametric'
  readonly seed: number
  readonly replicate: number
  /** Parametric: the full fit's state (kind.state). */
  readonly state?: unknown
  /** The full-data fit's vector, for kind.align. */
  readonly reference: Float64Array
}

/** One cell of a model selection: fit the spec's estimator to the data and score the fit, sampleWeight weighting every score (`fitAndScore`, src/registry/registry.ts). */
export interface FitTask extends TaskBase {
  readonly type: 'fit'
}

/**
 * One replicate of a parametric bootstrap of the likelihood-ratio statistic
 * (inference/lrt.ts): a dataset drawn from the null model's `state` (seeded), then the
 * null (`spec`) and the alternative (`alternative`) fitted to it.
 */
export interface LrtTask extends TaskBase {
  readonly type: 'lrt'
  readonly alternative: EstimatorSpec
  readonly state: unknown
  readonly seed: number
}

export type Task = RestartTask | ReplicateTask | FitTask | LrtTask

/**
 * The numbers of one fitted cell, in scikit-learn's sign (smaller is better):
 * bic = -2 logLik + nParameters log n, aic = -2 logLik + 2 nParameters, and
 * icl = bic - 2 sum_i log z_i,map(i) (mclust's ICL with the sign turned).
 */
export interface FitScores {
  /** Total log-likelihood at the fitted parameters (weighted by sampleWeight when given). */
  readonly logLik: number
  readonly nParameters: number
  readonly bic: number
  readonly aic: number
  /** null when the estimator has no latent classes. */
  readonly icl: number | null
  readonly status: FitStatus
  readonly nIter: number
}

export interface WireError {
  readonly name: string
  readonly code: EmkitErrorCode
  readonly message: string
  readonly details: Record<string, unknown>
}

/** A FitResult as plain values (its error, if any, as a WireError). */
export type WireFit = Omit<FitResult<unknown>, 'error'> & { error?: WireError }

export type TaskResult =
  | { readonly type: 'restart'; readonly fit?: WireFit; readonly thrown?: WireError }
  | { readonly type: 'replicate'; readonly values?: Float64Array; readonly failed?: string }
  | { readonly type: 'fit'; readonly scores?: FitScores; readonly thrown?: WireError }
  | { readonly type: 'lrt'; readonly logLik0?: number; readonly logLik1?: number; readonly failed?: string }

export function toWireError(e: EmkitError): WireError {
  let details: Record<string, unknown> = {}
  try {
    details = JSON.parse(JSON.stringify(e.details)) as Record<string, unknown>
  } catch { /* details that do not serialise are dropped */ }
  return { name: e.name, code: e.code, message: e.message, details }
}

const ERROR_CLASSES: Record<string, (w: WireError) => EmkitError> = {
  DegenerateError: (w) => new DegenerateError(w.code, w.message, w.details),
  InputError: (w) => new InputError(w.code, w.message, w.details),
  OptionError: (w) => Object.assign(new OptionError(String(w.details['option'] ?? '?'), ''), { message: w.message }),
  UnsupportedError: (w) => new UnsupportedError(w.message, w.details),
  NotFittedError: (w) => Object.assign(new NotFittedError('?', '?'), { message: w.message, details: w.details }),
  BackendError: (w) => new BackendError(w.message, w.details),
  ParseError: (w) => new ParseError(w.message, w.details),
  ModelFormatError: (w) => new ModelFormatError(w.code, w.message, w.details),
}

export function fromWireError(w: WireError): EmkitError {
  return (ERROR_CLASSES[w.name] ?? ((x: WireError) => new EmkitError(x.code, x.message, x.details)))(w)
}

export function toWireFit(fit: FitResult<unknown>): WireFit {
  const { error, ...rest } = fit
  return error ? { ...rest, error: toWireError(error) } : rest
}

export function fromWireFit<P>(wire: WireFit): FitResult<P> {
  const { error, ...rest } = wire
  return { ...(rest as Omit<FitResult<P>, 'error'>), ...(error ? { error: fromWireError(error) as DegenerateError } : {}) }
}

