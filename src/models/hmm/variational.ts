/**
 * A hidden Markov model fitted by variational EM (MacKay 1997; Beal 2003, ch. 3),
 * generic over the emission's posterior, with the Dirichlet rows of hmmlearn's
 * VariationalGaussianHMM and VariationalCategoricalHMM on the start probabilities and
 * on each row of the transition matrix.
 *
 * q(theta) = q(pi) q(A) q(emission) is the parameter P; q(z) is never stored: the
 * VE-step runs the Baum-Welch model's forward-backward kernels (HmmModel, which this
 * model wraps) on the sub-normalised parameters exp E[log pi], exp E[log A] and the
 * expected emission log-densities E[log p(x | state)], which gives q(z) (proportional
 * to exp E[log p(x, z | theta)]), its counts and, as the forward pass's log
 * normaliser, log Z = E_q[log p(x, z | theta)] + H[q(z)]. The bound at q(theta) with
 * that q(z) is therefore log Z - KL(q(theta) || p(theta)), recorded after the VE-step
 * as hmmlearn records it (the capability's default). The VM-step adds the expected
 * counts to the priors (Dirichlet rows) and hands the emission statistics to the
 * emission's conjugate update.
 *
 * Every scoring call reads q(z) the same way: predictProba gives its marginals,
 * predict its most likely path (Viterbi on the sub-normalised parameters), score the
 * bound of the data under the fitted q(theta).
 */
import { DegenerateError, UnsupportedError } from '../../core/errors.js'
import type { EStepResult, OnlineEMCapability, VariationalCapability } from '../../engine/types.js'
import type { Kernels } from '../../kernels/types.js'
import { Special } from '../common/special.js'
import { expectedLogRows, klRows, meanRows } from './dirichlet.js'
import { type ChainModel, type Emission, type HmmData, HmmModel, type HmmParams, type PosteriorBlock, type PosteriorVisitor, recentreChainStats } from './model.js'
import type { PathTarget } from './passes.js'

/** q(theta) of a variational HMM: plain arrays, never mutated once made. */
export interface VhmmParams<Q> {
  /** q(pi) = Dir(startPosterior) (K; hmmlearn's startprob_posterior_). */
  readonly startPosterior: Float64Array
  /** Row i of q(A) = Dir(transPosterior[i*K .. i*K + K)) (K*K; transmat_posterior_). */
  readonly transPosterior: Float64Array
  readonly emission: Q
  /** The Dirichlet priors of the start probabilities (K) and of each transition row (K*K). */
  readonly startPrior: Float64Array
  readonly transPrior: Float64Array
}

/**
 * q of the emission parameters, over a component E (src/models/components/): what the
 * VE-step needs (component parameters whose log-densities are the expected ones), the
 * conjugate VM-step from the component's statistics, its part of the bound, and the
 * posterior means users read and sample from.
 */
export interface EmissionPosterior<Q, E> {
  /** Component parameters whose log-densities are E_q[log p(x | state)] (sub-normalised densities). */
  expected(q: Q, special: Special): E
  /** The posterior means as component parameters. */
  point(q: Q): E
  /** VM-step: q from the component's statistics gathered at expected(q). */
  update(stats: Float64Array, q: Q): Q
  /** Statistics gathered at expected(from) as gathered at expected(to) (online EM); absent where they do not depend on q (counts). */
  recentre?(stats: Float64Array, from: Q, to: Q): Float64Array
  /** KL(q || prior). */
  kl(q: Q, special: Special): number
  /** Free parameters of the point-estimate emission. */
  nParameters(): number
  pack(q: Q): Float64Array
  unpack(vec: Float64Array, like: Q): Q
  isValid(vec: Float64Array, like: Q): boolean
}

export interface VhmmSpec<Q, E, ED> {
  readonly kernels: Kernels
  readonly k: number
  readonly emission: Emission<E, ED>
  readonly posterior: EmissionPosterior<Q, E>
}

