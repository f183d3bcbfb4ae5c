/**
 * The bootstrap for any registered estimator (src/registry/kinds/), on the worker
 * pool when there is one (Node entry) and serially otherwise, with identical results.
 *
 * The data: X alone (`bootstrap(make, X)`: rows, or a flat array of counts/symbols),
 * or `{ X, y?, sampleWeight?, exposure?, lengths?, trials?, groups? }` for estimators whose fit takes
 * more than X:
 *
 * | estimator | data |
 * |---|---|
 * | GaussianMixture, MultivariateT, TMixture, FactorAnalysis | `X` or `{ X, sampleWeight }` |
 * | MultivariateNormal | `X` (NaN = missing) |
 * | PoissonMixture | counts, or `{ X: counts, sampleWeight }` |
 * | GammaPoisson | counts, or `{ X: counts, exposure }` |
 * | TobitRegression, ProbitRegression | `{ X, y, sampleWeight? }` |
 * | GaussianHMM, CategoricalHMM, PoissonHMM | `{ X, lengths }` |
 * | LogisticGLMM | `{ X, y, groups, trials? }` (resampled by whole groups) |
 *
 * y, sampleWeight and exposure belong to rows: a nonparametric replicate draws n rows
 * with replacement and takes the same rows of every array. `trials` (row-aligned) and
 * `groups` (a label per row; a kind with unit 'groups' resamples whole groups, a group
 * drawn twice becoming two) are there for mixed models. HMMs resample whole
 * sequences (as many as `lengths` has, so nonparametric needs at least two). A
 * parametric replicate keeps everything that is not the response (regressors X,
 * weights, exposures, lengths, where values are missing) and draws the response from
 * the full fit.
 *
 * `makeEstimator()` is called once, on this thread: the instance is fitted to the full
 * data and described by its `toSpec()` (kind + options) so that every replicate can
 * re-create it anywhere. Replicate b draws from `new Rng(seed_b)`, seed_b the b-th
 * 32-bit output of `new Rng(seed)`. Each replicate's fitted parameters become a flat
 * vector, aligned to the full fit where the kind knows how (mixtures and HMMs:
 * components/states matched to the full fit's by the Hungarian algorithm on means,
 * rates or emission rows), so summaries have no label switching.
 */
