import type { EMModel, EStepResult, InformationCapability, OnlineEMCapability, PreparedData } from '../../engine/types.js'
import { hmmInformation } from './information.js'
import type { Arena, F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import { InputError } from '../../core/errors.js'
import { isDistribution } from '../components/categorical.js'
import { noFarRows, withFarOffsets } from '../common/far.js'
import type { Component } from '../components/component.js'
import { type ChainBlock, type ChainBuffers, HMM_BLOCK_ROWS, allLogDensities, backwardSweep, blockRows, chainBlocks, forwardSweep, type PathTarget, type PosteriorBlock, smoothedInTimeOrder, viterbiSweeps } from './passes.js'

export type { PosteriorBlock }

/**
 * A hidden Markov model as an EM model (Baum-Welch), generic over the emission
 * distribution. Statistics are a flat additive vector
 *   [start counts (k) | expected transition counts (k*k) | emission statistics],
 * all summed over the sequences (and time), so the statistics of two sets of
 * sequences computed at the same parameters merge by addition.
 *
 * The E-step runs the scaled (Rabiner) forward-backward kernels over every sequence
 * in one call; the log-space kernels (hmmForwardLog, ...) give the same numbers to
 * ~1e-12 and serve as the cross-check in tests.
 */

export interface HmmParams<E> {
  readonly startProb: Float64Array
  /** k*k row-major, transMat[i*k + j] = P(next = j | current = i). */
  readonly transMat: Float64Array
  readonly emission: E
}

/** Which parameters the M-step updates (the others stay at their starting values). */
export interface HmmFitFlags {
  readonly startProb: boolean
  readonly transMat: boolean
}

/**
 * An emission distribution is a component (src/models/components/): log-densities of
 * every row under every state, statistics given the posteriors, the M-step.
 */
export type Emission<E, ED> = Component<E, ED>

/** A prepared HMM's data: the emission's rows, and the buffers of one block of the passes (passes.ts). */
export interface HmmData<ED> extends PreparedData, ChainBuffers<ED> {
  readonly n: number
  readonly nSeq: number
  readonly lengths: I32Buffer
  /** First row of each sequence. */
  readonly starts: Int32Array
  /** The log-space passes' n x k buffers (inLogSpace), allocated on first use: fits of ordinary data never make them. */
  readonly logSpace: { readonly b: F64Buffer; readonly alpha: F64Buffer; readonly beta: F64Buffer }
}

/** Each block's posteriors (rows x k, its first row is block.lo) with the emission's rows of the block. */
export type PosteriorVisitor<ED> = (block: ChainBlock, rows: ED, gamma: F64Buffer) => void


/**
 * What the HMM estimators' shared scoring calls need of a model, whatever its
 * parameters P are: the Baum-Welch model's point parameters (HmmModel) or a
 * variational posterior q(theta) (VariationalHmmModel).
 */
export interface ChainModel<P, E, ED> extends EMModel<P, HmmData<ED>> {
  readonly k: number
  readonly emission: Emission<E, ED>
  /** `observations`: the rows, lent to the emission where they already lie in kernel memory (Arena.lend). */
  prepare(lengths: ArrayLike<number>, observations?: Float64Array): HmmData<ED>
  release(data: HmmData<ED>): void
  dispose(): void
  /**
   * Forward-backward: `visit` reads the posterior state probabilities block by block;
   * returns the model's score of the data (the log-likelihood, or the ELBO).
   */
  forwardBackward(data: HmmData<ED>, params: P, visit: PosteriorVisitor<ED>): number
  /**
   * forwardBackward's posteriors block by block in time order (each buffer valid until
   * the next block is asked for; one iteration at a time per data): what writes them to
   * a file without n x K memory.
   */
  posteriorsInTimeOrder(data: HmmData<ED>, params: P): Iterable<PosteriorBlock>
  /** The score alone (a forward pass). */
  scoreData(data: HmmData<ED>, params: P): number
  /** Most likely state paths and their total joint log-probability. */
  viterbi(data: HmmData<ED>, params: P, into?: PathTarget): { logProb: number; path: Int32Array | Uint8Array }
  /** The HMM parameters users read and sample from: the parameters themselves, or the posterior means. */
  pointEstimate(params: P): HmmParams<E>
}

export interface HmmSpec<E, ED> {
  readonly kernels: Kernels
  readonly k: number
  readonly emission: Emission<E, ED>
  readonly fit: HmmFitFlags
  /** Dirichlet pseudo-counts added to the expected start (k) and transition (k*k) counts. */
  readonly startPseudoCounts: Float64Array
  readonly transPseudoCounts: Float64Array
}

export class HmmModel<E, ED> implements ChainModel<HmmParams<E>, E, ED> {
  readonly name: string
  readonly kernels: Kernels
  readonly k: number
  readonly emission: Emission<E, ED>
  private readonly hasPrior: boolean
  /** Standard errors: the fitted parameters, each free one once (information.ts). */
  readonly information: InformationCapability<HmmParams<E>, HmmData<ED>>

  /** The fit flags and pseudo-counts are read from `spec`. */
  constructor(private readonly spec: HmmSpec<E, ED>) {
    this.kernels = spec.kernels
    this.k = spec.k
    this.emission = spec.emission
    this.name = `hmm-${spec.emission.name}`
    this.hasPrior = spec.startPseudoCounts.some((v) => v !== 0) || spec.transPseudoCounts.some((v) => v !== 0)
    this.information = hmmInformation(spec.k, spec.fit, spec.emission, this.hasPrior) as InformationCapability<HmmParams<E>, HmmData<ED>>
  }

  /** Import what the information terms run that the emission leaves out of bundles (a Gaussian's per-row derivatives). */
  async loadInformation(): Promise<void> {
    await this.emission.loadDerivatives?.()
  }

  /** Online EM: the chain's counts do not depend on the parameters; the emission's statistics move with its own recentre. */
  readonly onlineEM: OnlineEMCapability<HmmParams<E>, HmmData<ED>> = {
    recentre: (stats, from, to) => {
      const recentre = this.emission.recentreParams
      return recentre ? recentreChainStats(stats, this.k, (s) => recentre.call(this.emission, s, from.emission, to.emission)) : stats
    },
  }

  get statsSize(): number {
    return this.k + this.k * this.k + this.emission.statsSize
  }

  /**
   * Buffers for sequences of the given lengths (validated: each >= 1); the caller fills
   * the emission data. `observations` already in kernel memory (the command's parsed
   * file) are lent to the emission, which reads them there instead of a copy: nothing
   * writes to an HMM's observations. `blockRows`: rows per block of the passes (tests
   * make them small).
   */
  prepare(lengths: ArrayLike<number>, observations?: Float64Array, blockRows = HMM_BLOCK_ROWS): HmmData<ED> {
    const { k } = this
    const arena = this.kernels.arena()
    const lent = observations ? arena.lend?.(observations) ?? null : null
    const nSeq = lengths.length
    const starts = new Int32Array(nSeq)
    let n = 0
    for (let s = 0; s < nSeq; s++) { starts[s] = n; n += lengths[s]! }
    const lengthsBuf = arena.i32(nSeq)
    lengthsBuf.view.set(Array.from(lengths))
    // Blocks of rows (passes.ts) for an emission that gives views of its rows: kernel memory
    // then holds no n x k buffer at all, only the emission's rows (lent when they are already
    // in kernel memory). The log-space buffers, which only data the scaled passes cannot
    // score need, are n x k and made on first use.
    const rows = this.emission.rows ? Math.min(n, blockRows) : n
    const blocks = chainBlocks(arena, lengths, n, Math.max(rows, 1))
    let logSpace: HmmData<ED>['logSpace'] | null = null
    return {
      n, nSeq, totalWeight: n, starts, arena, blocks,
      lengths: lengthsBuf,
      b: arena.f64(rows * k),
      alpha: arena.f64(rows * k),
      scale: arena.f64(rows),
      carry: arena.f64(k),
      tail: arena.f64(2 * k + 1),
      checkpoints: new Float64Array(blocks.length * k),
      get logSpace() { return logSpace ??= { b: arena.f64(n * k), alpha: arena.f64(n * k), beta: arena.f64(n * k) } },
      xi: arena.f64(k * k),
      startProb: arena.f64(k),
      transMat: arena.f64(k * k),
      emission: this.emission.prepare(arena, n, lent, rows),
    }
  }

  release(data: HmmData<ED>): void {
    data.arena.dispose()
  }

  dispose(): void {
    this.emission.dispose()
  }

  /**
   * Forward-backward at `params`: each block's posteriors to `visit`, expected transition
   * counts into data.xi; returns the total log-likelihood (without the prior).
   */
  forwardBackward(data: HmmData<ED>, params: HmmParams<E>, visit: PosteriorVisitor<ED>): number {
    this.loadChain(data, params)
    const { logLik, last } = forwardSweep(this, data, params.emission)
    if (!Number.isFinite(logLik)) return this.inLogSpace(data, params, visit)
    backwardSweep(this, data, params.emission, params.transMat, last, visit)
    return logLik
  }

  *posteriorsInTimeOrder(data: HmmData<ED>, params: HmmParams<E>): Generator<PosteriorBlock, void, undefined> {
    this.loadChain(data, params)
    const { logLik, last } = forwardSweep(this, data, params.emission)
    if (Number.isFinite(logLik)) return yield* smoothedInTimeOrder(this, data, params.emission, params.transMat, last)
    // the log-space passes hold every row's posteriors: their blocks are read in order
    const blocks: PosteriorBlock[] = []
    this.inLogSpace(data, params, (block, _rows, gamma) => blocks.push({ block, gamma }))
    yield* blocks
  }

  /** Total log-likelihood only (forward pass). */
  scoreData(data: HmmData<ED>, params: HmmParams<E>): number {
    this.loadChain(data, params)
    const { logLik } = forwardSweep(this, data, params.emission)
    return Number.isFinite(logLik) ? logLik : this.inLogSpace(data, params, null)
  }

  /** Most likely state paths (Viterbi; into `into` when given, passes.ts's PathTarget); returns the total best joint log-probability. */
  viterbi(data: HmmData<ED>, params: HmmParams<E>, into?: PathTarget): { logProb: number; path: Int32Array | Uint8Array } {
    this.loadLogChain(data, params)
    const best = viterbiSweeps(this, data, params.emission, undefined, into)
    if (Number.isFinite(best.logProb)) return best
    const far = noFarRows(data.n)
    const relative = viterbiSweeps(this, data, params.emission, far, into)
    if (relative.logProb === -Infinity) this.impossible(data, params)
    return { logProb: withFarOffsets(relative.logProb, far, null, null), path: relative.path }
  }

  pointEstimate(params: HmmParams<E>): HmmParams<E> {
    return params
  }

  private loadChain(data: HmmData<ED>, params: HmmParams<E>): void {
    data.startProb.view.set(params.startProb)
    data.transMat.view.set(params.transMat)
  }

  private loadLogChain(data: HmmData<ED>, params: HmmParams<E>): void {
    data.startProb.view.set(params.startProb.map(Math.log))
    data.transMat.view.set(params.transMat.map(Math.log))
  }

  /**
   * The passes again in log space, where the scaled forward pass gave a total that is
   * not finite. The scaled pass shifts each row by its largest emission density, which
   * underflows the row when that state is one the chain cannot be in (a zero start or
   * transition probability) and the point is far from the others; and a point far
   * from every state (common/far.ts) has no finite density to shift by. Here rows far
   * from every state are relative to their offsets, which the total takes back (it may
   * then be -Infinity: below -Number.MAX_VALUE). A relative total of -Infinity means
   * the data have probability 0 under the model: an InputError naming the step. With
   * `visit`, the posteriors and data.xi as forwardBackward gives them (over whole n x k
   * buffers). Only reached when the scaled pass failed: fits of ordinary data never
   * come here.
   */
  private inLogSpace(data: HmmData<ED>, params: HmmParams<E>, visit: PosteriorVisitor<ED> | null): number {
    const { kernels, k } = this
    const { n, nSeq, lengths } = data
    const { b, alpha, beta } = data.logSpace
    const far = noFarRows(n)
    allLogDensities(this, data, params.emission, b, far)
    this.loadLogChain(data, params)
    const relative = kernels.hmmForwardLog(b, lengths, nSeq, k, data.startProb, data.transMat, alpha)
    if (relative === -Infinity) this.impossible(data, params)
    if (visit) {
      kernels.hmmBackwardLog(b, lengths, nSeq, k, data.transMat, beta)
      logTransitionCounts(alpha.view, beta.view, b.view, data.transMat.view, lengths.view, nSeq, k, data.xi.view)
      // the posteriors over the forward pass's buffer, element by element
      kernels.hmmPosteriorsLog(alpha, beta, n, k, alpha)
      for (const block of data.blocks) visit(block, blockRows(this.emission, data, block), alpha.subarray(block.lo * k, block.hi * k))
    }
    return withFarOffsets(relative, far, null, null)
  }

  /** The error for data of probability 0: the first step no state can emit, or that no allowed path reaches. */
  private impossible(data: HmmData<ED>, params: HmmParams<E>): never {
    const { k } = this
    const { b, alpha } = data.logSpace
    allLogDensities(this, data, params.emission, b, noFarRows(data.n))
    this.loadLogChain(data, params)
    this.kernels.hmmForwardLog(b, data.lengths, data.nSeq, k, data.startProb, data.transMat, alpha)
    const B = b.view, A = alpha.view
    const none = (M: Float64Array, t: number): boolean => {
      for (let c = 0; c < k; c++) if (M[t * k + c]! > -Infinity) return false
      return true
    }
    for (let s = 0, t = 0; s < data.nSeq; s++) {
      for (let u = 0; u < data.lengths.view[s]!; u++, t++) {
        if (!none(A, t)) continue
        if (none(B, t)) {
          const what = this.emission.describe?.(data.emission, t)
          throw new InputError('INVALID_DATA', `X[${t}]${what ? ` (${what})` : ''} has probability 0 under every state, so the data cannot be scored: ${this.emission.unseenRemedy ?? 'check that the data come from the model the parameters describe'}.`, { row: t })
        }
        throw new InputError('INVALID_DATA', `Sequence ${s} has probability 0 under the model: no path of states allowed by startProb and transMat reaches X[${t}] (step ${u} of the sequence) in a state that can emit it; the zeros of startProb or transMat (e.g. a left-right model's forbidden moves) exclude it. Give those moves a positive probability, or check the data.`, { sequence: s, row: t })
      }
    }
    throw new InputError('INVALID_DATA', 'The data have probability 0 under the model; check the data and the parameters.')
  }

  /**
   * sum c log p over the pseudo-counts: the log Dirichlet prior up to a constant, on
   * the support the M-step keeps (a probability that is 0, a forbidden move of a
   * left-right model, stays 0 and carries no prior term).
   */
  logPrior(params: HmmParams<E>): number {
    if (!this.hasPrior) return 0
    let s = 0
    const add = (c: number, p: number): void => { if (c !== 0 && p !== 0) s += c * Math.log(p) }
    for (let j = 0; j < this.k; j++) add(this.spec.startPseudoCounts[j]!, params.startProb[j]!)
    for (let p = 0; p < this.k * this.k; p++) add(this.spec.transPseudoCounts[p]!, params.transMat[p]!)
    return s
  }

  /**
   * Forward-backward at `params` and the expected statistics of its posteriors: the
   * start counts, the transition counts and the emission's, added block by block. The
   * objective is the log-likelihood (without the prior).
   */
  expectation(data: HmmData<ED>, params: HmmParams<E>): EStepResult {
    const { k } = this
    const stats = new Float64Array(this.statsSize)
    const emission = stats.subarray(k + k * k)
    const part = new Float64Array(emission.length)
    const logLik = this.forwardBackward(data, params, (block, rows, gamma) => {
      const G = gamma.view
      for (const t of startsIn(data.starts, block.lo, block.hi)) for (let c = 0; c < k; c++) stats[c] += G[(t - block.lo) * k + c]!
      this.emission.statistics(rows, block.hi - block.lo, gamma, null, params.emission, part)
      for (let p = 0; p < part.length; p++) emission[p] += part[p]!
    })
    stats.set(data.xi.view.subarray(0, k * k), k)
    return { stats, logLik }
  }

  /**
   * E-step: the objective is the log-likelihood plus the log Dirichlet prior of the
   * pseudo-counts (just the log-likelihood without them), which Baum-Welch with
   * pseudo-counts never lowers.
   */
  eStep(data: HmmData<ED>, params: HmmParams<E>): EStepResult {
    const { stats, logLik } = this.expectation(data, params)
    return { stats, logLik: logLik + this.logPrior(params) }
  }

  mStep(stats: Float64Array, params: HmmParams<E>): HmmParams<E> {
    const { k } = this
    let startProb = params.startProb
    if (this.spec.fit.startProb) {
      startProb = normalised(stats.subarray(0, k), this.spec.startPseudoCounts, params.startProb)
    }
    let transMat = params.transMat
    if (this.spec.fit.transMat) {
      transMat = new Float64Array(k * k)
      for (let i = 0; i < k; i++) {
        const row = normalised(stats.subarray(k + i * k, k + i * k + k), this.spec.transPseudoCounts.subarray(i * k, i * k + k), params.transMat.subarray(i * k, i * k + k))
        transMat.set(row, i * k)
      }
    }
    const emission = this.emission.fromStats(stats.subarray(k + k * k), params.emission)
    return { startProb, transMat, emission }
  }

  logLik(data: HmmData<ED>, params: HmmParams<E>): number {
    return this.scoreData(data, params) + this.logPrior(params)
  }

  nParameters(): number {
    const { k } = this
    return (this.spec.fit.startProb ? k - 1 : 0) + (this.spec.fit.transMat ? k * (k - 1) : 0) + this.emission.nParameters()
  }

  pack(params: HmmParams<E>): Float64Array {
    const e = this.emission.pack(params.emission)
    const out = new Float64Array(this.k + this.k * this.k + e.length)
    out.set(params.startProb, 0)
    out.set(params.transMat, this.k)
    out.set(e, this.k + this.k * this.k)
    return out
  }

  unpack(vec: Float64Array, like: HmmParams<E>): HmmParams<E> {
    const { k } = this
    return {
      startProb: vec.slice(0, k),
      transMat: vec.slice(k, k + k * k),
      emission: this.emission.unpack(vec.slice(k + k * k), like.emission),
    }
  }

  isValid(vec: Float64Array, like: HmmParams<E>): boolean {
    const { k } = this
    if (!isDistribution(vec, 0, k)) return false
    for (let i = 0; i < k; i++) if (!isDistribution(vec, k + i * k, k)) return false
    return this.emission.isValid(vec.subarray(k + k * k), like.emission)
  }
}

/** The sequence starts (sorted rows) in lo..hi. */
function* startsIn(starts: Int32Array, lo: number, hi: number): Iterable<number> {
  let a = 0, z = starts.length
  while (a < z) { const m = (a + z) >> 1; if (starts[m]! < lo) a = m + 1; else z = m }
  for (let s = a; s < starts.length && starts[s]! < hi; s++) yield starts[s]!
}

/**
 * (counts + pseudo) / sum over the entries `current` allows; a row with no mass keeps
 * `current`. An entry that is 0 stays 0 (hmmlearn's rule): the pseudo-counts smooth
 * the allowed moves and never open a forbidden one (a left-right model stays one).
 * Without pseudo-counts its expected count is 0 anyway, so nothing else changes.
 */
function normalised(counts: Float64Array, pseudo: Float64Array, current: Float64Array): Float64Array {
  const n = counts.length
  const out = new Float64Array(n)
  let s = 0
  for (let j = 0; j < n; j++) { out[j] = current[j] === 0 ? 0 : counts[j]! + pseudo[j]!; s += out[j]! }
  if (!(s > 0)) return Float64Array.from(current)
  for (let j = 0; j < n; j++) out[j] = out[j]! / s
  return out
}

/**
 * Expected transition counts from log-space passes (logAlpha, logBeta, logB, log
 * transitions): xi[i, j] = sum over steps t -> t+1 within each sequence of
 * exp(la[t, i] + logA[i, j] + logB[t+1, j] + lb[t+1, j] - log L_s). Used only where the
 * scaled kernels could not run (HmmModel.inLogSpace).
 */
function logTransitionCounts(la: Float64Array, lb: Float64Array, logB: Float64Array, logA: Float64Array, lengths: Int32Array, nSeq: number, k: number, xi: Float64Array): void {
  xi.fill(0, 0, k * k)
  let start = 0
  for (let s = 0; s < nSeq; s++) {
    const len = lengths[s]!
    const last = (start + len - 1) * k
    let m = -Infinity
    for (let j = 0; j < k; j++) m = Math.max(m, la[last + j]!)
    let sum = 0
    for (let j = 0; j < k; j++) sum += Math.exp(la[last + j]! - m)
    const logL = m + Math.log(sum)
    for (let t = start; t < start + len - 1; t++) {
      for (let i = 0; i < k; i++) {
        const a = la[t * k + i]!
        if (a === -Infinity) continue
        for (let j = 0; j < k; j++) {
          const v = a + logA[i * k + j]! + logB[(t + 1) * k + j]! + lb[(t + 1) * k + j]! - logL
          if (v > -Infinity) xi[i * k + j] += Math.exp(v)
        }
      }
    }
    start += len
  }
}

/**
 * A chain's statistics [start (k) | transitions (k x k) | emission's] with the emission's
 * part recentred by `emission` (online EM; the counts do not depend on the parameters):
 * a copy. The Baum-Welch and variational models' recentre.
 */
export function recentreChainStats(stats: Float64Array, k: number, emission: (stats: Float64Array) => Float64Array): Float64Array {
  const at = k + k * k
  const out = Float64Array.from(stats)
  out.set(emission(stats.subarray(at)), at)
  return out
}
