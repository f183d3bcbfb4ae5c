
import type { StreamInput } from './stream.js'
import { InputError } from '../core/errors.js'
import { isMatrix, type Matrix, type MatrixInput } from '../core/matrix.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { show, showNonNumber } from '../core/show.js'
import type { Kernels } from '../kernels/types.js'
import { POISSON_INIT_METHODS, type PoissonInitMethod, PoissonMixtureModel, type PoissonMixtureData, type PoissonMixtureParams } from '../models/poisson-mixture.js'
import { column, type Dataset } from '../runtime/dataset.js'
import { SHARD_BLOCK_ROWS } from '../runtime/statistics.js'
import type { ShardedFitOptions, Shape, WeightedFitOptions } from './base.js'
import { MixtureEstimator } from './mixture.js'
import { algorithmOption, BLOCKS_OPTION, ENGINE_OPTIONS, type EngineOptions, ONLINE_OPTIONS, type OnlineOptions } from './engine-options.js'
import { checkComponents, givesAll, initOption, usableRows } from './inputs.js'
import { integerAtLeast, type OptionDef, type Resolved } from './schema.js'

/** Counts as an array of numbers, or a one-column matrix. */
export type CountsInput = ArrayLike<number> | ArrayLike<ArrayLike<number>>

/**
 * Starting parameters; either may be left out: it then comes from the start of
 * `method` (default 'quantiles': equal weights, rates at the weighted quantiles of
 * the counts), and the given one replaces it.
 */
export interface GivenPoissonMixtureParams {
  readonly weights?: ArrayLike<number>
  readonly rates?: ArrayLike<number>
  readonly method?: PoissonInitMethod
}

export type PoissonMixtureInit = PoissonInitMethod | GivenPoissonMixtureParams

export type PoissonMixtureAlgorithm = 'em' | 'gem' | 'incremental' | 'cem'

export interface PoissonMixtureOptions extends EngineOptions, OnlineOptions {
  /** Number of components K (default 2). */
  nComponents?: number
  /** 'quantiles' (default: rates at the weighted quantiles of the counts), 'random' (seeded; nInit restarts), or { weights?, rates?, method? }. */
  init?: PoissonMixtureInit
  /** 'em' (default), 'gem' (one Newton step on Q in log-odds and log-rate coordinates), 'incremental' (Neal & Hinton's incremental EM over `blocks` row blocks) or 'cem' (classification EM: hard assignments). */
  algorithm?: PoissonMixtureAlgorithm
  /** Row blocks of algorithm 'incremental' (default 10; contiguous, in row order). */
  blocks?: number
}

export type PoissonMixtureFitOptions = WeightedFitOptions<PoissonMixtureParams> & ShardedFitOptions<PoissonMixtureParams>

const PARTS = ['weights', 'rates'] as const

