
import { InputError } from '../core/errors.js'
import { cholesky } from '../core/math/dense.js'
import { type MatrixInput, toRows } from '../core/matrix.js'
import { flattenShape } from '../core/shape.js'
import type { Kernels } from '../kernels/types.js'
import { MultivariateTModel, type TData, type TParams } from '../models/multivariate-t.js'
import type { Dataset } from '../runtime/dataset.js'
import { Estimator, type Shape, type WeightedFitOptions } from './base.js'
import { algorithmOption, SINGLE_RUN_OPTIONS, type SingleRunOptions } from './engine-options.js'
import { checkTAlgorithm, degreesOfFreedom, initOption, rowsDataset } from './inputs.js'
import type { OptionDef, Resolved } from './schema.js'

/**
 * Starting parameters; mean and scatter may each be left out: they then come from
 * the 'moments' start (weighted observed means, pairwise-complete covariances).
 */
export interface GivenTParams {
  readonly mean?: ArrayLike<number>
  readonly scatter?: ArrayLike<ArrayLike<number>>
  /** Starting degrees of freedom (ignored when `nu` is fixed; default 10). */
  readonly nu?: number
  readonly method?: 'moments'
}

export type MultivariateTInit = 'moments' | GivenTParams
export type MultivariateTAlgorithm = 'em' | 'ecm' | 'ecme' | 'px-em'

export interface MultivariateTOptions extends SingleRunOptions {
  /** Degrees of freedom: fixed at this value when given, estimated otherwise. */
  nu?: number
  /** 'moments' (default: observed means and pairwise-complete covariances, nu 10) or { mean?, scatter?, nu? }. */
  init?: MultivariateTInit
  /** 'em' (default), 'ecm', 'ecme' (nu by the observed likelihood; needs an estimated nu) or 'px-em'. */
  algorithm?: MultivariateTAlgorithm
}

export type MultivariateTFitOptions = WeightedFitOptions<TParams>

/** Starting degrees of freedom when neither `nu` nor init.nu gives one. */
const DEFAULT_NU0 = 10

const SCHEMA = {
  /** Degrees of freedom, fixed; estimated when left out. */
  nu: { default: undefined, check: degreesOfFreedom } as OptionDef<number | undefined>,
  ...SINGLE_RUN_OPTIONS,
  /** 'moments' or { mean?, scatter?, nu? }. */
  init: { default: 'moments', check: initOption(['moments'] as const, ['mean', 'scatter', 'nu']) } as OptionDef<MultivariateTInit>,
  algorithm: algorithmOption('MultivariateT', MultivariateTModel.algorithms(false)),
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface MultivariateT extends Resolved<typeof SCHEMA> {}

/**
 * The multivariate t distribution (location, scatter, degrees of freedom) fitted by
 * EM, ECM, ECME or PX-EM; missing values (NaN) are handled in the E-step.
 */
export class MultivariateT extends Estimator<TParams, MultivariateTModel, TData, MultivariateTOptions> {
  static override readonly kind: string = 'MultivariateT'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight']

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    checkTAlgorithm('MultivariateT', o, MultivariateTModel.algorithms)
  }

  /** Fit to rows of X (NaN marks a missing value). */
  override fit(X: MatrixInput, options: MultivariateTFitOptions = {}): Promise<this> { return super.fit(X, options) }

  // ---- the base's hooks ----

  protected toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    return rowsDataset(X, options, true)
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected createModel(kernels: Kernels, shape: Shape): MultivariateTModel {
    return new MultivariateTModel({ kernels, d: shape['nFeatures']!, ...(this.nu !== undefined ? { nu: this.nu } : {}) })
  }

  protected prepareData(model: MultivariateTModel, data: Dataset): TData {
    return model.prepare(data.X, data.sampleWeight ?? null)
  }

  protected initialParams(model: MultivariateTModel, data: TData): TParams {
    const init = this.init
    const nu = this.nu ?? (typeof init === 'object' && init.nu !== undefined ? degreesOfFreedom(init.nu, 'init.nu') : DEFAULT_NU0)
    if (typeof init === 'string') return model.moments(data, nu)
    const d = model.d
    const fromData = init.mean !== undefined && init.scatter !== undefined ? null : model.moments(data, nu)
    const mean = init.mean !== undefined ? flattenShape(init.mean, [d], 'init.mean') : fromData!.mean
    const scatter = init.scatter !== undefined ? flattenShape(init.scatter, [d, d], 'init.scatter') : fromData!.scatter
    if (!cholesky(scatter, d)) throw new InputError('INVALID_DATA', 'init.scatter is not symmetric positive definite; give a valid scatter matrix.')
    return { mean, scatter, nu }
  }

  /** The start is deterministic: restarts would repeat one another. */
  protected override restarts(): number {
    return 1
  }

  protected override workOf(data: Dataset): number {
    return data.X.rows * data.X.cols * data.X.cols
  }

  // ---- fitted attributes ----

  get mean(): number[] { return Array.from(this.fitted('mean').params.mean) }
  get scatter(): number[][] {
    const { params, model } = this.fitted('scatter')
    return toRows(params.scatter, model.d, model.d)
  }
  /** Fitted degrees of freedom (the fixed value when `nu` was given). */
  get degreesOfFreedom(): number { return this.fitted('degreesOfFreedom').params.nu }

  // ---- using the fit ----

  /** Log-density of each row's observed values under the fitted distribution. */
  scoreSamples(X: MatrixInput): number[] {
    return this.withData(X, {}, 'scoreSamples', (model, data, params) => {
      model.logLik(data, params)
      return Array.from(data.rowLogLik)
    })
  }

  /** Mean log-likelihood per row of X (default: the training data, per unit of weight). */
  override score(X?: MatrixInput): number { return super.score(X) }
  /** BIC on X (default: the training data). */
  override bic(X?: MatrixInput): number { return super.bic(X) }
  /** AIC on X (default: the training data). */
  override aic(X?: MatrixInput): number { return super.aic(X) }
}