import { quantileSorted } from '../core/math/quantile.js'
import { InputError, OptionError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { restartSeeds } from '../runtime/restarts.js'
import { integerAtLeast, oneOf, optionsObject, rejectUnknownNames, safeInteger } from '../estimators/schema.js'
import { type BootstrapData, toDataset, unitCount } from '../runtime/dataset.js'
import '../registry/kinds/index.js'
import { checkWorkers, threadsFor, type Workers } from '../runtime/runner.js'
import { fitDataset, kindOf, noSimulation } from '../registry/registry.js'
import { type ReplicateTask, specOf } from '../runtime/tasks.js'
import { runTasks } from './run-tasks.js'
import { show } from '../core/show.js'

export type { BootstrapData } from '../runtime/dataset.js'

export type BootstrapKind = 'nonparametric' | 'parametric'

export interface BootstrapOptions {
  /** Number of replicates (default 200). */
  replicates?: number
  /** Seed of the replicates' draws (default 0). */
  seed?: number
  /** Threads: 'auto' (default; the pool when the work pays for it), or a count (1 = serial). */
  workers?: Workers
  /** 'nonparametric' (default: resample rows) or 'parametric' (simulate from the full fit). */
  kind?: BootstrapKind
  /** Coverage of the percentile intervals (default 0.95). */
  level?: number
}

export interface BootstrapResult<E> {
  /** The estimator fitted to the full data. */
  readonly estimator: E
  readonly kind: BootstrapKind
  readonly level: number
  /** Name of each parameter (e.g. 'mean[1][0]'). */
  readonly names: readonly string[]
  /** The full-data fit's parameter vector. */
  readonly estimate: Float64Array
  /** One aligned parameter vector per successful replicate, in replicate order. */
  readonly replicates: readonly Float64Array[]
  /** Replicates whose fit failed (e.g. every restart degenerated), with the reason. */
  readonly failures: readonly { replicate: number; reason: string }[]
  /** Standard deviation of the replicates (n - 1 denominator), per parameter. */
  readonly standardErrors: Float64Array
  /** Percentile interval per parameter: quantiles (1 - level) / 2 and (1 + level) / 2 (linear interpolation). */
  readonly lower: Float64Array
  readonly upper: Float64Array
}

const BOOTSTRAP_OPTIONS = ['replicates', 'seed', 'workers', 'kind', 'level']
/** More replicates than anyone runs: the tasks and their results are arrays of this length. */
const MAX_REPLICATES = 1_000_000

// R's type 7 quantile, shared with mclust's qclass (models/init/hc/)
export { quantileSorted }

export async function bootstrap<E>(makeEstimator: () => E, X: MatrixInput | ArrayLike<number> | BootstrapData, options: BootstrapOptions = {}): Promise<BootstrapResult<E>> {
  if (typeof makeEstimator !== 'function') throw new OptionError('makeEstimator', `must be a function returning a new, unfitted estimator (e.g. () => new GaussianMixture({ nComponents: 2 })), got ${show(makeEstimator)}.`)
  const raw = optionsObject(options, 'bootstrap options')
  rejectUnknownNames(raw, BOOTSTRAP_OPTIONS, 'bootstrap()')
  const given = raw as BootstrapOptions
  const B = integerAtLeast(2)(given.replicates ?? 200, 'replicates')
  if (B > MAX_REPLICATES) throw new OptionError('replicates', `is ${show(B)}; at most ${MAX_REPLICATES} replicates are run (each is a full fit, and their parameter vectors are kept): use fewer.`)
  const seed = safeInteger(given.seed ?? 0, 'seed')
  const workers = checkWorkers(given.workers ?? 'auto')
  const mode = oneOf(['nonparametric', 'parametric'] as const)(given.kind ?? 'nonparametric', 'kind')
  const level = given.level ?? 0.95
  if (typeof level !== 'number' || !(level > 0 && level < 1)) throw new OptionError('level', `must be a number in (0, 1), e.g. 0.95, got ${show(level)}.`)

  const estimator = makeEstimator()
  const kindName = specOf(estimator, 'estimator returned by makeEstimator()').kind
  const kind = kindOf(kindName)
  if (mode === 'parametric' && (!kind.state || !kind.simulate)) throw noSimulation(kindName)
  const dataset = toDataset(X, kindName, kind.fields ?? [], kind.required ?? [])
  const unit = kind.unit ?? 'rows'
  if (mode === 'nonparametric' && unit !== 'rows' && unitCount(dataset, unit) < 2) {
    const field = unit === 'sequences' ? 'lengths' : 'groups'
    throw new InputError('INVALID_DATA', `A nonparametric bootstrap of '${kindName}' resamples whole ${unit}, and there is only one: give { X, ${field} } with at least two ${unit}, or use kind 'parametric'.`)
  }
  await fitDataset(kind, estimator, dataset)
  // described after the full fit, so that what it settled (CategoricalHMM's nSymbols) holds for every replicate
  const spec = specOf(estimator)
  const { values: estimate, names } = kind.vector(estimator)
  const state = mode === 'parametric' ? kind.state!(estimator, dataset) : undefined

  const m = dataset.X
  const threads = threadsFor(workers, B, m.rows * m.cols * m.cols, kindName)
  const seeds = restartSeeds(seed, B)
  const results = await runTasks(dataset, threads, (data) => seeds.map((s, replicate): ReplicateTask => ({
    type: 'replicate', spec, data, mode, seed: s, replicate, reference: estimate, ...(state === undefined ? {} : { state }),
  })))

  const replicates: Float64Array[] = []
  const failures: { replicate: number; reason: string }[] = []
  results.forEach((r, b) => {
    if (r.type === 'replicate' && r.values) replicates.push(r.values)
    else failures.push({ replicate: b, reason: r.type === 'replicate' ? r.failed ?? 'no result' : 'wrong result type' })
  })
  if (replicates.length < 2) {
    throw new InputError('DEGENERATE', `Only ${replicates.length} of ${B} bootstrap replicates could be fitted (first failure: ${failures[0]?.reason}); use fewer components or a larger regCovar.`, { failures: failures.length })
  }
  const p = estimate.length
  const standardErrors = new Float64Array(p), lower = new Float64Array(p), upper = new Float64Array(p)
  const column = new Float64Array(replicates.length)
  for (let j = 0; j < p; j++) {
    let mean = 0
    for (let b = 0; b < replicates.length; b++) { column[b] = replicates[b]![j]!; mean += column[b]! }
    mean /= replicates.length
    let ss = 0
    for (let b = 0; b < replicates.length; b++) ss += (column[b]! - mean) ** 2
    standardErrors[j] = Math.sqrt(ss / (replicates.length - 1))
    column.sort()
    lower[j] = quantileSorted(column, (1 - level) / 2)
    upper[j] = quantileSorted(column, (1 + level) / 2)
  }
  return { estimator, kind: mode, level, names, estimate, replicates, failures, standardErrors, lower, upper }
}
