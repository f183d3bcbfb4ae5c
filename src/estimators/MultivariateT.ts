import { aic, bic } from '../core/math/criteria.js'
import { InputError } from '../core/errors.js'
import { type MatrixInput, toRows } from '../core/matrix.js'
import { flattenShape } from '../core/shape.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { loadKernels } from '../kernels/index.js'
import { cholesky } from '../core/math/dense.js'
import { MultivariateTModel, type TParams } from '../models/multivariate-t.js'
import { NU_MAX, NU_MIN } from '../models/t/nu.js'
import { type EstimatorOptions, ESTIMATOR_OPTION_NAMES, type FitCallOptions, FittedEstimator, fitWithRestarts, parseSettings, type Settings } from './common.js'
import { numberAtLeast, oneOf, rejectUnknown } from './options.js'

export interface GivenTParams {
  readonly mean: ArrayLike<number>
  readonly scatter: ArrayLike<ArrayLike<number>>
  /** Starting degrees of freedom (ignored when `nu` is fixed). */
  readonly nu?: number
}

export interface MultivariateTOptions extends EstimatorOptions<'em' | 'ecm' | 'ecme' | 'px-em'> {
  /** Degrees of freedom: fixed at this value when given, estimated otherwise. */
  nu?: number
  /** 'moments' (default: observed means and pairwise-complete covariances, nu 10) or { mean, scatter, nu }. */
  init?: 'moments' | GivenTParams
}

const OPTION_NAMES = ['nu', 'init', ...ESTIMATOR_OPTION_NAMES]
/** Starting degrees of freedom when neither `nu` nor init.nu gives one. */
const DEFAULT_NU0 = 10

/**
 * The multivariate t distribution (location, scatter, degrees of freedom) fitted by
 * EM, ECM, ECME or PX-EM; missing values (NaN) are handled in the E-step.
 */
export class MultivariateT extends FittedEstimator<TParams> {
  protected readonly estimatorName = 'MultivariateT'
  readonly nu: number | undefined
  readonly init: 'moments' | GivenTParams
  readonly settings: Settings
  private d = 0
  private model: MultivariateTModel | null = null

  constructor(options: MultivariateTOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'MultivariateT')
    this.specOptions = { ...options }
    this.nu = options.nu === undefined ? undefined : checkNu('nu', options.nu)
    const init = options.init ?? 'moments'
    this.init = typeof init === 'object' && init !== null ? init : oneOf('init', init, ['moments'] as const)
    const why = this.nu !== undefined ? "with nu fixed, ECME has no step to take on the likelihood; omit 'nu' to estimate it" : ''
    this.settings = parseSettings(options, 'MultivariateT', MultivariateTModel.algorithms(this.nu !== undefined), {}, why)
  }

  /** Fit to rows of X (NaN marks a missing value). */
  async fit(X: MatrixInput, options: FitCallOptions<TParams> = {}): Promise<this> {
    const m = toMatrix(X, 'X', { allowMissing: true })
    const weight = toSampleWeight(options.sampleWeight, m.rows)
    const kernels = await loadKernels(this.settings.backend)
    const model = new MultivariateTModel({ kernels, d: m.cols, ...(this.nu !== undefined ? { nu: this.nu } : {}) })
    const data = model.prepare(m, weight)
    try {
      const start = this.start(model, data)
      this.result = await fitWithRestarts(model, data, this.settings, 1, () => start, options)
      this.model = model
      this.d = m.cols
      this.totalWeight = data.totalWeight
    } finally {
      model.release(data)
    }
    return this
  }

  get mean(): number[] { return Array.from(this.fitted('mean').params.mean) }
  get scatter(): number[][] { return toRows(this.fitted('scatter').params.scatter, this.d, this.d) }
  /** Fitted degrees of freedom (the fixed value when `nu` was given). */
  get degreesOfFreedom(): number { return this.fitted('degreesOfFreedom').params.nu }
  nParameters(): number {
    this.fitted('nParameters')
    return this.model!.nParameters()
  }
  bic(): number { return bic(this.fitted('bic').logLik, this.nParameters(), this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, this.nParameters()) }

  /** Log-density of each row's observed values under the fitted distribution. */
  scoreSamples(X: MatrixInput): number[] {
    const params = this.fitted('scoreSamples').params
    const model = this.model!
    const m = toMatrix(X, 'X', { allowMissing: true })
    if (m.cols !== this.d) throw new InputError('SHAPE_MISMATCH', `X has ${m.cols} columns but the model was fitted with ${this.d}.`, { expected: this.d, got: m.cols })
    const data = model.prepare(m)
    try {
      model.logLik(data, params)
      return Array.from(data.rowLogLik)
    } finally {
      model.release(data)
    }
  }

  private start(model: MultivariateTModel, data: ReturnType<MultivariateTModel['prepare']>): TParams {
    const d = model.d
    if (this.init === 'moments') return model.moments(data, this.nu ?? DEFAULT_NU0)
    const init = this.init
    const mean = flattenShape(init.mean, [d], 'init.mean')
    const scatter = flattenShape(init.scatter, [d, d], 'init.scatter')
    if (!cholesky(scatter, d)) throw new InputError('INVALID_DATA', 'init.scatter is not symmetric positive definite; give a valid scatter matrix.')
    const nu = this.nu ?? (init.nu === undefined ? DEFAULT_NU0 : checkNu('init.nu', init.nu))
    return { mean, scatter, nu }
  }
}

function checkNu(name: string, nu: number): number {
  numberAtLeast(name, nu, 0, true)
  if (nu < NU_MIN || nu > NU_MAX) throw new InputError('INVALID_DATA', `${name} = ${nu} is outside [${NU_MIN}, ${NU_MAX}]; give degrees of freedom in that range.`)
  return nu
}
