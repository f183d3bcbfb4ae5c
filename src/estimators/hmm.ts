/**
 * Hidden Markov models: GaussianHMM, CategoricalHMM, PoissonHMM. Thin classes over
 * one HmmModel (src/models/hmm/model.ts) fitted only through the engine (fitEM via
 * fitWithRestarts, so `accelerate` works as on every estimator).
 *
 * Parameters given in `init` are the start (and stay fixed where `fitParams` says
 * false); parameters not given are initialised from the data: uniform start and
 * transition probabilities, k-means means with the data covariance (Gaussian),
 * random emission probabilities (categorical), k-means rates (Poisson). An HMM
 * whose parameters are all given can score, predict and decode before fit.
 */
import type { Algorithm } from '../engine/strategy.js'
import type { FitResult } from '../engine/types.js'
import { aic, bic } from '../core/math/criteria.js'
import { InputError, NotFittedError, OptionError } from '../core/errors.js'
import { type Matrix, type MatrixInput, toRows } from '../core/matrix.js'
import { flattenShape } from '../core/shape.js'
import { toLengths, toMatrix } from '../core/validate.js'
import { loadKernels, loadKernelsSync } from '../kernels/index.js'
import type { Kernels } from '../kernels/types.js'
import { COVARIANCE, COVARIANCE_TYPES, type CovarianceType, type PublicCovariances } from '../models/gmm/covariance.js'
import {
  CategoricalEmission, type CategoricalEmissionParams, drawFrom, GaussianEmission, type GaussianEmissionParams,
  PoissonEmission, type PoissonEmissionParams,
} from '../models/hmm/emissions.js'
import { type Emission, HmmModel, type HmmData, type HmmParams } from '../models/hmm/model.js'
import { kmeans } from '../models/init/kmeans.js'
import type { EstimatorSpec } from '../runtime/tasks.js'
import { Rng } from '../core/rng/xoshiro128.js'
import { type EstimatorOptions, ESTIMATOR_OPTION_NAMES, type FitCallOptions, fitWithRestarts, parseSettings, type Settings } from './common.js'
import { integerAtLeast, numberAtLeast, oneOf, rejectUnknown } from './options.js'

/** Tolerance on user-given probability rows summing to 1. */
const SUM_TOL = 1e-8

/** Dirichlet pseudo-counts added to the expected counts in the M-step (0: maximum likelihood). */
export interface HmmPseudoCounts {
  /** One number for every state, or one per state. */
  startProb?: number | ArrayLike<number>
  /** One number for every transition, or a k x k array. */
  transMat?: number | ArrayLike<ArrayLike<number>>
}

interface HmmBaseOptions extends Omit<EstimatorOptions<'em'>, 'criterion'> {
  /** Number of hidden states K (default 2). */
  nComponents?: number
  /** Dirichlet pseudo-counts on start and transition probabilities (default 0). */
  pseudoCounts?: HmmPseudoCounts
}

export interface HmmFitCallOptions<P> extends Omit<FitCallOptions<P>, 'sampleWeight'> {
  /** Rows of each sequence, in order (default: X is one sequence). */
  lengths?: ArrayLike<number>
}

export interface HmmDataOptions {
  /** Rows of each sequence, in order (default: X is one sequence). */
  lengths?: ArrayLike<number>
}

export interface DecodeOptions extends HmmDataOptions {
  /** 'viterbi' (default): the most likely path; 'map': the most likely state at each step. */
  algorithm?: 'viterbi' | 'map'
}

export interface Decoded {
  /** Viterbi: the joint log-probability of the path and X; map: the log-likelihood of X. */
  logProb: number
  states: number[]
}

const BASE_OPTION_NAMES = ['nComponents', 'pseudoCounts', 'init', 'fitParams', ...ESTIMATOR_OPTION_NAMES.filter((o) => o !== 'criterion')]
const ALGORITHMS: readonly Algorithm[] = ['em']

interface State<E, ED> {
  readonly model: HmmModel<E, ED>
  readonly params: HmmParams<E>
}

/** What the three HMM classes share; E = emission parameters, ED = emission data, O = validated observations. */
abstract class HmmEstimator<E, ED, O extends { n: number }> {
  protected abstract readonly estimatorName: string
  readonly nComponents: number
  readonly settings: Settings
  protected readonly startPseudo: Float64Array
  protected readonly transPseudo: Float64Array
  protected readonly givenStart: Float64Array | null
  protected readonly givenTrans: Float64Array | null
  protected readonly fitStart: boolean
  protected readonly fitTrans: boolean
  protected result: FitResult<HmmParams<E>> | null = null
  protected state: State<E, ED> | null = null
  private sampler: Rng
  /** The constructor options as given (a shallow copy), for toSpec. */
  protected readonly specOptions: Readonly<Record<string, unknown>>