export class VariationalHmmModel<Q, E, ED> implements ChainModel<VhmmParams<Q>, E, ED> {
  readonly name: string
  readonly k: number
  readonly emission: Emission<E, ED>
  readonly posterior: EmissionPosterior<Q, E>
  readonly variational: VariationalCapability<VhmmParams<Q>, HmmData<ED>>
  /** Online EM (partialFit): the chain's counts do not depend on q; the emission's statistics move with its posterior's recentre. */
  readonly onlineEM: OnlineEMCapability<VhmmParams<Q>, HmmData<ED>> = {
    recentre: (stats, from, to) => {
      const posterior = this.posterior
      return posterior.recentre ? recentreChainStats(stats, this.k, (s) => posterior.recentre!(s, from.emission, to.emission)) : stats
    },
  }
  /** The Baum-Welch model whose kernels and buffers the VE-step runs on. */
  private readonly hmm: HmmModel<E, ED>
  readonly special: Special

  constructor(spec: VhmmSpec<Q, E, ED>) {
    const { k } = spec
    this.k = k
    this.emission = spec.emission
    this.posterior = spec.posterior
    this.name = `variational-hmm-${spec.emission.name}`
    this.hmm = new HmmModel({
      kernels: spec.kernels, k, emission: spec.emission, fit: { startProb: true, transMat: true },
      startPseudoCounts: new Float64Array(k), transPseudoCounts: new Float64Array(k * k),
    })
    this.special = new Special(spec.kernels, 2 * (k * k + k) + 16)
    this.variational = {
      veStep: (data, q) => this.veStep(data, q),
      vmStep: (stats, q) => this.vmStep(stats, q),
    }
  }

  prepare(lengths: ArrayLike<number>, observations?: Float64Array): HmmData<ED> {
    return this.hmm.prepare(lengths, observations)
  }

  release(data: HmmData<ED>): void {
    this.hmm.release(data)
  }

  /** Free the work space of the emission and the special functions (made again on first use): the model stays usable. */
  dispose(): void {
    this.hmm.dispose()
    this.special.dispose()
  }

  // ---- q(theta) ----

  /** The sub-normalised parameters exp E[log pi], exp E[log A] and the expected emission densities. */
  expected(q: VhmmParams<Q>): HmmParams<E> {
    const { k } = this
    return {
      startProb: expectedLogRows(q.startPosterior, 1, k, this.special).map(Math.exp),
      transMat: expectedLogRows(q.transPosterior, k, k, this.special).map(Math.exp),
      emission: this.posterior.expected(q.emission, this.special),
    }
  }

  /** The posterior means (hmmlearn's startprob_, transmat_ and the emission's point estimates). */
  pointEstimate(q: VhmmParams<Q>): HmmParams<E> {
    const { k } = this
    return { startProb: meanRows(q.startPosterior, 1, k), transMat: meanRows(q.transPosterior, k, k), emission: this.posterior.point(q.emission) }
  }

  /** KL(q(theta) || p(theta)): the start row, the transition rows and the emission. */
  kl(q: VhmmParams<Q>): number {
    const { k } = this
    return klRows(q.startPosterior, q.startPrior, 1, k, this.special) + klRows(q.transPosterior, q.transPrior, k, k, this.special)
      + this.posterior.kl(q.emission, this.special)
  }

  // ---- the VE- and VM-steps ----

  /** q(z) at q(theta), its expected counts, and the bound log Z - KL. */
  veStep(data: HmmData<ED>, q: VhmmParams<Q>): EStepResult {
    const expected = this.expected(q)
    const { stats, logLik } = this.hmm.expectation(data, expected)
    return { stats, logLik: fitted(logLik) - this.kl(q) }
  }

  /** The priors plus the expected start and transition counts; the emission's conjugate update. */
  vmStep(stats: Float64Array, q: VhmmParams<Q>): VhmmParams<Q> {
    const { k } = this
    const startPosterior = new Float64Array(k)
    for (let j = 0; j < k; j++) startPosterior[j] = q.startPrior[j]! + stats[j]!
    const transPosterior = new Float64Array(k * k)
    for (let p = 0; p < k * k; p++) transPosterior[p] = q.transPrior[p]! + stats[k + p]!
    return { ...q, startPosterior, transPosterior, emission: this.posterior.update(stats.subarray(k + k * k), q.emission) }
  }

