/**
 * The parametric bootstrap of the likelihood-ratio statistic for the number of
 * components, as mclust's mclustBootstrapLRT: for each g in from .. to - 1 the models
 * with g and g + 1 components are fitted to the data, LRTS = 2 (log L_g+1 - log L_g);
 * then `replicates` datasets are drawn from the fitted g-component model and both
 * models fitted to each (from the parameters fitted to the data, as mclust's em), and
 * the p-value is (1 + #{replicate LRTS >= LRTS}) / (replicates fitted + 1).
 * Replicates are tasks (runtime/tasks.ts, 'lrt'): serial or on the worker pool, the same
 * numbers either way (replicate b draws from the b-th seed of `seed`).
 */
import { InputError, OptionError, UnsupportedError } from '../core/errors.js'
import { show } from '../core/show.js'
import { integerAtLeast, optionsObject, rejectUnknownNames, safeInteger } from '../estimators/schema.js'
import '../registry/kinds/index.js'
import { type EstimatorKind, fitDataset, kindOf, noSimulation } from '../registry/registry.js'
import { type Scorable, scoreFit } from '../registry/score.js'
import { type BootstrapData, toDataset } from '../runtime/dataset.js'
import { restartSeeds } from '../runtime/restarts.js'
import { checkWorkers, threadsFor, type Workers } from '../runtime/runner.js'
import { type EstimatorSpec, type LrtTask, specOf, type TaskResult } from '../runtime/tasks.js'
import type { MatrixInput } from '../core/matrix.js'
import { runTasks } from './run-tasks.js'

export interface BootstrapLrtOptions {
  /** The smallest number of components tested (the first null hypothesis), an integer >= 1. */
  from: number
  /** The largest number of components (the last alternative), an integer > from: tests from -> from + 1, ..., to - 1 -> to. */
  to: number
  /** Bootstrap datasets per test (default 999, mclust's nboot). */
  replicates?: number
  /** Seed of the replicates' draws (default 0). */
  seed?: number
  /** Worker threads: 'auto' (default) or a count (1 = serial). */
  workers?: Workers
}

export interface LrtTest {
  /** Components under the null (g) and the alternative (g + 1). */
  readonly from: number
  readonly to: number
  /** 2 (log L_g+1 - log L_g) of the fits to the data. */
  readonly statistic: number
  /** (1 + #{replicates >= statistic}) / (replicates fitted + 1). */
  readonly pValue: number
  /** The statistic of every replicate fitted, in replicate order. */
  readonly replicates: Float64Array
  /** Replicates whose fits failed (left out of the p-value). */
  readonly failures: readonly { readonly replicate: number; readonly reason: string }[]
  /** Log-likelihoods of the two fits to the data. */
  readonly logLik0: number
  readonly logLik1: number
}

export interface BootstrapLrtResult {
  readonly tests: readonly LrtTest[]
  readonly seed: number
}

interface Configurable { setParams(params: Record<string, unknown>): unknown }

const OPTION_NAMES = ['from', 'to', 'replicates', 'seed', 'workers']
const MAX_REPLICATES = 1_000_000

function componentCount(value: unknown, name: string): number {
  return integerAtLeast(1)(value, name)
}

