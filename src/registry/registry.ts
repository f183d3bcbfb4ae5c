/**
 * The registry of estimator kinds: how a spec ({ kind, options }) becomes an
 * estimator again on a worker thread, in the bootstrap or in a model selection, how
 * a Dataset is fitted (`fitDataset`), and `runTask`, the one function that runs a
 * task (a restart, a bootstrap replicate, a model-selection cell), on a worker or,
 * identically, on the calling thread.
 *
 * emkit's own estimators are registered by the files of kinds/ (kinds/index.ts imports
 * them, and so does the worker entry). A package user's estimator joins with
 * `registerKind(name, kind, { module: import.meta.url })` in a module that worker
 * threads can import: the pool sends them the module with the tasks. Registered
 * without a module, a kind runs on the calling thread only ('auto' workers run it
 * serially; a thread count is refused, saying what to do).
 */
import { isEmkitError, OptionError, UnsupportedError } from '../core/errors.js'
import { optionsObject, rejectUnknownNames } from '../core/options.js'
import { show } from '../core/show.js'
import { markComplete } from '../core/validate.js'
import type { Matrix } from '../core/matrix.js'
import { Rng } from '../core/rng/xoshiro128.js'
import type { FitResult } from '../engine/types.js'
import type { BaseFitOptions } from '../estimators/base.js'
import type { ShardSession } from '../estimators/shard.js'
import type { ShardTask } from '../runtime/runner.js'
import { type DataField, type Dataset, resample, type ResampleUnit } from '../runtime/dataset.js'
import { type EstimatorSpec, type FitScores, type LrtTask, type ParameterVector, type Task, type TaskResult, toWireError, toWireFit } from '../runtime/tasks.js'
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
  /** Options that start a fit at the fitted parameters (the bootstrap LRT's replicate fits, as mclust's em from them). */
  startAt?(estimator: E): Readonly<Record<string, unknown>>
}

/** emkit's own kinds, registered by the files of kinds/ in this copy of emkit. */
const builtins = new Map<string, EstimatorKind<any>>()

interface UserKind {
  readonly kind: EstimatorKind<any>
  /** The module that registers it, for worker threads (null: this thread only). */
  readonly module: string | null
}

/**
 * Kinds a package user registers, shared by every copy of emkit in this thread (a
 * user's module in a worker imports the package entry, the worker runs its own
 * bundle: both must see the kind).
 */
const userKinds: Map<string, UserKind> = ((globalThis as Record<symbol, unknown>)[Symbol.for('emkit.userKinds')] ??= new Map<string, UserKind>()) as Map<string, UserKind>

/** Register one of emkit's own kinds (the files of kinds/). */
export function registerBuiltinKind<E>(name: string, kind: EstimatorKind<E>): void {
  builtins.set(name, kind as EstimatorKind<any>)
}

export interface RegisterKindOptions {
  /**
   * The URL of an ES module that registers this kind when imported, usually the
   * `import.meta.url` of the module calling registerKind: worker threads import it to
   * know the kind. Without it the kind runs on this thread only.
   */
  module?: string | URL
}

const KIND_HOOKS = ['restart', 'fit', 'align', 'state', 'simulate'] as const

/**
 * Make an estimator kind known to the bootstrap, model selection, loadModel and (with
 * `module`) worker threads. `kind.create(options)` makes a fresh estimator whose
 * `toSpec()` names this kind; `kind.vector(estimator)` gives its fitted parameters.
 */
export function registerKind<E>(name: string, kind: EstimatorKind<E>, options: RegisterKindOptions = {}): void {
  if (typeof name !== 'string' || name === '') throw new OptionError('name', `must be a non-empty string (the estimator's static kind), got ${show(name)}.`)
  if (builtins.has(name)) throw new OptionError('name', `'${name}' is one of emkit's own kinds; give your estimator another static kind and register that name.`)
  if (!kind || typeof kind !== 'object') throw new OptionError('kind', `must be an object { create(options), vector(estimator), ... }, got ${show(kind)}.`)
  for (const hook of ['create', 'vector'] as const) {
    if (typeof kind[hook] !== 'function') throw new OptionError(`kind.${hook}`, `must be a function (see EstimatorKind), got ${show(kind[hook])}.`)
  }
  for (const hook of KIND_HOOKS) {
    if (kind[hook] !== undefined && typeof kind[hook] !== 'function') throw new OptionError(`kind.${hook}`, `must be a function or left out, got ${show(kind[hook])}.`)
  }
  const given = optionsObject(options, 'registerKind options')
  rejectUnknownNames(given, ['module'], 'registerKind()')
  const module = given['module']
  if (module !== undefined && !(typeof module === 'string' && module !== '') && !(module instanceof URL)) {
    throw new OptionError('module', `must be the URL of the module that registers the kind (import.meta.url), got ${show(module)}.`)
  }
  userKinds.set(name, { kind: kind as EstimatorKind<any>, module: module === undefined ? null : String(module) })
}

