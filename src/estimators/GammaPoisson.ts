import type { McemOptions } from '../engine/variants/options.js'
import { InputError } from '../core/errors.js'
import { countProblem } from '../core/validate.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import type { Kernels } from '../kernels/types.js'
import { type GammaPoissonData, GammaPoissonModel, type GammaPoissonParams } from '../models/gamma-poisson.js'
import { column, type Dataset, toColumn } from '../runtime/dataset.js'
import { Estimator, type BaseFitOptions, type Shape } from './base.js'
import { algorithmOption, MCEM_OPTION, SINGLE_RUN_OPTIONS, type SingleRunOptions, TO_THE_MAXIMUM } from './engine-options.js'
import { type Resolved, show } from './schema.js'

export type GammaPoissonAlgorithm = 'em' | 'gem' | 'mcem'

export interface GammaPoissonOptions extends SingleRunOptions {
  /** 'em' (default: exact M-step), 'gem' (one Newton step on Q) or 'mcem'. */
  algorithm?: GammaPoissonAlgorithm
  /** Settings of algorithm 'mcem' (seed defaults to the estimator's `seed`). */
  mcem?: McemOptions
}

/** The exposure of each count, in fit and scoring calls. */
export interface GammaPoissonExposure {
  /** Exposure t_i of each count (default 1): x_i ~ Poisson(theta_i t_i). */
  exposure?: ArrayLike<number>
}

export interface GammaPoissonFitOptions extends GammaPoissonExposure, BaseFitOptions<GammaPoissonParams> {}

const SCHEMA = {
  ...SINGLE_RUN_OPTIONS,
  ...TO_THE_MAXIMUM,
  algorithm: algorithmOption<GammaPoissonAlgorithm>('GammaPoisson', ['em', 'gem', 'mcem']),
  mcem: MCEM_OPTION,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface GammaPoisson extends Resolved<typeof SCHEMA> {}

/**
 * Poisson counts with gamma-distributed rates (the negative binomial as a missing-data
 * model): x_i ~ Poisson(theta_i t_i), theta_i ~ Gamma(alpha, rate beta). EM (exact
 * M-step), GEM (one Newton step on Q) or MCEM (gamma draws from the kernels).
 * Defaults: criterion 'parameters', tol 1e-9, maxIter 10000. The start is
 * deterministic, so there are no restarts (no nInit) and nothing for worker threads
 * (no workers option).
 */
export class GammaPoisson extends Estimator<GammaPoissonParams, GammaPoissonModel, GammaPoissonData, GammaPoissonOptions> {
  static override readonly kind: string = 'GammaPoisson'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['exposure']

  /** counts: non-negative integers. */
  override fit(counts: ArrayLike<number>, options: GammaPoissonFitOptions = {}): Promise<this> { return super.fit(counts, options) }

  // ---- the base's hooks ----

  /** The counts as one column of X, with their exposures. */
  protected toDataset(counts: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    const c = counts as ArrayLike<unknown> | null | undefined
    if (!c || typeof c !== 'object' || typeof c.length !== 'number') throw new InputError('INVALID_DATA', `Counts must be an array of non-negative integers, got ${show(c)}.`)
    if (c.length === 0) throw new InputError('EMPTY_DATA', 'Counts must be a non-empty array of non-negative integers.')
    const n = c.length
    const exposure = options['exposure'] as ArrayLike<unknown> | undefined
    if (exposure !== undefined && (!exposure || typeof exposure !== 'object')) throw new InputError('INVALID_DATA', `exposure must be an array of one exposure per count, got ${show(exposure)}.`)
    if (exposure !== undefined && exposure.length !== n) throw new InputError('SHAPE_MISMATCH', `exposure has ${exposure.length} values but there are ${n} counts.`, { rows: n })
    return { X: { rows: n, cols: 1, data: toColumn(c, 'counts') }, ...(exposure !== undefined ? { exposure: toColumn(exposure, 'exposure') } : {}) }
  }

  /** scoreSamples(counts, { exposure }). */
  protected override scoringArgs(data: Dataset): unknown[] {
    return [column(data.X), data.exposure ? { exposure: data.exposure } : {}]
  }

  protected override forFit(data: Dataset): Dataset {
    if (data.X.rows < 2) throw new InputError('INVALID_DATA', 'At least two counts are needed to estimate alpha and beta.')
    return data
  }

  /** Counts (symbols) are checked as such, not as values to square. */
  protected override checkScale(): void {}

  protected shapeOf(): Shape {
    return { nFeatures: 1 }
  }

  protected createModel(kernels: Kernels): GammaPoissonModel {
    return new GammaPoissonModel(kernels)
  }

  protected prepareData(model: GammaPoissonModel, data: Dataset): GammaPoissonData {
    const x = column(data.X)
    const n = x.length
    for (let i = 0; i < n; i++) {
      const problem = countProblem(x[i])
      if (problem) throw new InputError('INVALID_DATA', `Count ${i} is ${problem}.`, { row: i })
    }
    const t = data.exposure ?? new Float64Array(n).fill(1)
    if (t.length !== n) throw new InputError('SHAPE_MISMATCH', `exposure has ${t.length} values but there are ${n} counts.`, { rows: n })
    for (let i = 0; i < n; i++) {
      const v = t[i]!
      if (!(v > 0 && v < Infinity)) throw new InputError('INVALID_DATA', `exposure[${i}] is ${show(v)}; exposures must be finite and > 0.`, { row: i })
    }
    return model.prepare(x, t)
  }

  protected initialParams(model: GammaPoissonModel, data: GammaPoissonData, _rng: Rng): GammaPoissonParams {
    return model.initialParams(data)
  }

  /** The Monte Carlo chain's seed is `mcem.seed`, else the estimator's `seed`. */
  protected override strategyExtras(): { mcem: McemOptions } {
    return { mcem: { seed: this.seed, ...this.mcem } }
  }

  // ---- fitted attributes and their use ----

  /** Shape of the gamma distribution of the rates. */
  get alpha(): number { return this.fitted('alpha').params.alpha }
  /** Rate of the gamma distribution of the rates. */
  get beta(): number { return this.fitted('beta').params.beta }

  /** Each count's marginal log-likelihood (negative binomial, at its exposure). */
  scoreSamples(counts: ArrayLike<number>, options: GammaPoissonExposure = {}): number[] {
    const given = this.callOptions(options, 'scoreSamples', ['exposure'])
    return this.withData(counts, given, 'scoreSamples', (model, data, params) => Array.from(model.rowLogLiks(data, params)))
  }

  /** Mean log-likelihood per count (default: the training counts'). */
  override score(counts?: ArrayLike<number>, options?: GammaPoissonExposure): number { return super.score(counts, options) }
  /** BIC on counts (default: the training counts): -2 log L + 2 log n. */
  override bic(counts?: ArrayLike<number>, options?: GammaPoissonExposure): number { return super.bic(counts, options) }
  /** AIC on counts (default: the training counts): -2 log L + 4. */
  override aic(counts?: ArrayLike<number>, options?: GammaPoissonExposure): number { return super.aic(counts, options) }
}
