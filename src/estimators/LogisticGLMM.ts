import { checkKeys, checkMcemOptions, checkNumber, MCEM_KEYS, type McemOptions } from '../engine/variants/options.js'
import { DegenerateError, InputError, OptionError } from '../core/errors.js'
import type { FitResult } from '../engine/types.js'
import { separation } from '../models/common/separation.js'
import { countProblem } from '../core/validate.js'
import type { MatrixInput } from '../core/matrix.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import type { BackendName, Kernels } from '../kernels/types.js'
import { type GlmmData, type GlmmParams, LogisticGlmmModel } from '../models/glmm/model.js'
import { type Dataset, toColumn, unitCount } from '../runtime/dataset.js'
import { type BaseFitOptions, degenerateRun } from './base.js'
import { algorithmOption, ENGINE_OPTIONS, withDefault } from './engine-options.js'
import { checkPerRow, designMatrix, FIT_INTERCEPT, Regression } from './regression.js'
import { type OptionDef, show, type Resolved } from './schema.js'

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
  /** Largest number of MCEM iterations (default 200; 0 returns the start: the plain logistic regression, sigma 1). */
  maxIter?: number
  /** Seed of the one random generator (default 0). */
  seed?: number
  /** Compute backend (default 'wasm'). */
  backend?: BackendName
  /** Refit by MCEM from the fitted parameters (the chains start again at the conditional modes). */
  warmStart?: boolean
}

/** Which group each row belongs to, and its binomial trials. */
export interface GlmmRows {
  /** The group of each row (numbers or strings): one random intercept per distinct label. */
  groups: ArrayLike<string | number>
  /** Binomial trials of each row (default 1: Bernoulli responses). */
  trials?: ArrayLike<number>
}

export interface LogisticGLMMFitOptions extends GlmmRows, BaseFitOptions<GlmmParams> {}

