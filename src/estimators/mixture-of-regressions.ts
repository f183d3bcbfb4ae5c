/**
 * What RegressionMixture and GLMMixture share: the options, fit(X, y, options), the
 * design, the starts, the fitted coefficients and the latent-class calls on (X, y).
 */
import { InputError, OptionError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { toRows } from '../core/matrix.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { show } from '../core/show.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import type { Kernels } from '../kernels/types.js'
import { linearPredictor } from '../models/glmm/model.js'
import {
  type RegressionFamily, RegressionMixtureModel, type RegressionMixtureData, type RegressionMixtureParams, type VarianceConvention,
} from '../models/regression-mixture.js'
import { type Dataset, toColumn } from '../runtime/dataset.js'
import { Estimator, type Shape, type WeightedFitOptions } from './base.js'
import { algorithmOption, ENGINE_OPTIONS, type EngineOptions, withDefault } from './engine-options.js'
import { checkComponents, mostProbable, usableRows } from './inputs.js'
import { checkPerRow, designMatrix, FIT_INTERCEPT } from './regression.js'
import { integerAtLeast, type OptionDef } from './schema.js'

/**
 * Where a mixture of regressions starts:
 * - 'random' (default): seeded random labels, softened as flexmix does (posterior 0.9 on
 *   the label, 0.1 on each other component, rows normalised), then one M-step;
 * - { labels }: a 0-based component per row (flexmix's `cluster`), softened the same way;
 * - { posteriors }: n rows of K starting posteriors (used as given);
 * - { weights, coefficients, intercepts?, scales? }: parameters (regmixEM's lambda, beta, sigma).
 */
export type RegressionMixtureInit =
  | 'random'
  | { readonly labels: ArrayLike<number> }
  | { readonly posteriors: ArrayLike<ArrayLike<number>> }
  | {
    readonly weights: ArrayLike<number>
    readonly coefficients: ArrayLike<ArrayLike<number>>
    readonly intercepts?: ArrayLike<number>
    readonly scales?: ArrayLike<number>
  }

export interface RegressionMixtureOptions extends EngineOptions {
  /** Number of components K (default 2). */
  nComponents?: number
  /** Fit an intercept per component (default true); X never holds an intercept column. */
  fitIntercept?: boolean
  /** 'random' (default), { labels }, { posteriors } or { weights, coefficients, intercepts?, scales? }. */
  init?: RegressionMixtureInit
  /** 'em' (default) or 'cem' (classification EM: hard assignments, the classification log-likelihood as the objective). */
  algorithm?: 'em' | 'cem'
  /** 'ml' (default: sigma^2 = RSS / N, the MLE, as regmixEM) or 'flexmix' (sigma^2 scaled by n / (n - p), flexmix's FLXMRglm). */
  varianceConvention?: VarianceConvention
}

export interface RegressionMixtureFitOptions extends WeightedFitOptions<RegressionMixtureParams> {
  /** Binomial trials per row (GLMMixture, family 'binomial'; default 1). */
  trials?: ArrayLike<number>
}

function checkInit(value: unknown, name: string): RegressionMixtureInit {
  if (value === 'random') return value
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value)
    const only = (key: string) => keys.length === 1 && keys[0] === key
    const params = keys.includes('weights') && keys.includes('coefficients') && keys.every((key) => ['weights', 'coefficients', 'intercepts', 'scales'].includes(key))
    if (only('labels') || only('posteriors') || params) return value as RegressionMixtureInit
  }
  throw new OptionError(name, `must be 'random', { labels }, { posteriors } or { weights, coefficients, intercepts?, scales? }, got ${show(value)}.`, { value: show(value) })
}

export const REGRESSION_MIXTURE_OPTIONS = {
  /** Number of components K. */
  nComponents: { default: 2, check: integerAtLeast(1) } as OptionDef<number>,
  fitIntercept: FIT_INTERCEPT,
  ...ENGINE_OPTIONS,
  tol: withDefault(ENGINE_OPTIONS.tol, 1e-8),
  maxIter: withDefault(ENGINE_OPTIONS.maxIter, 1000),
  /** 'random', { labels }, { posteriors } or { weights, coefficients, intercepts?, scales? }. */
  init: { default: 'random', check: checkInit } as OptionDef<RegressionMixtureInit>,
  algorithm: algorithmOption('RegressionMixture', ['em', 'cem'] as const),
}