const SCHEMA = {
  /** Number of components K. */
  nComponents: { default: 2, check: integerAtLeast(1) } as OptionDef<number>,
  ...ENGINE_OPTIONS,
  ...ONLINE_OPTIONS,
  /** 'quantiles', 'random', or { weights?, rates?, method? }. */
  init: { default: 'quantiles', check: initOption(POISSON_INIT_METHODS, PARTS) } as OptionDef<PoissonMixtureInit>,
  algorithm: algorithmOption('PoissonMixture', ['em', 'gem', 'incremental', 'cem'] as const),
  blocks: BLOCKS_OPTION,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface PoissonMixture extends Resolved<typeof SCHEMA> {}

/** A mixture of Poisson distributions for counts, fitted by EM, GEM or incremental EM (EM and GEM optionally accelerated). */
export class PoissonMixture extends MixtureEstimator<PoissonMixtureParams, PoissonMixtureModel, PoissonMixtureData, CountsInput, PoissonMixtureOptions> {
  static override readonly kind: string = 'PoissonMixture'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight', 'workers']

  override fit(y: CountsInput | StreamInput, options: PoissonMixtureFitOptions = {}): Promise<this> { return super.fit(y, options) }
  /** Online EM on one chunk of counts, or on each chunk of an async iterable (see Estimator.partialFit). */
  override partialFit(y: CountsInput | AsyncIterable<unknown>, options: PoissonMixtureFitOptions = {}): Promise<this> { return super.partialFit(y, options) }
  override fitPredict(y: CountsInput, options: PoissonMixtureFitOptions = {}): Promise<number[]> { return super.fitPredict(y, options) }

  // ---- the base's hooks ----

  protected toDataset(y: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    const counts = toCounts(y as CountsInput)
    const weight = toSampleWeight(options['sampleWeight'] as ArrayLike<number> | undefined, counts.length)
    const X = { rows: counts.length, cols: 1, data: counts }
    return weight ? { X, sampleWeight: weight } : { X }
  }

  protected override forFit(data: Dataset): Dataset {
    checkComponents(this.nComponents, usableRows(data.X.rows, data.sampleWeight), 'components', data.sampleWeight ? 'counts with positive weight' : 'counts')
    return data
  }

  /** Counts (symbols) are checked as such, not as values to square. */
  protected override checkScale(): void {}

  protected shapeOf(): Shape {
    return { nFeatures: 1 }
  }

  protected createModel(kernels: Kernels): PoissonMixtureModel {
    return new PoissonMixtureModel(kernels, this.nComponents)
  }

  /** Counts are checked (finite, non-negative integers) as they are prepared, on every path in. */
  protected prepareData(model: PoissonMixtureModel, data: Dataset): PoissonMixtureData {
    return model.prepare(column(data.X), data.sampleWeight ?? null)
  }

  /** A fit by plain EM is evaluated in blocks of SHARD_BLOCK_ROWS rows as a sharded fit's shards evaluate theirs: the two are bit-identical (see GaussianMixture's). */
  protected override prepareFit(model: PoissonMixtureModel, data: Dataset): PoissonMixtureData {
    return model.prepare(column(data.X), data.sampleWeight ?? null, this.algorithm === 'em' ? SHARD_BLOCK_ROWS : undefined)
  }

  protected override prepareShard(model: PoissonMixtureModel, data: Dataset): PoissonMixtureData {
    return model.prepare(column(data.X), data.sampleWeight ?? null, SHARD_BLOCK_ROWS)
  }

  protected initialParams(model: PoissonMixtureModel, data: PoissonMixtureData, rng: Rng): PoissonMixtureParams {
    const init = this.init
    if (typeof init === 'string') return model.initialParams(data, init, rng)
    if (givesAll(init, PARTS)) return model.initialParams(data, { weights: init.weights!, rates: init.rates! }, rng)
    // the parts left out come from the method's start; the model checks the completed set
    const fromData = model.initialParams(data, init.method ?? 'quantiles', rng)
    return model.initialParams(data, { weights: init.weights ?? fromData.weights, rates: init.rates ?? fromData.rates }, rng)
  }

  /** Only a random start differs between restarts. */
  protected override restarts(): number {
    const init = this.init
    const random = typeof init === 'string' ? init === 'random' : !givesAll(init, PARTS) && init.method === 'random'
    return random ? this.nInit : 1
  }

  protected override workOf(data: Dataset): number {
    return data.X.rows * this.nComponents
  }

  // ---- fitted attributes ----

  get weights(): number[] { return Array.from(this.fitted('weights').params.weights) }
  get rates(): number[] { return Array.from(this.fitted('rates').params.rates) }

  // ---- using the fit ----

}

function toCounts(given: CountsInput | Matrix): Float64Array {
  // a one-column matrix ({ data, rows, cols }), as datasets carry counts
  if (isMatrix(given as MatrixInput)) {
    const m = toMatrix(given as Matrix, 'counts', { allowMissing: true })
    if (m.cols !== 1) throw new InputError('SHAPE_MISMATCH', `Counts must be one column; the matrix given has ${m.cols}.`, { cols: m.cols })
    return m.data
  }
  const y = given as CountsInput
  if (!y || typeof y !== 'object' || typeof (y as ArrayLike<unknown>).length !== 'number') {
    throw new InputError('INVALID_DATA', `Counts must be an array of non-negative integers (or a one-column matrix), got ${show(y)}.`)
  }
  if (y.length === 0) throw new InputError('EMPTY_DATA', 'Counts must be a non-empty array of non-negative integers (or a one-column matrix).')
  const out = new Float64Array(y.length)
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as unknown
    const value = typeof v === 'number' ? v : (v && typeof v === 'object' && (v as ArrayLike<number>).length === 1 ? (v as ArrayLike<number>)[0] : undefined)
    if (typeof value !== 'number') throw new InputError('INVALID_DATA', `Count ${i} is ${showNonNumber(value ?? v)}; give numbers (or rows of one number).`, { row: i })
    out[i] = value
  }
  return out
}
