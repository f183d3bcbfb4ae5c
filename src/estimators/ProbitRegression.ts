import type { Algorithm } from '../engine/strategy.js'
import type { IterationInfo } from '../engine/types.js'
import { checkMcemOptions, type McemOptions } from '../engine/variants/mcem.js'
import { aic, bic } from '../core/math/criteria.js'
import { InputError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { loadKernels } from '../kernels/index.js'
import { normalCdf } from '../core/math/normal.js'
import { ProbitModel, type ProbitParams } from '../models/probit.js'
import { designMatrix, type EstimatorOptions, ESTIMATOR_OPTION_NAMES, FittedEstimator, parseFitIntercept, parseSettings, runEngine, type Settings } from './common.js'
import { rejectUnknown } from './options.js'

export interface ProbitRegressionOptions extends EstimatorOptions<'em' | 'px-em' | 'mcem'> {
  /** Fit an intercept (default true); X never holds an intercept column. */
  fitIntercept?: boolean
  /** Settings of algorithm 'mcem' (seed defaults to the estimator's `seed`). */
  mcem?: McemOptions
}

export interface ProbitFitOptions {
  sampleWeight?: ArrayLike<number>
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<ProbitParams>) => void
}

// nInit is not an option: the start (beta = 0) is deterministic.
const OPTION_NAMES = ['fitIntercept', 'mcem', ...ESTIMATOR_OPTION_NAMES.filter((k) => k !== 'nInit')]
const ALGORITHMS: readonly Algorithm[] = ['em', 'px-em', 'mcem']

/**
 * Probit regression by EM on the latent normal (Albert & Chib's data augmentation),
 * PX-EM (expanded with the latent scale: much faster) or MCEM (truncated-normal draws
 * from the kernels). Defaults: criterion 'parameters', tol 1e-9, maxIter 10000.
 */
export class ProbitRegression extends FittedEstimator<ProbitParams> {
  protected readonly estimatorName = 'ProbitRegression'
  readonly fitIntercept: boolean
  readonly settings: Settings
  readonly mcem: McemOptions
  private nFeatures = 0

  constructor(options: ProbitRegressionOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'ProbitRegression')
    this.specOptions = { ...options }
    this.fitIntercept = parseFitIntercept(options.fitIntercept)
    this.settings = parseSettings({ ...options, criterion: options.criterion ?? 'parameters', tol: options.tol ?? 1e-9, maxIter: options.maxIter ?? 10000 }, 'ProbitRegression', ALGORITHMS)
    this.mcem = checkMcemOptions(options.mcem)
  }

  /** y: 0/1 (or false/true) per row. */
  async fit(X: MatrixInput, y: ArrayLike<number | boolean>, options: ProbitFitOptions = {}): Promise<this> {
    rejectUnknown(options, ['sampleWeight', 'signal', 'onIteration'], 'ProbitRegression.fit')
    const x = toMatrix(X, 'X')
    const n = x.rows
    if (!y || y.length !== n) throw new InputError('SHAPE_MISMATCH', `y has ${y?.length} values but X has ${n} rows.`, { rows: n })
    const labels = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const v = y[i]
      if (v === 1 || v === true) labels[i] = 1
      else if (v !== 0 && v !== false) throw new InputError('INVALID_DATA', `y[${i}] is ${String(v)}; give 0/1 or false/true.`, { row: i })
    }
    const weight = toSampleWeight(options.sampleWeight, n) ?? new Float64Array(n).fill(1)
    const { z, p } = designMatrix(x, this.fitIntercept)
    const model = new ProbitModel(await loadKernels(this.settings.backend))
    const data = model.prepare(z, n, p, labels, weight)
    this.result = await runEngine(model, data, model.initialParams(data), this.settings, options, { mcem: { seed: this.settings.seed, ...this.mcem } })
    this.totalWeight = data.totalWeight
    this.nFeatures = x.cols
    return this
  }

  get intercept(): number { return this.fitIntercept ? this.fitted('intercept').params.coef[0]! : 0 }
  get coefficients(): number[] { return Array.from(this.fitted('coefficients').params.coef.subarray(this.fitIntercept ? 1 : 0)) }

  /** P(y = 1 | x) = Phi(x' beta). */
  predictProba(X: MatrixInput): number[] {
    const { coef } = this.fitted('predictProba').params
    const x = toMatrix(X, 'X')
    if (x.cols !== this.nFeatures) throw new InputError('SHAPE_MISMATCH', `X has ${x.cols} columns; the model was fitted with ${this.nFeatures}.`, { cols: x.cols })
    const off = this.fitIntercept ? 1 : 0
    return Array.from({ length: x.rows }, (_, i) => {
      let s = off ? coef[0]! : 0
      for (let j = 0; j < x.cols; j++) s += coef[off + j]! * x.data[i * x.cols + j]!
      return normalCdf(s)
    })
  }

  predict(X: MatrixInput): number[] { return this.predictProba(X).map((q) => (q > 0.5 ? 1 : 0)) }
  nParameters(): number { return this.fitted('nParameters').params.coef.length }
  bic(): number { return bic(this.fitted('bic').logLik, this.nParameters(), this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, this.nParameters()) }
}
