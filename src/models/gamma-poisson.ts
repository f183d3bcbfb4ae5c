/**
 * Poisson counts with gamma-distributed rates: x_i ~ Poisson(theta_i t_i) (t_i the
 * exposure), theta_i ~ Gamma(alpha, rate beta); the theta_i are the missing data.
 * The marginal of x_i is negative binomial (the objective).
 *
 * Complete-data statistics: [sum theta_i, sum log theta_i]. The E-step is closed form:
 * theta_i | x_i ~ Gamma(alpha + x_i, beta + t_i), so E theta_i = (alpha + x_i) / (beta + t_i)
 * and E log theta_i = psi(alpha + x_i) - log(beta + t_i). EM's M-step: beta = n alpha / S1
 * and alpha solving log alpha - psi(alpha) = log(S1 / n) - S2 / n (Newton to
 * convergence); GEM: one Newton step on Q in (alpha, beta); MCEM: theta draws from the
 * `sampleGammas` kernel.
 */
import { DegenerateError } from '../core/errors.js'
import type { EMModel, GemCapability, MonteCarloCapability, PreparedData } from '../engine/types.js'
import type { Kernels } from '../kernels/types.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { digamma, lgamma, trigamma } from '../core/math/special.js'

export interface GammaPoissonParams {
  readonly alpha: number
  readonly beta: number
}

export interface GammaPoissonData extends PreparedData {
  readonly n: number
  readonly x: Float64Array
  readonly t: Float64Array
  /** sum_i (x_i log t_i - lgamma(x_i + 1)): the part of the objective free of the parameters. */
  readonly constant: number
}

export class GammaPoissonModel implements EMModel<GammaPoissonParams, GammaPoissonData> {
  readonly name = 'GammaPoisson'
  readonly gem: GemCapability<GammaPoissonParams, GammaPoissonData>
  readonly monteCarlo: MonteCarloCapability<GammaPoissonParams, GammaPoissonData>

  constructor(readonly kernels: Kernels) {
    const q = (s: Float64Array, v: Float64Array, _at: GammaPoissonParams, d: GammaPoissonData) => completeLogLik(s, v[0]!, v[1]!, d.n)
    this.gem = {
      toCoordinates: (p) => Float64Array.of(p.alpha, p.beta),
      fromCoordinates: (v) => {
        if (!(v[0]! > 0 && v[1]! > 0 && v[0]! < Infinity && v[1]! < Infinity)) throw new DegenerateError('DEGENERATE', 'alpha and beta must stay positive.')
        return { alpha: v[0]!, beta: v[1]! }
      },
      q,
      gradQ: (s, v, _at, d) => {
        const [a, b] = [v[0]!, v[1]!]
        return Float64Array.of(d.n * Math.log(b) - d.n * digamma(a) + s[1]!, (d.n * a) / b - s[0]!)
      },
      hessQ: (_s, v, _at, d) => {
        const [a, b] = [v[0]!, v[1]!]
        return Float64Array.of(-d.n * trigamma(a), d.n / b, d.n / b, (-d.n * a) / (b * b))
      },
    }
    this.monteCarlo = {
      sampleLatent: (data, params, rng, m) => this.sampleLatent(data, params, rng, m),
      completeLogLik: (s, p, d) => completeLogLik(s, p.alpha, p.beta, d.n),
    }
  }

  prepare(x: Float64Array, t: Float64Array): GammaPoissonData {
    let constant = 0
    for (let i = 0; i < x.length; i++) constant += freeOfParameters(x[i]!, t[i]!)
    return { n: x.length, x, t, constant, totalWeight: x.length }
  }

  logLik(data: GammaPoissonData, { alpha, beta }: GammaPoissonParams): number {
    let ll = data.constant + data.n * perCount(alpha, beta)
    for (let i = 0; i < data.n; i++) ll += ofCount(alpha, beta, data.x[i]!, data.t[i]!)
    return ll
  }

  /** Each count's marginal (negative binomial) log-likelihood: logLik's terms, row by row. */
  rowLogLiks(data: GammaPoissonData, { alpha, beta }: GammaPoissonParams): Float64Array {
    const shared = perCount(alpha, beta)
    return Float64Array.from({ length: data.n }, (_, i) => freeOfParameters(data.x[i]!, data.t[i]!) + shared + ofCount(alpha, beta, data.x[i]!, data.t[i]!))
  }

