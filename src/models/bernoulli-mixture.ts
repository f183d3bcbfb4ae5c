import type { EMModel, EStepResult } from '../engine/types.js'
import { InputError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import type { Kernels } from '../kernels/types.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { BernoulliComponent, type BernoulliData, type BernoulliParams, clampProb } from './components/bernoulli.js'
import { massWeights, type MixtureData, mixtureBuffers, mixtureResponsibilities } from './common/mixture.js'
import { freeWeightsValid, weightsFromFree } from './common/free-coordinates.js'

/**
 * A mixture of K multivariate Bernoulli distributions for binary rows:
 * P(x) = sum_c w_c prod_j p_cj^x_j (1 - p_cj)^(1 - x_j). The Bernoulli parts (densities,
 * statistics, the probabilities' M-step, packing) are the shared Bernoulli component's;
 * the mixture adds the weights, as the Poisson mixture does.
 */
export interface BernoulliMixtureParams extends BernoulliParams {
  readonly weights: Float64Array
}

export interface BernoulliMixtureData extends MixtureData, BernoulliData {}

export interface GivenBernoulliParams {
  readonly weights: ArrayLike<number>
  /** k rows of d probabilities. */
  readonly probs: ArrayLike<ArrayLike<number>>
}

export class BernoulliMixtureModel implements EMModel<BernoulliMixtureParams, BernoulliMixtureData> {
  readonly name = 'BernoulliMixture'
  readonly bernoulli: BernoulliComponent

  constructor(readonly kernels: Kernels, readonly k: number, readonly d: number) {
    this.bernoulli = new BernoulliComponent(kernels, k, d)
  }

  /** Rows into kernel memory once per fit; every entry must be 0 or 1. */
  prepare(X: Matrix, sampleWeight: Float64Array | null = null): BernoulliMixtureData {
    checkBinary(X)
    const arena = this.kernels.arena()
    const part = this.bernoulli.prepare(arena, X.rows)
    this.bernoulli.load(part, X.data)
    return { ...part, ...mixtureBuffers(arena, X.rows, this.k, sampleWeight) }
  }

  release(data: BernoulliMixtureData): void {
    data.arena.dispose()
  }

  /** Responsibilities into data.resp, per-row log-likelihoods into data.rowLogLik; the total. */
  expectation(data: BernoulliMixtureData, params: BernoulliMixtureParams): number {
    this.bernoulli.logDensities(data, data.n, params, data.resp)
    return mixtureResponsibilities(this.kernels, data, this.k, params.weights)
  }

  eStep(data: BernoulliMixtureData, params: BernoulliMixtureParams): EStepResult {
    const logLik = this.expectation(data, params)
    const stats = new Float64Array(this.bernoulli.statsSize)
    this.bernoulli.statistics(data, data.n, data.resp, data.sampleWeight, params, stats)
    return { stats, logLik }
  }

  /** Weights: the masses (+10 eps, as every mixture's) normalised; probabilities: the component's. */
  mStep(stats: Float64Array, params: BernoulliMixtureParams): BernoulliMixtureParams {
    return { weights: massWeights(stats, this.k), ...this.bernoulli.fromStats(stats, params) }
  }

  logLik(data: BernoulliMixtureData, params: BernoulliMixtureParams): number {
    return this.expectation(data, params)
  }

  nParameters(): number {
    return this.k - 1 + this.bernoulli.nParameters()
  }

  /** [w_1 .. w_{K-1}, p (k*d)]. */
  pack(params: BernoulliMixtureParams): Float64Array {
    const { k } = this
    const out = new Float64Array(k - 1 + params.probs.length)
    out.set(params.weights.subarray(0, k - 1), 0)
    out.set(params.probs, k - 1)
    return out
  }

  unpack(vec: Float64Array): BernoulliMixtureParams {
    const { k } = this
    return { weights: weightsFromFree(vec, k), ...this.bernoulli.unpack(vec.subarray(k - 1)) }
  }

  isValid(vec: Float64Array): boolean {
    const { k } = this
    return freeWeightsValid(vec, k) && this.bernoulli.isValid(vec.subarray(k - 1))
  }

  /**
   * Starting parameters: given, or drawn (Bishop's start, 9.3.3): equal weights and every
   * probability uniform on [0.25, 0.75], so that no member starts at a corner.
   */
  initialParams(init: 'random' | GivenBernoulliParams, rng: Rng): BernoulliMixtureParams {
    const { k, d } = this
    if (typeof init === 'object') return givenParams(this, init)
    const probs = new Float64Array(k * d)
    for (let e = 0; e < k * d; e++) probs[e] = 0.25 + 0.5 * rng.uniform()
    return { weights: new Float64Array(k).fill(1 / k), probs }
  }
}

/** Entries must be exactly 0 or 1 (NaN included: a missing entry has no Bernoulli model here). */
export function checkBinary(X: Matrix): void {
  const { data, cols } = X
  for (let e = 0; e < data.length; e++) {
    const v = data[e]!
    if (v !== 0 && v !== 1) {
      const row = Math.floor(e / cols), col = e % cols
      throw new InputError('INVALID_DATA', `X[${row}][${col}] is ${v}; a Bernoulli mixture needs binary data (0 or 1): threshold or recode that column.`, { row, col, value: v })
    }
  }
}

function givenParams(model: BernoulliMixtureModel, init: GivenBernoulliParams): BernoulliMixtureParams {
  const { k, d } = model
  if (!init || !init.weights || !init.probs || init.weights.length !== k || init.probs.length !== k) {
    throw new InputError('INVALID_DATA', `init must be 'random' or give { weights, probs } with ${k} weights and ${k} rows of ${d} probabilities.`)
  }
  const weights = Float64Array.from(init.weights)
  const probs = new Float64Array(k * d)
  let s = 0
  for (let c = 0; c < k; c++) {
    if (!(weights[c]! > 0)) throw new InputError('INVALID_DATA', `init.weights[${c}] is ${weights[c]}; weights must be > 0.`)
    s += weights[c]!
    const row = init.probs[c]!
    if (!row || row.length !== d) throw new InputError('SHAPE_MISMATCH', `init.probs[${c}] must have ${d} probabilities (one per feature), got ${row ? row.length : row}.`)
    for (let j = 0; j < d; j++) {
      const p = row[j]!
      if (!(p >= 0 && p <= 1)) throw new InputError('INVALID_DATA', `init.probs[${c}][${j}] is ${p}; probabilities lie in [0, 1].`)
      probs[c * d + j] = clampProb(p)
    }
  }
  if (Math.abs(s - 1) > 1e-6) throw new InputError('INVALID_DATA', `init.weights sum to ${s}; they must sum to 1.`)
  return { weights, probs }
}
