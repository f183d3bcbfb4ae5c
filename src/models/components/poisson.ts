import { DegenerateError } from '../../core/errors.js'
import { lgamma } from '../../core/math/special.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import type { Parameterisation } from '../../engine/types.js'
import { type Component, MASS_EPS } from './component.js'

/**
 * k Poisson distributions over counts: logDensityPoisson for the log-densities,
 * statsDiag with d = 1 around the current rates for the statistics
 * [N (k) | S1 = sum w r (y - rate) (k)]. The Poisson mixture and the Poisson HMM use it.
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

/**
 * How the M-step turns the statistics into rates. Both give sum w r y / sum w r but
 * round differently, and each model's trajectory is pinned by its tests (the mixture's
 * evaluation counts equal R's fpiter and SQUAREM), so both are kept, bit for bit:
 * - 'ratio' (HMM): (S1 + N rate) / (N + 10 eps), at least 1e-300, so a state that saw
 *   no mass or only zeros keeps a finite log-rate;
 * - 'shift' (mixture): rate + S1 / N; a component with no mass or a rate that is not
 *   positive is a DegenerateError.
 */
export type PoissonUpdate = 'ratio' | 'shift'

/** Smallest rate the 'ratio' update returns: keeps y log(rate) finite for a state that saw only zeros. */
const MIN_RATE = 1e-300

const RATE_UPDATES: Readonly<Record<PoissonUpdate, (n: number, s1: number, rate: number, c: number) => number>> = {
  ratio: (n, s1, rate) => Math.max(MIN_RATE, (s1 + n * rate) / (n + MASS_EPS)),
  shift(n, s1, rate, c) {
    if (!(n > 0)) throw new DegenerateError('DEGENERATE', `Component ${c} explains no counts (its weight fell to 0). Use fewer components or another start.`, { component: c })
    const next = rate + s1 / n
    if (!(next > 0)) throw new DegenerateError('DEGENERATE', `Component ${c} has rate ${next}: every count it explains is 0. Use fewer components.`, { component: c })
    return next
  },
}

export class PoissonComponent implements Component<PoissonParams, PoissonData> {
  readonly name = 'poisson'
  readonly statsSize: number
  private readonly update: PoissonUpdate

  constructor(readonly kernels: Kernels, readonly k: number, readonly fit: { readonly rates: boolean } = { rates: true }, update: PoissonUpdate = 'ratio') {
    this.statsSize = 2 * k
    this.update = update
  }

  prepare(arena: Arena, n: number): PoissonData {
    const { k } = this
    return { y: arena.f64(n), logFactorial: arena.f64(n), rates: arena.f64(k), logRates: arena.f64(k), stats: arena.f64(3 * k) }
  }

  rows(data: PoissonData, lo: number, hi: number): PoissonData {
    return { ...data, y: data.y.subarray(lo, hi), logFactorial: data.logFactorial.subarray(lo, hi) }
  }

  /** Counts (already checked: non-negative integers) and their log-factorials. */
  load(data: PoissonData, counts: Float64Array): void {
    data.y.view.set(counts)
    data.logFactorial.view.set(counts.map((v) => (v < 2 ? 0 : lgamma(v + 1))))
  }

  /** Standard-error coordinates: rate[c] (none when the rates are not fitted). */
  get free(): Parameterisation<PoissonParams> {
    const on = this.fit.rates
    return {
      names: () => (on ? Array.from({ length: this.k }, (_, c) => `rate[${c}]`) : []),
      toFree: (params) => (on ? params.rates.slice() : new Float64Array(0)),
      fromFree: (vec, like) => (on ? this.makeParams(vec.slice(0, this.k)) : like),
    }
  }

  rowDerivatives(data: PoissonData, params: PoissonParams): (i: number, c: number, score: Float64Array, negHessian: Float64Array) => void {
    const y = data.y.view, rates = params.rates, k = this.k
    return (i, c, score, negHessian) => {
      if (!this.fit.rates) return
      score[c]! += y[i]! / rates[c]! - 1
      negHessian[c * k + c]! += y[i]! / (rates[c]! * rates[c]!)
    }
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

  /** `recentre` between the rates of two parameter sets (online EM). */
  recentreParams(stats: Float64Array, from: PoissonParams, to: PoissonParams): Float64Array {
    return this.recentre(stats, from.rates, to.rates)
  }

  /** sum_c (sum_i r_ic y_i) log rate_c - N_c rate_c (the log-factorials do not depend on the rates); S1 is around `at`'s rates. */
  completeLogLik(stats: Float64Array, at: PoissonParams, params: PoissonParams): number {
    let q = 0
    for (let c = 0; c < this.k; c++) {
      const n = stats[c]!, sumY = stats[this.k + c]! + n * at.rates[c]!
      if (n !== 0) q += sumY * params.logRates[c]! - n * params.rates[c]!
    }
    return q
  }

  /** Statistics gathered at rates `from` as gathered at `to` from the same weights: S1' = S1 - N (to - from). */
  recentre(stats: Float64Array, from: Float64Array, to: Float64Array): Float64Array {
    const { k } = this
    const out = Float64Array.from(stats)
    for (let c = 0; c < k; c++) out[k + c] = stats[k + c]! - stats[c]! * (to[c]! - from[c]!)
    return out
  }

  fromStats(stats: Float64Array, params: PoissonParams): PoissonParams {
    if (!this.fit.rates) return params
    const { k } = this
    const rule = RATE_UPDATES[this.update]
    const rates = new Float64Array(k)
    for (let c = 0; c < k; c++) rates[c] = rule(stats[c]!, stats[k + c]!, params.rates[c]!, c)
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
