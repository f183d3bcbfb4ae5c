/**
 * Model selection over a grid of options, for any estimator with a likelihood, by an
 * information criterion: BIC (default), AIC or ICL, in scikit-learn's sign (smaller is
 * better; mclust's sign, larger is better, is in every row too).
 *
 * The data are what `bootstrap` takes: X alone, or { X, y, sampleWeight, exposure,
 * lengths, trials, groups } as the estimator's kind accepts them. Each cell is
 * `make()`, then `setParams(cell)`, then a fit of the Dataset through the kind (its
 * `fit` hook, else the estimator base's `fitDataset`), scored on the same data by the
 * base's `scoreDataset` (`scoreFit`, src/registry/score.ts). Every cell is configured
 * before anything is fitted, so a grid key or value the estimator rejects fails at
 * once. A cell whose fit degenerates (a singular covariance, an empty component) is recorded
 * with its error code, and one with more components than rows is recorded as skipped;
 * any other error is thrown: it would fail every cell the same way.
 *
 * With workers, the cells are 'fit' tasks (src/runtime/tasks.ts) run by `runTask`
 * on the pool, each estimator re-created from its `toSpec()`; the main thread then
 * refits only the chosen cell. Fits are deterministic (same options and seed, same
 * fit), so the table and the returned model are identical to a serial selection.
 *
 * The estimator's kind must be registered: select.ts (the package's selectModel)
 * registers every built-in one; the command's grids register only their own (a Node
 * process pays ~6 MB of resident memory for the code of every estimator).
 */