  constructor(options: HmmBaseOptions & { init?: { startProb?: unknown; transMat?: unknown }; fitParams?: { startProb?: boolean; transMat?: boolean } }, name: string, extraOptions: readonly string[]) {
    rejectUnknown(options, [...BASE_OPTION_NAMES, ...extraOptions], name)
    this.specOptions = { ...options }
    const k = integerAtLeast('nComponents', options.nComponents ?? 2, 1)
    this.nComponents = k
    this.settings = parseSettings({ ...options, criterion: 'objective' }, name, ALGORITHMS, { tol: 1e-4, maxIter: 100 })
    const pc = options.pseudoCounts ?? {}
    if (typeof pc !== 'object' || pc === null) throw new OptionError('pseudoCounts', 'must be an object { startProb?, transMat? } of non-negative pseudo-counts.')
    rejectUnknown(pc, ['startProb', 'transMat'], `${name} pseudoCounts`)
    this.startPseudo = pseudoCounts(pc.startProb, [k], 'pseudoCounts.startProb')
    this.transPseudo = pseudoCounts(pc.transMat, [k, k], 'pseudoCounts.transMat')
    const init = options.init ?? {}
    if (typeof init !== 'object' || init === null) throw new OptionError('init', 'must be an object with any of the parameters to start from.')
    this.givenStart = init.startProb === undefined ? null : probabilityRows(init.startProb, 1, k, 'init.startProb')
    this.givenTrans = init.transMat === undefined ? null : probabilityRows(init.transMat, k, k, 'init.transMat')
    const fp = options.fitParams ?? {}
    this.fitStart = flag(fp.startProb, 'fitParams.startProb')
    this.fitTrans = flag(fp.transMat, 'fitParams.transMat')
    this.sampler = new Rng(this.settings.seed)
  }

  /** { kind, options }: re-creatable on a worker thread (the bootstrap's registry, src/registry/kinds/). */
  toSpec(): EstimatorSpec {
    return { kind: this.estimatorName, options: this.specOptions }
  }

  // ---- what each emission supplies ----
  protected abstract observations(X: unknown): O
  protected abstract createEmission(kernels: Kernels, obs: O | null): Emission<E, ED>
  protected abstract load(emission: Emission<E, ED>, data: ED, obs: O): void
  /** The emission parameters for the start: given ones, the rest from the data. */
  protected abstract startEmission(emission: Emission<E, ED>, data: ED, obs: O, rng: Rng): E
  /** The given emission parameters when all are given (for use before fit), else null. */
  protected abstract givenEmission(emission: Emission<E, ED>): E | null
  /** Whether every emission parameter is given in init (enough to score before fit). */
  protected abstract emissionGiven(): boolean
  /** Throws when observations do not fit an existing model (feature count, symbol range). */
  protected checkCompatible(_emission: Emission<E, ED>, _obs: O): void {}

  /** Fit by Baum-Welch (best of nInit restarts when some parameters come from the data). */
  async fit(X: unknown, options: HmmFitCallOptions<HmmParams<E>> = {}): Promise<this> {
    const obs = this.observations(X)
    const lengths = toLengths(options.lengths, obs.n)
    const kernels = await loadKernels(this.settings.backend)
    const model = this.createModel(kernels, obs)
    const data = model.prepare(lengths)
    try {
      this.load(model.emission, data.emission, obs)
      const restarts = this.allGiven() ? 1 : this.settings.nInit
      const { lengths: _l, ...rest } = options
      const result = await fitWithRestarts(model, data, this.settings, restarts, (rng) => this.start(model, data, obs, rng), rest)
      this.state?.model.dispose()
      this.state = { model, params: result.params }
      this.result = result
    } catch (e) {
      model.dispose()
      throw e
    } finally {
      model.release(data)
    }
    return this
  }

  private createModel(kernels: Kernels, obs: O | null): HmmModel<E, ED> {
    return new HmmModel({
      kernels, k: this.nComponents, emission: this.createEmission(kernels, obs),
      fit: { startProb: this.fitStart, transMat: this.fitTrans },
      startPseudoCounts: this.startPseudo, transPseudoCounts: this.transPseudo,
    })
  }

