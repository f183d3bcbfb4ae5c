import type { Accelerate } from '../engine/strategy.js'
import type { Criterion } from '../engine/types.js'
import type { StandardErrors } from '../engine/information/index.js'
import { InputError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { toMatrix } from '../core/validate.js'
import { type MvnData, MvnMissingModel, type MvnParams } from '../models/mvn-missing.js'
import type { Dataset } from '../runtime/dataset.js'
import { Estimator, type BaseFitOptions, type Shape } from './base.js'
import type { Resolved } from './schema.js'
import { algorithmOption, ENGINE_OPTIONS, TO_THE_MAXIMUM } from './engine-options.js'
import { type Imputable, IMPUTE_OPTION_NAMES, imputeMeanRows, type ImputeOptions } from './impute.js'

export interface MultivariateNormalOptions {
  /** Convergence threshold (default 1e-9), on what `criterion` names. */
  tol?: number
  /** 'parameters' (default: the packed mean and covariance move by less than tol) or 'objective'. */
  criterion?: Criterion
  /** Maximum iterations (default 10000; 0 returns the start: observed means and variances). */
  maxIter?: number
  /** 'em' (the only algorithm). */
  algorithm?: 'em'
  /** 'none' (default), 'aitken', 'squarem', 'quasi-newton', or { method, ...settings }. */
  accelerate?: Accelerate
  /** Refit from the fitted mean and covariance, the previous objective carried into the convergence test. */
  warmStart?: boolean
}

export type MultivariateNormalFitOptions = BaseFitOptions<MvnParams>

// The start is deterministic and the E-step plain TypeScript: no nInit, workers, seed or backend.
const SCHEMA = {
  ...TO_THE_MAXIMUM,
  algorithm: algorithmOption<'em'>('MultivariateNormal', ['em']),
  accelerate: ENGINE_OPTIONS.accelerate,
  warmStart: ENGINE_OPTIONS.warmStart,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface MultivariateNormal extends Resolved<typeof SCHEMA> {}

/**
 * The multivariate normal fitted by EM with NaN entries as values missing at random
 * (the classic EM for incomplete normal data). `logLik` is the observed-data
 * log-likelihood. Rows with every value missing are left out. Defaults: criterion
 * 'parameters', tol 1e-9, maxIter 10000.
 *
 * The parameters are those of the data centred at their observed column means (for
 * accuracy); the centre is kept with the fit, and new data are centred at it to be
 * scored.
 */
export class MultivariateNormal extends Estimator<MvnParams, MvnMissingModel, MvnData, MultivariateNormalOptions> {
  static override readonly kind: string = 'MultivariateNormal'
  static override readonly schema = SCHEMA

  /** X: rows of d values, NaN where missing. */
  override fit(X: MatrixInput, options: MultivariateNormalFitOptions = {}): Promise<this> { return super.fit(X, options) }

  // ---- the base's hooks ----

  protected toDataset(X: unknown): Dataset {
    return { X: toMatrix(X as MatrixInput, 'X', { allowMissing: true }) }
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected createModel(): MvnMissingModel {
    return new MvnMissingModel()
  }

  /** A warm start continues in the coordinates of the fit it starts from (its centre). */
  protected prepareData(model: MvnMissingModel, data: Dataset): MvnData {
    const centre = this.warmStart && this.state ? this.centre(this.state.extras) : undefined
    const prepared = model.prepare(data.X.data, data.X.rows, data.X.cols, centre)
    if (prepared.totalWeight < 2) throw new InputError('INVALID_DATA', 'At least two rows with an observed value are needed.')
    return prepared
  }

  protected initialParams(model: MvnMissingModel, data: MvnData): MvnParams {
    return model.initialParams(data)
  }

  protected override fitExtras(_model: MvnMissingModel, data: MvnData): Record<string, unknown> {
    return { centre: data.centre }
  }

  /** The model works on data centred at the observed column means: the mean's estimates move back (its SEs do not change). */
  protected override reportStandardErrors(se: StandardErrors, extras: Readonly<Record<string, unknown>>): StandardErrors {
    const centre = this.centre(extras)
    return { ...se, estimates: se.estimates.map((v, j) => (j < centre.length ? v + centre[j]! : v)) }
  }

  private centre(extras: Readonly<Record<string, unknown>>): Float64Array {
    return extras['centre'] as Float64Array
  }

  // ---- fitted attributes and their use ----

  get mean(): number[] {
    const { params, extras } = this.fitted('mean')
    const centre = this.centre(extras)
    return Array.from(params.mean, (v, j) => v + centre[j]!)
  }

  get covariance(): number[][] {
    const { params } = this.fitted('covariance')
    const d = params.mean.length
    return Array.from({ length: d }, (_, j) => Array.from(params.cov.subarray(j * d, j * d + d)))
  }

  /** Each row's observed-data log-likelihood (0 for a row with nothing observed). */
  scoreSamples(X: MatrixInput): number[] {
    return this.rowScores(X, 'scoreSamples').perRow
  }

  /** Mean log-likelihood per row with an observed value (default: the training data's). */
  override score(X?: MatrixInput): number { return super.score(X) }
  /** BIC on X (default: the training data): -2 log L + p log n, n the rows with an observed value. */
  override bic(X?: MatrixInput): number { return super.bic(X) }
  /** AIC on X (default: the training data): -2 log L + 2 p. */
  override aic(X?: MatrixInput): number { return super.aic(X) }

  /** A row with nothing observed is no sample (as in fit, where it is left out). */
  protected override totalLogLik(args: readonly unknown[]): { logLik: number; n: number } {
    if (args.length === 0 || args[0] === undefined) return super.totalLogLik(args)
    const { perRow, observed } = this.rowScores(args[0] as MatrixInput, 'score')
    let total = 0
    for (const v of perRow) total += v
    return { logLik: total, n: observed }
  }

  /**
   * `draws` completed copies of X (NaN where missing), each missing entry drawn from
   * its conditional normal given the row's observed entries, at parameters refitted on
   * a bootstrap resample of X's rows for each copy (Amelia's EMB; `bootstrap: false`:
   * at the fitted parameters). Analyse each copy and combine by Rubin's rules.
   */
  async impute(X: MatrixInput, options: ImputeOptions = {}): Promise<number[][][]> {
    const given = this.callOptions(options, 'impute', IMPUTE_OPTION_NAMES)
    // the draws imported on first use: bundles load them only for impute
    return (await import('./impute-draws.js')).imputeRows(X, given, this.imputable('impute'))
  }

  /** X with each missing entry replaced by its conditional mean given the row's observed entries. */
  imputeMean(X: MatrixInput): number[][] {
    return imputeMeanRows(X, this.imputable('imputeMean'))
  }

  private imputable(what: string): Imputable {
    const { shape } = this.fitted(what)
    const d = shape['nFeatures']!
    const partsOf = (fit: MultivariateNormal) => ({ k: 1, d, weights: Float64Array.of(1), means: Float64Array.from(fit.mean), covariances: Float64Array.from(fit.covariance.flat()) })
    return {
      parts: partsOf(this),
      refit: async (X) => partsOf(await new MultivariateNormal(this.toSpec().options as MultivariateNormalOptions).fit(X)),
      checkColumns: (cols) => this.checkShape(shape, { nFeatures: cols }),
    }
  }

  private rowScores(X: MatrixInput, what: string): { perRow: number[]; observed: number } {
    const { model, params, shape, extras } = this.fitted(what)
    const x = toMatrix(X, 'X', { allowMissing: true })
    this.checkShape(shape, this.shapeOf({ X: x }))
    const data = model.prepare(x.data, x.rows, x.cols, this.centre(extras))
    return { perRow: Array.from(model.rowLogLiks(data, params)), observed: data.totalWeight }
  }
}
