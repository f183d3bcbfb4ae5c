import type { Algorithm } from '../engine/strategy.js'
import type { IterationInfo } from '../engine/types.js'
import { checkMcemOptions, type McemOptions } from '../engine/variants/mcem.js'
import { aic, bic } from '../core/math/criteria.js'
import { InputError } from '../core/errors.js'
import { loadKernels } from '../kernels/index.js'
import { GammaPoissonModel, type GammaPoissonParams } from '../models/gamma-poisson.js'
import { type EstimatorOptions, ESTIMATOR_OPTION_NAMES, FittedEstimator, parseSettings, runEngine, type Settings } from './common.js'
import { rejectUnknown } from './options.js'

export interface GammaPoissonOptions extends EstimatorOptions<'em' | 'gem' | 'mcem'> {
  /** Settings of algorithm 'mcem' (seed defaults to the estimator's `seed`). */
  mcem?: McemOptions
}

export interface GammaPoissonFitOptions {
  /** Exposure t_i of each count (default 1): x_i ~ Poisson(theta_i t_i). */
  exposure?: ArrayLike<number>
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<GammaPoissonParams>) => void
}

// nInit is not an option: the start is deterministic.
const OPTION_NAMES = ['mcem', ...ESTIMATOR_OPTION_NAMES.filter((k) => k !== 'nInit')]
const ALGORITHMS: readonly Algorithm[] = ['em', 'gem', 'mcem']

/**
 * Poisson counts with gamma-distributed rates (the negative binomial as a missing-data
 * model): x_i ~ Poisson(theta_i t_i), theta_i ~ Gamma(alpha, rate beta). EM (exact
 * M-step), GEM (one Newton step on Q) or MCEM (gamma draws from the kernels).
 * Defaults: criterion 'parameters', tol 1e-9, maxIter 10000.
 */
export class GammaPoisson extends FittedEstimator<GammaPoissonParams> {
  protected readonly estimatorName = 'GammaPoisson'
  readonly settings: Settings
  readonly mcem: McemOptions

  constructor(options: GammaPoissonOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'GammaPoisson')
    this.specOptions = { ...options }
    this.settings = parseSettings({ ...options, criterion: options.criterion ?? 'parameters', tol: options.tol ?? 1e-9, maxIter: options.maxIter ?? 10000 }, 'GammaPoisson', ALGORITHMS)
    this.mcem = checkMcemOptions(options.mcem)
  }

  async fit(counts: ArrayLike<number>, options: GammaPoissonFitOptions = {}): Promise<this> {
    rejectUnknown(options, ['exposure', 'signal', 'onIteration'], 'GammaPoisson.fit')
    if (!counts || typeof counts.length !== 'number' || counts.length === 0) throw new InputError('EMPTY_DATA', 'Counts must be a non-empty array of non-negative integers.')
    const n = counts.length
    const x = new Float64Array(n), t = new Float64Array(n).fill(1)
    for (let i = 0; i < n; i++) {
      const v = counts[i]!
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new InputError('INVALID_DATA', `Count ${i} is ${String(v)}; counts must be non-negative integers.`, { row: i })
      x[i] = v
    }
    if (options.exposure !== undefined) {
      if (!options.exposure || options.exposure.length !== n) throw new InputError('SHAPE_MISMATCH', `exposure has ${options.exposure?.length} values but there are ${n} counts.`, { rows: n })
      for (let i = 0; i < n; i++) {
        const v = options.exposure[i]!
        if (typeof v !== 'number' || !(v > 0 && v < Infinity)) throw new InputError('INVALID_DATA', `exposure[${i}] is ${String(v)}; exposures must be finite and > 0.`, { row: i })
        t[i] = v
      }
    }
    if (n < 2) throw new InputError('INVALID_DATA', 'At least two counts are needed to estimate alpha and beta.')
    const kernels = await loadKernels(this.settings.backend)
    const model = new GammaPoissonModel(kernels)
    const data = model.prepare(x, t)
    this.result = await runEngine(model, data, model.initialParams(data), this.settings, options, { mcem: { seed: this.settings.seed, ...this.mcem } })
    this.totalWeight = n
    return this
  }

  /** Shape of the gamma distribution of the rates. */
  get alpha(): number { return this.fitted('alpha').params.alpha }
  /** Rate of the gamma distribution of the rates. */
  get beta(): number { return this.fitted('beta').params.beta }
  nParameters(): number { return 2 }
  bic(): number { return bic(this.fitted('bic').logLik, 2, this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, 2) }
}