  private allGiven(): boolean {
    return this.givenStart !== null && this.givenTrans !== null && this.emissionGiven()
  }

  private start(model: HmmModel<E, ED>, data: HmmData<ED>, obs: O, rng: Rng): HmmParams<E> {
    const k = this.nComponents
    return {
      startProb: this.givenStart ? Float64Array.from(this.givenStart) : new Float64Array(k).fill(1 / k),
      transMat: this.givenTrans ? Float64Array.from(this.givenTrans) : new Float64Array(k * k).fill(1 / k),
      emission: this.startEmission(model.emission, data.emission, obs, rng),
    }
  }

  /** Fitted parameters, or the given ones before fit when all are given. */
  protected current(what: string): State<E, ED> {
    if (this.state) return this.state
    if (!this.allGiven()) throw new NotFittedError(this.estimatorName, what)
    const model = this.createModel(loadKernelsSync(this.settings.backend), null)
    const emission = this.givenEmission(model.emission)!
    this.state = { model, params: { startProb: Float64Array.from(this.givenStart!), transMat: Float64Array.from(this.givenTrans!), emission } }
    return this.state
  }

  private withData<T>(X: unknown, options: HmmDataOptions, method: string, body: (model: HmmModel<E, ED>, data: HmmData<ED>, params: HmmParams<E>) => T): T {
    const { model, params } = this.current(method)
    const obs = this.observations(X)
    this.checkCompatible(model.emission, obs)
    const lengths = toLengths(options.lengths, obs.n)
    const data = model.prepare(lengths)
    try {
      this.load(model.emission, data.emission, obs)
      return body(model, data, params)
    } finally {
      model.release(data)
    }
  }

  // ---- parameters ----

  get startProb(): number[] { return Array.from(this.current('startProb').params.startProb) }
  get transMat(): number[][] { return toRows(this.current('transMat').params.transMat, this.nComponents, this.nComponents) }
  protected get emissionParams(): E { return this.current('emission').params.emission }

  // ---- the fit ----

  protected fitted(what: string): FitResult<HmmParams<E>> {
    if (!this.result) throw new NotFittedError(this.estimatorName, what)
    return this.result
  }
  get fitResult(): FitResult<HmmParams<E>> { return this.fitted('fitResult') }
  get history(): number[] { return this.fitted('history').history.slice() }
  get nIter(): number { return this.fitted('nIter').nIter }
  get status(): FitResult<unknown>['status'] { return this.fitted('status').status }
  get converged(): boolean { return this.fitted('converged').converged }
  /** Objective at the fitted parameters: log-likelihood (+ log prior with pseudo-counts). */
  get logLik(): number { return this.fitted('logLik').logLik }

  nParameters(): number { return this.current('nParameters').model.nParameters() }

  // ---- using the parameters ----

  /** Total log-likelihood of all sequences. */
  score(X: unknown, options: HmmDataOptions = {}): number {
    return this.withData(X, options, 'score', (model, data, params) => model.scoreData(data, params))
  }

  /** Most likely state path (Viterbi) of every sequence, concatenated. */
  predict(X: unknown, options: HmmDataOptions = {}): number[] {
    return this.decode(X, { ...options, algorithm: 'viterbi' }).states
  }

  /** Posterior state probabilities, one row per observation. */
  predictProba(X: unknown, options: HmmDataOptions = {}): number[][] {
    return this.withData(X, options, 'predictProba', (model, data, params) => {
      model.forwardBackward(data, params)
      return toRows(data.gamma.view, data.n, this.nComponents)
    })
  }

  decode(X: unknown, options: DecodeOptions = {}): Decoded {
    const algorithm = oneOf('algorithm', options.algorithm ?? 'viterbi', ['viterbi', 'map'] as const)
    return this.withData(X, options, 'decode', (model, data, params) => {
      if (algorithm === 'viterbi') {
        const { logProb, path } = model.viterbi(data, params)
        return { logProb, states: Array.from(path) }
      }
      const logProb = model.forwardBackward(data, params)
      const G = data.gamma.view, k = this.nComponents
      const states = Array.from({ length: data.n }, (_, t) => {
        let best = 0
        for (let c = 1; c < k; c++) if (G[t * k + c]! > G[t * k + best]!) best = c
        return best
      })
      return { logProb, states }
    })
  }

  bic(X: unknown, options: HmmDataOptions = {}): number {
    const n = this.observations(X).n
    return bic(this.score(X, options), this.nParameters(), n)
  }

  aic(X: unknown, options: HmmDataOptions = {}): number {
    return aic(this.score(X, options), this.nParameters())
  }

