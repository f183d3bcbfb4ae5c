import type { Algorithm } from '../engine/strategy.js'
import type { IterationInfo } from '../engine/types.js'
import { checkMcemOptions, type McemOptions } from '../engine/variants/mcem.js'
import { aic, bic } from '../core/math/criteria.js'
import { InputError, OptionError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { loadKernels } from '../kernels/index.js'
import { TobitModel, type TobitParams } from '../models/tobit.js'
import { designMatrix, type EstimatorOptions, ESTIMATOR_OPTION_NAMES, FittedEstimator, parseFitIntercept, parseSettings, runEngine, type Settings } from './common.js'
import { rejectUnknown } from './options.js'

export interface TobitRegressionOptions extends EstimatorOptions<'em' | 'mcem'> {
  /** Left-censoring point: y <= left means only y* <= left is known. */
  left?: number
  /** Right-censoring point: y >= right means only y* >= right is known. */
  right?: number
  /** Fit an intercept (default true); X never holds an intercept column. */
  fitIntercept?: boolean
  /** Settings of algorithm 'mcem' (seed defaults to the estimator's `seed`). */
  mcem?: McemOptions
}

export interface TobitFitOptions {
  sampleWeight?: ArrayLike<number>
  /** Per-row left-censoring points (override `left`). */
  lower?: ArrayLike<number>
  /** Per-row right-censoring points (override `right`). */
  upper?: ArrayLike<number>
  /** Per-row intervals [lo, hi] holding y* (interval censoring; y of that row is ignored), or null for the row's usual rule. */
  intervals?: ArrayLike<readonly [number, number] | null | undefined>
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<TobitParams>) => void
}

// nInit is not an option: the start (least squares) is deterministic.
const OPTION_NAMES = ['left', 'right', 'fitIntercept', 'mcem', ...ESTIMATOR_OPTION_NAMES.filter((k) => k !== 'nInit')]
const ALGORITHMS: readonly Algorithm[] = ['em', 'mcem']

/**
 * Censored Gaussian linear regression (Tobin 1958) by exact EM (truncated-normal
 * moments in the E-step) or MCEM (truncated-normal draws from the sampling kernels).
 * Defaults: criterion 'parameters', tol 1e-9, maxIter 10000 (EM on heavily censored
 * data converges linearly and slowly; `accelerate: 'squarem'` helps).
 */
export class TobitRegression extends FittedEstimator<TobitParams> {
  protected readonly estimatorName = 'TobitRegression'
  readonly left: number
  readonly right: number
  readonly fitIntercept: boolean
  readonly settings: Settings
  readonly mcem: McemOptions
  private nFeatures = 0

