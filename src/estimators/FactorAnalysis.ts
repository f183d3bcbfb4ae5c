import { aic, bic } from '../core/math/criteria.js'
import { InputError, OptionError } from '../core/errors.js'
import { type MatrixInput, toRows } from '../core/matrix.js'
import { flattenShape } from '../core/shape.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { loadKernels } from '../kernels/index.js'
import { FACTOR_INIT_METHODS, FactorAnalysisModel, type FactorData, type FactorInitMethod, type FactorParams } from '../models/factor-analysis.js'
import { type EstimatorOptions, ESTIMATOR_OPTION_NAMES, type FitCallOptions, FittedEstimator, fitWithRestarts, parseSettings, type Settings } from './common.js'
import { integerAtLeast, oneOf, rejectUnknown } from './options.js'

export interface GivenFactorParams {
  /** d x q */
  readonly loadings: ArrayLike<ArrayLike<number>>
  /** d uniquenesses (> 0) */
  readonly uniquenesses: ArrayLike<number>
}

export interface FactorAnalysisOptions extends EstimatorOptions<'em' | 'ecm' | 'ecme' | 'px-em'> {
  /** Number of factors q (default 1); must be below the number of columns. */
  nComponents?: number
  /** 'pca' (default: probabilistic PCA), 'random' (seeded), or { loadings, uniquenesses }. */
  init?: FactorInitMethod | GivenFactorParams
}

const OPTION_NAMES = ['nComponents', 'init', ...ESTIMATOR_OPTION_NAMES]

/** Maximum-likelihood factor analysis by EM, ECM, ECME (Liu & Rubin 1998) or PX-EM. */
export class FactorAnalysis extends FittedEstimator<FactorParams> {
  protected readonly estimatorName = 'FactorAnalysis'
  readonly nComponents: number
  readonly init: FactorInitMethod | GivenFactorParams
  readonly settings: Settings
  private model: FactorAnalysisModel | null = null
  private meanValue: Float64Array | null = null

  constructor(options: FactorAnalysisOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'FactorAnalysis')
    this.specOptions = { ...options }
    this.nComponents = integerAtLeast('nComponents', options.nComponents ?? 1, 1)
    const init = options.init ?? 'pca'
    this.init = typeof init === 'object' && init !== null ? init : oneOf('init', init, FACTOR_INIT_METHODS)
    this.settings = parseSettings(options, 'FactorAnalysis', ['em', 'ecm', 'ecme', 'px-em'])
  }

  async fit(X: MatrixInput, options: FitCallOptions<FactorParams> = {}): Promise<this> {
    const m = toMatrix(X, 'X')
    const q = this.nComponents
    if (q >= m.cols) throw new OptionError('nComponents', `must be below the number of columns (${m.cols}), got ${q}; use fewer factors.`)
    if (m.rows < 2) throw new InputError('EMPTY_DATA', 'Factor analysis needs at least 2 rows.')
    const weight = toSampleWeight(options.sampleWeight, m.rows)
    const kernels = await loadKernels(this.settings.backend)
    const model = new FactorAnalysisModel(kernels, m.cols, q)
    const data = model.prepare(m, weight)
    const restarts = typeof this.init === 'object' || this.init === 'pca' ? 1 : this.settings.nInit
    this.result = await fitWithRestarts(model, data, this.settings, restarts, (rng) => this.start(model, data, rng), options)
    this.model = model
    this.meanValue = data.mean
    this.totalWeight = data.totalWeight
    return this
  }

  get mean(): number[] { this.fitted('mean'); return Array.from(this.meanValue!) }
  /** d x q loadings (identified up to a rotation). */
  get loadings(): number[][] { return toRows(this.fitted('loadings').params.loadings, this.model!.d, this.model!.q) }
  get uniquenesses(): number[] { return Array.from(this.fitted('uniquenesses').params.psi) }
  /** The fitted covariance Lambda Lambda^T + Psi (rotation-free). */
  get covariance(): number[][] {
    const params = this.fitted('covariance').params
    return toRows(this.model!.covariance(params), this.model!.d, this.model!.d)
  }
  nParameters(): number { this.fitted('nParameters'); return this.model!.nParameters() }
  bic(): number { return bic(this.fitted('bic').logLik, this.nParameters(), this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, this.nParameters()) }

  private start(model: FactorAnalysisModel, data: FactorData, rng: Parameters<FactorAnalysisModel['initialParams']>[2]): FactorParams {
    if (typeof this.init === 'string') return model.initialParams(data, this.init, rng)
    const loadings = flattenShape(this.init.loadings, [model.d, model.q], 'init.loadings')
    const psi = flattenShape(this.init.uniquenesses, [model.d], 'init.uniquenesses')
    for (let j = 0; j < model.d; j++) if (!(psi[j]! > 0)) throw new InputError('INVALID_DATA', `init.uniquenesses[${j}] is ${psi[j]}; uniquenesses must be > 0.`)
    return { loadings, psi }
  }
}