  /** One sequence of n steps: the observations and the hidden states. Successive calls continue the stream (of `rng`: default the estimator's own). */
  protected sampleStates(n: number, rng: Rng = this.sampler): { obs: (number | number[])[]; states: number[] } {
    integerAtLeast('n', n, 1)
    const { model, params } = this.current('sample')
    const k = this.nComponents
    const obs: (number | number[])[] = [], states: number[] = []
    let c = drawFrom(params.startProb, 0, k, rng)
    for (let t = 0; t < n; t++) {
      if (t > 0) c = drawFrom(params.transMat, c * k, k, rng)
      states.push(c)
      obs.push(model.emission.sample(params.emission, c, rng))
    }
    return { obs, states }
  }

  /** Sequences of the given lengths drawn from `rng`, observations back to back (the parametric bootstrap's simulation). */
  sampleSequences(lengths: ArrayLike<number>, rng: Rng): (number | number[])[] {
    const out: (number | number[])[] = []
    // element by element: push(...obs) overflows the stack for sequences of 1e5+ steps
    for (let s = 0; s < lengths.length; s++) for (const o of this.sampleStates(lengths[s]!, rng).obs) out.push(o)
    return out
  }
}

// ---------------------------------------------------------------- Gaussian ----

export interface GaussianHMMInit {
  startProb?: ArrayLike<number>
  transMat?: ArrayLike<ArrayLike<number>>
  /** K x d */
  means?: ArrayLike<ArrayLike<number>>
  /** In the shape of the covariance type (as GaussianMixture). */
  covariances?: unknown
}

export interface GaussianHMMFitParams { startProb?: boolean; transMat?: boolean; means?: boolean; covariances?: boolean }

export interface GaussianHMMOptions extends HmmBaseOptions {
  /** 'diag' (default), 'full', 'spherical' or 'tied'. */
  covarianceType?: CovarianceType
  /** Added to the diagonal of every covariance (default 1e-6). */
  regCovar?: number
  /** Parameters to start from (any subset; the others come from the data). */
  init?: GaussianHMMInit
  /** Which parameters Baum-Welch updates (default: all). */
  fitParams?: GaussianHMMFitParams
}

interface GaussianObs { n: number; m: Matrix }

/** An HMM with Gaussian emissions; X is number[][] (rows = time steps), a { data, rows, cols } matrix, or number[] for d = 1. */
export class GaussianHMM extends HmmEstimator<GaussianEmissionParams, ReturnType<GaussianEmission['prepare']>, GaussianObs> {
  protected readonly estimatorName = 'GaussianHMM'
  readonly covarianceType: CovarianceType
  readonly regCovar: number
  private readonly init: GaussianHMMInit
  private readonly fitMeans: boolean
  private readonly fitCovariances: boolean
  private givenD: number | null

  constructor(options: GaussianHMMOptions = {}) {
    super(options, 'GaussianHMM', ['covarianceType', 'regCovar'])
    this.covarianceType = oneOf('covarianceType', options.covarianceType ?? 'diag', COVARIANCE_TYPES)
    this.regCovar = numberAtLeast('regCovar', options.regCovar ?? 1e-6, 0)
    this.init = options.init ?? {}
    rejectUnknown(this.init, ['startProb', 'transMat', 'means', 'covariances'], 'GaussianHMM init')
    rejectUnknown(options.fitParams ?? {}, ['startProb', 'transMat', 'means', 'covariances'], 'GaussianHMM fitParams')
    this.fitMeans = flag(options.fitParams?.means, 'fitParams.means')
    this.fitCovariances = flag(options.fitParams?.covariances, 'fitParams.covariances')
    const k = this.nComponents
    this.givenD = null
    if (this.init.means !== undefined) {
      const rows = this.init.means as ArrayLike<ArrayLike<number>>
      const d = rows && rows.length > 0 && rows[0] ? rows[0].length : 0
      flattenShape(this.init.means, [k, d], 'init.means')
      this.givenD = d
      if (this.init.covariances !== undefined) COVARIANCE[this.covarianceType].fromPublic(this.init.covariances, k, d)
    }
  }

  protected observations(X: unknown): GaussianObs {
    const m = toGaussianMatrix(X)
    if (this.givenD !== null && m.cols !== this.givenD) {
      throw new InputError('SHAPE_MISMATCH', `X has ${m.cols} features but init.means has ${this.givenD}; pass rows with ${this.givenD} columns.`, { expected: this.givenD, got: m.cols })
    }
    return { n: m.rows, m }
  }

