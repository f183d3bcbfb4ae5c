import { DegenerateError } from '../../core/errors.js'
import type { Matrix } from '../../core/matrix.js'
import type { Arena, F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { cholesky } from '../../core/math/dense.js'
import { lgamma } from '../../core/math/special.js'
import { COVARIANCE, type CovarianceStrategy, type CovarianceType, type FactorScratch } from '../gmm/covariance.js'
import { type Emission, isDistribution } from './model.js'

/** scikit-learn's 10 machine epsilons on every state's mass (keeps empty states finite). */
const MASS_EPS = 10 * Number.EPSILON

// ---------------------------------------------------------------- Gaussian ----

export interface GaussianEmissionParams {
  readonly means: Float64Array
  /** Layout of the covariance strategy (full: k*d*d, tied: d*d, diag: k*d, spherical: k). */
  readonly covariances: Float64Array
  /** Derived for the density kernels (see CovarianceStrategy.precisions). */
  readonly precision: Float64Array
  readonly logDetP: Float64Array
}

export interface GaussianEmissionData {
  readonly x: F64Buffer
  readonly means: F64Buffer
  readonly precision: F64Buffer
  readonly logDetP: F64Buffer
  readonly stats: F64Buffer
}

/**
 * Gaussian emissions through the GMM's covariance strategy table: the density
 * kernels (logDensityFull / logDensityDiag) for log B, statsFull / statsDiag with
 * the posteriors as responsibilities for the statistics, the strategy's fromStats
 * for the M-step. Statistics are gathered around the current means.
 */
export class GaussianEmission implements Emission<GaussianEmissionParams, GaussianEmissionData> {
  readonly name = 'gaussian'
  readonly covariance: CovarianceStrategy
  readonly statsSize: number
  private readonly scratchArena: Arena
  private readonly scratch: FactorScratch
  private readonly factors = new WeakMap<GaussianEmissionParams, Float64Array>()

  constructor(
    readonly kernels: Kernels, readonly k: number, readonly d: number, covarianceType: CovarianceType,
    readonly regCovar: number, readonly fit: { readonly means: boolean; readonly covariances: boolean },
  ) {
    this.covariance = COVARIANCE[covarianceType]
    this.statsSize = k + k * d + (this.covariance.statsKernel === 'statsFull' ? k * d * d : k * d)
    this.scratchArena = kernels.arena()
    const size = k * d * d
    this.scratch = { kernels, cov: this.scratchArena.f64(size), chol: this.scratchArena.f64(size), prec: this.scratchArena.f64(size) }
  }

  prepare(arena: Arena, n: number): GaussianEmissionData {
    const { k, d } = this
    return {
      x: arena.f64(n * d),
      means: arena.f64(k * d),
      precision: arena.f64(this.covariance.precisionSize(k, d)),
      logDetP: arena.f64(k),
      stats: arena.f64(this.statsSize),
    }
  }

  load(data: GaussianEmissionData, m: Matrix): void {
    data.x.view.set(m.data)
  }

  makeParams(means: Float64Array, covariances: Float64Array): GaussianEmissionParams {
    const { precision, logDetP } = this.covariance.precisions(covariances, this.k, this.d, this.scratch, this.regCovar)
    return { means, covariances, precision, logDetP }
  }

  logB(data: GaussianEmissionData, n: number, params: GaussianEmissionParams, out: F64Buffer): void {
    data.means.view.set(params.means)
    data.precision.view.set(params.precision)
    data.logDetP.view.set(params.logDetP)
    this.covariance.logDensity(this.kernels, { x: data.x, n, means: data.means, precision: data.precision, logDetP: data.logDetP, out }, this.k, this.d)
  }

  stats(data: GaussianEmissionData, n: number, gamma: F64Buffer, params: GaussianEmissionParams, out: Float64Array): void {
    data.means.view.set(params.means)
    this.kernels[this.covariance.statsKernel](data.x, n, this.d, gamma, this.k, null, data.means, data.stats)
    out.set(data.stats.view.subarray(0, this.statsSize))
  }

  fromStats(stats: Float64Array, params: GaussianEmissionParams): GaussianEmissionParams {
    const { k, d } = this
    const ref = params.means
    const nk = new Float64Array(k)
    for (let c = 0; c < k; c++) nk[c] = stats[c]! + MASS_EPS
    let means = ref
    let forCov = stats
    if (this.fit.means) {
      means = new Float64Array(k * d)
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < d; j++) means[c * d + j] = (stats[k + c * d + j]! + stats[c]! * ref[c * d + j]!) / nk[c]!
      }
    } else {
      // scatter about the fixed means: statistics around them with S1 = 0
      forCov = Float64Array.from(stats)
      forCov.fill(0, k, k + k * d)
    }
    const covariances = this.fit.covariances ? this.covariance.fromStats(forCov, nk, k, d, this.regCovar) : params.covariances
    return this.makeParams(means, covariances)
  }

  nParameters(): number {
    return (this.fit.means ? this.k * this.d : 0) + (this.fit.covariances ? this.covariance.freeParameters(this.k, this.d) : 0)
  }

  pack(params: GaussianEmissionParams): Float64Array {
    const out = new Float64Array(params.means.length + params.covariances.length)
    out.set(params.means, 0)
    out.set(params.covariances, params.means.length)
    return out
  }

  unpack(vec: Float64Array, like: GaussianEmissionParams): GaussianEmissionParams {
    const m = like.means.length
    return this.makeParams(vec.slice(0, m), vec.slice(m, m + like.covariances.length))
  }

  isValid(vec: Float64Array, like: GaussianEmissionParams): boolean {
    for (let p = 0; p < vec.length; p++) if (!Number.isFinite(vec[p]!)) return false
    try {
      this.unpack(Float64Array.from(vec), like)
      return true
    } catch {
      return false
    }
  }

  sample(params: GaussianEmissionParams, c: number, rng: Rng): number[] {
    const { k, d } = this
    let factors = this.factors.get(params)
    if (!factors) {
      const full = this.covariance.expandFull(params.covariances, k, d)
      factors = new Float64Array(k * d * d)
      for (let s = 0; s < k; s++) {
        const l = cholesky(full.subarray(s * d * d, (s + 1) * d * d), d)
        if (!l) throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of state ${s} is not positive definite; refit with a larger regCovar.`, { component: s })
        factors.set(l, s * d * d)
      }
      this.factors.set(params, factors)
    }
    const z = Array.from({ length: d }, () => rng.normal())
    const row = new Array<number>(d)
    for (let j = 0; j < d; j++) {
      let v = params.means[c * d + j]!
      for (let l = 0; l <= j; l++) v += factors[c * d * d + j * d + l]! * z[l]!
      row[j] = v
    }
    return row
  }

  dispose(): void {
    this.scratchArena.dispose()
  }
}

// ------------------------------------------------------------- categorical ----

export interface CategoricalEmissionParams {
  /** k*nSymbols row-major: emissionProb[c*nSymbols + s] = P(symbol s | state c). */
  readonly emissionProb: Float64Array
  readonly logEmission: Float64Array
}

export interface CategoricalEmissionData {
  readonly symbols: I32Buffer
  readonly logEmission: F64Buffer
  readonly counts: F64Buffer
}

/** Categorical (discrete) emissions over symbols 0..nSymbols-1. */
export class CategoricalEmission implements Emission<CategoricalEmissionParams, CategoricalEmissionData> {
  readonly name = 'categorical'
  readonly statsSize: number

  constructor(readonly kernels: Kernels, readonly k: number, readonly nSymbols: number, readonly fit: { readonly emissionProb: boolean }) {
    this.statsSize = k * nSymbols
  }

  prepare(arena: Arena, n: number): CategoricalEmissionData {
    return { symbols: arena.i32(n), logEmission: arena.f64(this.k * this.nSymbols), counts: arena.f64(this.k * this.nSymbols) }
  }

  load(data: CategoricalEmissionData, symbols: Int32Array): void {
    data.symbols.view.set(symbols)
  }

  makeParams(emissionProb: Float64Array): CategoricalEmissionParams {
    return { emissionProb, logEmission: emissionProb.map(Math.log) }
  }

  logB(data: CategoricalEmissionData, n: number, params: CategoricalEmissionParams, out: F64Buffer): void {
    data.logEmission.view.set(params.logEmission)
    this.kernels.hmmCategoricalLogB(data.symbols, n, data.logEmission, this.k, this.nSymbols, out)
  }

  stats(data: CategoricalEmissionData, n: number, gamma: F64Buffer, _params: CategoricalEmissionParams, out: Float64Array): void {
    this.kernels.hmmCategoricalCounts(data.symbols, n, gamma, this.k, this.nSymbols, data.counts)
    out.set(data.counts.view.subarray(0, this.statsSize))
  }

  fromStats(stats: Float64Array, params: CategoricalEmissionParams): CategoricalEmissionParams {
    if (!this.fit.emissionProb) return params
    const { k, nSymbols: S } = this
    const out = new Float64Array(k * S)
    for (let c = 0; c < k; c++) {
      let s = 0
      for (let v = 0; v < S; v++) s += stats[c * S + v]!
      for (let v = 0; v < S; v++) out[c * S + v] = s > 0 ? stats[c * S + v]! / s : params.emissionProb[c * S + v]!
    }
    return this.makeParams(out)
  }

  nParameters(): number {
    return this.fit.emissionProb ? this.k * (this.nSymbols - 1) : 0
  }

  pack(params: CategoricalEmissionParams): Float64Array {
    return Float64Array.from(params.emissionProb)
  }

  unpack(vec: Float64Array): CategoricalEmissionParams {
    return this.makeParams(Float64Array.from(vec))
  }

  isValid(vec: Float64Array): boolean {
    for (let c = 0; c < this.k; c++) if (!isDistribution(vec, c * this.nSymbols, this.nSymbols)) return false
    return true
  }

  sample(params: CategoricalEmissionParams, c: number, rng: Rng): number {
    return drawFrom(params.emissionProb, c * this.nSymbols, this.nSymbols, rng)
  }

  dispose(): void {}
}

// ----------------------------------------------------------------- Poisson ----

export interface PoissonEmissionParams {
  readonly rates: Float64Array
  readonly logRates: Float64Array
}

export interface PoissonEmissionData {
  readonly y: F64Buffer
  readonly logFactorial: F64Buffer
  readonly rates: F64Buffer
  readonly logRates: F64Buffer
  readonly stats: F64Buffer
}

/** Smallest rate the M-step returns: keeps y log(rate) finite for a state that saw only zeros. */
const MIN_RATE = 1e-300

/** Poisson emissions for counts: logDensityPoisson for log B, statsDiag (d = 1, around the rates) for the statistics. */
export class PoissonEmission implements Emission<PoissonEmissionParams, PoissonEmissionData> {
  readonly name = 'poisson'
  readonly statsSize: number

  constructor(readonly kernels: Kernels, readonly k: number, readonly fit: { readonly rates: boolean }) {
    this.statsSize = 2 * k
  }

  prepare(arena: Arena, n: number): PoissonEmissionData {
    const { k } = this
    return { y: arena.f64(n), logFactorial: arena.f64(n), rates: arena.f64(k), logRates: arena.f64(k), stats: arena.f64(3 * k) }
  }

  load(data: PoissonEmissionData, counts: Float64Array): void {
    data.y.view.set(counts)
    data.logFactorial.view.set(counts.map((v) => (v < 2 ? 0 : lgamma(v + 1))))
  }

  makeParams(rates: Float64Array): PoissonEmissionParams {
    return { rates, logRates: rates.map(Math.log) }
  }

  logB(data: PoissonEmissionData, n: number, params: PoissonEmissionParams, out: F64Buffer): void {
    data.rates.view.set(params.rates)
    data.logRates.view.set(params.logRates)
    this.kernels.logDensityPoisson(data.y, n, data.rates, data.logRates, this.k, data.logFactorial, out)
  }

  stats(data: PoissonEmissionData, n: number, gamma: F64Buffer, params: PoissonEmissionParams, out: Float64Array): void {
    data.rates.view.set(params.rates)
    this.kernels.statsDiag(data.y, n, 1, gamma, this.k, null, data.rates, data.stats)
    out.set(data.stats.view.subarray(0, 2 * this.k))
  }

  fromStats(stats: Float64Array, params: PoissonEmissionParams): PoissonEmissionParams {
    if (!this.fit.rates) return params
    const { k } = this
    const rates = new Float64Array(k)
    for (let c = 0; c < k; c++) {
      rates[c] = Math.max(MIN_RATE, (stats[k + c]! + stats[c]! * params.rates[c]!) / (stats[c]! + MASS_EPS))
    }
    return this.makeParams(rates)
  }

  nParameters(): number {
    return this.fit.rates ? this.k : 0
  }

  pack(params: PoissonEmissionParams): Float64Array {
    return Float64Array.from(params.rates)
  }

  unpack(vec: Float64Array): PoissonEmissionParams {
    return this.makeParams(Float64Array.from(vec))
  }

  isValid(vec: Float64Array): boolean {
    for (let c = 0; c < vec.length; c++) if (!(vec[c]! > 0 && Number.isFinite(vec[c]!))) return false
    return true
  }

  sample(params: PoissonEmissionParams, c: number, rng: Rng): number {
    return poissonDraw(params.rates[c]!, rng)
  }

  dispose(): void {}
}

/** Index drawn from the distribution p[offset .. offset + n). */
export function drawFrom(p: ArrayLike<number>, offset: number, n: number, rng: Rng): number {
  let u = rng.uniform()
  for (let j = 0; j < n - 1; j++) {
    u -= p[offset + j]!
    if (u < 0) return j
  }
  return n - 1
}

/** Poisson draw: inversion for moderate rates, a rounded normal approximation beyond 500 (also the Poisson mixtures' and GammaPoisson's simulations). */
export function poissonDraw(rate: number, rng: Rng): number {
  if (rate > 500) return Math.max(0, Math.round(rate + Math.sqrt(rate) * rng.normal()))
  let p = Math.exp(-rate)
  let cumulative = p
  const u = rng.uniform()
  let y = 0
  while (u > cumulative && y < 10000) {
    y++
    p *= rate / y
    cumulative += p
  }
  return y
}
