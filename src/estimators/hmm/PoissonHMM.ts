/** PoissonHMM: an HMM over non-negative integer counts (hmmlearn's PoissonHMM with one feature). */
import { ONLINE_OPTIONS, type OnlineOptions } from '../engine-options.js'
import { OptionError } from '../../core/errors.js'
import type { Matrix } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Kernels } from '../../kernels/types.js'
import { PoissonEmission, type PoissonEmissionData, type PoissonEmissionParams } from '../../models/hmm/emissions.js'
import { kmeansCenters } from '../../models/init/kmeans-lloyd.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { Shape } from '../base.js'
import { HmmEstimator } from './base.js'
import { type IntegerSequence, toIntegerColumn } from './inputs.js'
import { checkComponents } from '../inputs.js'
import { type FitFlags, type HmmInit, hmmOptions, type HmmOptions, parameterOptions, shapedOption } from './options.js'

export interface PoissonHMMInit extends HmmInit {
  /** K positive rates. */
  rates?: ArrayLike<number>
}

type Name = 'startProb' | 'transMat' | 'rates'
export type PoissonHMMFitParams = Partial<FitFlags<Name>>

export interface PoissonHMMOptions extends HmmOptions, OnlineOptions {
  /** Parameters to start from (any subset; the others come from the data). */
  init?: PoissonHMMInit
  /** Which parameters Baum-Welch updates (default: all). */
  fitParams?: PoissonHMMFitParams
}

const NAMES: readonly Name[] = ['startProb', 'transMat', 'rates']

const SCHEMA = {
  ...hmmOptions('PoissonHMM'),
  ...ONLINE_OPTIONS,
  ...parameterOptions<PoissonHMMInit, Name>('PoissonHMM', NAMES),
}

/** Smallest starting rate drawn from the data: a k-means centre of 0 would give a state that can emit only zeros. */
const MIN_START_RATE = 1e-3

function givenRates(rates: ArrayLike<number>, k: number): Float64Array {
  const out = shapedOption(rates, [k], 'init.rates')
  out.forEach((r, c) => { if (!(r > 0)) throw new OptionError('init.rates', `rates[${c}] is ${r}; rates must be > 0.`) })
  return out
}

export interface PoissonHMM {
  readonly init: PoissonHMMInit
  readonly fitParams: FitFlags<Name>
}

/** An HMM with Poisson emissions; X is an array of non-negative integer counts (or rows of one count). */
export class PoissonHMM extends HmmEstimator<PoissonEmissionParams, PoissonEmissionData, PoissonEmission, IntegerSequence, PoissonHMMOptions> {
  static override readonly kind: string = 'PoissonHMM'
  static override readonly schema = SCHEMA

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    super.validate(o)
    const rates = (o['init'] as PoissonHMMInit).rates
    if (rates !== undefined) givenRates(rates, o['nComponents'] as number)
  }

  protected observations(X: unknown): Matrix {
    return toIntegerColumn(X, 'counts')
  }

  /** K states need K counts (to start them by k-means, and to estimate them). */
  protected override forFit(data: Dataset): Dataset {
    checkComponents(this.nComponents, data.X.rows, 'states', 'counts')
    return data
  }

  /** Counts are checked as such, not as values to square. */
  protected override checkScale(): void {}

  protected override shapeOf(): Shape {
    return { nFeatures: 1 }
  }

  protected createEmission(kernels: Kernels): PoissonEmission {
    return new PoissonEmission(kernels, this.nComponents, { rates: this.fitParams.rates })
  }

  protected loadEmission(emission: PoissonEmission, data: PoissonEmissionData, X: Matrix): void {
    emission.load(data, X.data)
  }

  protected startEmission(emission: PoissonEmission, data: PoissonEmissionData, dataset: Dataset, rng: Rng): PoissonEmissionParams {
    if (this.init.rates !== undefined) return this.givenEmission(emission)
    const centers = kmeansCenters({ kernels: emission.kernels, x: data.y, n: dataset.X.rows, d: 1, weight: null }, this.nComponents, rng)
    return emission.makeParams(centers.map((r) => Math.max(r, MIN_START_RATE)))
  }

  protected givenShape(): Shape | null {
    return this.init.rates === undefined ? null : { nFeatures: 1 }
  }

  protected givenEmission(emission: PoissonEmission): PoissonEmissionParams {
    return emission.makeParams(givenRates(this.init.rates!, this.nComponents))
  }

  /** The rate of each state (hmmlearn's lambdas_). */
  get rates(): number[] {
    return Array.from(this.emissionState('rates').params.rates)
  }

  /** n steps of one sequence: { X (counts), states }; successive calls continue the stream. */
  sample(n: number): { X: number[]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[], states }
  }
}