import { EmkitError, InputError, OptionError, UnsupportedError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import type { FitStatus } from '../engine/types.js'
import { checkCallbacks, hasLatentClasses } from '../estimators/base.js'
import { closest } from '../core/options.js'
import { fitAndScore, type FitCallbacks, fitDataset, kindOf } from '../registry/registry.js'
import { noIcl, type Scorable } from '../registry/score.js'
import { type BootstrapData, DATA_FIELDS, type Dataset, toDataset } from '../runtime/dataset.js'
import { checkWorkers, threadsFor, type Workers } from '../runtime/runner.js'
import { type EstimatorSpec, type FitScores, type FitTask, fromWireError, specOf, type TaskResult } from '../runtime/tasks.js'
import { type Grid, type GridCell, gridCells } from './grid.js'
import { runTasks } from './run-tasks.js'
import { show } from '../core/show.js'

export type { Grid, GridCell } from './grid.js'

/**
 * What selectModel needs of an estimator (every estimator on the base has it):
 * setParams to configure a cell, fitDataset to fit one (unless its registered kind
 * has a `fit` hook), scoreDataset and nParameters for the criteria, toSpec for its
 * kind and for worker threads. ICL needs the class's static `latentClasses`.
 */
export interface SelectableEstimator extends Scorable {
  /** Change options, checked as the constructor checks them (an unknown name or bad value throws). */
  setParams(params: object): unknown
  fitDataset(data: Dataset, callbacks?: FitCallbacks): Promise<unknown>
  toSpec(): EstimatorSpec
}

/** The options setParams takes (the grid's keys and values). */
export type ParamsOf<E> = E extends { setParams(params: infer P): unknown } ? P : Record<string, unknown>
/** What every fit of a selection is given besides the data: an AbortSignal and a progress callback (both keep the cells on this thread). */
export type SelectFitOptions = FitCallbacks
/** X alone, or X with the arrays the estimator's fit takes: what `bootstrap` takes. */
export type SelectData = MatrixInput | ArrayLike<number> | BootstrapData

export type SelectCriterion = 'bic' | 'aic' | 'icl'
const CRITERIA: readonly SelectCriterion[] = ['bic', 'aic', 'icl']

export interface SelectModelOptions<E> {
  /** Option name -> values to try; cells are the Cartesian product, first key slowest. */
  grid: Grid<ParamsOf<E>>
  /** Criterion that picks the best cell (default 'bic'); every row reports all three. */
  criterion?: SelectCriterion
  /** Threads for the cells (Node entry; elsewhere serial): 'auto' (default: when it pays), a count, or 1. Same results either way. */
  workers?: Workers
  /** { signal, onIteration } for every fit (data such as sampleWeight or lengths go with X). */
  fitOptions?: SelectFitOptions
  /** Called for each cell, in grid order, once its row is known (e.g. to report progress). */
  onFit?: (row: SelectRow<ParamsOf<E>>, index: number, total: number) => void
}

/**
 * One cell of the grid. `status` is the fit's status, or 'skipped' (more components
 * than rows) or 'failed' (the fit degenerated: see `error`). Numbers are null when
 * there is no fitted model; `icl` also when the estimator has no latent classes.
 */
export interface SelectRow<P = Record<string, unknown>> {
  /** The cell: the grid's options for this fit. */
  readonly params: GridCell<P>
  /** Total log-likelihood at the fitted parameters, as the estimator's bic() counts it (weighted by sampleWeight when given). */
  readonly logLik: number | null
  readonly nParameters: number | null
  /** -2 logLik + nParameters log n (smaller is better). */
  readonly bic: number | null
  /** -2 logLik + 2 nParameters (smaller is better). */
  readonly aic: number | null
  /** bic - 2 sum_i log z_i,map(i): BIC plus the cost of the hard classification (smaller is better). */
  readonly icl: number | null
  /** mclust's sign (larger is better): -bic. */
  readonly mclustBic: number | null
  /** mclust's sign (larger is better): -icl, as mclust's icl() / mclustICL(). */
  readonly mclustIcl: number | null
  readonly status: FitStatus | 'skipped' | 'failed'
  readonly nIter: number | null
  readonly error?: { readonly code: string; readonly message: string }
}

export interface SelectModelResult<E> {
  readonly criterion: SelectCriterion
  /** One row per cell, in grid order. */
  readonly table: SelectRow<ParamsOf<E>>[]
  /** The chosen cell's row, its index in the table, and its fitted estimator. */
  readonly best: SelectRow<ParamsOf<E>> & { readonly index: number; readonly model: E }
}

const OPTION_NAMES = ['grid', 'criterion', 'workers', 'fitOptions', 'onFit']
const FIT_OPTION_NAMES = ['signal', 'onIteration']
/** Error codes that mean "this model degenerated on this data": recorded rather than thrown. */
const FAILED_CODES = new Set(['SINGULAR_COVARIANCE', 'DEGENERATE'])
const SKIPPED_CODE = 'TOO_MANY_COMPONENTS'

/**
 * Fit `make()` configured with every cell of `grid` to `data` and pick the smallest
 * criterion. Ties go to the earlier cell; fits that ended normally ('converged',
 * 'max-iter') are preferred over 'degenerate'/'aborted' ones.
 */
export async function selectModel<E extends SelectableEstimator>(
  make: () => E, data: SelectData, options: SelectModelOptions<E>,
): Promise<SelectModelResult<E>> {
  if (typeof make !== 'function') throw new OptionError('make', 'must be a function returning a new, unfitted estimator, e.g. () => new GaussianMixture({ nInit: 5 }).')
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new OptionError('options', `must be an object with at least a grid, e.g. { grid: { nComponents: [1, 2, 3] } }, got ${show(options)}.`)
  for (const key of Object.keys(options)) {
    if (OPTION_NAMES.includes(key)) continue
    const near = closest(key, OPTION_NAMES)
    throw new OptionError(key, `is not a selectModel option (known: ${OPTION_NAMES.join(', ')})${near ? `; did you mean '${near}'?` : ''}; estimator options go in make() or the grid, fit options in fitOptions.`, near ? { suggestion: near } : {})
  }
  if (options.onFit !== undefined && typeof options.onFit !== 'function') throw new OptionError('onFit', `must be a function (row, index, total) => void, got ${show(options.onFit)}.`)
  const criterion = options.criterion ?? 'bic'
  if (!CRITERIA.includes(criterion)) throw new OptionError('criterion', `must be 'bic', 'aic' or 'icl', got ${show(criterion)}.`)
  const workers = checkWorkers(options.workers ?? 'auto')
  const fitOptions = checkFitOptions(options.fitOptions)
  const cells = gridCells(options.grid)
  const estimators = cells.map((cell) => configure(make, cell as object))
  const kindName = specOf(estimators[0], 'estimator returned by make()').kind
  const kind = kindOf(kindName)
  if (criterion === 'icl' && !hasLatentClasses(estimators[0])) throw noIcl(kindName)

  const dataset = toDataset(data, kindName, kind.fields ?? [], kind.required ?? [])
  const threads = threadsFor(workers, cells.length, dataset.X.rows * dataset.X.cols * dataset.X.cols, kindName)
  const serial = threads <= 1 || !sendable(fitOptions, workers)
  const total = cells.length
  const onFit = options.onFit as ((row: SelectRow, index: number, total: number) => void) | undefined

  const table: SelectRow[] = []
  let index: number
  try {
    if (serial) {
      for (let i = 0; i < total; i++) {
        const scores = await recorded(() => fitAndScore(kind, estimators[i]!, dataset, fitOptions))
        table.push(toRow(cells[i]!, scores))
        onFit?.(table[i]!, i, total)
      }
    } else {
      const results = await runCells(estimators, dataset, threads)
      results.forEach((result, i) => {
        if (result.type !== 'fit') throw new Error('emkit: a fit task returned another result type')
        const scores = result.scores ?? recordedError(fromWireError(result.thrown!))
        table.push(toRow(cells[i]!, scores))
        onFit?.(table[i]!, i, total)
      })
    }
    index = pick(table, criterion)
  } catch (e) {
    disposeAll(estimators, -1)
    throw e
  }
  if (serial) {
    disposeAll(estimators, index)
  } else {
    // the pool fitted every cell; only the chosen one is fitted again here, exactly as it was there
    await fitDataset(kind, estimators[index]!, dataset)
  }
  return { criterion, table: table as SelectRow<ParamsOf<E>>[], best: { ...(table[index] as SelectRow<ParamsOf<E>>), index, model: estimators[index]! } }
}

/** fitOptions: the callbacks every fit takes; data fields belong with X, and anything else is not passed on. */
function checkFitOptions(given: unknown): FitCallbacks {
  if (given === undefined) return {}
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw new OptionError('fitOptions', `must be an object { signal, onIteration } (or left out), got ${show(given)}.`)
  for (const key of Object.keys(given)) {
    if ((DATA_FIELDS as readonly string[]).includes(key)) {
      throw new OptionError(`fitOptions.${key}`, `is data: give it with X, as selectModel(make, { X, ${key} }, options).`)
    }
    if (!FIT_OPTION_NAMES.includes(key)) {
      throw new OptionError(`fitOptions.${key}`, `is not a fit option selectModel passes on (known: ${FIT_OPTION_NAMES.join(', ')}); data go with X ({ X, y, sampleWeight, ... }), estimator options in make() or the grid.`)
    }
  }
  checkCallbacks(given as Readonly<Record<string, unknown>>)
  return given as FitCallbacks
}

/** Free what the fitted estimators hold (kernel memory), all but the one kept. */
function disposeAll(estimators: readonly SelectableEstimator[], keep: number): void {
  estimators.forEach((e, i) => { if (i !== keep) (e as { dispose?: () => void }).dispose?.() })
}

/** make() configured for one cell; an estimator without setParams cannot be selected over a grid. */
function configure<E extends SelectableEstimator>(make: () => E, cell: object): E {
  const estimator = make()
  if (typeof (estimator as Partial<SelectableEstimator> | null)?.setParams !== 'function') {
    throw new UnsupportedError('selectModel needs an estimator with setParams(options) (to configure each grid cell), fitDataset, scoreDataset and nParameters (every estimator on the base); make() returned one without setParams.')
  }
  estimator.setParams(cell)
  return estimator
}

/**
 * Whether the fits can go to worker threads: callbacks and AbortSignals (the only fit
 * options) cannot be cloned there. With 'auto' such a selection runs serially; with an
 * explicit thread count it is an error rather than a silent fallback.
 */
function sendable(fitOptions: FitCallbacks, workers: Workers): boolean {
  const bad = FIT_OPTION_NAMES.find((k) => (fitOptions as Record<string, unknown>)[k] !== undefined)
  if (bad === undefined) return true
  if (workers === 'auto') return false
  throw new OptionError('workers', `is ${workers}, but fitOptions.${bad} cannot go to worker threads; use workers: 1 (or 'auto') with ${bad}, or leave ${bad} out.`)
}

/** The cells as 'fit' tasks on the runner, estimators re-created from their specs there. */
async function runCells(estimators: readonly SelectableEstimator[], dataset: Dataset, threads: number): Promise<TaskResult[]> {
  const specs = estimators.map((e) => specOf(e, 'estimator returned by make()'))
  return runTasks(dataset, threads, (data) => specs.map((spec): FitTask => ({ type: 'fit', spec, data })))
}

/** A recorded failure of one cell, or the error rethrown. */
interface Recorded { readonly recorded: 'failed' | 'skipped'; readonly code: string; readonly message: string }

function recordedError(e: unknown): Recorded {
  // by code rather than instanceof: errors may come from another copy of emkit (a worker, a bundled duplicate)
  const code = (e as { code?: unknown } | null)?.code
  if (e instanceof Error && typeof code === 'string') {
    if (FAILED_CODES.has(code)) return { recorded: 'failed', code, message: e.message }
    if (code === SKIPPED_CODE) return { recorded: 'skipped', code, message: e.message }
  }
  throw e
}

async function recorded(fit: () => Promise<FitScores>): Promise<FitScores | Recorded> {
  try {
    return await fit()
  } catch (e) {
    return recordedError(e)
  }
}

function toRow(cell: GridCell, scores: FitScores | Recorded): SelectRow {
  if ('recorded' in scores) {
    return {
      params: cell, logLik: null, nParameters: null, bic: null, aic: null, icl: null, mclustBic: null, mclustIcl: null,
      status: scores.recorded, nIter: null, error: { code: scores.code, message: scores.message },
    }
  }
  const { logLik, nParameters, bic, aic, icl, status, nIter } = scores
  return { params: cell, logLik, nParameters, bic, aic, icl, mclustBic: -bic, mclustIcl: icl === null ? null : -icl, status, nIter }
}

/** The row with the smallest criterion, preferring fits that ended normally; an error says why there is none. */
function pick(table: readonly SelectRow[], criterion: SelectCriterion): number {
  const best = (accept: (r: SelectRow) => boolean): number => {
    let b = -1
    table.forEach((r, i) => {
      const v = r[criterion]
      if (v === null || !Number.isFinite(v) || !accept(r)) return
      if (b < 0 || v < table[b]![criterion]!) b = i
    })
    return b
  }
  let index = best((r) => r.status === 'converged' || r.status === 'max-iter')
  if (index < 0) index = best(() => true)
  if (index >= 0) return index
  if (table.every((r) => r.status === 'skipped')) {
    throw new InputError('TOO_MANY_COMPONENTS', `Every cell of the grid asks for more components than X has rows (${table[0]!.error!.message}); give more rows or smaller component counts.`, { table })
  }
  const codes = [...new Set(table.map((r) => r.error?.code).filter(Boolean))].join(', ')
  throw new EmkitError('DEGENERATE', `No model of the grid could be fitted (${codes || 'no finite criterion'}); try fewer components, a larger regCovar, or rescaling the data.`, { table })
}
