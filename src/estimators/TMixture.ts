import { aic, bic } from '../core/math/criteria.js'
import { InputError } from '../core/errors.js'
import { type MatrixInput, toRows } from '../core/matrix.js'
import { flattenShape } from '../core/shape.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { loadKernels } from '../kernels/index.js'
import { NU_MAX, NU_MIN } from '../models/t/nu.js'
import { TMixtureModel, type TMixtureData, type TMixtureParams } from '../models/t-mixture.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { type EstimatorOptions, ESTIMATOR_OPTION_NAMES, type FitCallOptions, FittedEstimator, fitWithRestarts, parseSettings, type Settings } from './common.js'
import { integerAtLeast, numberAtLeast, oneOf, rejectUnknown } from './options.js'

export interface GivenTMixtureParams {
  readonly weights: ArrayLike<number>
  /** K x d */
  readonly means: ArrayLike<ArrayLike<number>>
  /** K x d x d */
  readonly scatters: ArrayLike<ArrayLike<ArrayLike<number>>>
  /** K starting degrees of freedom (ignored when `nu` is fixed; default 10 each). */
  readonly nu?: ArrayLike<number>
}

export interface TMixtureOptions extends EstimatorOptions<'em' | 'ecm' | 'ecme'> {
  /** Number of components K (default 1). */
  nComponents?: number
  /** Degrees of freedom shared by every component, fixed at this value; estimated per component when omitted. */
  nu?: number
  /** 'kmeans++' (default) or { weights, means, scatters, nu }. */
  init?: 'kmeans++' | GivenTMixtureParams
}

const OPTION_NAMES = ['nComponents', 'nu', 'init', ...ESTIMATOR_OPTION_NAMES]
const DEFAULT_NU0 = 10

/** A mixture of multivariate t distributions fitted by EM, ECM or ECME (McLachlan & Peel 1998; Liu & Rubin 1995). */
export class TMixture extends FittedEstimator<TMixtureParams> {
  protected readonly estimatorName = 'TMixture'
  readonly nComponents: number
  readonly nu: number | undefined
  readonly init: 'kmeans++' | GivenTMixtureParams
  readonly settings: Settings
  private model: TMixtureModel | null = null

  constructor(options: TMixtureOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'TMixture')
    this.specOptions = { ...options }
    this.nComponents = integerAtLeast('nComponents', options.nComponents ?? 1, 1)
    if (options.nu !== undefined) {
      numberAtLeast('nu', options.nu, 0, true)
      if (options.nu < NU_MIN || options.nu > NU_MAX) throw new InputError('INVALID_DATA', `nu = ${options.nu} is outside [${NU_MIN}, ${NU_MAX}].`)
    }
    this.nu = options.nu
    const init = options.init ?? 'kmeans++'
    this.init = typeof init === 'object' && init !== null ? init : oneOf('init', init, ['kmeans++'] as const)
    const why = this.nu !== undefined ? "with nu fixed, ECME has no step to take on the likelihood; omit 'nu' to estimate it" : ''
    this.settings = parseSettings(options, 'TMixture', TMixtureModel.algorithms(this.nu !== undefined), {}, why)
  }

  async fit(X: MatrixInput, options: FitCallOptions<TMixtureParams> = {}): Promise<this> {
    const m = toMatrix(X, 'X')
    const weight = toSampleWeight(options.sampleWeight, m.rows)
    const k = this.nComponents
    const usable = weight ? weight.reduce((s, w) => s + (w > 0 ? 1 : 0), 0) : m.rows
    if (k > usable) throw new InputError('TOO_MANY_COMPONENTS', `nComponents = ${k} but X has only ${usable} usable rows; use at most ${usable} components.`, { nComponents: k, rows: usable })
    const kernels = await loadKernels(this.settings.backend)
    const model = new TMixtureModel(kernels, k, m.cols, this.nu)
    const data = model.prepare(m, weight)
    try {
      const restarts = typeof this.init === 'object' ? 1 : this.settings.nInit
      this.result = await fitWithRestarts(model, data, this.settings, restarts, (rng) => this.start(model, data, rng), options)
      this.model = model
      this.totalWeight = data.totalWeight
    } finally {
      model.release(data)
    }
    return this
  }

  get weights(): number[] { return Array.from(this.fitted('weights').params.weights) }
  get means(): number[][] { return toRows(this.fitted('means').params.means, this.nComponents, this.model!.d) }
  get scatters(): number[][][] {
    const { scatters } = this.fitted('scatters').params
    const d = this.model!.d
    return Array.from({ length: this.nComponents }, (_, c) => toRows(scatters.subarray(c * d * d), d, d))
  }
  /** Degrees of freedom per component. */
  get degreesOfFreedom(): number[] { return Array.from(this.fitted('degreesOfFreedom').params.nu) }
  nParameters(): number { this.fitted('nParameters'); return this.model!.nParameters() }
  bic(): number { return bic(this.fitted('bic').logLik, this.nParameters(), this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, this.nParameters()) }

  predictProba(X: MatrixInput): number[][] {
    return this.withExpectation(X, 'predictProba', (data) => toRows(data.resp.view, data.n, this.nComponents))
  }

  predict(X: MatrixInput): number[] {
    return this.predictProba(X).map((row) => row.indexOf(Math.max(...row)))
  }

  scoreSamples(X: MatrixInput): number[] {
    return this.withExpectation(X, 'scoreSamples', (data) => Array.from(data.rowLogLik.view))
  }

  private withExpectation<T>(X: MatrixInput, what: string, read: (data: TMixtureData) => T): T {
    const params = this.fitted(what).params
    const model = this.model!
    const m = toMatrix(X, 'X')
    if (m.cols !== model.d) throw new InputError('SHAPE_MISMATCH', `X has ${m.cols} columns but the model was fitted with ${model.d}.`, { expected: model.d, got: m.cols })
    const data = model.prepare(m)
    try {
      model.expectation(data, params, false)
      return read(data)
    } finally {
      model.release(data)
    }
  }

  private start(model: TMixtureModel, data: TMixtureData, rng: Rng): TMixtureParams {
    const { k, d } = model
    if (this.init === 'kmeans++') return model.initialParams(data, this.nu ?? DEFAULT_NU0, rng)
    const init = this.init
    const weights = flattenShape(init.weights, [k], 'init.weights')
    const means = flattenShape(init.means, [k, d], 'init.means')
    const scatters = flattenShape(init.scatters, [k, d, d], 'init.scatters')
    const nu = this.nu !== undefined ? new Float64Array(k).fill(this.nu) : init.nu ? flattenShape(init.nu, [k], 'init.nu') : new Float64Array(k).fill(DEFAULT_NU0)
    let s = 0
    for (let c = 0; c < k; c++) s += weights[c]!
    if (Math.abs(s - 1) > 1e-6) throw new InputError('INVALID_DATA', `init.weights sum to ${s}; they must sum to 1.`)
    for (let c = 0; c < k; c++) if (!(nu[c]! >= NU_MIN && nu[c]! <= NU_MAX)) throw new InputError('INVALID_DATA', `init.nu[${c}] = ${nu[c]} is outside [${NU_MIN}, ${NU_MAX}].`)
    return { weights, means, scatters, nu }
  }
}
