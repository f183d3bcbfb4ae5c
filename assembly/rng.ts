/**
 * xoshiro128** (Blackman & Vigna), the same stream as src/rng/xoshiro128.ts: each
 * uniform in [0, 1) takes two u32 outputs, 27 + 26 = 53 random bits.
 */

// The generator's state while a kernel runs (loaded from and stored back to the caller's buffer).
let s0: u32 = 0
let s1: u32 = 0
let s2: u32 = 0
let s3: u32 = 0

// @ts-ignore: decorator
@inline function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >>> (32 - k))
}

// @ts-ignore: decorator
@inline export function loadState(state: usize): void {
  s0 = load<u32>(state, 0)
  s1 = load<u32>(state, 4)
  s2 = load<u32>(state, 8)
  s3 = load<u32>(state, 12)
}

// @ts-ignore: decorator
@inline export function storeState(state: usize): void {
  store<u32>(state, s0, 0)
  store<u32>(state, s1, 4)
  store<u32>(state, s2, 8)
  store<u32>(state, s3, 12)
}

// @ts-ignore: decorator
@inline export function nextU32(): u32 {
  const r = rotl(s1 * 5, 7) * 9
  const t = s1 << 9
  s2 ^= s0
  s3 ^= s1
  s1 ^= s2
  s0 ^= s3
  s2 ^= t
  s3 = rotl(s3, 11)
  return r
}

/** Uniform in [0, 1): 27 + 26 bits, as Rng.uniform. */
// @ts-ignore: decorator
@inline export function uniform(): f64 {
  const hi = <f64>(nextU32() >>> 5)
  const lo = <f64>(nextU32() >>> 6)
  return (hi * 67108864.0 + lo) / 9007199254740992.0
}

/**
 * Fill out[0..count) with uniforms from the state at `state` (4 x u32), advancing
 * it in place so the next call continues the stream.
 */
export function uniforms(state: usize, out: usize, count: i32): void {
  loadState(state)
  for (let i = 0; i < count; i++) store<f64>(out + (<usize>i << 3), uniform())
  storeState(state)
}