function checkGlmmMcem(value: unknown): GlmmMcemOptions & { burnIn: number; thin: number } {
  if (value === undefined) return { burnIn: 100, thin: 1 }
  if (typeof value !== 'object' || value === null) throw new OptionError('mcem', `must be an object, got ${show(value)}.`)
  const { burnIn, thin, ...rest } = value as Record<string, unknown>
  checkKeys('mcem', value, [...MCEM_KEYS, 'burnIn', 'thin'])
  checkNumber('mcem', 'burnIn', burnIn, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0')
  checkNumber('mcem', 'thin', thin, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1')
  return { ...checkMcemOptions(rest), burnIn: (burnIn as number | undefined) ?? 100, thin: (thin as number | undefined) ?? 1 }
}

// MCEM stops by its own rule (mcem.epsilon, delta, consecutive) and is never
// extrapolated, so tol, criterion and accelerate are not options; the start (the plain
// logistic regression) is deterministic, so neither are nInit and workers.
const SCHEMA = {
  algorithm: algorithmOption<'mcem'>('LogisticGLMM', ['mcem'], 'the E-step has no closed form'),
  /** Settings of MCEM and of its Metropolis chain (burnIn, thin). */
  mcem: { default: () => checkGlmmMcem(undefined), check: (v: unknown) => checkGlmmMcem(v) } as OptionDef<GlmmMcemOptions & { burnIn: number; thin: number }>,
  fitIntercept: FIT_INTERCEPT,
  /** Points of the adaptive Gauss-Hermite rule for the log-likelihood (1 = Laplace). */
  nAGQ: {
    default: 25,
    check: (value, name) => {
      if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 100)) throw new OptionError(name, `must be an integer from 1 (Laplace) to 100, got ${show(value)}.`, { value: show(value) })
      return value
    },
  } as OptionDef<number>,
  maxIter: withDefault(ENGINE_OPTIONS.maxIter, 200),
  seed: ENGINE_OPTIONS.seed,
  backend: ENGINE_OPTIONS.backend,
  warmStart: ENGINE_OPTIONS.warmStart,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface LogisticGLMM extends Resolved<typeof SCHEMA> {}

/** A fit's data with the group labels the codes stand for (a bare Dataset's codes are their own labels). */
interface GlmmDataset extends Dataset {
  readonly labels?: readonly (string | number)[]
}

/**
 * Logistic regression with a random intercept per group (a binomial GLMM, lme4's
 * `glmer(cbind(y, t - y) ~ x + (1 | group), family = binomial)`), fitted by Monte Carlo
 * EM: Metropolis-within-Gibbs draws of the intercepts (wasm kernel), Newton M-step over
 * the draws, and the marginal log-likelihood by adaptive Gauss-Hermite quadrature.
 *
 * The groups are the independent units: `scoreSamples` gives one log-likelihood per
 * group. `score`, `bic` and `lowerBound` count observations (rows), as lme4's BIC does.
 */
export class LogisticGLMM extends Regression<GlmmParams, LogisticGlmmModel, GlmmData, LogisticGLMMOptions> {
  static override readonly kind: string = 'LogisticGLMM'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['groups', 'trials']

  /** y: successes per row (0/1 for Bernoulli rows); options.groups is required. */
  override async fit(X: MatrixInput, y: ArrayLike<number>, options: LogisticGLMMFitOptions): Promise<this> {
    if (options === undefined) throw new InputError('INVALID_DATA', 'LogisticGLMM.fit needs { groups }: the group label of each row.')
    return super.fit(X, y, options)
  }

  // ---- the base's hooks ----

  /** Group labels become codes 0..G-1 in order of first appearance (the runtime Dataset's form). */
  protected toDataset(input: unknown, options: Readonly<Record<string, unknown>>): GlmmDataset {
    const { X, y } = this.xy(input)
    const n = X.rows
    const groups = options['groups'], trials = options['trials']
    checkPerRow(groups, 'groups', n)
    if (trials !== undefined) checkPerRow(trials, 'trials', n)
    const index = new Map<string | number, number>()
    const labels: (string | number)[] = []
    const codes = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const label = groups[i]
      const ok = (typeof label === 'number' && Number.isFinite(label)) || (typeof label === 'string' && label !== '')
      if (!ok) throw new InputError('INVALID_DATA', `groups[${i}] is ${show(label)}; give every row a group label (a finite number or a non-empty string).`, { row: i })
      let g = index.get(label)
      if (g === undefined) { g = labels.length; index.set(label, g); labels.push(label) }
      codes[i] = g
    }
    return { X, y: toColumn(y, 'y'), groups: codes, ...(trials !== undefined ? { trials: toColumn(trials, 'trials') } : {}), labels }
  }

  /** scoreSamples(X, y, { groups, trials }): the grouping (codes) and trials go with the responses. */
  protected override scoringArgs(data: Dataset): unknown[] {
    return [data.X, data.y, { groups: data.groups, ...(data.trials ? { trials: data.trials } : {}) }]
  }

  protected override forFit(data: Dataset): Dataset {
    checkPerRow(data.groups, 'groups', data.X.rows)
    const G = unitCount(data, 'groups')
    if (G < 2) throw new InputError('INVALID_DATA', `groups has ${G} distinct label; a random-intercept variance needs at least 2 groups (for one group, fit a plain logistic regression).`, { groups: G })
    return super.forFit(data)
  }

  protected createModel(kernels: Kernels): LogisticGlmmModel {
    return new LogisticGlmmModel(kernels, { burnIn: this.mcem.burnIn, thin: this.mcem.thin, nAGQ: this.nAGQ })
  }

  /** Rows sorted by group (stable): the chain and the kernels walk each group's rows together. */
  protected prepareData(model: LogisticGlmmModel, data: Dataset): GlmmData {
    const n = data.X.rows
    checkPerRow(data.y, 'y', n)
    checkPerRow(data.groups, 'groups', n)
    if (data.trials !== undefined) checkPerRow(data.trials, 'trials', n)
    const { z: design, p } = designMatrix(data.X, this.fitIntercept)
    // groups in order of first appearance
    const index = new Map<number, number>()
    const groupOf = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const code = data.groups[i]!
      let g = index.get(code)
      if (g === undefined) { g = index.size; index.set(code, g) }
      groupOf[i] = g
    }
    const G = index.size
    const counts = new Int32Array(G + 1)
    for (let i = 0; i < n; i++) counts[groupOf[i]! + 1]!++
    const groupStart = new Int32Array(G + 1)
    for (let g = 0; g < G; g++) groupStart[g + 1] = groupStart[g]! + counts[g + 1]!
    const next = groupStart.slice(0, G)
    const order = new Int32Array(n)
    for (let i = 0; i < n; i++) order[next[groupOf[i]!]!++] = i

    const z = new Float64Array(n * p), yy = new Float64Array(n), tt = new Float64Array(n)
    for (let k = 0; k < n; k++) {
      const i = order[k]!
      const yi = data.y[i], ti = data.trials === undefined ? 1 : data.trials[i]
      const yProblem = countProblem(yi, 'give the number of successes, an integer >= 0')
      if (yProblem) throw new InputError(typeof yi === 'number' && !Number.isFinite(yi) ? 'NON_FINITE' : 'INVALID_DATA', `y[${i}] is ${yProblem}.`, { row: i })
      const tProblem = ti === 0 ? `0; give the number of trials, an integer >= 1` : countProblem(ti, 'give the number of trials, an integer >= 1')
      if (tProblem) throw new InputError(typeof ti === 'number' && !Number.isFinite(ti) ? 'NON_FINITE' : 'INVALID_DATA', `trials[${i}] is ${tProblem}.`, { row: i })
      if (yi > ti) throw new InputError('INVALID_DATA', `y[${i}] = ${yi} exceeds trials[${i}] = ${ti}; y counts successes out of trials.`, { row: i })
      yy[k] = yi
      tt[k] = ti
      z.set(design.subarray(i * p, i * p + p), k * p)
    }
    return model.prepare(z, n, p, yy, tt, groupStart)
  }

  /** The start is the plain logistic regression, whose Newton steps fail on separated data: say so. */
  protected initialParams(model: LogisticGlmmModel, data: GlmmData, _rng: Rng): GlmmParams {
    try {
      return model.initialParams(data)
    } catch (e) {
      const coef = e instanceof DegenerateError ? e.details['coef'] as number[] | undefined : undefined
      const why = coef && this.separated(data, coef)
      throw why ? new DegenerateError('DEGENERATE', why) : e
    }
  }

  /** Separated data (common/separation.ts) have no estimate: the run is degenerate, whatever EM's stopping rule said. */
  protected override reviewFit(result: FitResult<GlmmParams>, _model: LogisticGlmmModel, data: GlmmData): FitResult<GlmmParams> {
    const why = this.separated(data, result.params.coef)
    return why ? degenerateRun(result, new DegenerateError('DEGENERATE', why)) : result
  }

  private separated(data: GlmmData, coef: ArrayLike<number>): string | null {
    return separation(data.z, data.n, data.p, data.buffers.y.view, data.buffers.trials.view, coef)
  }

  /** The chain's seed is `mcem.seed`, else the estimator's `seed`; burnIn and thin belong to the model's sampler. */
  protected override strategyExtras(): { mcem: McemOptions } {
    const { burnIn: _burnIn, thin: _thin, ...mcem } = this.mcem
    return { mcem: { seed: this.seed, ...mcem } }
  }

  /** The group labels, and the chains' acceptance rates over the last E-step (NaN where no E-step ran: maxIter 0). */
  protected override fitExtras(model: LogisticGlmmModel, data: GlmmData, dataset: GlmmDataset): Record<string, unknown> {
    return {
      groups: dataset.labels ? dataset.labels.slice() : Array.from({ length: data.nGroups }, (_, g) => g),
      acceptanceRates: data.chain.started ? model.acceptanceRates(data) : new Float64Array(data.nGroups).fill(NaN),
    }
  }

  // ---- fitted attributes ----

  /** Metropolis sweeps discarded at the start of every E-step (mcem.burnIn). */
  get burnIn(): number { return this.mcem.burnIn }
  /** Every thin-th sweep is kept (mcem.thin). */
  get thin(): number { return this.mcem.thin }

  /** sigma, the standard deviation of the random intercepts. */
  get randomEffectSD(): number { return this.fitted('randomEffectSD').params.sigma }

  /** The group labels, in order of first appearance (the order of `acceptanceRates`). */
  get groups(): (string | number)[] { return (this.fitted('groups').extras['groups'] as (string | number)[]).slice() }

  /** Acceptance rate of each group's Metropolis chain over the last E-step's kept sweeps. */
  get acceptanceRates(): number[] { return Array.from(this.fitted('acceptanceRates').extras['acceptanceRates'] as Float64Array) }

  // ---- using the fit ----

  /** The population-level linear predictor intercept + x'beta of each row of X (random intercepts at 0). */
  decisionFunction(X: MatrixInput): number[] {
    return Array.from(this.linear(X, 'decisionFunction'))
  }

  /**
   * The marginal log-likelihood of each group of (X, y) (random intercept integrated
   * out by adaptive Gauss-Hermite quadrature, binomial coefficients included), groups
   * in order of first appearance: the groups, not the rows, are independent.
   */
  scoreSamples(X: MatrixInput, y: ArrayLike<number>, options: GlmmRows): number[] {
    return this.groupScores(X, y, options, 'scoreSamples').perGroup
  }

  /** Mean log-likelihood per observation (row) of (X, y) given its groups (default: the training data's). */
  override score(X?: MatrixInput, y?: ArrayLike<number>, options?: GlmmRows): number { return super.score(X, y, options) }
  /** BIC on (X, y) given its groups (default: the training data): -2 log L + p log n, n the number of rows (lme4's). */
  override bic(X?: MatrixInput, y?: ArrayLike<number>, options?: GlmmRows): number { return super.bic(X, y, options) }
  /** AIC on (X, y) given its groups (default: the training data): -2 log L + 2 p. */
  override aic(X?: MatrixInput, y?: ArrayLike<number>, options?: GlmmRows): number { return super.aic(X, y, options) }

  /** Observations are rows (as lme4 counts them for BIC), though scoreSamples is per group. */
  protected override totalLogLik(args: readonly unknown[]): { logLik: number; n: number } {
    if (args.length === 0 || args[0] === undefined) return super.totalLogLik(args)
    const { perGroup, rows } = this.groupScores(args[0] as MatrixInput, args[1] as ArrayLike<number>, args[2] as GlmmRows, 'score')
    let total = 0
    for (const v of perGroup) total += v
    return { logLik: total, n: rows }
  }

  private groupScores(X: MatrixInput, y: ArrayLike<number>, options: GlmmRows, what: string): { perGroup: number[]; rows: number } {
    const given = this.callOptions(options, what, ['groups', 'trials'])
    return this.withData({ X, y }, given, what, (model, data, params) => ({ perGroup: Array.from(model.groupLogLiks(data, params)), rows: data.n }))
  }
}
