/**
 * What the variational HMM estimators share (hmmlearn's VariationalGaussianHMM and
 * VariationalCategoricalHMM), over the HMM layer (chain.ts): Dirichlet priors on the
 * start probabilities and on each transition row, the start of q(theta), and the
 * bound as the objective. One VariationalHmmModel (src/models/hmm/variational.ts)
 * does the arithmetic through the Baum-Welch kernels.
 *
 * `history` and `score` are the evidence lower bound (ELBO), q(z) fitted to
 * q(theta): every constant kept, so it bounds log p(X) under the priors. The scoring
 * calls read q(z): predictProba its marginals, predict its most likely path (Viterbi
 * on the sub-normalised parameters exp E[log theta]), decode either. The parameters
 * users read (startProb, transMat and the emission's) are the posterior means, what
 * `sample` draws from. There is no bic()/aic(): compare variational fits by `elbo`.
 *
 * A new emission is one small file over this class: its schema (`variationalHmmOptions`
 * + its priors), `observations`, `shapeOf`, `createEmission`, `loadEmission`,
 * `createPosterior`, `startPosterior`, `withPriors`, getters, and a registry kind.
 */
import { OptionError, UnsupportedError } from '../../core/errors.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { toRows } from '../../core/matrix.js'
import type { Kernels } from '../../kernels/types.js'
import type { Emission, HmmData } from '../../models/hmm/model.js'
import { type EmissionPosterior, type VhmmParams, VariationalHmmModel } from '../../models/hmm/variational.js'
import { concentrations } from '../../models/hmm/variational-priors.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { Shape } from '../base.js'
import { type EngineAttributes, type EngineOptions, ONLINE_OPTIONS, type OnlineOptions } from '../engine-options.js'
import { type OptionDef, show } from '../schema.js'
import { ChainEstimator } from './chain.js'
import { chainOptions } from './options.js'

/** The options every variational HMM takes (each adds its emission's priors). */
export interface VariationalHmmOptions extends EngineOptions, OnlineOptions {
  /** Number of hidden states K (default 2). */
  nComponents?: number
  /** Dirichlet prior of the start probabilities: one concentration for every state, or K (hmmlearn's startprob_prior; default 1 / nComponents). */
  startProbPrior?: number | ArrayLike<number> | null
  /** Dirichlet prior of each transition row: one concentration for all, or K x K (hmmlearn's transmat_prior; default 1 / nComponents). */
  transMatPrior?: number | ArrayLike<ArrayLike<number>> | null
  /** 'variational', the only one. */
  algorithm?: 'variational'
}

/** A prior option: null (the default), a number, or nested arrays of numbers (their shape is checked with K). */
export function priorOption(what: string): (value: unknown, name: string) => unknown {
  return (value, name) => {
    const ok = (v: unknown): boolean => typeof v === 'number' || (typeof v === 'object' && v !== null && typeof (v as ArrayLike<unknown>).length === 'number' && Array.from(v as ArrayLike<unknown>).every(ok))
    if (value !== null && !ok(value)) throw new OptionError(name, `must be ${what}, got ${show(value)}; give that, or leave it out (the default).`, { value: show(value) })
    return value
  }
}

/** The options of every variational HMM as schema entries. */
export function variationalHmmOptions(kind: string) {
  return {
    ...chainOptions(kind, 'variational'),
    ...ONLINE_OPTIONS,
    /** Dirichlet prior of the start probabilities (one number for every state, or K); hmmlearn's default (null): 1 / nComponents. */
    startProbPrior: { default: null, check: priorOption('one concentration > 0, or K of them') } as OptionDef<number | ArrayLike<number> | null>,
    /** Dirichlet prior of each transition row (one number for all, or K x K); hmmlearn's default (null): 1 / nComponents. */
    transMatPrior: { default: null, check: priorOption('one concentration > 0, or a K x K array') } as OptionDef<number | ArrayLike<ArrayLike<number>> | null>,
  }
}

/** The resolved options every variational HMM has: read-only attributes. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface VariationalHmmEstimator<Q, E, ED, Em extends Emission<E, ED>, In, O extends object = object> extends EngineAttributes {
  readonly startProbPrior: number | ArrayLike<number> | null
  readonly transMatPrior: number | ArrayLike<ArrayLike<number>> | null
  readonly algorithm: 'variational'
}

/** The chain's priors as a fit used them (hmmlearn's startprob_prior_ and transmat_prior_). */
export interface ChainPriors {
  readonly startProbPrior: number[]
  readonly transMatPrior: number[][]
}