  protected override checkCompatible(e: Emission<GaussianEmissionParams, unknown>, obs: GaussianObs): void {
    const d = (e as GaussianEmission).d
    if (obs.m.cols !== d) {
      throw new InputError('SHAPE_MISMATCH', `X has ${obs.m.cols} features but the model has ${d}; pass rows with ${d} columns in the same order as in fit().`, { expected: d, got: obs.m.cols })
    }
  }

  protected createEmission(kernels: Kernels, obs: GaussianObs | null): GaussianEmission {
    const d = obs ? obs.m.cols : this.givenD!
    return new GaussianEmission(kernels, this.nComponents, d, this.covarianceType, this.regCovar, { means: this.fitMeans, covariances: this.fitCovariances })
  }

  protected load(emission: Emission<GaussianEmissionParams, ReturnType<GaussianEmission['prepare']>>, data: ReturnType<GaussianEmission['prepare']>, obs: GaussianObs): void {
    (emission as GaussianEmission).load(data, obs.m)
  }

  protected emissionGiven(): boolean {
    return this.init.means !== undefined && this.init.covariances !== undefined
  }

  protected givenEmission(e: Emission<GaussianEmissionParams, unknown>): GaussianEmissionParams | null {
    if (!this.emissionGiven()) return null
    const emission = e as GaussianEmission
    const { k, d } = emission
    return emission.makeParams(flattenShape(this.init.means, [k, d], 'init.means'), emission.covariance.fromPublic(this.init.covariances, k, d))
  }

  protected startEmission(e: Emission<GaussianEmissionParams, unknown>, data: ReturnType<GaussianEmission['prepare']>, obs: GaussianObs, rng: Rng): GaussianEmissionParams {
    const emission = e as GaussianEmission
    const { k, d } = emission
    const n = obs.n
    if (k > n) throw new InputError('TOO_MANY_COMPONENTS', `nComponents = ${k} but X has only ${n} rows; use at most ${n} states or give more data.`, { nComponents: k, rows: n })
    const means = this.init.means !== undefined
      ? flattenShape(this.init.means, [k, d], 'init.means')
      : kmeans({ kernels: emission.kernels, x: data.x, n, d, weight: null }, k, rng).centers
    let covariances: Float64Array
    if (this.init.covariances !== undefined) {
      covariances = emission.covariance.fromPublic(this.init.covariances, k, d)
    } else {
      const s = dataCovariance(obs.m)
      for (let j = 0; j < d; j++) s[j * d + j] = s[j * d + j]! + this.regCovar
      covariances = emission.covariance.fromDataCovariance(s, k, d)
    }
    return emission.makeParams(means, covariances)
  }

  get means(): number[][] {
    const e = this.emissionParams
    return toRows(e.means, this.nComponents, e.means.length / this.nComponents)
  }

  get covariances(): PublicCovariances {
    const e = this.emissionParams
    const d = e.means.length / this.nComponents
    return COVARIANCE[this.covarianceType].toPublic(e.covariances, this.nComponents, d)
  }

  /** n steps of one sequence: { X (n x d), states }. */
  sample(n: number): { X: number[][]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[][], states }
  }
}

// ------------------------------------------------------------- categorical ----

export interface CategoricalHMMInit {
  startProb?: ArrayLike<number>
  transMat?: ArrayLike<ArrayLike<number>>
  /** K x nSymbols, rows summing to 1. */
  emissionProb?: ArrayLike<ArrayLike<number>>
}

export interface CategoricalHMMFitParams { startProb?: boolean; transMat?: boolean; emissionProb?: boolean }

export interface CategoricalHMMOptions extends HmmBaseOptions {
  /** Number of symbols (default: from init.emissionProb, else the largest symbol seen in fit + 1). */
  nSymbols?: number
  init?: CategoricalHMMInit
  fitParams?: CategoricalHMMFitParams
}

interface SymbolObs { n: number; symbols: Int32Array; maxSymbol: number }

/** An HMM with categorical emissions; X is an array of integer symbols 0..nSymbols-1. */
export class CategoricalHMM extends HmmEstimator<CategoricalEmissionParams, ReturnType<CategoricalEmission['prepare']>, SymbolObs> {
  protected readonly estimatorName = 'CategoricalHMM'
  /** nSymbols from the options or init.emissionProb (null: inferred by each fit). */
  private readonly nSymbolsOption: number | null
  private fittedSymbols: number | null = null
  private readonly init: CategoricalHMMInit
  private readonly givenEmissionProb: Float64Array | null
  private readonly fitEmission: boolean

