/** CategoricalHMM: an HMM over integer symbols 0..nSymbols-1 (hmmlearn's CategoricalHMM). */
import { ONLINE_OPTIONS, type OnlineOptions } from '../engine-options.js'
import { InputError, OptionError } from '../../core/errors.js'
import { type Matrix, toRows } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Kernels } from '../../kernels/types.js'
import { CategoricalEmission, type CategoricalEmissionData, type CategoricalEmissionParams } from '../../models/hmm/emissions.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { EstimatorSpec } from '../../runtime/tasks.js'
import type { Shape } from '../base.js'
import { integerAtLeast, type OptionDef } from '../schema.js'
import { HmmEstimator } from './base.js'
import { checkComponents } from '../inputs.js'
import { checkSymbols, type IntegerSequence, MAX_SYMBOL, symbolCount } from './inputs.js'
import { knownSymbols, specWithSymbols, symbolObservations, symbolShape } from './symbols.js'
import { type FitFlags, type HmmInit, hmmOptions, type HmmOptions, parameterOptions, probabilityRows } from './options.js'
import { randomRows } from './starts.js'

export interface CategoricalHMMInit extends HmmInit {
  /** K x nSymbols, rows summing to 1. */
  emissionProb?: ArrayLike<ArrayLike<number>>
}

type Name = 'startProb' | 'transMat' | 'emissionProb'
export type CategoricalHMMFitParams = Partial<FitFlags<Name>>

export interface CategoricalHMMOptions extends HmmOptions, OnlineOptions {
  /** Number of symbols (default: from init.emissionProb, else the largest symbol seen in fit + 1). */
  nSymbols?: number
  /** Parameters to start from (any subset; the others come from the data). */
  init?: CategoricalHMMInit
  /** Which parameters Baum-Welch updates (default: all). */
  fitParams?: CategoricalHMMFitParams
}

const NAMES: readonly Name[] = ['startProb', 'transMat', 'emissionProb']

/**
 * The most emission probabilities (nComponents x nSymbols) a model holds: 2^26, 512 MB
 * per table of doubles (the fit keeps several). Symbols are indices of distinct values;
 * a symbol far above the number of observations means they were not recoded.
 */
const MAX_EMISSION_ENTRIES = 2 ** 26

function tooManySymbols(k: number, symbols: number): string | null {
  if (k * symbols <= MAX_EMISSION_ENTRIES) return null
  return `the emission table would hold nComponents x nSymbols = ${k} x ${symbols} = ${k * symbols} probabilities, more than the ${MAX_EMISSION_ENTRIES} (2^26) emkit holds; symbols are indices 0, 1, ..., S - 1 of the distinct values: recode them (e.g. map each distinct value to its rank)`
}

const SCHEMA = {
  ...hmmOptions('CategoricalHMM'),
  ...ONLINE_OPTIONS,
  /** Number of symbols (default: from init.emissionProb, else the largest symbol seen in fit + 1). */
  nSymbols: { default: null, check: integerAtLeast(1) } as OptionDef<number | null>,
  ...parameterOptions<CategoricalHMMInit, Name>('CategoricalHMM', NAMES),
}

/** Columns of init.emissionProb (its first row's length). */
function symbolsOf(rows: ArrayLike<ArrayLike<number>>): number {
  return rows && rows.length > 0 && rows[0] ? rows[0].length : 0
}

export interface CategoricalHMM {
  readonly init: CategoricalHMMInit
  readonly fitParams: FitFlags<Name>
}