/**
 * What the mixtures of regressions and of GLMs share: fit(X, y, options), the design,
 * the starts, the fitted coefficients and the latent-class calls on (X, y).
 */
export abstract class MixtureOfRegressions<O extends object> extends Estimator<RegressionMixtureParams, RegressionMixtureModel, RegressionMixtureData, O> {
  static override readonly latentClasses: boolean = true
  static override readonly fitOptionNames: readonly string[] = ['sampleWeight']
  declare readonly nComponents: number
  declare readonly fitIntercept: boolean
  declare readonly init: RegressionMixtureInit

  /** The response family of the model (GLMMixture: its `family` option). */
  protected abstract get responseFamily(): RegressionFamily
  /** How the Gaussian variance is estimated. */
  protected abstract get varianceRule(): VarianceConvention

  /** y: the responses (GLMMixture: counts, or successes out of `trials`). */
  override fit(X: MatrixInput, y: ArrayLike<number>, options: RegressionMixtureFitOptions = {}): Promise<this> { return super.fit(X, y, options) }

  // ---- the base's hooks ----

  protected override splitArgs(args: readonly unknown[]): { input: unknown; options: unknown } {
    return { input: { X: args[0], y: args[1] }, options: args[2] }
  }

  protected toDataset(input: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    const { X: given, y } = input as { X: MatrixInput; y: unknown }
    const X = toMatrix(given, 'X')
    checkPerRow(y, 'y', X.rows)
    const yy = toColumn(y as ArrayLike<unknown>, 'y')
    for (let i = 0; i < yy.length; i++) {
      if (!Number.isFinite(yy[i]!)) throw new InputError('NON_FINITE', `y[${i}] is ${yy[i]}; give finite responses (drop that row).`, { row: i })
    }
    const weight = toSampleWeight(options['sampleWeight'] as ArrayLike<number> | undefined, X.rows)
    const trials = options['trials']
    if (trials !== undefined) {
      if (this.responseFamily !== 'binomial') throw new OptionError('trials', `applies to family 'binomial' only (this is '${this.responseFamily}'); leave it out.`)
      checkPerRow(trials, 'trials', X.rows)
    }
    return { X, y: yy, ...(weight ? { sampleWeight: weight } : {}), ...(trials !== undefined ? { trials: toColumn(trials as ArrayLike<unknown>, 'trials') } : {}) }
  }

