import type { Algorithm } from '../engine/strategy.js'
import type { IterationInfo } from '../engine/types.js'
import { aic, bic } from '../core/math/criteria.js'
import { InputError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { toMatrix } from '../core/validate.js'
import { MvnMissingModel, type MvnParams } from '../models/mvn-missing.js'
import { type EstimatorOptions, FittedEstimator, parseSettings, runEngine, type Settings } from './common.js'
import { rejectUnknown } from './options.js'

export type MultivariateNormalOptions = Pick<EstimatorOptions<'em'>, 'tol' | 'criterion' | 'maxIter' | 'algorithm' | 'accelerate'>

export interface MultivariateNormalFitOptions {
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<MvnParams>) => void
}

const OPTION_NAMES = ['tol', 'criterion', 'maxIter', 'algorithm', 'accelerate']
const ALGORITHMS: readonly Algorithm[] = ['em']

/**
 * The multivariate normal fitted by EM with NaN entries as values missing at random
 * (the classic EM for incomplete normal data). `logLik` is the observed-data
 * log-likelihood. Rows with every value missing are left out. Defaults: criterion
 * 'parameters', tol 1e-9, maxIter 10000.
 */
export class MultivariateNormal extends FittedEstimator<MvnParams> {
  protected readonly estimatorName = 'MultivariateNormal'
  readonly settings: Settings
  private centre: Float64Array = new Float64Array(0)

  constructor(options: MultivariateNormalOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'MultivariateNormal')
    this.specOptions = { ...options }
    this.settings = parseSettings({ ...options, criterion: options.criterion ?? 'parameters', tol: options.tol ?? 1e-9, maxIter: options.maxIter ?? 10000 }, 'MultivariateNormal', ALGORITHMS)
  }

  async fit(X: MatrixInput, options: MultivariateNormalFitOptions = {}): Promise<this> {
    rejectUnknown(options, ['signal', 'onIteration'], 'MultivariateNormal.fit')
    const x = toMatrix(X, 'X', { allowMissing: true })
    const model = new MvnMissingModel()
    const data = model.prepare(x.data, x.rows, x.cols)
    if (data.totalWeight < 2) throw new InputError('INVALID_DATA', 'At least two rows with an observed value are needed.')
    this.result = await runEngine(model, data, model.initialParams(data), this.settings, options)
    this.centre = data.centre
    this.totalWeight = data.totalWeight
    return this
  }

  get mean(): number[] {
    const { params } = this.fitted('mean')
    return Array.from(params.mean, (v, j) => v + this.centre[j]!)
  }

  get covariance(): number[][] {
    const { params } = this.fitted('covariance')
    const d = params.mean.length
    return Array.from({ length: d }, (_, j) => Array.from(params.cov.subarray(j * d, j * d + d)))
  }

  nParameters(): number {
    const d = this.fitted('nParameters').params.mean.length
    return d + (d * (d + 1)) / 2
  }

  bic(): number { return bic(this.fitted('bic').logLik, this.nParameters(), this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, this.nParameters()) }
}