/** An HMM with categorical emissions; X is an array of integer symbols 0..nSymbols-1 (or rows of one symbol). */
export class CategoricalHMM extends HmmEstimator<CategoricalEmissionParams, CategoricalEmissionData, CategoricalEmission, IntegerSequence, CategoricalHMMOptions> {
  static override readonly kind: string = 'CategoricalHMM'
  static override readonly schema = SCHEMA
  /** Symbols of the model being fitted or fitted last (what workers and bootstrap replicates must keep). */
  private modelSymbols: number | null = null

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    super.validate(o)
    const given = o['nSymbols'] as number | null
    if (given !== null) {
      if (given > MAX_SYMBOL + 1) throw new OptionError('nSymbols', `is ${given}: symbols are 32-bit indices, so at most 2^31 = ${MAX_SYMBOL + 1} of them.`, { value: given })
      const problem = tooManySymbols(o['nComponents'] as number, given)
      if (problem) throw new OptionError('nSymbols', `is ${given}: ${problem}.`, { value: given })
    }
    const rows = (o['init'] as CategoricalHMMInit).emissionProb
    if (rows === undefined) return
    const s = symbolsOf(rows), n = o['nSymbols'] as number | null
    if (n !== null && s !== n) throw new OptionError('init.emissionProb', `has ${s} columns but nSymbols is ${n}; give one column per symbol.`)
    probabilityRows(rows, [o['nComponents'] as number, s], 'init.emissionProb')
  }

  /** nSymbols from the options or init.emissionProb (null: each fit reads it off its data). */
  private get givenSymbols(): number | null {
    const rows = this.init.emissionProb
    return rows !== undefined ? symbolsOf(rows) : this.getParams()['nSymbols'] as number | null
  }

  /** Number of symbols (known once given, or after fit); the `nSymbols` option as given is in getParams(). */
  get nSymbols(): number { return knownSymbols(this.state?.shape, this.givenSymbols, 'CategoricalHMM') }
  override toSpec(): EstimatorSpec { return specWithSymbols(super.toSpec(), this.modelSymbols ?? this.givenSymbols) }
  protected observations(X: unknown): Matrix { return symbolObservations(X, this.givenSymbols) }
  protected override shapeOf(data: Dataset): Shape { return symbolShape(data, this.givenSymbols, this.warmStart ? this.state?.shape['nSymbols'] : undefined) }

  /** A later chunk of partialFit keeps the fitted symbols; one holding a larger symbol does not fit them (SHAPE_MISMATCH). */
  protected override chunkShape(data: Dataset, fitted: Shape): Shape {
    return { nFeatures: 1, nSymbols: Math.max(fitted['nSymbols']!, symbolCount(data.X)) }
  }

  protected override forFit(data: Dataset): Dataset {
    checkComponents(this.nComponents, data.X.rows, 'states', 'observations')
    const nSymbols = this.shapeOf(data)['nSymbols']!
    const problem = tooManySymbols(this.nComponents, nSymbols)
    if (problem) throw new InputError('INVALID_DATA', `X holds symbol ${nSymbols - 1}, so ${problem}.`, { nSymbols })
    return data
  }

  /** Counts (symbols) are checked as such, not as values to square. */
  protected override checkScale(): void {}

  protected createEmission(kernels: Kernels, shape: Shape): CategoricalEmission {
    this.modelSymbols = shape['nSymbols']!
    return new CategoricalEmission(kernels, this.nComponents, shape['nSymbols']!, { emissionProb: this.fitParams.emissionProb })
  }

  protected override checkObservations(emission: CategoricalEmission, X: Matrix): void {
    checkSymbols(X, emission.nSymbols, 'model')
  }

  protected loadEmission(emission: CategoricalEmission, data: CategoricalEmissionData, X: Matrix): void {
    emission.load(data, Int32Array.from(X.data))
  }

  protected startEmission(emission: CategoricalEmission, _data: CategoricalEmissionData, _dataset: Dataset, rng: Rng): CategoricalEmissionParams {
    if (this.init.emissionProb !== undefined) return this.givenEmission(emission)
    return emission.makeParams(randomRows(rng, emission.k, emission.nSymbols))
  }

  protected givenShape(): Shape | null {
    const rows = this.init.emissionProb
    return rows === undefined ? null : { nFeatures: 1, nSymbols: symbolsOf(rows) }
  }

  protected givenEmission(emission: CategoricalEmission): CategoricalEmissionParams {
    return emission.makeParams(probabilityRows(this.init.emissionProb, [emission.k, emission.nSymbols], 'init.emissionProb'))
  }

  /** P(symbol | state), K x nSymbols (hmmlearn's emissionprob_). */
  get emissionProb(): number[][] {
    const { params, emission } = this.emissionState('emissionProb')
    return toRows(params.emissionProb, emission.k, emission.nSymbols)
  }

  /** n steps of one sequence: { X (symbols), states }; successive calls continue the stream. */
  sample(n: number): { X: number[]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[], states }
  }
}