  protected override forFit(data: Dataset): Dataset {
    const X = toMatrix(data.X, 'X')
    checkComponents(this.nComponents, usableRows(X.rows, data.sampleWeight), 'components')
    return { ...data, X }
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected override scoringArgs(data: Dataset): unknown[] {
    return [data.X, data.y, ...(data.trials ? [{ trials: data.trials }] : [])]
  }

  protected createModel(kernels: Kernels, shape: Shape): RegressionMixtureModel {
    return new RegressionMixtureModel(kernels, this.nComponents, shape['nFeatures']! + (this.fitIntercept ? 1 : 0), { family: this.responseFamily, variance: this.varianceRule })
  }

  protected prepareData(model: RegressionMixtureModel, data: Dataset): RegressionMixtureData {
    if (!data.y) throw new InputError('INVALID_DATA', 'y is missing: give one response per row of X.')
    checkPerRow(data.y, 'y', data.X.rows)
    const { z } = designMatrix(data.X, this.fitIntercept)
    const trials = this.responseFamily === 'binomial' ? (data.trials ?? new Float64Array(data.X.rows).fill(1)) : null
    return model.prepare(z, data.y, trials, data.sampleWeight ?? null)
  }

  protected initialParams(model: RegressionMixtureModel, data: RegressionMixtureData, rng: Rng): RegressionMixtureParams {
    const init = this.init, k = this.nComponents, n = data.n
    if (init === 'random') return model.fromPosteriors(data, model.randomPosteriors(n, rng))
    if ('labels' in init) {
      checkPerRow(init.labels, 'init.labels', n)
      for (let i = 0; i < n; i++) {
        const c = init.labels[i]!
        if (!(Number.isInteger(c) && c >= 0 && c < k)) throw new InputError('INVALID_DATA', `init.labels[${i}] is ${show(c)}; give 0-based components, integers in [0, ${k - 1}].`, { row: i })
      }
      return model.fromPosteriors(data, RegressionMixtureModel.softPosteriors(init.labels, k))
    }
    if ('posteriors' in init) {
      checkPerRow(init.posteriors, 'init.posteriors', n)
      const post = new Float64Array(n * k)
      for (let i = 0; i < n; i++) {
        const row = init.posteriors[i]!
        let s = 0
        for (let c = 0; c < k; c++) {
          const v = row?.[c]
          if (row?.length !== k || typeof v !== 'number' || !(v >= 0)) throw new InputError('INVALID_DATA', `init.posteriors[${i}] is ${show(row)}; give ${k} non-negative probabilities per row.`, { row: i })
          post[i * k + c] = v; s += v
        }
        if (Math.abs(s - 1) > 1e-6) throw new InputError('INVALID_DATA', `init.posteriors[${i}] sums to ${s}; each row must sum to 1.`, { row: i })
      }
      return model.fromPosteriors(data, post)
    }
    return this.givenParams(model, init)
  }

  private givenParams(model: RegressionMixtureModel, init: Extract<RegressionMixtureInit, { weights: unknown }>): RegressionMixtureParams {
    const k = this.nComponents, p = model.p, off = this.fitIntercept ? 1 : 0
    const bad = (what: string, value: unknown, need: string) => new InputError('INVALID_DATA', `init.${what} is ${show(value)}; ${need}.`)
    if (init.weights?.length !== k) throw bad('weights', init.weights, `give ${k} weights summing to 1`)
    const weights = Float64Array.from(init.weights)
    let s = 0
    for (const w of weights) { if (!(w > 0)) throw bad('weights', init.weights, 'weights must be > 0'); s += w }
    if (Math.abs(s - 1) > 1e-6) throw bad('weights', init.weights, 'the weights must sum to 1')
    if (init.coefficients?.length !== k) throw bad('coefficients', init.coefficients, `give ${k} rows of ${p - off} slopes`)
    const coef = new Float64Array(k * p)
    for (let c = 0; c < k; c++) {
      const row = init.coefficients[c]!
      if (row?.length !== p - off) throw bad(`coefficients[${c}]`, row, `give ${p - off} slopes (one per column of X)`)
      for (let j = 0; j < p - off; j++) coef[c * p + off + j] = row[j]!
      if (off) coef[c * p] = init.intercepts?.[c] ?? 0
    }
    if (init.intercepts !== undefined && (!off || init.intercepts.length !== k)) throw bad('intercepts', init.intercepts, off ? `give ${k} intercepts` : 'fitIntercept is false: leave them out')
    const sigma = new Float64Array(k).fill(1)
    if (this.responseFamily === 'gaussian') {
      if (init.scales?.length !== k) throw bad('scales', init.scales, `give ${k} positive standard deviations`)
      for (let c = 0; c < k; c++) { sigma[c] = init.scales[c]!; if (!(sigma[c]! > 0 && sigma[c]! < Infinity)) throw bad('scales', init.scales, 'scales must be finite and > 0') }
    }
    if (!coef.every(Number.isFinite)) throw bad('coefficients', init.coefficients, 'give finite numbers')
    return { weights, coef, sigma }
  }

  /** A given or labelled start draws nothing: one run. */
  protected override restarts(): number {
    return this.init === 'random' ? (this.settings.nInit ?? 1) : 1
  }

  protected override workOf(data: Dataset): number {
    const p = data.X.cols + 1
    return data.X.rows * this.nComponents * p * p
  }

  // ---- fitted attributes ----

  get weights(): number[] { return Array.from(this.fitted('weights').params.weights) }

  /** Per component, the coefficients of the columns of X. */
  get coefficients(): number[][] {
    const { params, shape } = this.fitted('coefficients')
    const p = shape['nFeatures']! + (this.fitIntercept ? 1 : 0), off = this.fitIntercept ? 1 : 0
    return Array.from({ length: this.nComponents }, (_, c) => Array.from(params.coef.subarray(c * p + off, c * p + p)))
  }

  /** Per component, the intercept (0 without fitIntercept). */
  get intercepts(): number[] {
    const { params, shape } = this.fitted('intercepts')
    const p = shape['nFeatures']! + (this.fitIntercept ? 1 : 0)
    return Array.from({ length: this.nComponents }, (_, c) => (this.fitIntercept ? params.coef[c * p]! : 0))
  }

  // ---- using the fit ----

  /** Posterior probability of each component for each row of (X, y). */
  predictProba(X: MatrixInput, y: ArrayLike<number>, options: { trials?: ArrayLike<number> } = {}): number[][] {
    return this.withExpectation(X, y, options, 'predictProba', (data) => toRows(data.resp.view, data.n, this.nComponents))
  }

  /** The most probable component of each row of (X, y) (the first on ties). */
  predict(X: MatrixInput, y: ArrayLike<number>, options: { trials?: ArrayLike<number> } = {}): number[] {
    return this.withExpectation(X, y, options, 'predict', (data) => mostProbable(data.resp.view, data.n, this.nComponents))
  }

  /** Log-likelihood of each row of (X, y) under the fitted mixture. */
  scoreSamples(X: MatrixInput, y: ArrayLike<number>, options: { trials?: ArrayLike<number> } = {}): number[] {
    return this.withExpectation(X, y, options, 'scoreSamples', (data) => Array.from(data.rowLogLik.view.subarray(0, data.n)))
  }

  /**
   * The expected response of each row of X, sum_c w_c mu_c(x) (Gaussian: z' beta_c;
   * Poisson: exp(z' beta_c); binomial: the success probability per trial), or with
   * `{ component: c }` component c's mean alone.
   */
  predictResponse(X: MatrixInput, options: { component?: number } = {}): number[] {
    const { params, shape } = this.fitted('predictResponse')
    const given = this.callOptions(options, 'predictResponse', ['component'])
    const x = toMatrix(X, 'X')
    this.checkShape(shape, { nFeatures: x.cols })
    const k = this.nComponents
    const only = given['component']
    if (only !== undefined && !(Number.isInteger(only) && (only as number) >= 0 && (only as number) < k)) {
      throw new OptionError('component', `must be an integer in [0, ${k - 1}], got ${show(only)}.`, { value: show(only) })
    }
    const { z, p } = designMatrix(x, this.fitIntercept)
    const mean = (eta: number) => (this.responseFamily === 'gaussian' ? eta : this.responseFamily === 'poisson' ? Math.exp(eta) : 1 / (1 + Math.exp(-eta)))
    const out = new Float64Array(x.rows)
    for (let c = 0; c < k; c++) {
      if (only !== undefined && c !== only) continue
      const eta = linearPredictor(z, x.rows, p, params.coef.subarray(c * p, c * p + p))
      const w = only !== undefined ? 1 : params.weights[c]!
      for (let i = 0; i < x.rows; i++) out[i] = out[i]! + w * mean(eta[i]!)
    }
    return Array.from(out)
  }

  /** Mean log-likelihood per row of (X, y) (default: the training data's, per unit of weight). */
  override score(X?: MatrixInput, y?: ArrayLike<number>, options?: { trials?: ArrayLike<number> }): number { return super.score(X, y, options) }
  /** BIC on (X, y) (default: the training data): -2 log L + p log n. */
  override bic(X?: MatrixInput, y?: ArrayLike<number>, options?: { trials?: ArrayLike<number> }): number { return super.bic(X, y, options) }
  /** AIC on (X, y) (default: the training data): -2 log L + 2 p. */
  override aic(X?: MatrixInput, y?: ArrayLike<number>, options?: { trials?: ArrayLike<number> }): number { return super.aic(X, y, options) }

  private withExpectation<T>(X: MatrixInput, y: ArrayLike<number>, options: unknown, what: string, read: (data: RegressionMixtureData) => T): T {
    const given = this.callOptions(options ?? {}, what, this.responseFamily === 'binomial' ? ['trials'] : [])
    return this.withData({ X, y }, given, what, (model, data, params) => {
      model.expectation(data, params)
      return read(data)
    })
  }
}

