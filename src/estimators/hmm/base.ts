/**
 * What the HMM estimators share, over the one Estimator base: the start and
 * transition probabilities (given in `init`, kept fixed by `fitParams`, smoothed by
 * `pseudoCounts`), sequences split by `lengths`, and everything that reads fitted
 * parameters: decode, predict, predictProba, scoreSamples, score, bic/aic, sample.
 * One HmmModel (src/models/hmm/model.ts) over an emission does the arithmetic.
 *
 * Parameters not given in `init` start from the data: uniform start and transition
 * probabilities, and what each emission says (k-means means with the data
 * covariance, random emission probabilities, k-means rates, k-means within k-means
 * for a mixture per state). An HMM whose parameters are all given scores, predicts,
 * decodes and samples before fit.
 *
 * An HMM's sample is a sequence, not a row: the rows of a sequence are dependent,
 * so there is no per-row log-likelihood to average. `score` is therefore the total
 * log-likelihood of all sequences (hmmlearn's), `scoreSamples` that total with the
 * per-row posteriors (hmmlearn's score_samples), and bic/aic use the total with
 * n = rows, as hmmlearn does.
 *
 * A new emission is one small file over this class (GMMHMM.ts, a Gaussian mixture
 * per state, is the latest): its schema (`hmmOptions` + `parameterOptions` over its
 * parameter names + its own options), `observations` (inputs.ts), `shapeOf`,
 * `createEmission`, `loadEmission`, `startEmission`, `givenShape`/`givenEmission`,
 * getters for its parameters, and a kind in src/registry/kinds/hmm.ts.
 */
import { InputError, NotFittedError } from '../../core/errors.js'
import { type Matrix, toRows } from '../../core/matrix.js'
import { Rng } from '../../core/rng/xoshiro128.js'
import { loadKernelsSync } from '../../kernels/index.js'
import type { Kernels } from '../../kernels/types.js'
import { drawFrom } from '../../models/hmm/emissions.js'
import { type Emission, type HmmData, HmmModel, type HmmParams } from '../../models/hmm/model.js'
import { column, type Dataset } from '../../runtime/dataset.js'
import { type BaseFitOptions, Estimator, type Scoring, type Shape } from '../base.js'
import type { EngineAttributes } from '../engine-options.js'
import { oneOf } from '../schema.js'
import { drawCount } from '../inputs.js'
import { withLengths } from './inputs.js'
import { type FitFlags, givenChain, type HmmInit, type HmmPseudoCounts, pseudoCountArrays } from './options.js'

export interface HmmDataOptions {
  /** Rows of each sequence, in order (default: X is one sequence). */
  lengths?: ArrayLike<number>
}

export interface HmmFitOptions<E = unknown> extends BaseFitOptions<HmmParams<E>>, HmmDataOptions {}

export interface DecodeOptions extends HmmDataOptions {
  /** 'viterbi' (default): the most likely path; 'map': the most likely state at each step. */
  algorithm?: 'viterbi' | 'map'
}

export interface Decoded {
  /** Viterbi: the joint log-probability of the path and X; map: the log-likelihood of X. */
  logProb: number
  states: number[]
}

/** hmmlearn's score_samples: the total log-likelihood and the posterior state probabilities (one row per observation). */
export interface HmmScoreSamples {
  logProb: number
  posteriors: number[][]
}

const DECODERS = ['viterbi', 'map'] as const

/** The resolved options every HMM has: read-only attributes. */
export interface HmmEstimator<E, ED, Em extends Emission<E, ED>, In> extends EngineAttributes {
  readonly nComponents: number
  readonly init: HmmInit
  readonly fitParams: FitFlags<'startProb' | 'transMat'>
  readonly pseudoCounts: HmmPseudoCounts
  readonly algorithm: 'em'
}

