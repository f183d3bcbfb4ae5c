import type { ClassificationCapability, EMModel, EStepResult, GemCapability, IncrementalCapability, InformationCapability } from '../engine/types.js'
import { poissonMixtureInformation } from './poisson-louis.js'
import { InputError } from '../core/errors.js'
import { countProblem } from '../core/validate.js'
import type { Kernels } from '../kernels/types.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { PoissonComponent, type PoissonData, type PoissonParams } from './components/poisson.js'
import { rowBlocks, type RowRange, rowsOf } from './common/blocks.js'
import { blocksEStep, blocksLogLik, checkWholeRows, massWeights, mixtureBuffers, mixtureClassification, type MixtureData, mixtureResponsibilities, mixtureRows, workBlocks } from './common/mixture.js'
import { freeWeightsValid, weightsFromFree } from './common/free-coordinates.js'

/**
 * A mixture of K Poisson distributions for counts: P(y) = sum_c w_c Pois(y | rate_c).
 * Frequency weights (sampleWeight) let a table of (count, frequency) be fitted as it
 * is, e.g. Hasselblad's death notices. The Poisson parts (densities, statistics
 * [N (k) | S1 = sum w r (y - rate) (k)], the rates' M-step, their packing and checks)
 * are the shared Poisson component's; the mixture adds the weights.
 */
export interface PoissonMixtureParams extends PoissonParams {
  readonly weights: Float64Array
}

export interface PoissonMixtureData extends MixtureData, PoissonData {}

export type PoissonInitMethod = 'quantiles' | 'random'
export const POISSON_INIT_METHODS: readonly PoissonInitMethod[] = ['quantiles', 'random']
export interface GivenPoissonParams {
  readonly weights: ArrayLike<number>
  readonly rates: ArrayLike<number>
}

export class PoissonMixtureModel implements EMModel<PoissonMixtureParams, PoissonMixtureData> {
  readonly name = 'PoissonMixture'
  readonly gem: GemCapability<PoissonMixtureParams, PoissonMixtureData>
  /** Incremental EM: row blocks as views of the data; Q from the statistics is GEM's Q. */
  readonly incremental: IncrementalCapability<PoissonMixtureParams, PoissonMixtureData>
  /** The rates: 'shift' update (rate + S1 / N), an empty component is degenerate. */
  readonly poisson: PoissonComponent
  /** Classification EM: the posteriors hardened before the statistics. */
  readonly classification: ClassificationCapability<PoissonMixtureParams, PoissonMixtureData>
  /** Standard errors: names, and Louis's terms (poisson-louis.ts). */
  readonly information: InformationCapability<PoissonMixtureParams, PoissonMixtureData>

  constructor(readonly kernels: Kernels, readonly k: number) {
    this.poisson = new PoissonComponent(kernels, k, { rates: true }, 'shift')
    this.gem = poissonGem(this.poisson)
    this.incremental = poissonIncremental(this.poisson, this.gem)
    this.classification = mixtureClassification(kernels, k, (data, params) => this.expectation(data, params), (data, params) => this.statistics(data, params))
    this.information = poissonMixtureInformation(this)
  }

  /**
   * Counts into kernel memory once per fit (checks: finite, >= 0, integers).
   * `blockRows`: the data are only ever evaluated in blocks of at most that many rows
   * (a shard, or a serial fit by plain EM): the responsibilities and per-row
   * log-likelihoods are one block's, shared by the blocks.
   */
  prepare(y: Float64Array, sampleWeight: Float64Array | null = null, blockRows?: number): PoissonMixtureData {
    const n = y.length
    for (let i = 0; i < n; i++) {
      const problem = countProblem(y[i])
      if (problem) throw new InputError('INVALID_DATA', `Count ${i} is ${problem}; round or drop it.`, { row: i, value: y[i] })
    }
    const arena = this.kernels.arena()
    const poisson = this.poisson.prepare(arena, n)
    this.poisson.load(poisson, y)
    return { ...poisson, ...mixtureBuffers(arena, n, this.k, sampleWeight, blockRows) }
  }

  /** Parameters from weights and rates (the log-rates derived once). */
  makeParams(weights: Float64Array, rates: Float64Array): PoissonMixtureParams {
    return { weights, ...this.poisson.makeParams(rates) }
  }

  release(data: PoissonMixtureData): void {
    data.arena.dispose()
  }

  /** Responsibilities into data.resp, per-row log-likelihoods into data.rowLogLik; the total. */
  expectation(data: PoissonMixtureData, params: PoissonMixtureParams): number {
    checkWholeRows(data)
    this.poisson.logDensities(data, data.n, params, data.resp)
    return mixtureResponsibilities(this.kernels, data, this.k, params.weights)
  }