/** Q = q of the emission, E = emission parameters, ED = emission data, Em = the emission, In = what fit and scoring calls take as X. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class VariationalHmmEstimator<Q, E, ED, Em extends Emission<E, ED>, In, O extends object = object>
  extends ChainEstimator<VhmmParams<Q>, E, ED, Em, In, VariationalHmmModel<Q, E, ED>, O> {

  // ---- what each emission supplies besides chain.ts's hooks ----

  protected abstract createPosterior(emission: Em): EmissionPosterior<Q, E>
  /** Starting q of the emission (drawing only from `rng`). */
  protected abstract startPosterior(posterior: EmissionPosterior<Q, E>, emission: Em, data: ED, dataset: Dataset, rng: Rng): Q
  /** q with its priors resolved again against `dataset` (a warm start: the options may have changed). */
  protected abstract withPriors(q: Q, dataset: Dataset): Q

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    const k = o['nComponents'] as number
    concentrations(o['startProbPrior'], [k], 1 / k, 'startProbPrior')
    concentrations(o['transMatPrior'], [k, k], 1 / k, 'transMatPrior')
  }

  // ---- the base's hooks ----

  protected createModel(kernels: Kernels, shape: Shape): VariationalHmmModel<Q, E, ED> {
    const emission = this.createEmission(kernels, shape)
    return new VariationalHmmModel({ kernels, k: this.nComponents, emission, posterior: this.createPosterior(emission) })
  }

  /**
   * The start and transition posteriors start as a VM-step from uniform state
   * posteriors would leave them (the prior plus nSeq / K and n / K^2 counts), as the
   * Baum-Welch HMMs start from uniform probabilities; the emission's from the data.
   * (hmmlearn draws them from Dirichlet(1 / K) instead; near-zero draws make
   * E[log p] so negative that the forward pass's products underflow.)
   */
  protected initialParams(model: VariationalHmmModel<Q, E, ED>, data: HmmData<ED>, rng: Rng, dataset: Dataset): VhmmParams<Q> {
    const k = this.nComponents
    const { startPrior, transPrior } = this.chainPriors()
    const startPosterior = startPrior.map((a) => a + data.nSeq / k)
    const transPosterior = transPrior.map((a) => a + data.n / (k * k))
    const emission = this.startPosterior(model.posterior, model.emission as Em, data.emission, dataset, rng)
    return { startPosterior, transPosterior, emission, startPrior, transPrior }
  }

  /** A warm start continues from the fitted q(theta) under the priors the options give now. */
  protected override warmStartParams(previous: VhmmParams<Q>, dataset: Dataset): VhmmParams<Q> {
    return { ...previous, ...this.chainPriors(), emission: this.withPriors(previous.emission, dataset) }
  }

  private chainPriors(): { startPrior: Float64Array; transPrior: Float64Array } {
    const k = this.nComponents
    return {
      startPrior: concentrations(this.startProbPrior, [k], 1 / k, 'startProbPrior'),
      transPrior: concentrations(this.transMatPrior, [k, k], 1 / k, 'transMatPrior'),
    }
  }

  // ---- the fit's q(theta) ----

  /** q(pi): the Dirichlet concentrations of the start probabilities (hmmlearn's startprob_posterior_). */
  get startProbPosterior(): number[] { return Array.from(this.fitted('startProbPosterior').params.startPosterior) }
  /** q(A): each row's Dirichlet concentrations (transmat_posterior_). */
  get transMatPosterior(): number[][] {
    const { params, model } = this.fitted('transMatPosterior')
    return toRows(params.transPosterior, model.k, model.k)
  }
  /** The Dirichlet priors of the start and transition probabilities the fit used. */
  protected get chainPriorsUsed(): ChainPriors {
    const { params, model } = this.fitted('priors')
    return { startProbPrior: Array.from(params.startPrior), transMatPrior: toRows(params.transPrior, model.k, model.k) }
  }
  /** The ELBO at the fitted q(theta) on the training data (the last entry of `history`). */
  get elbo(): number { return this.fitted('elbo').result.logLik }
  /** The same ELBO (the name BayesianGaussianMixture uses for its bound). */
  override get lowerBound(): number { return this.elbo }
  /** A variational fit has a bound, not a likelihood of its own. */
  override get logLik(): number {
    throw new UnsupportedError(`${this.kind} has no fitted log-likelihood: its objective is the evidence lower bound (elbo, history, score()).`)
  }

  override bic(): number { throw noCriterion(this.kind, 'bic') }
  override aic(): number { throw noCriterion(this.kind, 'aic') }
}

function noCriterion(kind: string, name: string): UnsupportedError {
  return new UnsupportedError(`${kind} has no ${name}(): a variational fit is compared by its evidence lower bound (elbo, score(X)); fit the maximum-likelihood HMM for ${name.toUpperCase()}.`)
}
