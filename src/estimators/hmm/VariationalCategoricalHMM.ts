/** VariationalCategoricalHMM: an HMM over integer symbols 0..nSymbols-1 fitted by variational EM (hmmlearn's), Dirichlet emissions. */
import { OptionError } from '../../core/errors.js'
import { type Matrix, toRows } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Kernels } from '../../kernels/types.js'
import { type DirichletEmissionParams, DirichletEmissionPosterior } from '../../models/hmm/dirichlet-emission.js'
import { CategoricalEmission, type CategoricalEmissionData, type CategoricalEmissionParams } from '../../models/hmm/emissions.js'
import { concentrations } from '../../models/hmm/variational-priors.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { EstimatorSpec } from '../../runtime/tasks.js'
import type { Shape } from '../base.js'
import { integerAtLeast, type OptionDef } from '../schema.js'
import { checkComponents } from '../inputs.js'
import { checkSymbols, type IntegerSequence } from './inputs.js'
import { knownSymbols, specWithSymbols, symbolObservations, symbolShape } from './symbols.js'
import { randomRows } from './starts.js'
import { type ChainPriors, priorOption, VariationalHmmEstimator, variationalHmmOptions, type VariationalHmmOptions } from './variational.js'

export interface VariationalCategoricalHMMOptions extends VariationalHmmOptions {
  /** Number of symbols (default: from a K x nSymbols emissionProbPrior, else the largest symbol seen in fit + 1). */
  nSymbols?: number
  /** Dirichlet prior of each state's symbol probabilities: one concentration for all, or K x nSymbols (hmmlearn's emissionprob_prior; default 1 / nSymbols). */
  emissionProbPrior?: number | ArrayLike<ArrayLike<number>> | null
}

const SCHEMA = {
  ...variationalHmmOptions('VariationalCategoricalHMM'),
  /** Number of symbols (default: from emissionProbPrior, else the largest symbol seen in fit + 1). */
  nSymbols: { default: null, check: integerAtLeast(1) } as OptionDef<number | null>,
  /** Dirichlet prior of each state's symbol probabilities; hmmlearn's default (null): 1 / nSymbols. */
  emissionProbPrior: { default: null, check: priorOption('one concentration > 0, or a K x nSymbols array') } as OptionDef<number | ArrayLike<ArrayLike<number>> | null>,
}

/** The priors a fit used (hmmlearn's *_prior_ attributes). */
export interface VariationalCategoricalPriors extends ChainPriors {
  readonly emissionProbPrior: number[][]
}

export interface VariationalCategoricalHMM {
  readonly emissionProbPrior: number | ArrayLike<ArrayLike<number>> | null
}

/** Columns of a K x nSymbols prior array, or null for a number or the default. */
function priorSymbols(prior: unknown): number | null {
  return typeof prior === 'object' && prior !== null && (prior as ArrayLike<ArrayLike<number>>).length > 0 ? ((prior as ArrayLike<ArrayLike<number>>)[0]?.length ?? null) : null
}