export async function bootstrapLRT<E>(make: () => E, X: MatrixInput | ArrayLike<number> | BootstrapData, options: BootstrapLrtOptions): Promise<BootstrapLrtResult> {
  if (typeof make !== 'function') throw new OptionError('make', `must be a function returning a new, unfitted estimator (e.g. () => new GaussianMixture({ covarianceType: 'VVV' })), got ${show(make)}.`)
  const raw = optionsObject(options, 'bootstrapLRT options')
  rejectUnknownNames(raw, OPTION_NAMES, 'bootstrapLRT()')
  if (raw['from'] === undefined || raw['to'] === undefined) throw new OptionError(raw['from'] === undefined ? 'from' : 'to', 'is required: bootstrapLRT(make, X, { from: 1, to: 4 }) tests 1 -> 2, 2 -> 3 and 3 -> 4 components.')
  const from = componentCount(raw['from'], 'from')
  const to = componentCount(raw['to'], 'to')
  if (to <= from) throw new OptionError('to', `must be greater than from (${from}), got ${show(raw['to'])}: the test compares g with g + 1 components for g = from .. to - 1, e.g. { from: ${from}, to: ${from + 1} }.`, { from, to })
  const B = integerAtLeast(1)(raw['replicates'] ?? 999, 'replicates')
  if (B > MAX_REPLICATES) throw new OptionError('replicates', `is ${show(B)}; at most ${MAX_REPLICATES} are run: use fewer.`)
  const seed = safeInteger(raw['seed'] ?? 0, 'seed')
  const workers = checkWorkers(raw['workers'] ?? 'auto')

  // one model per component count, fitted to the data
  const estimators = Array.from({ length: to - from + 1 }, (_, i) => configured(make, from + i))
  const kindName = specOf(estimators[0], 'estimator returned by make()').kind
  const kind = kindOf(kindName)
  if (!kind.state || !kind.simulate) throw noSimulation(kindName)
  const dataset = toDataset(X, kindName, kind.fields ?? [], kind.required ?? [])
  const logLiks: number[] = []
  for (const e of estimators) {
    await fitDataset(kind, e, dataset)
    logLiks.push(scoreFit(e as Scorable, dataset).logLik)
  }

  const m = dataset.X
  const tests = to - from
  const threads = threadsFor(workers, B * tests, 2 * m.rows * m.cols * m.cols * (to + 1), kindName)
  const seeds = restartSeeds(seed, B * tests)
  const specs = estimators.map((e) => startSpec(kind, e))
  const states = estimators.slice(0, tests).map((e) => kind.state!(e, dataset))
  const results = await runTasks(dataset, threads, (data) => {
    const tasks: LrtTask[] = []
    for (let t = 0; t < tests; t++) {
      for (let b = 0; b < B; b++) tasks.push({ type: 'lrt', spec: specs[t]!, alternative: specs[t + 1]!, state: states[t], data, seed: seeds[t * B + b]! })
    }
    return tasks
  })
  estimators.forEach((e) => (e as { dispose?: () => void }).dispose?.())

  return {
    seed,
    tests: Array.from({ length: tests }, (_, t) => summarise(from + t, logLiks[t]!, logLiks[t + 1]!, results.slice(t * B, (t + 1) * B), B)),
  }
}

function configured<E>(make: () => E, g: number): E {
  const e = make()
  if (typeof (e as Partial<Configurable> | null)?.setParams !== 'function') {
    throw new UnsupportedError('bootstrapLRT needs an estimator with setParams({ nComponents }) (every mixture on the estimator base); make() returned one without it.')
  }
  (e as unknown as Configurable).setParams({ nComponents: g })
  return e
}

/** The spec of a fitted model, starting at its fitted parameters where the kind can (mclust's em from them). */
function startSpec(kind: EstimatorKind<any>, estimator: unknown): EstimatorSpec {
  const spec = specOf(estimator)
  return kind.startAt ? { kind: spec.kind, options: { ...spec.options, ...kind.startAt(estimator) } } : spec
}

function summarise(g: number, logLik0: number, logLik1: number, results: readonly TaskResult[], B: number): LrtTest {
  const statistic = 2 * (logLik1 - logLik0)
  const values: number[] = []
  const failures: { replicate: number; reason: string }[] = []
  results.forEach((r, b) => {
    if (r.type === 'lrt' && r.logLik0 !== undefined && r.logLik1 !== undefined) values.push(2 * (r.logLik1 - r.logLik0))
    else failures.push({ replicate: b, reason: r.type === 'lrt' ? r.failed ?? 'no result' : 'wrong result type' })
  })
  if (values.length === 0) throw new InputError('DEGENERATE', `None of the ${B} bootstrap replicates of ${g} -> ${g + 1} components could be fitted (first failure: ${failures[0]?.reason}); use fewer components or a larger regCovar.`, { from: g })
  let exceed = 0
  for (const v of values) if (v >= statistic) exceed++
  return { from: g, to: g + 1, statistic, pValue: (1 + exceed) / (values.length + 1), replicates: Float64Array.from(values), failures, logLik0, logLik1 }
}