  // ---- what the HMM estimators' scoring calls read (ChainModel) ----

  /** q(z), block by block to `visit`; returns the bound of the data under q(theta). */
  forwardBackward(data: HmmData<ED>, q: VhmmParams<Q>, visit: PosteriorVisitor<ED>): number {
    return this.hmm.forwardBackward(data, this.expected(q), visit) - this.kl(q)
  }

  /** q(z) block by block in time order (ChainModel.posteriorsInTimeOrder). */
  posteriorsInTimeOrder(data: HmmData<ED>, q: VhmmParams<Q>): Iterable<PosteriorBlock> {
    return this.hmm.posteriorsInTimeOrder(data, this.expected(q))
  }

  /** The bound of the data under q(theta) (a forward pass). */
  scoreData(data: HmmData<ED>, q: VhmmParams<Q>): number {
    return this.hmm.scoreData(data, this.expected(q)) - this.kl(q)
  }

  /** The most likely path under q(z) and its E_q(theta)[log p(x, z | theta)]. */
  viterbi(data: HmmData<ED>, q: VhmmParams<Q>, into?: PathTarget): { logProb: number; path: Int32Array | Uint8Array } {
    return this.hmm.viterbi(data, this.expected(q), into)
  }

  // ---- the engine's interface ----

  eStep(): EStepResult {
    throw new UnsupportedError(`${this.name} is fitted by variational EM only (algorithm 'variational').`)
  }

  mStep(): VhmmParams<Q> {
    throw new UnsupportedError(`${this.name} is fitted by variational EM only (algorithm 'variational').`)
  }

  /** The bound the VE-step records at q(theta): the same forward pass, so the same number. */
  logLik(data: HmmData<ED>, q: VhmmParams<Q>): number {
    return fitted(this.hmm.scoreData(data, this.expected(q))) - this.kl(q)
  }

  /** Free parameters of the point-estimate HMM. */
  nParameters(): number {
    const { k } = this
    return k - 1 + k * (k - 1) + this.posterior.nParameters()
  }

  /** [startPosterior | transPosterior | the emission's]. */
  pack(q: VhmmParams<Q>): Float64Array {
    const e = this.posterior.pack(q.emission)
    const { k } = this
    const out = new Float64Array(k + k * k + e.length)
    out.set(q.startPosterior, 0)
    out.set(q.transPosterior, k)
    out.set(e, k + k * k)
    return out
  }

  unpack(vec: Float64Array, like: VhmmParams<Q>): VhmmParams<Q> {
    const { k } = this
    return {
      ...like,
      startPosterior: vec.slice(0, k),
      transPosterior: vec.slice(k, k + k * k),
      emission: this.posterior.unpack(vec.slice(k + k * k), like.emission),
    }
  }

  /** Dirichlet concentrations finite and > 0; the emission's own conditions. */
  isValid(vec: Float64Array, like: VhmmParams<Q>): boolean {
    const { k } = this
    for (let p = 0; p < k + k * k; p++) if (!(vec[p]! > 0 && vec[p]! < Infinity)) return false
    return this.posterior.isValid(vec.subarray(k + k * k), like.emission)
  }
}

/**
 * log Z of a VE-step, or the DegenerateError that says why it is not finite: the
 * scaled forward pass multiplies exp E[log p] of the start, transition and emission
 * probabilities, and Dirichlet concentrations near 0 make those underflow.
 */
function fitted(logZ: number): number {
  if (Number.isFinite(logZ)) return logZ
  throw new DegenerateError('DEGENERATE', `Under q(theta) no state path has a probability representable in double precision (log Z = ${logZ}): an expected log-probability E[log p] = psi(alpha) - psi(sum of alpha) fell below about -700, which Dirichlet concentrations near 0 give (a prior below about 1e-3 on a start, transition or symbol with no expected counts). Use larger startProbPrior, transMatPrior or emissionProbPrior (hmmlearn's defaults: 1 / nComponents, 1 / nSymbols), or fewer states.`)
}