  constructor(options: CategoricalHMMOptions = {}) {
    super(options, 'CategoricalHMM', ['nSymbols'])
    this.init = options.init ?? {}
    rejectUnknown(this.init, ['startProb', 'transMat', 'emissionProb'], 'CategoricalHMM init')
    rejectUnknown(options.fitParams ?? {}, ['startProb', 'transMat', 'emissionProb'], 'CategoricalHMM fitParams')
    this.fitEmission = flag(options.fitParams?.emissionProb, 'fitParams.emissionProb')
    if (options.nSymbols !== undefined) integerAtLeast('nSymbols', options.nSymbols, 1)
    const k = this.nComponents
    if (this.init.emissionProb !== undefined) {
      const rows = this.init.emissionProb
      const s = rows && rows.length > 0 && rows[0] ? rows[0].length : 0
      if (options.nSymbols !== undefined && s !== options.nSymbols) {
        throw new OptionError('init.emissionProb', `has ${s} columns but nSymbols is ${options.nSymbols}; give one column per symbol.`)
      }
      this.givenEmissionProb = probabilityRows(rows, k, s, 'init.emissionProb')
    } else {
      this.givenEmissionProb = null
    }
    this.nSymbolsOption = this.givenEmissionProb ? this.givenEmissionProb.length / k : (options.nSymbols === undefined ? null : options.nSymbols)
  }

  /** With the number of symbols fixed once known: a bootstrap replicate missing the largest symbol must keep the full fit's shape. */
  override toSpec(): EstimatorSpec {
    const spec = super.toSpec()
    const n = this.fittedSymbols ?? this.nSymbolsOption
    return n === null ? spec : { ...spec, options: { ...spec.options, nSymbols: n } }
  }

  /** Number of symbols (known once given, or after fit). */
  get nSymbols(): number {
    const n = this.fittedSymbols ?? this.nSymbolsOption
    if (n === null) throw new NotFittedError('CategoricalHMM', 'nSymbols')
    return n
  }

  protected observations(X: unknown): SymbolObs {
    const values = toIntegers(X, 'X', 'symbols')
    let maxSymbol = 0
    for (let t = 0; t < values.length; t++) maxSymbol = Math.max(maxSymbol, values[t]!)
    if (this.nSymbolsOption !== null && maxSymbol >= this.nSymbolsOption) {
      const t = values.findIndex((v) => v >= this.nSymbolsOption!)
      throw new InputError('INVALID_DATA', `X[${t}] is symbol ${values[t]} but nSymbols is ${this.nSymbolsOption}; symbols must be integers in [0, ${this.nSymbolsOption}) (raise nSymbols or recode the data).`, { index: t, value: values[t], nSymbols: this.nSymbolsOption })
    }
    return { n: values.length, symbols: values, maxSymbol }
  }

  protected createEmission(kernels: Kernels, obs: SymbolObs | null): CategoricalEmission {
    const nSymbols = this.nSymbolsOption ?? obs!.maxSymbol + 1
    if (obs) this.fittedSymbols = nSymbols
    return new CategoricalEmission(kernels, this.nComponents, nSymbols, { emissionProb: this.fitEmission })
  }

  protected override checkCompatible(e: Emission<CategoricalEmissionParams, unknown>, obs: SymbolObs): void {
    const S = (e as CategoricalEmission).nSymbols
    if (obs.maxSymbol >= S) {
      const t = obs.symbols.findIndex((v) => v >= S)
      throw new InputError('INVALID_DATA', `X[${t}] is symbol ${obs.symbols[t]} but the model has nSymbols = ${S}; symbols must be integers in [0, ${S}) (refit with more symbols or recode the data).`, { index: t, value: obs.symbols[t], nSymbols: S })
    }
  }

  protected load(e: Emission<CategoricalEmissionParams, unknown>, data: ReturnType<CategoricalEmission['prepare']>, obs: SymbolObs): void {
    (e as CategoricalEmission).load(data, obs.symbols)
  }

  protected emissionGiven(): boolean { return this.givenEmissionProb !== null }

  protected givenEmission(e: Emission<CategoricalEmissionParams, unknown>): CategoricalEmissionParams | null {
    return this.givenEmissionProb ? (e as CategoricalEmission).makeParams(Float64Array.from(this.givenEmissionProb)) : null
  }

