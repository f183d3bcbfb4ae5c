import type { IterationInfo } from '../engine/types.js'
import { checkMcemOptions, MCEM_KEYS, type McemOptions } from '../engine/variants/mcem.js'
import { checkKeys, checkNumber } from '../engine/variants/monteCarlo.js'
import { aic, bic } from '../core/math/criteria.js'
import { InputError, OptionError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { toMatrix } from '../core/validate.js'
import { loadKernels } from '../kernels/index.js'
import { type GlmmParams, linearPredictor, LogisticGlmmModel } from '../models/glmm/model.js'
import { designMatrix, FittedEstimator, parseFitIntercept, parseSettings, runEngine, type Settings } from './common.js'
import { rejectUnknown } from './options.js'

/** MCEM settings of LogisticGLMM: the engine's McemOptions plus the chain's burn-in and thinning. */
export interface GlmmMcemOptions extends McemOptions {
  /** Metropolis sweeps discarded at the start of every E-step, during which the proposal scales are tuned (default 100). */
  readonly burnIn?: number
  /** Keep every thin-th sweep as a draw (default 1). */
  readonly thin?: number
}

export interface LogisticGLMMOptions {
  /** 'mcem' (the only algorithm: the E-step has no closed form). */
  algorithm?: 'mcem'
  /** Settings of MCEM and of its Metropolis chain (seed defaults to the estimator's `seed`). */
  mcem?: GlmmMcemOptions
  /** Fit an intercept (default true); X never holds an intercept column. */
  fitIntercept?: boolean
  /** Points of the adaptive Gauss-Hermite rule for the log-likelihood (default 25; 1 = Laplace). */
  nAGQ?: number
  /** Largest number of MCEM iterations (default 200). */
  maxIter?: number
  /** Seed of the one random generator (default 0). */
  seed?: number
  /** Compute backend (default 'wasm'). */
  backend?: 'wasm' | 'wasm-scalar' | 'js'
}

export interface LogisticGLMMFitOptions {
  /** The group of each row (numbers or strings): one random intercept per distinct label. */
  groups: ArrayLike<string | number>
  /** Binomial trials of each row (default 1: Bernoulli responses). */
  trials?: ArrayLike<number>
  signal?: AbortSignal
  onIteration?: (info: IterationInfo<GlmmParams>) => void
}

const OPTION_NAMES = ['algorithm', 'mcem', 'fitIntercept', 'nAGQ', 'maxIter', 'seed', 'backend']

function checkGlmmMcem(value: unknown): { stepper: McemOptions; burnIn: number; thin: number } {
  if (value === undefined) return { stepper: {}, burnIn: 100, thin: 1 }
  if (typeof value !== 'object' || value === null) throw new OptionError('mcem', `must be an object, got ${String(value)}.`)
  const { burnIn, thin, ...rest } = value as Record<string, unknown>
  checkKeys('mcem', value, [...MCEM_KEYS, 'burnIn', 'thin'])
  checkNumber('mcem', 'burnIn', burnIn, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0')
  checkNumber('mcem', 'thin', thin, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1')
  return { stepper: checkMcemOptions(rest), burnIn: (burnIn as number | undefined) ?? 100, thin: (thin as number | undefined) ?? 1 }
}

/** Whether v is a non-negative integer count. */
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0

/**
 * Logistic regression with a random intercept per group (a binomial GLMM, lme4's
 * `glmer(cbind(y, t - y) ~ x + (1 | group), family = binomial)`), fitted by Monte Carlo
 * EM: Metropolis-within-Gibbs draws of the intercepts (wasm kernel), Newton M-step over
 * the draws, and the marginal log-likelihood by adaptive Gauss-Hermite quadrature.
 */
export class LogisticGLMM extends FittedEstimator<GlmmParams> {
  protected readonly estimatorName = 'LogisticGLMM'
  readonly fitIntercept: boolean
  readonly nAGQ: number
  readonly settings: Settings
  readonly mcem: McemOptions
  readonly burnIn: number
  readonly thin: number
  private labels: (string | number)[] = []
  private accept: Float64Array = new Float64Array(0)

  constructor(options: LogisticGLMMOptions = {}) {
    super()
    rejectUnknown(options, OPTION_NAMES, 'LogisticGLMM')
    this.specOptions = { ...options }
    this.fitIntercept = parseFitIntercept(options.fitIntercept)
    const nAGQ = options.nAGQ ?? 25
    if (!(Number.isInteger(nAGQ) && nAGQ >= 1 && nAGQ <= 100)) throw new OptionError('nAGQ', `must be an integer from 1 (Laplace) to 100, got ${String(nAGQ)}.`)
    this.nAGQ = nAGQ
    this.settings = parseSettings({ algorithm: options.algorithm ?? 'mcem', maxIter: options.maxIter ?? 200, seed: options.seed, backend: options.backend }, 'LogisticGLMM', ['mcem'])
    const { stepper, burnIn, thin } = checkGlmmMcem(options.mcem)
    this.mcem = stepper
    this.burnIn = burnIn
    this.thin = thin
  }

  async fit(X: MatrixInput, y: ArrayLike<number>, options: LogisticGLMMFitOptions): Promise<this> {
    if (!options || typeof options !== 'object') throw new InputError('INVALID_DATA', 'LogisticGLMM.fit needs { groups }: the group label of each row.')
    rejectUnknown(options, ['groups', 'trials', 'signal', 'onIteration'], 'LogisticGLMM.fit')
    const x = toMatrix(X, 'X')
    const n = x.rows
    if (n === 0) throw new InputError('EMPTY_DATA', 'X has no rows.')
    const { z: design, p } = designMatrix(x, this.fitIntercept)
    if (p === 0) throw new InputError('INVALID_DATA', 'No fixed effects: X has no columns and fitIntercept is false. Give a column or set fitIntercept: true.')
    const length = (v: ArrayLike<unknown> | undefined, what: string) => {
      if (!v || typeof v !== 'object' || v.length !== n) throw new InputError('SHAPE_MISMATCH', `${what} has ${v?.length ?? 'no'} values but X has ${n} rows; give one per row.`, { rows: n })
    }
    length(y, 'y')
    length(options.groups, 'groups')
    if (options.trials !== undefined) length(options.trials, 'trials')

    // group labels in order of first appearance; rows sorted by group (stable)
    const index = new Map<string | number, number>()
    const labels: (string | number)[] = []
    const groupOf = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const label = options.groups[i]
      const ok = (typeof label === 'number' && Number.isFinite(label)) || (typeof label === 'string' && label !== '')
      if (!ok) throw new InputError('INVALID_DATA', `groups[${i}] is ${JSON.stringify(label)}; give every row a group label (a finite number or a non-empty string).`, { row: i })
      let g = index.get(label)
      if (g === undefined) { g = labels.length; index.set(label, g); labels.push(label) }
      groupOf[i] = g
    }
    const G = labels.length
    if (G < 2) throw new InputError('INVALID_DATA', `groups has ${G} distinct label; a random-intercept variance needs at least 2 groups (for one group, fit a plain logistic regression).`, { groups: G })
    const counts = new Int32Array(G + 1)
    for (let i = 0; i < n; i++) counts[groupOf[i]! + 1]!++
    const groupStart = new Int32Array(G + 1)
    for (let g = 0; g < G; g++) groupStart[g + 1] = groupStart[g]! + counts[g + 1]!
    const next = groupStart.slice(0, G)
    const order = new Int32Array(n)
    for (let i = 0; i < n; i++) order[next[groupOf[i]!]!++] = i

    // the design in group order (the chain and the kernels walk each group's rows together)
    const z = new Float64Array(n * p), yy = new Float64Array(n), tt = new Float64Array(n)
    for (let k = 0; k < n; k++) {
      const i = order[k]!
      const yi = y[i], ti = options.trials === undefined ? 1 : options.trials[i]
      if (!isCount(yi)) throw new InputError(typeof yi === 'number' && !Number.isFinite(yi) ? 'NON_FINITE' : 'INVALID_DATA', `y[${i}] is ${String(yi)}; give the number of successes, an integer >= 0.`, { row: i })
      if (!isCount(ti) || ti < 1) throw new InputError(typeof ti === 'number' && !Number.isFinite(ti) ? 'NON_FINITE' : 'INVALID_DATA', `trials[${i}] is ${String(ti)}; give the number of trials, an integer >= 1.`, { row: i })
      if (yi > ti) throw new InputError('INVALID_DATA', `y[${i}] = ${yi} exceeds trials[${i}] = ${ti}; y counts successes out of trials.`, { row: i })
      yy[k] = yi
      tt[k] = ti
      z.set(design.subarray(i * p, i * p + p), k * p)
    }

    const kernels = await loadKernels(this.settings.backend)
    const model = new LogisticGlmmModel(kernels, { burnIn: this.burnIn, thin: this.thin, nAGQ: this.nAGQ })
    const data = model.prepare(z, n, p, yy, tt, groupStart)
    try {
      // MCEM owns its stopping rule (mcemGLM's), so the settings' tol does not enter
      this.result = await runEngine(model, data, model.initialParams(data), this.settings, options, { mcem: { seed: this.settings.seed, ...this.mcem } })
      this.accept = model.acceptanceRates(data)
    } finally {
      model.dispose(data)
    }
    this.totalWeight = n
    this.labels = labels
    return this
  }

  get intercept(): number {
    const r = this.fitted('intercept')
    return this.fitIntercept ? r.params.coef[0]! : 0
  }

  get coefficients(): number[] {
    return Array.from(this.fitted('coefficients').params.coef.subarray(this.fitIntercept ? 1 : 0))
  }

  /** The population-level linear predictor intercept + x'beta of each row of X (random intercepts at 0). */
  decisionFunction(X: MatrixInput): number[] {
    const coef = this.fitted('decisionFunction').params.coef
    const x = toMatrix(X, 'X')
    const off = this.fitIntercept ? 1 : 0
    if (x.cols !== coef.length - off) throw new InputError('SHAPE_MISMATCH', `X has ${x.cols} columns but the model was fitted with ${coef.length - off}.`, { expected: coef.length - off })
    // the fit's design and linear predictor, so the two cannot drift apart
    const { z, p } = designMatrix(x, this.fitIntercept)
    return Array.from(linearPredictor(z, x.rows, p, coef))
  }

  /** sigma, the standard deviation of the random intercepts. */
  get randomEffectSD(): number { return this.fitted('randomEffectSD').params.sigma }

  /** The group labels, in order of first appearance (the order of `acceptanceRates`). */
  get groups(): (string | number)[] { this.fitted('groups'); return this.labels.slice() }

  /** Acceptance rate of each group's Metropolis chain over the last E-step's kept sweeps. */
  get acceptanceRates(): number[] { this.fitted('acceptanceRates'); return Array.from(this.accept) }

  nParameters(): number { return this.fitted('nParameters').params.coef.length + 1 }

  bic(): number { return bic(this.fitted('bic').logLik, this.nParameters(), this.totalWeight) }
  aic(): number { return aic(this.fitted('aic').logLik, this.nParameters()) }
}
