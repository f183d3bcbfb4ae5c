import { lgamma } from '../../core/math/special.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import { type Component, MASS_EPS } from './component.js'

/**
 * k Poisson distributions over counts: logDensityPoisson for the log-densities,
 * statsDiag with d = 1 around the current rates for the statistics
 * [N (k) | S1 = sum w r (y - rate) (k)]. The Poisson HMM uses it.
 */

export interface PoissonParams {
  readonly rates: Float64Array
  readonly logRates: Float64Array
}

export interface PoissonData {
  readonly y: F64Buffer
  readonly logFactorial: F64Buffer
  readonly rates: F64Buffer
  readonly logRates: F64Buffer
  /** What statsDiag writes: N, S1 and a diagonal S2 (k each; S2 is not used). */
  readonly stats: F64Buffer
}

/** Smallest rate the M-step returns: keeps y log(rate) finite for a state that saw only zeros. */
const MIN_RATE = 1e-300

export class PoissonComponent implements Component<PoissonParams, PoissonData> {
  readonly name = 'poisson'
  readonly statsSize: number

  constructor(readonly kernels: Kernels, readonly k: number, readonly fit: { readonly rates: boolean } = { rates: true }) {
    this.statsSize = 2 * k
  }

  prepare(arena: Arena, n: number): PoissonData {
    const { k } = this
    return { y: arena.f64(n), logFactorial: arena.f64(n), rates: arena.f64(k), logRates: arena.f64(k), stats: arena.f64(3 * k) }
  }

  /** Counts (already checked: non-negative integers) and their log-factorials. */
  load(data: PoissonData, counts: Float64Array): void {
    data.y.view.set(counts)
    data.logFactorial.view.set(counts.map((v) => (v < 2 ? 0 : lgamma(v + 1))))
  }

  makeParams(rates: Float64Array): PoissonParams {
    return { rates, logRates: rates.map(Math.log) }
  }

  logDensities(data: PoissonData, n: number, params: PoissonParams, out: F64Buffer): void {
    data.rates.view.set(params.rates)
    data.logRates.view.set(params.logRates)
    this.kernels.logDensityPoisson(data.y, n, data.rates, data.logRates, this.k, data.logFactorial, out)
  }

  statistics(data: PoissonData, n: number, weights: F64Buffer, rowWeight: F64Buffer | null, params: PoissonParams, out: Float64Array): void {
    data.rates.view.set(params.rates)
    this.kernels.statsDiag(data.y, n, 1, weights, this.k, rowWeight, data.rates, data.stats)
    out.set(data.stats.view.subarray(0, this.statsSize))
  }

  /** (S1 + N rate) / (N + 10 eps), at least 1e-300: a state that saw no mass or only zeros keeps a finite log-rate. */
  fromStats(stats: Float64Array, params: PoissonParams): PoissonParams {
    if (!this.fit.rates) return params
    const { k } = this
    const rates = new Float64Array(k)
    for (let c = 0; c < k; c++) rates[c] = Math.max(MIN_RATE, (stats[k + c]! + stats[c]! * params.rates[c]!) / (stats[c]! + MASS_EPS))
    return this.makeParams(rates)
  }

  nParameters(): number {
    return this.fit.rates ? this.k : 0
  }

  pack(params: PoissonParams): Float64Array {
    return Float64Array.from(params.rates)
  }

  unpack(vec: Float64Array): PoissonParams {
    return this.makeParams(Float64Array.from(vec))
  }

  isValid(vec: Float64Array): boolean {
    for (let c = 0; c < vec.length; c++) if (!(vec[c]! > 0 && Number.isFinite(vec[c]!))) return false
    return true
  }

  sample(params: PoissonParams, c: number, rng: Rng): number {
    return poissonDraw(params.rates[c]!, rng)
  }

  dispose(): void {}
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
