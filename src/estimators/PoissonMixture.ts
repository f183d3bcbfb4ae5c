import type { Algorithm } from '../engine/strategy.js'
import { aic, bic } from '../core/math/criteria.js'
import { InputError } from '../core/errors.js'
import { toSampleWeight } from '../core/validate.js'
import { loadKernels } from '../kernels/index.js'
import { type GivenPoissonParams, POISSON_INIT_METHODS, type PoissonInitMethod, PoissonMixtureModel, type PoissonMixtureParams } from '../models/poisson-mixture.js'
import { type EstimatorOptions, ESTIMATOR_OPTION_NAMES, type FitCallOptions, FittedEstimator, fitWithRestarts, parseSettings, type Settings } from './common.js'
import { integerAtLeast, oneOf, rejectUnknown } from './options.js'

export interface PoissonMixtureOptions extends EstimatorOptions<'em' | 'gem'> {
  /** Number of components K (default 2). */
  nComponents?: number
  /** 'quantiles' (default: rates at the weighted quantiles of the counts), 'random', or { weights, rates }. */
  init?: PoissonInitMethod | GivenPoissonParams
}

const OPTION_NAMES = ['nComponents', 'init', ...ESTIMATOR_OPTION_NAMES]
const ALGORITHMS: readonly Algorithm[] = ['em', 'gem']

/** Counts as an array of numbers, or a one-column matrix. */
export type CountsInput = ArrayLike<number> | ArrayLike<ArrayLike<number>>

/** A mixture of Poisson distributions for counts, fitted by EM (or GEM), optionally accelerated. */
export class PoissonMixture extends FittedEstimator<PoissonMixtureParams> {
  protected readonly estimatorName = 'PoissonMixture'
  readonly nComponents: number
  readonly init: PoissonInitMethod | GivenPoissonParams
  readonly settings: Settings
  private model: PoissonMixtureModel | null = null

  constructor(options: PoissonMixtureOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'PoissonMixture')
    this.specOptions = { ...options }
    this.nComponents = integerAtLeast('nComponents', options.nComponents ?? 2, 1)
    const init = options.init ?? 'quantiles'
    this.init = typeof init === 'object' && init !== null ? init : oneOf('init', init, POISSON_INIT_METHODS)
    this.settings = parseSettings(options, 'PoissonMixture', ALGORITHMS)
  }

  async fit(y: CountsInput, options: FitCallOptions<PoissonMixtureParams> = {}): Promise<this> {
    const counts = toCounts(y)
    const weight = toSampleWeight(options.sampleWeight, counts.length)
    const kernels = await loadKernels(this.settings.backend)
    const model = new PoissonMixtureModel(kernels, this.nComponents)
    const data = model.prepare(counts, weight)
    try {
      const restarts = typeof this.init === 'object' ? 1 : this.settings.nInit
      this.result = await fitWithRestarts(model, data, this.settings, restarts, (rng) => model.initialParams(data, this.init, rng), options)
      this.model = model
      this.totalWeight = data.totalWeight
    } finally {
      model.release(data)
    }
    return this
  }

  get weights(): number[] { return Array.from(this.fitted('weights').params.weights) }
  get rates(): number[] { return Array.from(this.fitted('rates').params.rates) }
  nParameters(): number { return 2 * this.nComponents - 1 }

  /** Posterior probability of each component for each count. */
  predictProba(y: CountsInput): number[][] {
    return this.withExpectation(y, 'predictProba', (resp, n, k) => Array.from({ length: n }, (_, i) => Array.from(resp.subarray(i * k, i * k + k))))
  }

  predict(y: CountsInput): number[] {
    return this.predictProba(y).map((row) => row.indexOf(Math.max(...row)))
  }

  /** log P(y_i) under the fitted mixture. */
  scoreSamples(y: CountsInput): number[] {
    const params = this.fitted('scoreSamples').params
    const model = this.model!
    const data = model.prepare(toCounts(y))
    try {
      model.expectation(data, params)
      return Array.from(data.rowLogLik.view)
    } finally {
      model.release(data)
    }
  }

  bic(): number { return bic(this.fitted('bic').logLik, this.nParameters(), this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, this.nParameters()) }

  private withExpectation<T>(y: CountsInput, what: string, read: (resp: Float64Array, n: number, k: number) => T): T {
    const params = this.fitted(what).params
    const model = this.model!
    const data = model.prepare(toCounts(y))
    try {
      model.expectation(data, params)
      return read(data.resp.view, data.n, model.k)
    } finally {
      model.release(data)
    }
  }
}

function toCounts(y: CountsInput): Float64Array {
  if (!y || typeof (y as ArrayLike<unknown>).length !== 'number' || y.length === 0) {
    throw new InputError('EMPTY_DATA', 'Counts must be a non-empty array of non-negative integers (or a one-column matrix).')
  }
  const out = new Float64Array(y.length)
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as unknown
    const value = typeof v === 'number' ? v : (v && typeof v === 'object' && (v as ArrayLike<number>).length === 1 ? (v as ArrayLike<number>)[0] : undefined)
    if (typeof value !== 'number') throw new InputError('INVALID_DATA', `Count ${i} is ${JSON.stringify(v)}; give numbers (or rows of one number).`, { row: i })
    out[i] = value
  }
  return out
}