/** E = emission parameters, ED = emission data, Em = the emission, In = what fit and scoring calls take as X. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class HmmEstimator<E, ED, Em extends Emission<E, ED>, In, O extends object = object> extends Estimator<HmmParams<E>, HmmModel<E, ED>, HmmData<ED>, O> {
  static override readonly fitOptionNames = ['lengths']
  /** The states classify the observations (time steps): predictProba's per-step posteriors. */
  static override readonly latentClasses = true
  private sampler: Rng
  /** The model and parameters of a fully given `init`, built on first use before fit. */
  private givenModel: Scoring<HmmParams<E>, HmmModel<E, ED>> | null = null

  constructor(options: O = {} as O) {
    super(options)
    this.sampler = new Rng(this.seed)
  }

  // ---- what each emission supplies ----

  /** X of a public call as a matrix (rows = time steps), checked for this emission. */
  protected abstract observations(X: unknown): Matrix
  protected abstract createEmission(kernels: Kernels, shape: Shape): Em
  /** Copy the observations into the emission's buffers. */
  protected abstract loadEmission(emission: Em, data: ED, X: Matrix): void
  /** Starting emission parameters: the given ones, the rest from the data (drawing only from `rng`). */
  protected abstract startEmission(emission: Em, data: ED, dataset: Dataset, rng: Rng): E
  /** The shape `init` fixes when it gives every emission parameter, else null. */
  protected abstract givenShape(): Shape | null
  /** The emission parameters of `init` (called only when givenShape() is not null). */
  protected abstract givenEmission(emission: Em): E
  /** Refuse observations the model's emission cannot take beyond its shape (symbols out of range). */
  protected checkObservations(_emission: Em, _X: Matrix): void {}

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    const k = o['nComponents'] as number
    givenChain(o['init'] as HmmInit, k)
    pseudoCountArrays(o['pseudoCounts'] as HmmPseudoCounts, k)
  }

  // ---- the base's hooks ----

  protected toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    return withLengths(this.observations(X), options['lengths'])
  }

  /** [X, { lengths }], one column as a flat array: what every emission's X takes (symbols and counts take only that). */
  protected override scoringArgs(data: Dataset): unknown[] {
    return [data.X.cols === 1 ? column(data.X) : data.X, data.lengths ? { lengths: data.lengths } : {}]
  }

  protected createModel(kernels: Kernels, shape: Shape): HmmModel<E, ED> {
    const { start, trans } = pseudoCountArrays(this.pseudoCounts, this.nComponents)
    return new HmmModel({
      kernels, k: this.nComponents, emission: this.createEmission(kernels, shape),
      fit: { startProb: this.fitParams.startProb, transMat: this.fitParams.transMat },
      startPseudoCounts: start, transPseudoCounts: trans,
    })
  }

  protected prepareData(model: HmmModel<E, ED>, dataset: Dataset): HmmData<ED> {
    const emission = model.emission as Em
    this.checkObservations(emission, dataset.X)
    const data = model.prepare(dataset.lengths ?? [dataset.X.rows])
    try {
      this.loadEmission(emission, data.emission, dataset.X)
    } catch (e) {
      model.release(data)
      throw e
    }
    return data
  }

  protected initialParams(model: HmmModel<E, ED>, data: HmmData<ED>, rng: Rng, dataset: Dataset): HmmParams<E> {
    const k = this.nComponents
    const given = givenChain(this.init, k)
    return {
      startProb: given.startProb ?? new Float64Array(k).fill(1 / k),
      transMat: given.transMat ?? new Float64Array(k * k).fill(1 / k),
      emission: this.startEmission(model.emission as Em, data.emission, dataset, rng),
    }
  }

  /** A fully given start makes every restart identical: run one. */
  protected override restarts(): number {
    return this.allGiven() ? 1 : this.nInit
  }

  /** Forward-backward is n K^2, the emission n K d^2 at most. */
  protected override workOf(data: Dataset): number {
    const k = this.nComponents
    return data.X.rows * k * (k + data.X.cols * data.X.cols)
  }

  /** Only the number of features is checked against the data; other shape entries come from options or the fit. */
  protected override checkShape(fitted: Shape, given: Shape): void {
    const d = fitted['nFeatures'], got = given['nFeatures']
    if (d !== undefined && got !== undefined && d !== got) {
      throw new InputError('SHAPE_MISMATCH', `X has ${got} features but the model has ${d}; pass rows with ${d} columns in the same order as in fit().`, { expected: d, got })
    }
  }

  protected override scoringState(what: string): Scoring<HmmParams<E>, HmmModel<E, ED>> {
    if (this.state) return this.state
    this.givenModel ??= this.fromInit(what)
    return this.givenModel
  }

  private allGiven(): boolean {
    return this.init.startProb !== undefined && this.init.transMat !== undefined && this.givenShape() !== null
  }

  private fromInit(what: string): Scoring<HmmParams<E>, HmmModel<E, ED>> {
    const shape = this.givenShape()
    const { startProb, transMat } = givenChain(this.init, this.nComponents)
    if (!shape || !startProb || !transMat) throw new NotFittedError(this.kind, what)
    const model = this.createModel(loadKernelsSync(this.backend), shape)
    try {
      return { model, shape, params: { startProb, transMat, emission: this.givenEmission(model.emission as Em) } }
    } catch (e) {
      model.dispose()
      throw e
    }
  }

  private dropGiven(): void {
    this.givenModel?.model.dispose()
    this.givenModel = null
  }

  override setParams(options: Readonly<Record<string, unknown>>): this {
    super.setParams(options)
    this.dropGiven()
    return this
  }

  override async fitDataset(given: Dataset, options: BaseFitOptions<HmmParams<E>> = {}): Promise<this> {
    await super.fitDataset(given, options)
    this.dropGiven()
    return this
  }

  /** Free the kernel memory of the fitted (or given) model now; the estimator is unfitted afterwards. */
  dispose(): void {
    this.state?.model.dispose()
    this.state = null
    this.dropGiven()
  }

  // ---- fitting ----

  /** Fit by Baum-Welch (best of nInit restarts when some parameters come from the data). */
  override fit(X: In, options: HmmFitOptions<E> = {}): Promise<this> { return super.fit(X, options) }

  /** Fit, then the Viterbi path of the same sequences. */
  override async fitPredict(X: In, options: HmmFitOptions<E> = {}): Promise<number[]> {
    await this.fit(X, options)
    return this.predict(X, options.lengths === undefined ? {} : { lengths: options.lengths })
  }

  // ---- parameters ----

  get startProb(): number[] { return Array.from(this.scoringState('startProb').params.startProb) }
  get transMat(): number[][] {
    const { params, model } = this.scoringState('transMat')
    return toRows(params.transMat, model.k, model.k)
  }
  /** The emission parameters and the shape of the fitted (or fully given) model. */
  protected emissionState(what: string): { params: E; shape: Shape; emission: Em } {
    const s = this.scoringState(what)
    return { params: s.params.emission, shape: s.shape, emission: s.model.emission as Em }
  }

  // ---- using the parameters ----

  /** Total log-likelihood of all sequences and the posterior state probabilities of every row. */
  scoreSamples(X: In, options: HmmDataOptions = {}): HmmScoreSamples {
    return this.posteriors(X, options, 'scoreSamples')
  }

  /** Posterior state probabilities, one row per observation. */
  predictProba(X: In, options: HmmDataOptions = {}): number[][] {
    return this.posteriors(X, options, 'predictProba').posteriors
  }

  /** Most likely state path (Viterbi) of every sequence, concatenated. */
  predict(X: In, options: HmmDataOptions = {}): number[] {
    return this.withData(X, this.callOptions(options, 'predict', ['lengths']), 'predict', (model, data, params) => Array.from(model.viterbi(data, params).path))
  }

  decode(X: In, options: DecodeOptions = {}): Decoded {
    const given = this.callOptions(options, 'decode', ['lengths', 'algorithm'])
    const algorithm = given['algorithm'] === undefined ? 'viterbi' : oneOf(DECODERS)(given['algorithm'], 'algorithm')
    return this.withData(X, given, 'decode', (model, data, params) => {
      if (algorithm === 'viterbi') {
        const { logProb, path } = model.viterbi(data, params)
        return { logProb, states: Array.from(path) }
      }
      const logProb = model.forwardBackward(data, params)
      const G = data.gamma.view, k = model.k
      const states = Array.from({ length: data.n }, (_, t) => {
        let best = 0
        for (let c = 1; c < k; c++) if (G[t * k + c]! > G[t * k + best]!) best = c
        return best
      })
      return { logProb, states }
    })
  }

  /** Total log-likelihood of all sequences (hmmlearn's score, not a mean: see the module comment); no arguments: of the training data. */
  override score(X?: In, options: HmmDataOptions = {}): number { return this.totalLogLik([X, options]).logLik }
  /** -2 log L + p log n with n = rows (hmmlearn's); no arguments: on the training data. */
  override bic(X?: In, options: HmmDataOptions = {}): number { return super.bic(X, options) }
  /** -2 log L + 2 p; no arguments: on the training data. */
  override aic(X?: In, options: HmmDataOptions = {}): number { return super.aic(X, options) }

  /** The total log-likelihood (not a mean) and the rows it is over; of the training data, without the pseudo-counts' log prior the fit's objective has. */
  protected override totalLogLik(args: readonly unknown[]): { logLik: number; n: number } {
    const [X, options] = args
    if (X === undefined) {
      const s = this.fitted('score')
      return { logLik: s.result.logLik - s.model.logPrior(s.params), n: s.totalWeight }
    }
    return this.withData(X, this.callOptions(options, 'score', ['lengths']), 'score', (model, data, params) => ({ logLik: model.scoreData(data, params), n: data.n }))
  }

  private posteriors(X: In, options: HmmDataOptions, what: string): HmmScoreSamples {
    return this.withData(X, this.callOptions(options, what, ['lengths']), what, (model, data, params) => {
      const logProb = model.forwardBackward(data, params)
      return { logProb, posteriors: toRows(data.gamma.view, data.n, model.k) }
    })
  }


  // ---- sampling ----

  /** One sequence of n steps: the observations and the hidden states. Successive calls continue the stream (of `rng`: default the estimator's own). */
  protected sampleStates(n: number, rng: Rng = this.sampler): { obs: (number | number[])[]; states: number[] } {
    const { model, params, shape } = this.scoringState('sample')
    drawCount(n, (shape['nFeatures'] ?? 1) + 1)
    const k = model.k
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
