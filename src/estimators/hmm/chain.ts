/**
 * What every HMM estimator shares, whatever its parameters are (Baum-Welch's point
 * parameters in base.ts, a variational posterior in variational.ts): sequences split
 * by `lengths`, the emission's data in kernel memory, and every call that reads a
 * fitted model: decode, predict, predictProba, scoreSamples, score, sample, and the
 * start and transition probabilities users read. The model (a ChainModel) says what
 * its score is and which HMM parameters its point estimate is.
 *
 * An HMM's sample is a sequence, not a row: the rows of a sequence are dependent,
 * so there is no per-row log-likelihood to average. `score` is therefore the total
 * over all sequences (hmmlearn's), `scoreSamples` that total with the per-row
 * posteriors (hmmlearn's score_samples).
 */
import { mapLogPosterior } from '../../core/math/criteria.js'
import type { StreamInput } from '../stream.js'
import { InputError } from '../../core/errors.js'
import { show } from '../../core/show.js'
import { type Matrix, type MatrixBlocks, toRows } from '../../core/matrix.js'
import { Rng } from '../../core/rng/xoshiro128.js'
import type { F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import { drawFrom } from '../../models/hmm/emissions.js'
import type { ChainModel, Emission, HmmData, HmmParams } from '../../models/hmm/model.js'
import { column, type Dataset } from '../../runtime/dataset.js'
import { type BaseFitOptions, type DatasetScore, Estimator, type Scoring, type Shape } from '../base.js'
import { oneOf } from '../schema.js'
import { checkComponents, drawCount, mostProbable } from '../inputs.js'
import { withLengths } from './inputs.js'

export interface HmmDataOptions {
  /** Rows of each sequence, in order (default: X is one sequence). */
  lengths?: ArrayLike<number>
}

export interface HmmFitOptions<P = unknown> extends BaseFitOptions<P>, HmmDataOptions {}

export interface DecodeOptions extends HmmDataOptions {
  /** 'viterbi' (default): the most likely path; 'map': the most likely state at each step. */
  algorithm?: 'viterbi' | 'map'
}

export interface Decoded {
  /** Viterbi: the joint log-probability of the path and X; map: the score of X. */
  logProb: number
  states: number[]
}

/** hmmlearn's score_samples: the total score and the posterior state probabilities (one row per observation). */
export interface HmmScoreSamples {
  logProb: number
  posteriors: number[][]
}

const DECODERS = ['viterbi', 'map'] as const

/** The number of states: an option of every HMM estimator (a read-only attribute). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ChainEstimator<P, E, ED, Em extends Emission<E, ED>, In, M extends ChainModel<P, E, ED>, O extends object = object> {
  readonly nComponents: number
}

/** P = the fitted parameters, E = emission parameters, ED = emission data, Em = the emission, In = what fit and scoring calls take as X, M = the model. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class ChainEstimator<P, E, ED, Em extends Emission<E, ED>, In, M extends ChainModel<P, E, ED>, O extends object = object>
  extends Estimator<P, M, HmmData<ED>, O> {
  static override readonly fitOptionNames = ['lengths']
  /** The states classify the observations (time steps): predictProba's per-step posteriors. */
  static override readonly latentClasses = true
  // ---- what each emission supplies ----

  /** X of a public call as a matrix (rows = time steps), checked for this emission. */
  protected abstract observations(X: unknown): Matrix
  protected abstract createEmission(kernels: Kernels, shape: Shape): Em
  /** Copy the observations into the emission's buffers. */
  protected abstract loadEmission(emission: Em, data: ED, X: Matrix): void
  /** Refuse observations the model's emission cannot take beyond its shape (symbols out of range). */
  protected checkObservations(_emission: Em, _X: Matrix): void {}

  /** More states than rows cannot be fitted (emissions whose start needs no data override it). */
  protected override forFit(data: Dataset): Dataset {
    checkComponents(this.nComponents, data.X.rows, 'states')
    return data
  }

  /** The columns of X (emissions with other shapes, such as symbols, override it). */
  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  // ---- the base's hooks ----

  protected toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    return withLengths(this.observations(X), options['lengths'])
  }

  /** [X, { lengths }], one column as a flat array: what every emission's X takes (symbols and counts take only that). */
  protected override scoringArgs(data: Dataset): unknown[] {
    return [data.X.cols === 1 ? column(data.X) : data.X, data.lengths ? { lengths: data.lengths } : {}]
  }

  protected prepareData(model: M, dataset: Dataset): HmmData<ED> {
    const emission = model.emission as Em
    this.checkObservations(emission, dataset.X)
    const data = model.prepare(dataset.lengths ?? [dataset.X.rows], dataset.X.data)
    try {
      this.loadEmission(emission, data.emission, dataset.X)
    } catch (e) {
      model.release(data)
      throw e
    }
    return data
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

  /** Free the kernel memory of the fitted model now; the estimator is unfitted afterwards. */
  dispose(): void {
    this.state?.model.dispose()
    this.state = null
  }

  // ---- fitting ----

  /** Fit (best of nInit restarts when the start is drawn from the data). */
  override fit(X: In | StreamInput, options: HmmFitOptions<P> = {}): Promise<this> { return super.fit(X, options) }
  /** Online EM on one sequence (or the sequences of `lengths`), or on each sequence of an async iterable (see Estimator.partialFit). */
  override partialFit(X: In | AsyncIterable<unknown>, options: HmmFitOptions<P> = {}): Promise<this> { return super.partialFit(X, options) }

  /** Fit, then the Viterbi path of the same sequences. */
  override async fitPredict(X: In, options: HmmFitOptions<P> = {}): Promise<number[]> {
    await this.fit(X, options)
    return this.predict(X, options.lengths === undefined ? {} : { lengths: options.lengths })
  }

  // ---- parameters ----

  /** The fitted (or given) model's point estimates, with the model and shape. */
  private pointState(what: string): Scoring<P, M> & { point: HmmParams<E> } {
    const s = this.scoringState(what)
    return { ...s, point: s.model.pointEstimate(s.params) }
  }

  get startProb(): number[] { return Array.from(this.pointState('startProb').point.startProb) }
  get transMat(): number[][] {
    const { point, model } = this.pointState('transMat')
    return toRows(point.transMat, model.k, model.k)
  }
  /** The emission parameters (point estimates) and the shape of the fitted (or fully given) model. */
  protected emissionState(what: string): { params: E; shape: Shape; emission: Em } {
    const s = this.pointState(what)
    return { params: s.point.emission, shape: s.shape, emission: s.model.emission as Em }
  }

  // ---- using the parameters ----

  /** The total score of all sequences and the posterior state probabilities of every row. */
  scoreSamples(X: In, options: HmmDataOptions = {}): HmmScoreSamples {
    return this.posteriors(X, options, 'scoreSamples')
  }

  /** Posterior state probabilities, one row per observation. */
  predictProba(X: In, options: HmmDataOptions = {}): number[][] {
    return this.posteriors(X, options, 'predictProba').posteriors
  }

  /**
   * predictProba's posteriors as one row-major array, `{ data, rows, cols }` (rows =
   * steps, cols = states): a long sequence's posteriors without an array per step.
   */
  predictProbaMatrix(X: In, options: HmmDataOptions = {}): Matrix {
    return this.posteriorsIn(X, options, 'predictProbaMatrix', (post) => ({ ...post, data: post.data.slice() }))
  }

  /**
   * `read(posteriors)` with predictProbaMatrix's posteriors left where forward-backward
   * wrote them, in kernel memory (no n x K copy: the command writes a long sequence's
   * labels and plot from them). The view is valid only during `read`, which may read
   * the fitted parameters but not run a scoring call (kernel memory could then grow and
   * move); returns what `read` returns.
   */
  withPosteriors<T>(X: In, read: (posteriors: Matrix) => T, options: HmmDataOptions = {}): T {
    return this.posteriorsIn(X, options, 'withPosteriors', read)
  }

  /**
   * `read(posteriors)` with predictProbaMatrix's posteriors a block of steps at a time,
   * in time order (each block a view valid until the next is read): no n x K buffer
   * anywhere, so a long sequence's labels and plot are written as they are read. Each
   * iteration of `posteriors.blocks` runs forward-backward again (its backward pass
   * twice); iterate only during `read`, once at a time. Returns what `read` returns.
   */
  withPosteriorBlocks<T>(X: In, read: (posteriors: MatrixBlocks) => T, options: HmmDataOptions = {}): T {
    return this.withData(X, this.callOptions(options, 'withPosteriorBlocks', ['lengths']), 'withPosteriorBlocks', (model, data, params) => {
      const k = model.k
      const blocks = function* () {
        for (const { block, gamma } of model.posteriorsInTimeOrder(data, params)) {
          const rows = block.hi - block.lo
          yield { start: block.lo, rows, data: gamma.view.subarray(0, rows * k) }
        }
      }
      return read({ rows: data.n, cols: k, blocks: { [Symbol.iterator]: blocks } })
    })
  }

  private posteriorsIn<T>(X: In, options: HmmDataOptions, what: string, read: (posteriors: Matrix) => T): T {
    return this.withData(X, this.callOptions(options, what, ['lengths']), what, (model, data, params) => {
      const { posteriors } = allPosteriors(model, data, params)
      return read({ data: posteriors.view, rows: data.n, cols: model.k })
    })
  }

  /** Most likely state path (Viterbi) of every sequence, concatenated. */
  predict(X: In, options: HmmDataOptions = {}): number[] {
    return this.withData(X, this.callOptions(options, 'predict', ['lengths']), 'predict', (model, data, params) => pathArray(model.viterbi(data, params).path))
  }

  /**
   * predict's path as one Int32Array: a long sequence's states without a JS number
   * array (8 bytes a step, with its 4-byte typed copy beside it while it is made). With
   * `into` (one value per step), written there and returned: a Uint8Array holds up to
   * 256 states, a byte a step.
   */
  predictPath(X: In, options?: HmmDataOptions): Int32Array
  predictPath<A extends Int32Array | Uint8Array>(X: In, options: HmmDataOptions, into: A): A
  predictPath(X: In, options: HmmDataOptions = {}, into?: Int32Array | Uint8Array): Int32Array | Uint8Array {
    if (into !== undefined && !(into instanceof Int32Array || into instanceof Uint8Array)) {
      throw new InputError('INVALID_DATA', `predictPath: into is ${show(into)}; give an Int32Array (or a Uint8Array, for up to 256 states) of one value per step, or leave it out.`)
    }
    return this.withData(X, this.callOptions(options, 'predictPath', ['lengths']), 'predictPath', (model, data, params) => {
      if (into === undefined) return model.viterbi(data, params).path
      if (into.length !== data.n) throw new InputError('SHAPE_MISMATCH', `predictPath: into holds ${into.length} values for ${data.n} steps; give one value per step.`)
      if (into instanceof Uint8Array && model.k > 256) throw new InputError('INVALID_DATA', `predictPath: a Uint8Array holds states 0..255, and the model has ${model.k}; give an Int32Array.`)
      return model.viterbi(data, params, into).path
    })
  }

  /**
   * `read(path)` with predictPath's path left in kernel memory (memory the call's other
   * buffers have touched already, not n int32s more of JS: the command's summary of a
   * long sequence). The view is valid only during `read`, as withPosteriors'; returns
   * what `read` returns.
   */
  withPath<T>(X: In, read: (path: Int32Array) => T, options: HmmDataOptions = {}): T {
    return this.withData(X, this.callOptions(options, 'withPath', ['lengths']), 'withPath', (model, data, params) => {
      const into = data.arena.i32(data.n)
      model.viterbi(data, params, into)
      return read(into.view)
    })
  }

  decode(X: In, options: DecodeOptions = {}): Decoded {
    const given = this.callOptions(options, 'decode', ['lengths', 'algorithm'])
    const algorithm = given['algorithm'] === undefined ? 'viterbi' : oneOf(DECODERS)(given['algorithm'], 'algorithm')
    return this.withData(X, given, 'decode', (model, data, params) => {
      if (algorithm === 'viterbi') {
        const { logProb, path } = model.viterbi(data, params)
        return { logProb, states: pathArray(path) }
      }
      const { logProb, posteriors } = allPosteriors(model, data, params)
      return { logProb, states: mostProbable(posteriors.view, data.n, model.k) }
    })
  }

  /** The total score of all sequences (hmmlearn's score, not a mean: see the module comment); no arguments: of the training data. */
  override score(X?: In, options: HmmDataOptions = {}): number { return this.totalLogLik([X, options]).logLik }

  /** The fit's own objective on its training data, as `score()` reports it. */
  protected trainingScore(s: { readonly result: { readonly logLik: number }; readonly params: P; readonly model: M }): number {
    return s.result.logLik
  }

  /** The total score (not a mean) and the rows it is over; no X: of the training data (trainingScore). */
  protected override totalLogLik(args: readonly unknown[]): { logLik: number; n: number } {
    const [X, options] = args
    if (X === undefined) {
      const s = this.fitted('score')
      return { logLik: this.trainingScore(s), n: s.totalWeight }
    }
    return this.withData(X, this.callOptions(options, 'score', ['lengths']), 'score', (model, data, params) => ({ logLik: model.scoreData(data, params), n: data.n }))
  }

  /**
   * The base's scoreDataset (score's total and ICL's term of predictProba's rows) from one
   * forward-backward instead of a forward pass and then a forward-backward: both
   * run the same forward recursion, so the total is the same.
   */
  override scoreDataset(dataset: Dataset): DatasetScore {
    if (dataset.sampleWeight) return super.scoreDataset(dataset)
    const [X, options] = this.scoringArgs(dataset)
    return this.withData(X, this.callOptions(options, 'score', ['lengths']), 'score', (model, data, params) => {
      // ICL's term read where each block's posteriors are: n rows of arrays took ~0.3x a 50 MB file per cell of `emkit hmm`'s search
      const k = model.k
      let classification = 0
      const logLik = model.forwardBackward(data, params, (block, _rows, gamma) => {
        classification = mapLogPosterior(gamma.view, block.hi - block.lo, k, undefined, classification)
      })
      return { logLik, n: data.n, posteriors: null, classification }
    })
  }

  private posteriors(X: In, options: HmmDataOptions, what: string): HmmScoreSamples {
    return this.withData(X, this.callOptions(options, what, ['lengths']), what, (model, data, params) => {
      const { logProb, posteriors } = allPosteriors(model, data, params)
      return { logProb, posteriors: toRows(posteriors.view, data.n, model.k) }
    })
  }



  // ---- sampling ----

  /** One sequence of n steps from the point estimates: the observations and the hidden states. Successive calls continue the stream (of `rng`: default the estimator's own). */
  protected sampleStates(n: number, rng: Rng = this.sampler): { obs: (number | number[])[]; states: number[] } {
    const { model, point, shape } = this.pointState('sample')
    drawCount(n, (shape['nFeatures'] ?? 1) + 1)
    const k = model.k
    const obs: (number | number[])[] = [], states: number[] = []
    let c = drawFrom(point.startProb, 0, k, rng)
    for (let t = 0; t < n; t++) {
      if (t > 0) c = drawFrom(point.transMat, c * k, k, rng)
      states.push(c)
      obs.push(model.emission.sample(point.emission, c, rng))
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

/** Forward-backward's posteriors of every row (n x k), gathered from its blocks into a buffer of the call's arena. */
function allPosteriors<P, E, ED>(model: ChainModel<P, E, ED>, data: HmmData<ED>, params: P): { logProb: number; posteriors: F64Buffer } {
  const k = model.k
  const posteriors = data.arena.f64(data.n * k)
  const logProb = model.forwardBackward(data, params, (block, _rows, gamma) => {
    posteriors.view.set(gamma.view.subarray(0, (block.hi - block.lo) * k), block.lo * k)
  })
  return { logProb, posteriors }
}

/**
 * A state path as a plain array, written into one allocation: Array.from over a typed
 * array grows its result step by step (about 3x the final size in garbage on a long
 * sequence, which a 50 MB file's labels cannot afford).
 */
function pathArray(path: ArrayLike<number>): number[] {
  const out = new Array<number>(path.length)
  for (let t = 0; t < path.length; t++) out[t] = path[t]!
  return out
}
