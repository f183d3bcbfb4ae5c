import type { McemOptions } from '../engine/variants/options.js'
import { DegenerateError, InputError } from '../core/errors.js'
import type { FitResult } from '../engine/types.js'
import { separation } from '../models/common/separation.js'
import type { MatrixInput } from '../core/matrix.js'
import { normalCdf } from '../core/math/normal.js'
import { toSampleWeight } from '../core/validate.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import type { Kernels } from '../kernels/types.js'
import { labelRows, ProbitModel, type ProbitParams } from '../models/probit.js'
import { rowLogLik, type TobitData } from '../models/tobit.js'
import { type Dataset, toColumn } from '../runtime/dataset.js'
import { degenerateRun, type WeightedFitOptions } from './base.js'
import { type Resolved, show } from './schema.js'
import { algorithmOption, MCEM_OPTION, SINGLE_RUN_OPTIONS, type SingleRunOptions, TO_THE_MAXIMUM } from './engine-options.js'
import { checkPerRow, designMatrix, FIT_INTERCEPT, Regression } from './regression.js'

export type ProbitAlgorithm = 'em' | 'px-em' | 'mcem'

export interface ProbitRegressionOptions extends SingleRunOptions {
  /** Fit an intercept (default true); X never holds an intercept column. */
  fitIntercept?: boolean
  /** 'em' (default), 'px-em' (much faster) or 'mcem'. */
  algorithm?: ProbitAlgorithm
  /** Settings of algorithm 'mcem' (seed defaults to the estimator's `seed`). */
  mcem?: McemOptions
}

export type ProbitFitOptions = WeightedFitOptions<ProbitParams>

const SCHEMA = {
  fitIntercept: FIT_INTERCEPT,
  ...SINGLE_RUN_OPTIONS,
  ...TO_THE_MAXIMUM,
  algorithm: algorithmOption<ProbitAlgorithm>('ProbitRegression', ['em', 'px-em', 'mcem']),
  mcem: MCEM_OPTION,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface ProbitRegression extends Resolved<typeof SCHEMA> {}

/** y as 0/1 labels; anything else is an INVALID_DATA error naming the row. */
function labels(y: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(y.length)
  for (let i = 0; i < y.length; i++) {
    const v = y[i]
    if (v === 1) out[i] = 1
    else if (v !== 0) throw new InputError('INVALID_DATA', `y[${i}] is ${show(v)}; give 0/1 or false/true.`, { row: i })
  }
  return out
}

/**
 * Probit regression by EM on the latent normal (Albert & Chib's data augmentation),
 * PX-EM (expanded with the latent scale: much faster) or MCEM (truncated-normal draws
 * from the kernels). Defaults: criterion 'parameters', tol 1e-9, maxIter 10000. The
 * start is beta = 0, so there are no restarts (no nInit) and nothing for worker
 * threads (no workers option).
 */
export class ProbitRegression extends Regression<ProbitParams, ProbitModel, TobitData, ProbitRegressionOptions> {
  static override readonly kind: string = 'ProbitRegression'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight']

  /** y: 0/1 (or false/true) per row. */
  override fit(X: MatrixInput, y: ArrayLike<number | boolean>, options: ProbitFitOptions = {}): Promise<this> { return super.fit(X, y, options) }

  // ---- the base's hooks ----

  protected toDataset(input: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    const { X, y } = this.xy(input)
    const weight = toSampleWeight(options['sampleWeight'] as ArrayLike<number> | undefined, X.rows)
    return { X, y: toColumn(y, 'y'), ...(weight ? { sampleWeight: weight } : {}) }
  }

  protected createModel(kernels: Kernels): ProbitModel {
    return new ProbitModel(kernels)
  }

  protected prepareData(model: ProbitModel, data: Dataset): TobitData {
    const n = data.X.rows
    checkPerRow(data.y, 'y', n)
    const { z, p } = designMatrix(data.X, this.fitIntercept)
    return model.prepare(z, n, p, labels(data.y), data.sampleWeight ?? new Float64Array(n).fill(1))
  }

  protected initialParams(model: ProbitModel, data: TobitData, _rng: Rng): ProbitParams {
    return model.initialParams(data)
  }

  /** The Monte Carlo chain's seed is `mcem.seed`, else the estimator's `seed`. */
  protected override strategyExtras(): { mcem: McemOptions } {
    return { mcem: { seed: this.seed, ...this.mcem } }
  }

  /** Separated data (common/separation.ts) have no estimate: the run is degenerate, whatever EM's stopping rule said. */
  protected override reviewFit(result: FitResult<ProbitParams>, _model: ProbitModel, data: TobitData): FitResult<ProbitParams> {
    const y = Float64Array.from(data.upper, (u) => (u === Infinity ? 1 : 0))
    const why = separation(data.z, data.n, data.p, y, null, result.params.coef, data.weight)
    return why ? degenerateRun(result, new DegenerateError('DEGENERATE', why)) : result
  }

  // ---- using the fit ----

  /** P(y = 1 | x) = Phi(x' beta). */
  predictProba(X: MatrixInput): number[] {
    return Array.from(this.linear(X, 'predictProba'), (eta) => normalCdf(eta))
  }

  predict(X: MatrixInput): number[] { return this.predictProba(X).map((q) => (q > 0.5 ? 1 : 0)) }

  /** log P(y_i | x_i) of each row: log Phi(x' beta) for y = 1, log Phi(-x' beta) for y = 0. */
  scoreSamples(X: MatrixInput, y: ArrayLike<number | boolean>): number[] {
    this.fitted('scoreSamples')
    const data = this.toDataset({ X, y }, {})
    const rows = labelRows(labels(data.y!))
    return Array.from(this.linear(data.X, 'scoreSamples'), (mu, i) => rowLogLik(mu, 1, 0, rows, i))
  }

  /** Mean log-likelihood per row of (X, y) (default: the training data's, per unit of weight). */
  override score(X?: MatrixInput, y?: ArrayLike<number | boolean>): number { return super.score(X, y) }
  /** BIC on (X, y) (default: the training data): -2 log L + p log n. */
  override bic(X?: MatrixInput, y?: ArrayLike<number | boolean>): number { return super.bic(X, y) }
  /** AIC on (X, y) (default: the training data): -2 log L + 2 p. */
  override aic(X?: MatrixInput, y?: ArrayLike<number | boolean>): number { return super.aic(X, y) }
}