  protected startEmission(e: Emission<CategoricalEmissionParams, unknown>, _data: unknown, _obs: SymbolObs, rng: Rng): CategoricalEmissionParams {
    const emission = e as CategoricalEmission
    if (this.givenEmissionProb) return emission.makeParams(Float64Array.from(this.givenEmissionProb))
    const { k, nSymbols: S } = emission
    const p = new Float64Array(k * S)
    for (let c = 0; c < k; c++) {
      let s = 0
      for (let v = 0; v < S; v++) { p[c * S + v] = rng.uniform(); s += p[c * S + v]! }
      for (let v = 0; v < S; v++) p[c * S + v] = p[c * S + v]! / s
    }
    return emission.makeParams(p)
  }

  get emissionProb(): number[][] {
    return toRows(this.emissionParams.emissionProb, this.nComponents, this.nSymbols)
  }

  /** n steps of one sequence: { X (symbols), states }. */
  sample(n: number): { X: number[]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[], states }
  }
}

// ----------------------------------------------------------------- Poisson ----

export interface PoissonHMMInit {
  startProb?: ArrayLike<number>
  transMat?: ArrayLike<ArrayLike<number>>
  /** K positive rates. */
  rates?: ArrayLike<number>
}

export interface PoissonHMMFitParams { startProb?: boolean; transMat?: boolean; rates?: boolean }

export interface PoissonHMMOptions extends HmmBaseOptions {
  init?: PoissonHMMInit
  fitParams?: PoissonHMMFitParams
}

interface CountObs { n: number; counts: Float64Array }

/** An HMM with Poisson emissions; X is an array of non-negative integer counts. */
export class PoissonHMM extends HmmEstimator<PoissonEmissionParams, ReturnType<PoissonEmission['prepare']>, CountObs> {
  protected readonly estimatorName = 'PoissonHMM'
  private readonly givenRates: Float64Array | null
  private readonly fitRates: boolean

  constructor(options: PoissonHMMOptions = {}) {
    super(options, 'PoissonHMM', [])
    const init = options.init ?? {}
    rejectUnknown(init, ['startProb', 'transMat', 'rates'], 'PoissonHMM init')
    rejectUnknown(options.fitParams ?? {}, ['startProb', 'transMat', 'rates'], 'PoissonHMM fitParams')
    this.fitRates = flag(options.fitParams?.rates, 'fitParams.rates')
    if (init.rates !== undefined) {
      const rates = flattenShape(init.rates, [this.nComponents], 'init.rates')
      rates.forEach((r, c) => { if (!(r > 0)) throw new OptionError('init.rates', `rates[${c}] is ${r}; rates must be > 0.`) })
      this.givenRates = rates
    } else {
      this.givenRates = null
    }
  }

  protected observations(X: unknown): CountObs {
    const counts = toIntegers(X, 'X', 'counts')
    return { n: counts.length, counts: Float64Array.from(counts) }
  }

  protected createEmission(kernels: Kernels): PoissonEmission {
    return new PoissonEmission(kernels, this.nComponents, { rates: this.fitRates })
  }

  protected load(e: Emission<PoissonEmissionParams, unknown>, data: ReturnType<PoissonEmission['prepare']>, obs: CountObs): void {
    (e as PoissonEmission).load(data, obs.counts)
  }

  protected emissionGiven(): boolean { return this.givenRates !== null }

  protected givenEmission(e: Emission<PoissonEmissionParams, unknown>): PoissonEmissionParams | null {
    return this.givenRates ? (e as PoissonEmission).makeParams(Float64Array.from(this.givenRates)) : null
  }

  protected startEmission(e: Emission<PoissonEmissionParams, unknown>, data: ReturnType<PoissonEmission['prepare']>, obs: CountObs, rng: Rng): PoissonEmissionParams {
    const emission = e as PoissonEmission
    if (this.givenRates) return emission.makeParams(Float64Array.from(this.givenRates))
    const k = this.nComponents
    if (k > obs.n) throw new InputError('TOO_MANY_COMPONENTS', `nComponents = ${k} but X has only ${obs.n} counts; use at most ${obs.n} states or give more data.`, { nComponents: k, rows: obs.n })
    const centers = kmeans({ kernels: emission.kernels, x: data.y, n: obs.n, d: 1, weight: null }, k, rng).centers
    return emission.makeParams(centers.map((r) => Math.max(r, 1e-3)))
  }

  get rates(): number[] { return Array.from(this.emissionParams.rates) }

  /** n steps of one sequence: { X (counts), states }. */
  sample(n: number): { X: number[]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[], states }
  }
}