  eStep(data: PoissonMixtureData, params: PoissonMixtureParams): EStepResult {
    const blocks = workBlocks(data, this.incremental.rowBlock!)
    if (blocks) return blocksEStep(this, blocks, params)
    const logLik = this.expectation(data, params)
    return { stats: this.statistics(data, params), logLik }
  }

  /** Statistics of the responsibilities now in data.resp, at `params`' rates. */
  statistics(data: PoissonMixtureData, params: PoissonMixtureParams): Float64Array {
    const stats = new Float64Array(this.poisson.statsSize)
    this.poisson.statistics(data, data.n, data.resp, data.sampleWeight, params, stats)
    return stats
  }

  /** Weights: the masses normalised (no 10 eps: an empty component is degenerate, reported by the rates' update). */
  mStep(stats: Float64Array, params: PoissonMixtureParams): PoissonMixtureParams {
    return { weights: massWeights(stats, this.k), ...this.poisson.fromStats(stats, params) }
  }

  logLik(data: PoissonMixtureData, params: PoissonMixtureParams): number {
    const blocks = workBlocks(data, this.incremental.rowBlock!)
    return blocks ? blocksLogLik(blocks, (block) => this.expectation(block, params)) : this.expectation(data, params)
  }

  nParameters(): number {
    return this.k - 1 + this.poisson.nParameters()
  }

  /** [w_1 .. w_{K-1}, rate_1 .. rate_K]: the free parameters (w_K = 1 - sum). */
  pack(params: PoissonMixtureParams): Float64Array {
    const { k } = this
    const out = new Float64Array(2 * k - 1)
    out.set(params.weights.subarray(0, k - 1), 0)
    out.set(this.poisson.pack(params), k - 1)
    return out
  }

  unpack(vec: Float64Array): PoissonMixtureParams {
    const { k } = this
    return { weights: weightsFromFree(vec, k), ...this.poisson.unpack(vec.subarray(k - 1, 2 * k - 1)) }
  }

  isValid(vec: Float64Array): boolean {
    const { k } = this
    return freeWeightsValid(vec, k) && this.poisson.isValid(vec.subarray(k - 1, 2 * k - 1))
  }

  /** Starting parameters: given, spread over the weighted quantiles of the counts, or drawn at random. */
  initialParams(data: PoissonMixtureData, init: PoissonInitMethod | GivenPoissonParams, rng: Rng): PoissonMixtureParams {
    const { k } = this
    if (typeof init === 'object') return givenParams(this, init)
    const y = data.y.view, w = data.sampleWeight?.view
    const order = Array.from({ length: data.n }, (_, i) => i).sort((a, b) => y[a]! - y[b]!)
    const weights = new Float64Array(k).fill(1 / k)
    const rates = new Float64Array(k)
    if (init === 'quantiles') {
      let acc = 0, c = 0
      for (const i of order) {
        acc += w ? w[i]! : 1
        while (c < k && acc >= ((c + 0.5) / k) * data.totalWeight) rates[c++] = y[i]! + 0.5 + c * 1e-3
      }
      while (c < k) rates[c++] = y[order[order.length - 1]!]! + 0.5 + c * 1e-3
    } else {
      const hi = y[order[order.length - 1]!]! + 1
      for (let c = 0; c < k; c++) rates[c] = 0.1 + rng.uniform() * hi
      let s = 0
      for (let c = 0; c < k; c++) { weights[c] = 0.5 + rng.uniform(); s += weights[c]! }
      for (let c = 0; c < k; c++) weights[c] = weights[c]! / s
    }
    return this.makeParams(weights, rates)
  }
}

function givenParams(model: PoissonMixtureModel, init: GivenPoissonParams): PoissonMixtureParams {
  const { k } = model
  if (!init || init.weights === undefined || init.rates === undefined || init.weights.length !== k || init.rates.length !== k) {
    throw new InputError('INVALID_DATA', `init must name a method ('quantiles', 'random') or give { weights, rates } with ${k} values each.`)
  }
  const weights = Float64Array.from(init.weights), rates = Float64Array.from(init.rates)
  let s = 0
  for (let c = 0; c < k; c++) {
    if (!(weights[c]! > 0)) throw new InputError('INVALID_DATA', `init.weights[${c}] is ${weights[c]}; weights must be > 0.`)
    if (!(rates[c]! > 0 && Number.isFinite(rates[c]!))) throw new InputError('INVALID_DATA', `init.rates[${c}] is ${rates[c]}; rates must be finite and > 0.`)
    s += weights[c]!
  }
  if (Math.abs(s - 1) > 1e-6) throw new InputError('INVALID_DATA', `init.weights sum to ${s}; they must sum to 1.`)
  return model.makeParams(weights, rates)
}

/**
 * Incremental EM's and the sharded fit's blocks: views of the counts, log-factorials,
 * weights, responsibilities and per-row log-likelihoods (the first rows' work buffers
 * when the data hold only a block's: `prepare`'s blockRows).
 */
