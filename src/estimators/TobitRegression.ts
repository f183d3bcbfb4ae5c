import type { McemOptions } from '../engine/variants/options.js'
import { InputError, OptionError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { showNonNumber } from '../core/show.js'
import { toSampleWeight } from '../core/validate.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import type { Kernels } from '../kernels/types.js'
import { type CensoredRows, rowLogLik, type TobitData, TobitModel, type TobitParams } from '../models/tobit.js'
import type { Dataset } from '../runtime/dataset.js'
import type { BaseFitOptions } from './base.js'
import { algorithmOption, MCEM_OPTION, SINGLE_RUN_OPTIONS, type SingleRunOptions, TO_THE_MAXIMUM } from './engine-options.js'
import { checkPerRow, designMatrix, FIT_INTERCEPT, Regression } from './regression.js'
import { show, type Resolved, thresholdOption } from './schema.js'

export type TobitAlgorithm = 'em' | 'mcem'

export interface TobitRegressionOptions extends SingleRunOptions {
  /** Left-censoring point: y <= left means only y* <= left is known (default -Infinity: none). */
  left?: number
  /** Right-censoring point: y >= right means only y* >= right is known (default Infinity: none). */
  right?: number
  /** Fit an intercept (default true); X never holds an intercept column. */
  fitIntercept?: boolean
  /** 'em' (default: exact truncated-normal moments) or 'mcem'. */
  algorithm?: TobitAlgorithm
  /** Settings of algorithm 'mcem' (seed defaults to the estimator's `seed`). */
  mcem?: McemOptions
}

/** How the rows of a fit or scoring call are censored, besides the estimator's `left` and `right`. */
export interface TobitCensoring {
  /** Per-row left-censoring points (override `left`). */
  lower?: ArrayLike<number>
  /** Per-row right-censoring points (override `right`). */
  upper?: ArrayLike<number>
  /** Per-row intervals [lo, hi] holding y* (interval censoring; y of that row is ignored), or null for the row's usual rule. */
  intervals?: ArrayLike<readonly [number, number] | null | undefined>
}

export interface TobitFitOptions extends TobitCensoring, BaseFitOptions<TobitParams> {
  /** Frequency weights: weight 2 counts the row twice. */
  sampleWeight?: ArrayLike<number>
}

const CENSORING = ['lower', 'upper', 'intervals'] as const

const SCHEMA = {
  /** Left-censoring point: y <= left means only y* <= left is known. */
  left: thresholdOption(Infinity),
  /** Right-censoring point: y >= right means only y* >= right is known. */
  right: thresholdOption(-Infinity),
  fitIntercept: FIT_INTERCEPT,
  ...SINGLE_RUN_OPTIONS,
  ...TO_THE_MAXIMUM,
  algorithm: algorithmOption<TobitAlgorithm>('TobitRegression', ['em', 'mcem']),
  mcem: MCEM_OPTION,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface TobitRegression extends Resolved<typeof SCHEMA> {}

/** A fit's data with every row's censoring worked out from the call's options (a bare Dataset, as the bootstrap's, is censored at left/right). */
interface TobitDataset extends Dataset {
  readonly rows?: CensoredRows
}

/**
 * Censored Gaussian linear regression (Tobin 1958) by exact EM (truncated-normal
 * moments in the E-step) or MCEM (truncated-normal draws from the sampling kernels).
 * Defaults: criterion 'parameters', tol 1e-9, maxIter 10000 (EM on heavily censored
 * data converges linearly and slowly; `accelerate: 'squarem'` helps). The start is
 * least squares with censored rows at their bound, so there are no restarts (no
 * nInit) and nothing for worker threads (no workers option).
 */
export class TobitRegression extends Regression<TobitParams, TobitModel, TobitData, TobitRegressionOptions> {
  static override readonly kind: string = 'TobitRegression'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight', ...CENSORING]

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    const left = o['left'] as number, right = o['right'] as number
    if (!(left < right)) throw new OptionError('left', `must be below right (${right}), got ${left}.`, { value: left })
  }

  /** y: the observed responses (censored ones at or beyond their censoring point). */
  override fit(X: MatrixInput, y: ArrayLike<number>, options: TobitFitOptions = {}): Promise<this> { return super.fit(X, y, options) }

  // ---- the base's hooks ----

  protected toDataset(input: unknown, options: Readonly<Record<string, unknown>>): TobitDataset {
    const { X, y } = this.xy(input)
    const weight = toSampleWeight(options['sampleWeight'] as ArrayLike<number> | undefined, X.rows)
    for (const key of CENSORING) if (options[key] !== undefined) checkPerRow(options[key], key, X.rows)
    const rows = this.censor(y, options as TobitCensoring)
    return { X, y: rows.y, ...(weight ? { sampleWeight: weight } : {}), rows }
  }

  protected createModel(kernels: Kernels): TobitModel {
    return new TobitModel(kernels)
  }

  protected prepareData(model: TobitModel, data: TobitDataset): TobitData {
    const n = data.X.rows
    let rows = data.rows
    if (!rows) {
      checkPerRow(data.y, 'y', n)
      rows = this.censor(data.y, {})
    }
    const { z, p } = designMatrix(data.X, this.fitIntercept)
    const prepared = model.prepare(z, n, p, rows.y, rows.lower, rows.upper, rows.censored, data.sampleWeight ?? new Float64Array(n).fill(1))
    if (prepared.censoredRows.length === n) throw new InputError('INVALID_DATA', 'Every row is censored: the scale cannot be estimated. Give some exact observations.')
    return prepared
  }

  protected initialParams(model: TobitModel, data: TobitData, _rng: Rng): TobitParams {
    return model.initialParams(data)
  }

  /** The Monte Carlo chain's seed is `mcem.seed`, else the estimator's `seed`. */
  protected override strategyExtras(): { mcem: McemOptions } {
    return { mcem: { seed: this.seed, ...this.mcem } }
  }

  /**
   * Each row observed exactly or only inside an interval: an interval given for the
   * row, else y at or beyond its censoring point (per-row lower/upper, else left/right).
   */
  private censor(y: ArrayLike<unknown>, options: TobitCensoring): CensoredRows {
    const n = y.length
    const yy = new Float64Array(n), lower = new Float64Array(n), upper = new Float64Array(n), censored = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const interval = options.intervals?.[i]
      if (interval !== undefined && interval !== null) {
        const [lo, hi] = interval
        if (!(typeof lo === 'number' && typeof hi === 'number' && lo < hi) || lo === Infinity || hi === -Infinity) {
          throw new InputError('INVALID_DATA', `intervals[${i}] is ${show(interval)}; give [lo, hi] with lo < hi (either may be infinite).`, { row: i })
        }
        censored[i] = 1; lower[i] = lo; upper[i] = hi; yy[i] = NaN
        continue
      }
      const v = y[i]
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError('NON_FINITE', `y[${i}] is ${typeof v === 'number' ? show(v) : showNonNumber(v)}; give finite responses (or an interval for that row).`, { row: i })
      const L = options.lower?.[i] ?? this.left
      const R = options.upper?.[i] ?? this.right
      if (!(L < R)) throw new InputError('INVALID_DATA', `Row ${i}: the left-censoring point ${L} is not below the right one ${R}.`, { row: i })
      yy[i] = v
      if (v <= L) { censored[i] = 1; lower[i] = -Infinity; upper[i] = L }
      else if (v >= R) { censored[i] = 1; lower[i] = R; upper[i] = Infinity }
    }
    return { y: yy, lower, upper, censored }
  }

  // ---- fitted attributes and their use ----

  /** sigma, the standard deviation of the latent errors. */
  get scale(): number { return this.fitted('scale').params.sigma }

  /** The latent mean z' beta of each row of X. */
  predict(X: MatrixInput): number[] {
    return Array.from(this.linear(X, 'predict'))
  }

  /**
   * Log-likelihood of each row (y censored as in fit: by `left`/`right` or the
   * per-row options): the normal log-density of an exact value, the log-probability
   * of a censored one's interval.
   */
  scoreSamples(X: MatrixInput, y: ArrayLike<number>, options: TobitCensoring = {}): number[] {
    const { params } = this.fitted('scoreSamples')
    const given = this.callOptions(options, 'scoreSamples', CENSORING)
    const data = this.toDataset({ X, y }, given)
    const mu = this.linear(data.X, 'scoreSamples')
    const logSigma = Math.log(params.sigma)
    return Array.from(mu, (m, i) => rowLogLik(m, params.sigma, logSigma, data.rows!, i))
  }

  /** Mean log-likelihood per row of (X, y) (default: the training data's, per unit of weight). */
  override score(X?: MatrixInput, y?: ArrayLike<number>, options?: TobitCensoring): number { return super.score(X, y, options) }
  /** BIC on (X, y) (default: the training data): -2 log L + p log n. */
  override bic(X?: MatrixInput, y?: ArrayLike<number>, options?: TobitCensoring): number { return super.bic(X, y, options) }
  /** AIC on (X, y) (default: the training data): -2 log L + 2 p. */
  override aic(X?: MatrixInput, y?: ArrayLike<number>, options?: TobitCensoring): number { return super.aic(X, y, options) }
}