// ------------------------------------------------------------------ checks ----

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return true
  if (typeof value !== 'boolean') throw new OptionError(name, `must be true or false, got ${JSON.stringify(value)}.`)
  return value
}

/** Rows of probabilities (rows = 1: a flat vector), each summing to 1. */
function probabilityRows(value: unknown, rows: number, cols: number, name: string): Float64Array {
  let flat: Float64Array
  try {
    flat = flattenShape(value, rows === 1 && name.endsWith('startProb') ? [cols] : [rows, cols], name)
  } catch (e) {
    throw new OptionError(name, (e as Error).message)
  }
  for (let r = 0; r < rows; r++) {
    let s = 0
    for (let c = 0; c < cols; c++) {
      const p = flat[r * cols + c]!
      if (!(p >= 0 && p <= 1)) throw new OptionError(name, `${rows > 1 ? `row ${r}, ` : ''}entry ${c} is ${p}; probabilities must lie in [0, 1].`, { row: r, column: c })
      s += p
    }
    if (Math.abs(s - 1) > SUM_TOL) {
      throw new OptionError(name, `${rows > 1 ? `row ${r} sums` : 'sums'} to ${s}, not 1; normalise ${rows > 1 ? 'each row' : 'it'} (divide by its sum).`, { row: r, sum: s })
    }
  }
  return flat
}

function pseudoCounts(value: unknown, shape: number[], name: string): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1)
  if (value === undefined) return new Float64Array(size)
  let out: Float64Array
  if (typeof value === 'number') out = new Float64Array(size).fill(value)
  else {
    try {
      out = flattenShape(value, shape, name)
    } catch (e) {
      throw new OptionError(name, (e as Error).message)
    }
  }
  out.forEach((v, i) => { if (!(v >= 0 && Number.isFinite(v))) throw new OptionError(name, `entry ${i} is ${v}; pseudo-counts must be finite and >= 0.`) })
  return out
}

/** A matrix of observations; a flat array of numbers is one column (d = 1). */
function toGaussianMatrix(X: unknown): Matrix {
  if (X && typeof X === 'object' && typeof (X as ArrayLike<unknown>).length === 'number' && (X as ArrayLike<unknown>).length > 0 && typeof (X as ArrayLike<unknown>)[0] === 'number') {
    const flat = X as ArrayLike<unknown>
    const data = new Float64Array(flat.length)
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i]
      if (typeof v !== 'number') throw new InputError('INVALID_DATA', `X[${i}] is ${JSON.stringify(v)}, not a number.`, { row: i })
      data[i] = v
    }
    return toMatrix({ rows: flat.length, cols: 1, data }, 'X')
  }
  return toMatrix(X as MatrixInput, 'X')
}

/** Non-negative integers (symbols or counts) from a flat array or a one-column matrix. */
function toIntegers(X: unknown, what: string, kind: 'symbols' | 'counts'): Int32Array {
  if (!X || typeof X !== 'object' || typeof (X as ArrayLike<unknown>).length !== 'number') {
    throw new InputError('INVALID_DATA', `${what} must be an array of ${kind} (one per time step).`)
  }
  const arr = X as ArrayLike<unknown>
  if (arr.length === 0) throw new InputError('EMPTY_DATA', `${what} is empty; give at least one observation.`)
  const out = new Int32Array(arr.length)
  for (let t = 0; t < arr.length; t++) {
    let v = arr[t]
    if (v && typeof v === 'object' && (v as ArrayLike<unknown>).length === 1) v = (v as ArrayLike<unknown>)[0]
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      const hint = kind === 'symbols'
        ? 'symbols must be integers 0, 1, ..., nSymbols - 1 (recode labels to indices)'
        : 'Poisson counts must be non-negative integers'
      throw new InputError('INVALID_DATA', `${what}[${t}] is ${typeof v === 'number' ? String(v) : JSON.stringify(v)}; ${hint}.`, { index: t, value: v })
    }
    out[t] = v
  }
  return out
}

/** Maximum-likelihood covariance of the rows (d x d). */
function dataCovariance(m: Matrix): Float64Array {
  const { rows: n, cols: d, data } = m
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]! / n
  const s = new Float64Array(d * d)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const zj = data[i * d + j]! - mean[j]!
      for (let l = 0; l <= j; l++) s[j * d + l] += zj * (data[i * d + l]! - mean[l]!) / n
    }
  }
  for (let j = 0; j < d; j++) for (let l = j + 1; l < d; l++) s[j * d + l] = s[l * d + j]!
  return s
}