  eStep(data: GammaPoissonData, params: GammaPoissonParams): { stats: Float64Array; logLik: number } {
    const { alpha, beta } = params
    let s1 = 0, s2 = 0
    for (let i = 0; i < data.n; i++) {
      const shape = alpha + data.x[i]!, rate = beta + data.t[i]!
      s1 += shape / rate
      s2 += digamma(shape) - Math.log(rate)
    }
    return { stats: Float64Array.of(s1, s2), logLik: this.logLik(data, params) }
  }

  /** The exact maximiser of Q: beta = n alpha / S1, alpha by Newton on log a - psi(a) = c. */
  mStep(stats: Float64Array, params: GammaPoissonParams, data: GammaPoissonData): GammaPoissonParams {
    const n = data.n
    const c = Math.log(stats[0]! / n) - stats[1]! / n
    if (!(c > 0)) throw new DegenerateError('DEGENERATE', 'The gamma rates have no spread (log mean - mean log <= 0): alpha would be infinite.')
    let a = params.alpha
    for (let k = 0; k < 100; k++) {
      const f = Math.log(a) - digamma(a) - c
      const fp = 1 / a - trigamma(a)
      let next = a - f / fp
      if (!(next > 0)) next = a / 2
      const done = Math.abs(next - a) <= 1e-15 * a
      a = next
      if (done) break
    }
    return { alpha: a, beta: (n * a) / stats[0]! }
  }

  sampleLatent(data: GammaPoissonData, { alpha, beta }: GammaPoissonParams, rng: Rng, m: number): Float64Array {
    const n = data.n
    const K = this.kernels
    const arena = K.arena()
    try {
      const shape = arena.f64(m * n), out = arena.f64(m * n), state = arena.i32(4)
      const sv = shape.view
      for (let r = 0; r < m; r++) for (let i = 0; i < n; i++) sv[r * n + i] = alpha + data.x[i]!
      state.view.set(rng.state)
      const bad = K.sampleGammas(state, shape, out, m * n)
      rng.state.set(state.view)
      if (bad >= 0) throw new DegenerateError('DEGENERATE', `Gamma shape ${sv[bad]} is not positive.`)
      const ov = out.view
      const stats = new Float64Array(2 * m)
      for (let r = 0; r < m; r++) {
        let s1 = 0, s2 = 0
        for (let i = 0; i < n; i++) {
          const theta = ov[r * n + i]! / (beta + data.t[i]!)
          s1 += theta
          s2 += Math.log(theta)
        }
        stats[2 * r] = s1
        stats[2 * r + 1] = s2
      }
      return stats
    } finally {
      arena.dispose()
    }
  }

  nParameters(): number { return 2 }
  pack(p: GammaPoissonParams): Float64Array { return Float64Array.of(p.alpha, p.beta) }
  unpack(v: Float64Array): GammaPoissonParams {
    if (!(v[0]! > 0 && v[1]! > 0)) throw new DegenerateError('DEGENERATE', `alpha and beta must be positive, got ${v[0]}, ${v[1]}.`)
    return { alpha: v[0]!, beta: v[1]! }
  }
  isValid(v: Float64Array): boolean { return v[0]! > 0 && v[1]! > 0 && v[0]! < Infinity && v[1]! < Infinity }

  /** Method-of-moments-free start: alpha = 1, beta = 1 / mean rate. */
  initialParams(data: GammaPoissonData): GammaPoissonParams {
    let r = 0
    for (let i = 0; i < data.n; i++) r += (data.x[i]! + 0.5) / data.t[i]!
    return { alpha: 1, beta: data.n / r }
  }
}

// The marginal log-likelihood of count x at exposure t, split as logLik sums it.

/** x log t - log x!: free of the parameters. */
function freeOfParameters(x: number, t: number): number {
  return x * Math.log(t) - lgamma(x + 1)
}

/** alpha log beta - lgamma(alpha): the same for every count. */
function perCount(alpha: number, beta: number): number {
  return alpha * Math.log(beta) - lgamma(alpha)
}

/** lgamma(alpha + x) - (alpha + x) log(beta + t). */
function ofCount(alpha: number, beta: number, x: number, t: number): number {
  return lgamma(alpha + x) - (alpha + x) * Math.log(beta + t)
}

/** Q's theta part: n alpha log beta - n lgamma(alpha) + (alpha - 1) S2 - beta S1. */
function completeLogLik(s: Float64Array, alpha: number, beta: number, n: number): number {
  if (!(alpha > 0 && beta > 0)) return -Infinity
  return n * alpha * Math.log(beta) - n * lgamma(alpha) + (alpha - 1) * s[1]! - beta * s[0]!
}
