import { InputError, OptionError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { showNonNumber } from '../core/show.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { type TruncatedData, TruncatedModel, type TruncatedParams } from '../models/truncated.js'
import type { Dataset } from '../runtime/dataset.js'
import type { WeightedFitOptions } from './base.js'
import { toSampleWeight } from '../core/validate.js'
import { SINGLE_RUN_OPTIONS, type SingleRunOptions, TO_THE_MAXIMUM } from './engine-options.js'
import { designMatrix, FIT_INTERCEPT, Regression } from './regression.js'
import { show, type Resolved, thresholdOption } from './schema.js'

/** The truncation interval [lower, upper] of TruncatedRegression and TruncatedNormal. */
export interface TruncationOptions {
  /** Lower truncation point: values below it are never recorded (default -Infinity: none). */
  lower?: number
  /** Upper truncation point: values above it are never recorded (default Infinity: none). */
  upper?: number
}

/** The schema entries and checks both truncated estimators share. */
export const TRUNCATION = {
  /** Lower truncation point: values below it are never recorded. */
  lower: thresholdOption(Infinity),
  /** Upper truncation point: values above it are never recorded. */
  upper: thresholdOption(-Infinity),
}

export function checkTruncation(o: Readonly<Record<string, unknown>>): void {
  const lower = o['lower'] as number, upper = o['upper'] as number
  if (!(lower < upper)) throw new OptionError('lower', `must be below upper (${upper}), got ${lower}: give an interval [lower, upper] with room inside.`, { value: lower })
}

/** The recorded values, each finite and inside [lower, upper] (what truncation means). */
export function truncatedValues(values: ArrayLike<unknown>, what: string, lower: number, upper: number): Float64Array {
  const out = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v !== 'number') throw new InputError('INVALID_DATA', `${what}[${i}] is ${showNonNumber(v)}.`, { row: i })
    if (!Number.isFinite(v)) throw new InputError('NON_FINITE', `${what}[${i}] is ${show(v)}; give finite values.`, { row: i })
    if (v < lower || v > upper) throw new InputError('INVALID_DATA', `${what}[${i}] is ${v}, outside the truncation interval [${lower}, ${upper}]: truncated data are recorded only inside it. Check lower/upper, or drop the row.`, { row: i })
    out[i] = v
  }
  return out
}

export interface TruncatedRegressionOptions extends SingleRunOptions, TruncationOptions {
  /** Fit an intercept (default true); X never holds an intercept column. */
  fitIntercept?: boolean
}

export type TruncatedRegressionFitOptions = WeightedFitOptions<TruncatedParams>

const SCHEMA = {
  ...TRUNCATION,
  fitIntercept: FIT_INTERCEPT,
  ...SINGLE_RUN_OPTIONS,
  ...TO_THE_MAXIMUM,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface TruncatedRegression extends Resolved<typeof SCHEMA> {}

/**
 * Truncated Gaussian linear regression: y = x'beta + sigma e recorded only when it
 * falls in [lower, upper], the number of unrecorded rows unknown. EM with the
 * missing-data formulation (models/truncated.ts): each recorded row stands for an
 * expected (1 - P_i) / P_i unseen draws from the tails at its x. Defaults: criterion
 * 'parameters', tol 1e-9, maxIter 10000 (EM under heavy truncation converges slowly;
 * `accelerate: 'squarem'` helps). The start is least squares, so there are no
 * restarts (no nInit) and nothing for worker threads (no workers option).
 */
export class TruncatedRegression extends Regression<TruncatedParams, TruncatedModel, TruncatedData, TruncatedRegressionOptions> {
  static override readonly kind: string = 'TruncatedRegression'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight']

  protected override validate(o: Readonly<Record<string, unknown>>): void { checkTruncation(o) }

  /** y: the recorded responses, each inside [lower, upper]. */
  override fit(X: MatrixInput, y: ArrayLike<number>, options: TruncatedRegressionFitOptions = {}): Promise<this> { return super.fit(X, y, options) }

  // ---- the base's hooks ----

  protected toDataset(input: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    const { X, y } = this.xy(input)
    const weight = toSampleWeight(options['sampleWeight'] as ArrayLike<number> | undefined, X.rows)
    return { X, y: truncatedValues(y, 'y', this.lower, this.upper), ...(weight ? { sampleWeight: weight } : {}) }
  }

  protected createModel(): TruncatedModel {
    return new TruncatedModel()
  }

  protected prepareData(model: TruncatedModel, data: Dataset): TruncatedData {
    const n = data.X.rows
    const y = truncatedValues(data.y ?? [], 'y', this.lower, this.upper)
    if (y.length !== n) throw new InputError('SHAPE_MISMATCH', `y has ${y.length} values but X has ${n} rows; give one per row.`, { rows: n })
    const { z, p } = designMatrix(data.X, this.fitIntercept)
    return model.prepare(z, n, p, y, this.lower, this.upper, data.sampleWeight)
  }

  protected initialParams(model: TruncatedModel, data: TruncatedData, _rng: Rng): TruncatedParams {
    return model.initialParams(data)
  }

  /** The unseen rows' expected count at the fit, kept (and saved) with the parameters. */
  protected override fitExtras(model: TruncatedModel, data: TruncatedData, _dataset: Dataset, params: TruncatedParams): Record<string, unknown> {
    return { expectedUnseen: model.unseen(data, params) }
  }

  // ---- fitted attributes and their use ----

  /** sigma, the standard deviation of the errors before truncation. */
  get scale(): number { return this.fitted('scale').params.sigma }

  /** The mean x'beta of each row of X before truncation. */
  predict(X: MatrixInput): number[] {
    return Array.from(this.linear(X, 'predict'))
  }

  /** Expected number of unrecorded rows behind the training rows (outside [lower, upper], at their x). */
  get expectedUnseen(): number {
    return this.fitted('expectedUnseen').extras['expectedUnseen'] as number
  }

  /** Each row's log-density under truncation: log phi(r) - log sigma - log P(lower <= y <= upper | x). */
  scoreSamples(X: MatrixInput, y: ArrayLike<number>): number[] {
    return this.withData({ X, y }, {}, 'scoreSamples', (model, data, params) => Array.from(model.rowLogLiks(data, params)))
  }

  /** Mean log-likelihood per row of (X, y) (default: the training data's, per unit of weight). */
  override score(X?: MatrixInput, y?: ArrayLike<number>): number { return super.score(X, y) }
  /** BIC on (X, y) (default: the training data): -2 log L + p log n. */
  override bic(X?: MatrixInput, y?: ArrayLike<number>): number { return super.bic(X, y) }
  /** AIC on (X, y) (default: the training data): -2 log L + 2 p. */
  override aic(X?: MatrixInput, y?: ArrayLike<number>): number { return super.aic(X, y) }
}