function poissonIncremental(poisson: PoissonComponent, gem: GemCapability<PoissonMixtureParams, PoissonMixtureData>): IncrementalCapability<PoissonMixtureParams, PoissonMixtureData> {
  const { k } = poisson
  const block = (data: PoissonMixtureData, range: RowRange): PoissonMixtureData => ({
    ...data,
    ...mixtureRows(data, range, k, data.rowLogLik.length < data.n ? { lo: 0, hi: range.hi - range.lo } : range),
    y: rowsOf(data.y, range, 1),
    logFactorial: rowsOf(data.logFactorial, range, 1),
  })
  return {
    splitBlocks: (data, blocks) => rowBlocks(data.n, blocks).map((range) => block(data, range)),
    rowBlock: (data, lo, hi) => block(data, { lo, hi }),
    recentre: (stats, from, to) => poisson.recentre(stats, from.rates, to.rates),
    // GEM's Q (the complete-data log-likelihood without -log y!, which no parameter or weight changes) at params' coordinates
    completeLogLik: (stats, params, data) => gem.q(stats, gem.toCoordinates(params), params, data),
  }
}

/**
 * GEM coordinates: a_c = log(w_c / w_K) (c < K) and eta_c = log rate_c, in which
 * Q(theta | theta_t) = sum_c N_c log w_c + sum_c (T_c eta_c - N_c e^eta_c) + const
 * (N_c = sum w r_c, T_c = sum w r_c y) is concave: one Newton step is a GEM M-step.
 */
function poissonGem(poisson: PoissonComponent): GemCapability<PoissonMixtureParams, PoissonMixtureData> {
  const { k } = poisson
  const m = 2 * k - 1
  const parts = (stats: Float64Array, vec: Float64Array, at: PoissonMixtureParams) => {
    let total = 0
    for (let c = 0; c < k; c++) total += stats[c]!
    let max = 0
    for (let c = 0; c < k - 1; c++) max = Math.max(max, vec[c]!)
    let z = Math.exp(-max)
    for (let c = 0; c < k - 1; c++) z += Math.exp(vec[c]! - max)
    const logZ = max + Math.log(z)
    const pi = new Float64Array(k)
    for (let c = 0; c < k; c++) pi[c] = Math.exp((c < k - 1 ? vec[c]! : 0) - logZ)
    const t = new Float64Array(k)
    for (let c = 0; c < k; c++) t[c] = stats[k + c]! + stats[c]! * at.rates[c]!
    return { total, logZ, pi, t }
  }
  return {
    toCoordinates(p) {
      const v = new Float64Array(m)
      for (let c = 0; c < k - 1; c++) v[c] = Math.log(p.weights[c]! / p.weights[k - 1]!)
      for (let c = 0; c < k; c++) v[k - 1 + c] = Math.log(p.rates[c]!)
      return v
    },
    fromCoordinates(v) {
      let max = 0
      for (let c = 0; c < k - 1; c++) max = Math.max(max, v[c]!)
      const weights = new Float64Array(k)
      let s = 0
      for (let c = 0; c < k; c++) { weights[c] = Math.exp((c < k - 1 ? v[c]! : 0) - max); s += weights[c]! }
      for (let c = 0; c < k; c++) weights[c] = weights[c]! / s
      const rates = new Float64Array(k)
      for (let c = 0; c < k; c++) rates[c] = Math.exp(v[k - 1 + c]!)
      return { weights, ...poisson.makeParams(rates) }
    },
    q(stats, v, at) {
      const { logZ, t } = parts(stats, v, at)
      let q = 0
      for (let c = 0; c < k; c++) {
        const eta = v[k - 1 + c]!
        q += stats[c]! * ((c < k - 1 ? v[c]! : 0) - logZ) + t[c]! * eta - stats[c]! * Math.exp(eta)
      }
      return q
    },
    gradQ(stats, v, at) {
      const { total, pi, t } = parts(stats, v, at)
      const g = new Float64Array(m)
      for (let c = 0; c < k - 1; c++) g[c] = stats[c]! - total * pi[c]!
      for (let c = 0; c < k; c++) g[k - 1 + c] = t[c]! - stats[c]! * Math.exp(v[k - 1 + c]!)
      return g
    },
    hessQ(stats, v, at) {
      const { total, pi } = parts(stats, v, at)
      const h = new Float64Array(m * m)
      for (let c = 0; c < k - 1; c++) {
        for (let e = 0; e < k - 1; e++) h[c * m + e] = -total * ((c === e ? pi[c]! : 0) - pi[c]! * pi[e]!)
      }
      for (let c = 0; c < k; c++) h[(k - 1 + c) * m + (k - 1 + c)] = -stats[c]! * Math.exp(v[k - 1 + c]!)
      return h
    },
  }
}
