/**
 * The registry of estimator kinds: how a spec ({ kind, options }) becomes an
 * estimator again on a worker thread, in the bootstrap or in a model selection, how
 * a Dataset is fitted (`fitDataset`), and `runTask`, the one function that runs a
 * task (a restart, a bootstrap replicate, a model-selection cell), on a worker or,
 * identically, on the calling thread.
 *
 * Another estimator joins by `registerKind(name, kind)` in a file of kinds/ imported
 * by kinds/index.ts (so the worker knows it) and by giving its instances a `toSpec()`.
 */
import { DegenerateError, EmkitError, UnsupportedError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import { Rng } from '../core/rng/xoshiro128.js'
import type { FitResult } from '../engine/types.js'
import type { BaseFitOptions } from '../estimators/base.js'
import { type DataField, type Dataset, resample, type ResampleUnit } from '../runtime/dataset.js'
import { type EstimatorSpec, type FitScores, type ParameterVector, type Task, type TaskResult, toWireError, toWireFit } from '../runtime/tasks.js'
import { type Scorable, scoreFit } from './score.js'

/** What a fit through the registry passes on besides the data: a cancel signal and a progress callback. */
export type FitCallbacks = BaseFitOptions<unknown>

/** What the registry knows about one estimator kind (E = its class). */
export interface EstimatorKind<E = unknown> {
  /** A fresh, unfitted estimator from spec options (restarts run serially inside it). */
  create(options: Readonly<Record<string, unknown>>): E
  /** One restart: the fit whose initialisation draws from `new Rng(seed)` (default: the estimator base's `fitRestart`). */
  restart?(estimator: E, data: Dataset, seed: number, restart: number): Promise<FitResult<unknown>>
  /** Bootstrap data fields besides X that `fit` uses (default none), and those it needs. */
  readonly fields?: readonly DataField[]
  readonly required?: readonly DataField[]
  /** What nonparametric replicates resample (default 'rows'; HMMs: 'sequences'). */
  readonly unit?: ResampleUnit
  /**
   * Fit the estimator to a dataset through its public fit, where that checks more than
   * the base's `fitDataset` does (default: `fitDataset`); the bootstrap's fits and
   * model selection's cells go through it.
   */
  fit?(estimator: E, data: Dataset, callbacks: FitCallbacks): Promise<unknown>
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
    throw new UnsupportedError(`No estimator kind '${name}' is registered (known: ${[...kinds.keys()].join(', ') || 'none'}); workers, the bootstrap and model selection need one: register it with registerKind() in src/registry/kinds/.`, { kind: name })
  }
  return kind
}

interface DatasetFittable {
  fitDataset?(data: Dataset, callbacks: FitCallbacks): Promise<unknown>
  fitRestart?(data: Dataset, seed: number, restart: number): Promise<FitResult<unknown>>
  fit(x: Matrix, callbacks: FitCallbacks): Promise<unknown>
}

/** Fit through the kind: its `fit` hook, else the estimator's `fitDataset` (the base's), else `estimator.fit(X)`. */
export function fitDataset(kind: EstimatorKind<any>, estimator: unknown, data: Dataset, callbacks: FitCallbacks = {}): Promise<unknown> {
  if (kind.fit) return kind.fit(estimator, data, callbacks)
  const e = estimator as DatasetFittable
  return e.fitDataset ? e.fitDataset(data, callbacks) : e.fit(data.X, callbacks)
}

/**
 * One cell of a model selection: fit through the kind, then score the fit on the same
 * data. `runTask` runs it for a 'fit' task on a worker and `selectModel` on the calling
 * thread: one function, so a table is the same whichever way its cells were scheduled.
 * Errors of the fit are thrown: the caller decides which to record.
 */
export async function fitAndScore(kind: EstimatorKind<any>, estimator: Scorable, data: Dataset, callbacks: FitCallbacks = {}): Promise<FitScores> {
  await fitDataset(kind, estimator, data, callbacks)
  return scoreFit(estimator, data)
}

function defaultRestart(estimator: unknown, data: Dataset, seed: number, restart: number): Promise<FitResult<unknown>> {
  const e = estimator as DatasetFittable
  if (!e.fitRestart) throw new UnsupportedError('This estimator kind cannot run single restarts (it has no fitRestart).')
  return e.fitRestart(data, seed, restart)
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
    const restart = kind.restart ?? defaultRestart
    try {
      return { type: 'restart', fit: toWireFit(await restart(estimator, task.data, task.seed, task.restart)) }
    } catch (e) {
      if (e instanceof DegenerateError) return { type: 'restart', thrown: toWireError(e) }
      throw e
    }
  }
  if (task.type === 'fit') {
    const { kind, estimator } = estimatorFor(task.spec)
    try {
      return { type: 'fit', scores: await fitAndScore(kind, estimator as Scorable, task.data) }
    } catch (e) {
      // every EmkitError goes back typed: the caller records a degenerate cell, and rethrows others as they would be thrown here
      if (e instanceof EmkitError) return { type: 'fit', thrown: toWireError(e) }
      throw e
    } finally {
      (estimator as { dispose?: () => void }).dispose?.()
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