/** An HMM over symbols fitted by variational EM; X is an array of integer symbols 0..nSymbols-1 (or rows of one symbol). */
export class VariationalCategoricalHMM extends VariationalHmmEstimator<DirichletEmissionParams, CategoricalEmissionParams, CategoricalEmissionData, CategoricalEmission, IntegerSequence, VariationalCategoricalHMMOptions> {
  static override readonly kind: string = 'VariationalCategoricalHMM'
  static override readonly schema = SCHEMA
  /** Symbols of the model being fitted or fitted last (what workers and bootstrap replicates must keep). */
  private modelSymbols: number | null = null

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    super.validate(o)
    const s = priorSymbols(o['emissionProbPrior']), n = o['nSymbols'] as number | null
    if (s !== null && n !== null && s !== n) throw new OptionError('emissionProbPrior', `has ${s} columns but nSymbols is ${n}; give one column per symbol.`)
    const symbols = s ?? n
    if (symbols !== null) concentrations(o['emissionProbPrior'], [o['nComponents'] as number, symbols], 1 / symbols, 'emissionProbPrior')
  }

  /** nSymbols from the options or emissionProbPrior (null: each fit reads it off its data). */
  private get givenSymbols(): number | null {
    return priorSymbols(this.emissionProbPrior) ?? this.getParams()['nSymbols'] as number | null
  }

  /** Number of symbols (known once given, or after fit); the `nSymbols` option as given is in getParams(). */
  get nSymbols(): number { return knownSymbols(this.state?.shape, this.givenSymbols, 'VariationalCategoricalHMM') }
  override toSpec(): EstimatorSpec { return specWithSymbols(super.toSpec(), this.modelSymbols ?? this.givenSymbols) }
  protected observations(X: unknown): Matrix { return symbolObservations(X, this.givenSymbols) }
  /** More states than observations are refused as by every HMM (the counts are named 'observations', as in CategoricalHMM). */
  protected override forFit(data: Dataset): Dataset {
    checkComponents(this.nComponents, data.X.rows, 'states', 'observations')
    return data
  }
  protected override shapeOf(data: Dataset): Shape { return symbolShape(data, this.givenSymbols, this.warmStart ? this.state?.shape['nSymbols'] : undefined) }

  protected createEmission(kernels: Kernels, shape: Shape): CategoricalEmission {
    this.modelSymbols = shape['nSymbols']!
    return new CategoricalEmission(kernels, this.nComponents, shape['nSymbols']!)
  }

  protected override checkObservations(emission: CategoricalEmission, X: Matrix): void {
    checkSymbols(X, emission.nSymbols, 'model')
  }

  protected loadEmission(emission: CategoricalEmission, data: CategoricalEmissionData, X: Matrix): void {
    emission.load(data, Int32Array.from(X.data))
  }

  protected createPosterior(emission: CategoricalEmission): DirichletEmissionPosterior {
    return new DirichletEmissionPosterior(emission)
  }

  /** Each state's row: the prior plus n / K counts spread by random probabilities (CategoricalHMM's random start). */
  protected startPosterior(posterior: DirichletEmissionPosterior, emission: CategoricalEmission, _data: CategoricalEmissionData, dataset: Dataset, rng: Rng): DirichletEmissionParams {
    const { k, nSymbols: S } = emission
    const prior = this.priorOf(k, S)
    const n = dataset.X.rows
    return posterior.make(randomRows(rng, k, S).map((v, p) => prior[p]! + (v * n) / k), prior)
  }

  protected withPriors(q: DirichletEmissionParams): DirichletEmissionParams {
    const k = this.nComponents
    return { ...q, prior: this.priorOf(k, q.posterior.length / k) }
  }

  private priorOf(k: number, S: number): Float64Array {
    return concentrations(this.emissionProbPrior, [k, S], 1 / S, 'emissionProbPrior')
  }

  /** P(symbol | state) at the posterior means, K x nSymbols (hmmlearn's emissionprob_). */
  get emissionProb(): number[][] {
    const { params, emission } = this.emissionState('emissionProb')
    return toRows(params.emissionProb, emission.k, emission.nSymbols)
  }

  /** Each state's Dirichlet concentrations over the symbols (hmmlearn's emissionprob_posterior_). */
  get emissionProbPosterior(): number[][] {
    const { params, model } = this.fitted('emissionProbPosterior')
    return toRows(params.emission.posterior, model.k, params.emission.posterior.length / model.k)
  }

  /** The priors the fit used. */
  get priors(): VariationalCategoricalPriors {
    const { params, model } = this.fitted('priors')
    return { ...this.chainPriorsUsed, emissionProbPrior: toRows(params.emission.prior, model.k, params.emission.prior.length / model.k) }
  }

  /** n steps of one sequence drawn from the posterior means: { X (symbols), states }; successive calls continue the stream. */
  sample(n: number): { X: number[]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[], states }
  }
}
