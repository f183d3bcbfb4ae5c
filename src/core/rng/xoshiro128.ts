/**
 * The one seeded generator of emkit: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32. 32-bit words keep it exact and fast in plain JS (Math.imul, >>> 0);
 * assembly/rng.ts implements the same stream for the wasm kernels, and tests check
 * that both give identical draws.
 */
import { categoricalRow, gammaStd, lastSpare, normalPair, standardBounds, truncatedStd } from './sampling.js'

export class Rng {
  /** The four u32 state words (stored as signed i32 so they copy into wasm as-is). */
  readonly state: Int32Array

  constructor(seed: number) {
    this.state = seedState(seed)
  }

  static fromState(state: ArrayLike<number>): Rng {
    const rng = new Rng(0)
    for (let i = 0; i < 4; i++) rng.state[i] = state[i]! | 0
    return rng
  }

  /** Next u32 output. */
  nextU32(): number {
    const s = this.state
    const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0
    const t = s[1]! << 9
    s[2]! ^= s[0]!
    s[3]! ^= s[1]!
    s[1]! ^= s[2]!
    s[0]! ^= s[3]!
    s[2]! ^= t
    s[3] = rotl(s[3]!, 11)
    return result
  }

  /** Uniform double in [0, 1) with 53 random bits (two outputs). */
  uniform(): number {
    const hi = this.nextU32() >>> 5 // 27 bits
    const lo = this.nextU32() >>> 6 // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992
  }

  /**
   * Standard normal from the stream the sampling kernels use (the first value of one
   * polar pair; see assembly/sampling.ts).
   */
  normal(): number {
    return normalPair(this)
  }

  /** Fill `out` with standard normals exactly as the `sampleNormals` kernel does (polar pairs, both values kept). */
  normals(out: Float64Array): Float64Array {
    const n = out.length
    let i = 0
    for (; i + 1 < n; i += 2) {
      out[i] = normalPair(this)
      out[i + 1] = lastSpare()
    }
    if (i < n) out[i] = normalPair(this)
    return out
  }

  /** Gamma(shape, rate) draw (Marsaglia & Tsang); as the `sampleGammas` kernel divided by `rate`. */
  gamma(shape: number, rate = 1): number {
    if (!(shape > 0 && shape < Infinity) || !(rate > 0 && rate < Infinity)) throw new RangeError(`gamma needs shape and rate in (0, Infinity), got ${shape}, ${rate}`)
    return gammaStd(this, shape) / rate
  }

  /** N(mean, sd^2) truncated to [lower, upper] (exact; stable far in the tails), as `sampleTruncatedNormals`. */
  truncatedNormal(mean: number, sd: number, lower: number, upper: number): number {
    const ab = standardBounds(mean, sd, lower, upper)
    if (ab === null) throw new RangeError(`truncatedNormal needs sd > 0 and lower < upper (standardised), got mean ${mean}, sd ${sd}, [${lower}, ${upper}]`)
    return mean + sd * truncatedStd(this, ab[0], ab[1])
  }

  /** A label in [0, k) with probabilities proportional to p[offset .. offset + k), as `sampleCategorical`. */
  categorical(p: ArrayLike<number>, offset = 0, k = p.length - offset): number {
    const label = categoricalRow(this, p, offset, k)
    if (label < 0) throw new RangeError('categorical needs non-negative probabilities with a finite, positive total')
    return label
  }

  /** Uniform integer in [0, m) (m <= 2^32), by rejection so that it is unbiased. */
  integer(m: number): number {
    const limit = Math.floor(4294967296 / m) * m
    for (;;) {
      const u = this.nextU32()
      if (u < limit) return u % m
    }
  }

  /**
   * Binomial(n, p) successes, exactly: inversion by sequential search (expected work
   * n min(p, 1 - p)); halves of n are drawn separately while (1 - p)^n could underflow.
   */
  binomial(n: number, p: number): number {
    if (!(Number.isInteger(n) && n >= 0 && p >= 0 && p <= 1)) throw new RangeError('binomial needs an integer n >= 0 and p in [0, 1]')
    if (p > 0.5) return n - this.binomial(n, 1 - p)
    if (n === 0 || p === 0) return 0
    if (n * p > 200) {
      const half = Math.floor(n / 2)
      return this.binomial(half, p) + this.binomial(n - half, p)
    }
    const q = 1 - p
    const ratio = p / q
    let prob = Math.pow(q, n)
    let u = this.uniform()
    let x = 0
    while (u >= prob && x < n) {
      u -= prob
      x++
      prob *= ((n - x + 1) / x) * ratio
    }
    return x
  }

  /** An independent generator derived from this one (for restarts and replicates). */
  split(): Rng {
    return new Rng(this.nextU32())
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

function splitmix32(x: number): [number, number] {
  x = (x + 0x9e3779b9) | 0
  let z = x
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  z ^= z >>> 16
  return [x, z]
}

function seedState(seed: number): Int32Array {
  if (!Number.isSafeInteger(seed)) throw new TypeError('seed must be a safe integer')
  // Fold the high bits in so that seeds differing above bit 32 still differ.
  let x = (seed | 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x27d4eb2d)
  const state = new Int32Array(4)
  for (let i = 0; i < 4; i++) {
    const [next, z] = splitmix32(x)
    x = next
    state[i] = z
  }
  // xoshiro must not start from the all-zero state.
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) state[0] = 1
  return state
}
