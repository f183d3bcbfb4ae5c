import { InputError } from '../core/errors.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { type TruncatedData, TruncatedModel, type TruncatedParams } from '../models/truncated.js'
import { column, type Dataset } from '../runtime/dataset.js'
import { type BaseFitOptions, Estimator, type Shape } from './base.js'
import { SINGLE_RUN_OPTIONS, type SingleRunOptions, TO_THE_MAXIMUM } from './engine-options.js'
import { type Resolved, show } from './schema.js'
import { checkTruncation, TRUNCATION, truncatedValues, type TruncationOptions } from './TruncatedRegression.js'

export interface TruncatedNormalOptions extends SingleRunOptions, TruncationOptions {}

export type TruncatedNormalFitOptions = BaseFitOptions<TruncatedParams>

const SCHEMA = {
  ...TRUNCATION,
  ...SINGLE_RUN_OPTIONS,
  ...TO_THE_MAXIMUM,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface TruncatedNormal extends Resolved<typeof SCHEMA> {}

/**
 * A normal sample recorded only inside [lower, upper], the number of unrecorded values
 * unknown: N(mean, scale^2) fitted by EM with the missing-data formulation (the
 * intercept-only case of TruncatedRegression's model: each recorded value stands for
 * (1 - P) / P unseen draws from the tails). Defaults: criterion 'parameters', tol 1e-9,
 * maxIter 10000. The start (the sample's mean and SD) is deterministic, so there are no
 * restarts (no nInit) and nothing for worker threads (no workers option).
 */
export class TruncatedNormal extends Estimator<TruncatedParams, TruncatedModel, TruncatedData, TruncatedNormalOptions> {
  static override readonly kind: string = 'TruncatedNormal'
  static override readonly schema = SCHEMA

  protected override validate(o: Readonly<Record<string, unknown>>): void { checkTruncation(o) }

  /** x: the recorded values, each inside [lower, upper]. */
  override fit(x: ArrayLike<number>, options: TruncatedNormalFitOptions = {}): Promise<this> { return super.fit(x, options) }

  // ---- the base's hooks ----

  protected toDataset(x: unknown, _options: Readonly<Record<string, unknown>>): Dataset {
    const v = x as ArrayLike<unknown> | null | undefined
    if (!v || typeof v !== 'object' || typeof v.length !== 'number') throw new InputError('INVALID_DATA', `The values must be an array of numbers inside [${this.lower}, ${this.upper}], got ${show(v)}.`)
    if (v.length === 0) throw new InputError('EMPTY_DATA', `The values must be a non-empty array of numbers inside [${this.lower}, ${this.upper}].`)
    const data = truncatedValues(v, 'x', this.lower, this.upper)
    return { X: { rows: data.length, cols: 1, data } }
  }

  protected override forFit(data: Dataset): Dataset {
    if (data.X.rows < 2) throw new InputError('INVALID_DATA', `Give at least two values to estimate a mean and a scale, got ${data.X.rows}.`)
    return data
  }

  /** scoreSamples(x): the values as a flat array. */
  protected override scoringArgs(data: Dataset): unknown[] {
    return [column(data.X)]
  }

  protected shapeOf(): Shape {
    return { nFeatures: 1 }
  }

  protected createModel(): TruncatedModel {
    return new TruncatedModel()
  }

  protected prepareData(model: TruncatedModel, data: Dataset): TruncatedData {
    const y = truncatedValues(column(data.X), 'x', this.lower, this.upper)
    return model.prepare(new Float64Array(y.length).fill(1), y.length, 1, y, this.lower, this.upper)
  }

  protected initialParams(model: TruncatedModel, data: TruncatedData, _rng: Rng): TruncatedParams {
    return model.initialParams(data)
  }

  /** The unseen values' expected count at the fit, kept (and saved) with the parameters. */
  protected override fitExtras(model: TruncatedModel, data: TruncatedData, _dataset: Dataset, params: TruncatedParams): Record<string, unknown> {
    return { expectedUnseen: model.unseen(data, params) }
  }

  // ---- fitted attributes and their use ----

  /** Mean of the normal before truncation. */
  get mean(): number { return this.fitted('mean').params.coef[0]! }
  /** Standard deviation of the normal before truncation. */
  get scale(): number { return this.fitted('scale').params.sigma }
  /** Expected number of unrecorded values (outside [lower, upper]) behind the recorded ones: n (1 - P) / P. */
  get expectedUnseen(): number { return this.fitted('expectedUnseen').extras['expectedUnseen'] as number }

  /** Each value's log-density under truncation: log phi((x - mean) / scale) - log scale - log P. */
  scoreSamples(x: ArrayLike<number>): number[] {
    return this.withData(x, {}, 'scoreSamples', (model, data, params) => Array.from(model.rowLogLiks(data, params)))
  }

  /** Mean log-likelihood per value (default: the training values'). */
  override score(x?: ArrayLike<number>): number { return super.score(x) }
  /** BIC on x (default: the training values): -2 log L + 2 log n. */
  override bic(x?: ArrayLike<number>): number { return super.bic(x) }
  /** AIC on x (default: the training values): -2 log L + 4. */
  override aic(x?: ArrayLike<number>): number { return super.aic(x) }
}