  constructor(options: TobitRegressionOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'TobitRegression')
    this.specOptions = { ...options }
    this.left = options.left ?? -Infinity
    this.right = options.right ?? Infinity
    if (typeof this.left !== 'number' || Number.isNaN(this.left) || this.left === Infinity) throw new OptionError('left', `must be a number below Infinity, got ${String(options.left)}.`)
    if (typeof this.right !== 'number' || Number.isNaN(this.right) || this.right === -Infinity) throw new OptionError('right', `must be a number above -Infinity, got ${String(options.right)}.`)
    if (!(this.left < this.right)) throw new OptionError('left', `must be below right (${this.right}), got ${this.left}.`)
    this.fitIntercept = parseFitIntercept(options.fitIntercept)
    this.settings = parseSettings({ ...options, criterion: options.criterion ?? 'parameters', tol: options.tol ?? 1e-9, maxIter: options.maxIter ?? 10000 }, 'TobitRegression', ALGORITHMS)
    this.mcem = checkMcemOptions(options.mcem)
  }

  async fit(X: MatrixInput, y: ArrayLike<number>, options: TobitFitOptions = {}): Promise<this> {
    rejectUnknown(options, ['sampleWeight', 'lower', 'upper', 'intervals', 'signal', 'onIteration'], 'TobitRegression.fit')
    const x = toMatrix(X, 'X')
    const n = x.rows
    if (n === 0) throw new InputError('EMPTY_DATA', 'X has no rows.')
    if (!y || y.length !== n) throw new InputError('SHAPE_MISMATCH', `y has ${y?.length} values but X has ${n} rows.`, { rows: n })
    const weight = toSampleWeight(options.sampleWeight, n) ?? new Float64Array(n).fill(1)
    for (const key of ['lower', 'upper', 'intervals'] as const) {
      const v = options[key]
      if (v !== undefined && (!v || v.length !== n)) throw new InputError('SHAPE_MISMATCH', `${key} has ${v?.length} values but X has ${n} rows.`, { rows: n })
    }
    const { z, p } = designMatrix(x, this.fitIntercept)
    const yy = new Float64Array(n), lower = new Float64Array(n), upper = new Float64Array(n), censored = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const interval = options.intervals?.[i]
      if (interval !== undefined && interval !== null) {
        const [lo, hi] = interval
        if (!(typeof lo === 'number' && typeof hi === 'number' && lo < hi) || lo === Infinity || hi === -Infinity) {
          throw new InputError('INVALID_DATA', `intervals[${i}] is [${lo}, ${hi}]; give [lo, hi] with lo < hi (either may be infinite).`, { row: i })
        }
        censored[i] = 1; lower[i] = lo; upper[i] = hi; yy[i] = NaN
        continue
      }
      const v = y[i]!
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError('NON_FINITE', `y[${i}] is ${String(v)}; give finite responses (or an interval for that row).`, { row: i })
      const L = options.lower?.[i] ?? this.left
      const R = options.upper?.[i] ?? this.right
      if (!(L < R)) throw new InputError('INVALID_DATA', `Row ${i}: the left-censoring point ${L} is not below the right one ${R}.`, { row: i })
      yy[i] = v
      if (v <= L) { censored[i] = 1; lower[i] = -Infinity; upper[i] = L }
      else if (v >= R) { censored[i] = 1; lower[i] = R; upper[i] = Infinity }
    }
    const kernels = await loadKernels(this.settings.backend)
    const model = new TobitModel(kernels)
    const data = model.prepare(z, n, p, yy, lower, upper, censored, weight)
    if (data.censoredRows.length === n) throw new InputError('INVALID_DATA', 'Every row is censored: the scale cannot be estimated. Give some exact observations.')
    this.result = await runEngine(model, data, model.initialParams(data), this.settings, options, { mcem: { seed: this.settings.seed, ...this.mcem } })
    this.totalWeight = data.totalWeight
    this.nFeatures = x.cols
    return this
  }

  get intercept(): number {
    const r = this.fitted('intercept')
    return this.fitIntercept ? r.params.coef[0]! : 0
  }

  get coefficients(): number[] {
    const r = this.fitted('coefficients')
    return Array.from(r.params.coef.subarray(this.fitIntercept ? 1 : 0))
  }

  /** sigma, the standard deviation of the latent errors. */
  get scale(): number { return this.fitted('scale').params.sigma }

  nParameters(): number { return this.fitted('nParameters').params.coef.length + 1 }

  /** The latent mean z' beta of each row of X. */
  predict(X: MatrixInput): number[] {
    const { coef } = this.fitted('predict').params
    const x = toMatrix(X, 'X')
    if (x.cols !== this.nFeatures) throw new InputError('SHAPE_MISMATCH', `X has ${x.cols} columns; the model was fitted with ${this.nFeatures}.`, { cols: x.cols })
    const off = this.fitIntercept ? 1 : 0
    return Array.from({ length: x.rows }, (_, i) => {
      let s = off ? coef[0]! : 0
      for (let j = 0; j < x.cols; j++) s += coef[off + j]! * x.data[i * x.cols + j]!
      return s
    })
  }

  bic(): number { return bic(this.fitted('bic').logLik, this.nParameters(), this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, this.nParameters()) }
}