export function kindOf(name: string): EstimatorKind<any> {
  const kind = builtins.get(name) ?? userKinds.get(name)?.kind
  if (!kind) {
    const known = [...builtins.keys(), ...userKinds.keys()]
    throw new UnsupportedError(`No estimator kind '${name}' is registered (known: ${known.join(', ') || 'none'}); workers, the bootstrap and model selection need one: register it with registerKind('${name}', { create, vector }, { module: import.meta.url }).`, { kind: name })
  }
  return kind
}

/**
 * What worker threads must import to run tasks of kind `name`: nothing for emkit's own
 * kinds, the module a user kind was registered with, or, for a kind registered
 * without one, an UnsupportedError saying how to make it known there.
 */
export function workerImports(name: string): { modules: string[] } | { error: UnsupportedError } {
  const user = userKinds.get(name)
  // emkit's own kinds, and names unknown here too (the worker reports those as kindOf does)
  if (builtins.has(name) || !user) return { modules: [] }
  if (user.module) return { modules: [user.module] }
  return {
    error: new UnsupportedError(`Estimator kind '${name}' was registered on this thread only, so worker threads cannot re-create it. Register it in a module with registerKind('${name}', kind, { module: import.meta.url }) (workers import that module), or run on this thread with workers: 1.`, { kind: name }),
  }
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

/** A shard of a sharded fit, here (what a worker holds for the whole fit): the estimator's `openShard` on the task's rows. */
export function openShardTask(task: ShardTask): Promise<ShardSession<unknown>> {
  const { estimator } = estimatorFor(task.spec)
  const open = (estimator as { openShard?: (data: Dataset, firstBlock: number) => Promise<ShardSession<unknown>> }).openShard
  if (typeof open !== 'function') throw new UnsupportedError(`Estimators of kind '${task.spec.kind}' cannot hold a shard.`)
  // the calling thread's scan found the rows finite: the structured clone's fresh view is marked too
  if (task.complete) markComplete(task.data.X)
  return open.call(estimator, task.data, task.firstBlock)
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
      if (isEmkitError(e, 'DegenerateError')) return { type: 'restart', thrown: toWireError(e) }
      throw e
    }
  }
  if (task.type === 'fit') {
    const { kind, estimator } = estimatorFor(task.spec)
    try {
      return { type: 'fit', scores: await fitAndScore(kind, estimator as Scorable, task.data) }
    } catch (e) {
      // every EmkitError goes back typed: the caller records a degenerate cell, and rethrows others as they would be thrown here
      if (isEmkitError(e)) return { type: 'fit', thrown: toWireError(e) }
      throw e
    } finally {
      (estimator as { dispose?: () => void }).dispose?.()
    }
  }
  if (task.type === 'lrt') return runLrtTask(task)
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
    if (isEmkitError(e)) return { type: 'replicate', failed: `${e.code}: ${e.message}` }
    throw e
  }
  try {
    const { values } = kind.vector(estimator)
    return { type: 'replicate', values: kind.align ? kind.align(values, task.reference, estimator) : values }
  } finally {
    (estimator as { dispose?: () => void }).dispose?.()
  }
}

/** A bootstrap LRT replicate: data drawn from the null model, both models fitted to it, their log-likelihoods. */
async function runLrtTask(task: LrtTask): Promise<TaskResult> {
  const kind = kindOf(task.spec.kind)
  if (!kind.simulate) throw noSimulation(task.spec.kind)
  const data = kind.simulate(task.spec.options, task.state, task.data, new Rng(task.seed))
  const logLiks: number[] = []
  for (const spec of [task.spec, task.alternative]) {
    const { estimator } = estimatorFor(spec)
    try {
      await fitDataset(kind, estimator, data)
      logLiks.push(scoreFit(estimator as Scorable, data).logLik)
    } catch (e) {
      if (isEmkitError(e)) return { type: 'lrt', failed: `${e.code}: ${e.message}` }
      throw e
    } finally {
      (estimator as { dispose?: () => void }).dispose?.()
    }
  }
  return { type: 'lrt', logLik0: logLiks[0]!, logLik1: logLiks[1]! }
}
