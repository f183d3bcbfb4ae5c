/**
 * Serialisable units of work and the registry of estimator kinds that run them.
 *
 * A task names an estimator kind and its options (an `EstimatorSpec`), the data (a
 * Matrix whose Float64Array may live in a SharedArrayBuffer, so every task of a fit
 * shares one copy), and a seed. `runTask` turns it into one EM run, on a worker
 * thread or, identically, on the calling thread. Results are plain values
 * (structured-cloneable). No Node built-ins here: browsers run tasks serially.
 *
 * Another estimator joins by `registerKind(name, kind)` in a file of kinds/ imported
 * by kinds/index.ts (so the worker knows it) and by giving its instances a `toSpec()`.
 */
import type { FitResult } from '../engine/types.js'
import {
  BackendError, DegenerateError, EmkitError, type EmkitErrorCode, InputError, NotFittedError, OptionError, ParseError, UnsupportedError,
} from '../io/errors.js'
import type { Matrix } from '../io/matrix.js'
import { Rng } from '../rng/xoshiro128.js'
import { type DataField, type Dataset, resample, type ResampleUnit } from './dataset.js'

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

/** What the registry knows about one estimator kind (E = its class). */
export interface EstimatorKind<E = unknown> {
  /** A fresh, unfitted estimator from spec options (restarts run serially inside it). */
  create(options: Readonly<Record<string, unknown>>): E
  /** One restart: the fit whose initialisation draws from `new Rng(seed)`. */
  restart?(estimator: E, data: Matrix, weight: Float64Array | null, seed: number, restart: number): Promise<FitResult<unknown>>
  /** Bootstrap data fields besides X that `fit` uses (default none), and those it needs. */
  readonly fields?: readonly DataField[]
  readonly required?: readonly DataField[]
  /** What nonparametric replicates resample (default 'rows'; HMMs: 'sequences'). */
  readonly unit?: ResampleUnit
  /** Fit the estimator to a dataset (default: `estimator.fit(data.X)`); the full fit and every replicate go through it. */
  fit?(estimator: E, data: Dataset): Promise<unknown>
  /** The fitted parameters as a flat vector. */
  vector(estimator: E): ParameterVector
  /** Reorder a replicate's vector to correspond to `reference` (label switching of mixtures and HMM states). */
  align?(values: Float64Array, reference: Float64Array, estimator: E): Float64Array
  /** Parametric bootstrap: the fitted state (given the data it was fitted to) as a plain, structured-cloneable value ... */
  state?(estimator: E, data: Dataset): unknown
  /** ... and a dataset drawn from it, shaped like `template` (the real data: its size, design X, lengths, exposures). */
  simulate?(options: Readonly<Record<string, unknown>>, state: unknown, template: Dataset, rng: Rng): Dataset
}

const kinds = new Map<string, EstimatorKind<any>>()

export function registerKind<E>(name: string, kind: EstimatorKind<E>): void {
  kinds.set(name, kind as EstimatorKind<any>)
}

export function kindOf(name: string): EstimatorKind<any> {
  const kind = kinds.get(name)
  if (!kind) {
    throw new UnsupportedError(`No estimator kind '${name}' is registered for parallel runs (known: ${[...kinds.keys()].join(', ') || 'none'}); register it with registerKind() in src/parallel/kinds/.`, { kind: name })
  }
  return kind
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
  readonly data: Matrix
  readonly debug?: DebugFailure
}

export interface RestartTask extends TaskBase {
  readonly type: 'restart'
  readonly weight: Float64Array | null
  readonly seed: number
  readonly restart: number
}

export interface ReplicateTask extends Omit<TaskBase, 'data'> {
  readonly type: 'replicate'
  readonly data: Dataset
  readonly mode: 'nonparametric' | 'parametric'
  readonly seed: number
  readonly replicate: number
  /** Parametric: the full fit's state (kind.state). */
  readonly state?: unknown
  /** The full-data fit's vector, for kind.align. */
  readonly reference: Float64Array
}

export type Task = RestartTask | ReplicateTask

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

/** Fit through the kind: its `fit` hook, or `estimator.fit(X)`. */
export function fitDataset(kind: EstimatorKind<any>, estimator: unknown, data: Dataset): Promise<unknown> {
  return kind.fit ? kind.fit(estimator, data) : (estimator as { fit(x: Matrix): Promise<unknown> }).fit(data.X)
}

/** The typed error of a parametric bootstrap of a kind that cannot simulate. */
export function noSimulation(kind: string): UnsupportedError {
  return new UnsupportedError(`Estimator kind '${kind}' has no generative form registered (no simulate), so it cannot be bootstrapped parametrically: use kind 'nonparametric'.`, { kind })
}

/** The estimator of a task, restarts forced serial (a worker does not fan out again). */
function estimatorFor(spec: EstimatorSpec): { kind: EstimatorKind<any>; estimator: unknown } {
  const kind = kindOf(spec.kind)
  return { kind, estimator: kind.create('workers' in spec.options ? { ...spec.options, workers: 1 } : spec.options) }
}

/** Run one task, here: what a worker does with it, and what the serial paths do. */
export async function runTask(task: Task): Promise<TaskResult> {
  if (task.debug === 'throw') throw new Error('emkit: deliberate failure of a test task')
  if (task.type === 'restart') {
    const { kind, estimator } = estimatorFor(task.spec)
    if (!kind.restart) throw new UnsupportedError(`Estimator kind '${task.spec.kind}' cannot run single restarts.`)
    try {
      return { type: 'restart', fit: toWireFit(await kind.restart(estimator, task.data, task.weight, task.seed, task.restart)) }
    } catch (e) {
      if (e instanceof DegenerateError) return { type: 'restart', thrown: toWireError(e) }
      throw e
    }
  }
  const { kind, estimator } = estimatorFor(task.spec)
  const rng = new Rng(task.seed)
  let data: Dataset
  if (task.mode === 'parametric') {
    if (!kind.simulate) throw noSimulation(task.spec.kind)
    data = kind.simulate(task.spec.options, task.state, task.data, rng)
  } else {
    data = resample(task.data, rng, kind.unit ?? 'rows')
  }
  try {
    await fitDataset(kind, estimator, data)
  } catch (e) {
    if (e instanceof EmkitError) return { type: 'replicate', failed: `${e.code}: ${e.message}` }
    throw e
  }
  try {
    const { values } = kind.vector(estimator)
    return { type: 'replicate', values: kind.align ? kind.align(values, task.reference, estimator) : values }
  } finally {
    (estimator as { dispose?: () => void }).dispose?.()
  }
}
