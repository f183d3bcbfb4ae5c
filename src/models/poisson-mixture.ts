import type { EMModel, EStepResult, GemCapability, PreparedData } from '../engine/types.js'
import { DegenerateError, InputError } from '../core/errors.js'
import type { Arena, F64Buffer, Kernels } from '../kernels/types.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { lgamma } from '../core/math/special.js'

/**
 * A mixture of K Poisson distributions for counts: P(y) = sum_c w_c Pois(y | rate_c).
 * Frequency weights (sampleWeight) let a table of (count, frequency) be fitted as it
 * is, e.g. Hasselblad's death notices.
 */
export interface PoissonMixtureParams {
  readonly weights: Float64Array
  readonly rates: Float64Array
}

export interface PoissonMixtureData extends PreparedData {
  readonly n: number
  readonly y: F64Buffer
  readonly logFactorial: F64Buffer
  readonly sampleWeight: F64Buffer | null
  /** n*k: log-probabilities, then responsibilities. */
  readonly resp: F64Buffer
  readonly rowLogLik: F64Buffer
  /** [N (k) | S1 = sum w r (y - rate) (k) | S2 (k, unused)] */
  readonly stats: F64Buffer
  readonly rates: F64Buffer
  readonly logRates: F64Buffer
  readonly logWeights: F64Buffer
  readonly arena: Arena
}

export type PoissonInitMethod = 'quantiles' | 'random'
export const POISSON_INIT_METHODS: readonly PoissonInitMethod[] = ['quantiles', 'random']
export interface GivenPoissonParams {
  readonly weights: ArrayLike<number>
  readonly rates: ArrayLike<number>
}

export class PoissonMixtureModel implements EMModel<PoissonMixtureParams, PoissonMixtureData> {
  readonly name = 'PoissonMixture'
  readonly gem: GemCapability<PoissonMixtureParams, PoissonMixtureData>

  constructor(readonly kernels: Kernels, readonly k: number) {
    this.gem = poissonGem(k)
  }

  /** Counts into kernel memory once per fit (checks: finite, >= 0, integers). */
  prepare(y: Float64Array, sampleWeight: Float64Array | null = null): PoissonMixtureData {
    const n = y.length
    const lf = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const v = y[i]!
      if (!(Number.isInteger(v) && v >= 0)) {
        throw new InputError('INVALID_DATA', `Counts must be non-negative integers; value ${i} is ${v}. Round or drop it.`, { row: i, value: v })
      }
      lf[i] = lgamma(v + 1)
    }
    let totalWeight = n
    if (sampleWeight) {
      totalWeight = 0
      for (let i = 0; i < n; i++) totalWeight += sampleWeight[i]!
    }
    const arena = this.kernels.arena()
    const k = this.k
    return {
      n, totalWeight,
      y: arena.f64From(y),
      logFactorial: arena.f64From(lf),
      sampleWeight: sampleWeight ? arena.f64From(sampleWeight) : null,
      resp: arena.f64(n * k),
      rowLogLik: arena.f64(n),
      stats: arena.f64(3 * k),
      rates: arena.f64(k),
      logRates: arena.f64(k),
      logWeights: arena.f64(k),
      arena,
    }
  }

  release(data: PoissonMixtureData): void {
    data.arena.dispose()
  }

  /** Responsibilities into data.resp, per-row log-likelihoods into data.rowLogLik; the total. */
  expectation(data: PoissonMixtureData, params: PoissonMixtureParams): number {
    const { k } = this
    const r = data.rates.view, lr = data.logRates.view, lw = data.logWeights.view
    for (let c = 0; c < k; c++) {
      r[c] = params.rates[c]!
      lr[c] = Math.log(params.rates[c]!)
      lw[c] = Math.log(params.weights[c]!)
    }
    this.kernels.logDensityPoisson(data.y, data.n, data.rates, data.logRates, k, data.logFactorial, data.resp)
    return this.kernels.responsibilities(data.resp, data.n, k, data.logWeights, data.rowLogLik, data.sampleWeight)
  }

  eStep(data: PoissonMixtureData, params: PoissonMixtureParams): EStepResult {
    const logLik = this.expectation(data, params)
    data.rates.view.set(params.rates)
    this.kernels.statsDiag(data.y, data.n, 1, data.resp, this.k, data.sampleWeight, data.rates, data.stats)
    return { stats: data.stats.view.slice(), logLik }
  }

  mStep(stats: Float64Array, params: PoissonMixtureParams): PoissonMixtureParams {
    const { k } = this
    let total = 0
    for (let c = 0; c < k; c++) total += stats[c]!
    const weights = new Float64Array(k), rates = new Float64Array(k)
    for (let c = 0; c < k; c++) {
      const nc = stats[c]!
      if (!(nc > 0)) throw emptyComponent(c)
      weights[c] = nc / total
      rates[c] = params.rates[c]! + stats[k + c]! / nc
      if (!(rates[c]! > 0)) throw new DegenerateError('DEGENERATE', `Component ${c} has rate ${rates[c]}: every count it explains is 0. Use fewer components.`, { component: c })
    }
    return { weights, rates }
  }

  logLik(data: PoissonMixtureData, params: PoissonMixtureParams): number {
    return this.expectation(data, params)
  }

  nParameters(): number {
    return 2 * this.k - 1
  }

  /** [w_1 .. w_{K-1}, rate_1 .. rate_K]: the free parameters (w_K = 1 - sum). */
  pack(params: PoissonMixtureParams): Float64Array {
    const { k } = this
    const out = new Float64Array(2 * k - 1)
    out.set(params.weights.subarray(0, k - 1), 0)
    out.set(params.rates, k - 1)
    return out
  }

  unpack(vec: Float64Array): PoissonMixtureParams {
    const { k } = this
    const weights = new Float64Array(k)
    let s = 0
    for (let c = 0; c < k - 1; c++) { weights[c] = vec[c]!; s += vec[c]! }
    weights[k - 1] = 1 - s
    return { weights, rates: vec.slice(k - 1, 2 * k - 1) }
  }

  isValid(vec: Float64Array): boolean {
    const { k } = this
    let s = 0
    for (let c = 0; c < k - 1; c++) {
      const w = vec[c]!
      if (!(w > 0)) return false
      s += w
    }
    if (!(s < 1)) return false
    for (let c = k - 1; c < 2 * k - 1; c++) if (!(vec[c]! > 0 && Number.isFinite(vec[c]!))) return false
    return true
  }

  /** Starting parameters: given, spread over the weighted quantiles of the counts, or drawn at random. */
  initialParams(data: PoissonMixtureData, init: PoissonInitMethod | GivenPoissonParams, rng: Rng): PoissonMixtureParams {
    const { k } = this
    if (typeof init === 'object') return givenParams(k, init)
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
    return { weights, rates }
  }
}

function emptyComponent(c: number): DegenerateError {
  return new DegenerateError('DEGENERATE', `Component ${c} explains no counts (its weight fell to 0). Use fewer components or another start.`, { component: c })
}

function givenParams(k: number, init: GivenPoissonParams): PoissonMixtureParams {
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
  return { weights, rates }
}

/**
 * GEM coordinates: a_c = log(w_c / w_K) (c < K) and eta_c = log rate_c, in which
 * Q(theta | theta_t) = sum_c N_c log w_c + sum_c (T_c eta_c - N_c e^eta_c) + const
 * (N_c = sum w r_c, T_c = sum w r_c y) is concave: one Newton step is a GEM M-step.
 */
function poissonGem(k: number): GemCapability<PoissonMixtureParams, PoissonMixtureData> {
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
      return { weights, rates }
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
