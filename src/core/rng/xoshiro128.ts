/**
 * The one seeded generator of emkit: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32. 32-bit words keep it exact and fast in plain JS (Math.imul, >>> 0);
 * assembly/rng.ts implements the same stream for the wasm kernels, and tests check
 * that both give identical draws. This class has what emkit's fits draw (uniforms,
 * normals, integers, split streams); the public Rng (rng.ts) adds the other draws.
 */
import { lastSpare, normalPair } from './normal.js'

export class Rng {
  /** The four u32 state words (stored as signed i32 so they copy into wasm as-is). */
  readonly state: Int32Array

  constructor(seed: number) {
    this.state = seedState(seed)
  }

  static fromState<R extends Rng>(this: new (seed: number) => R, state: ArrayLike<number>): R {
    const rng = new this(0)
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

  /** Uniform integer in [0, m) (m <= 2^32), by rejection so that it is unbiased. */
  integer(m: number): number {
    const limit = Math.floor(4294967296 / m) * m
    for (;;) {
      const u = this.nextU32()
      if (u < limit) return u % m
    }
  }

  /** An independent generator derived from this one (for restarts and replicates). */
  split(): this {
    return new (this.constructor as new (seed: number) => this)(this.nextU32())
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
