/**
 * xoshiro128** (Blackman & Vigna), the same stream as src/rng/xoshiro128.ts: each
 * uniform in [0, 1) takes two u32 outputs, 27 + 26 = 53 random bits.
 */

// @ts-ignore: decorator
@inline function rotl(x: u32, k: u32): u32 {
  return (x << k) | (x >>> (32 - k))
}

/**
 * Fill out[0..count) with uniforms from the state at `state` (4 x u32), advancing
 * it in place so the next call continues the stream.
 */
export function uniforms(state: usize, out: usize, count: i32): void {
  let s0 = load<u32>(state, 0)
  let s1 = load<u32>(state, 4)
  let s2 = load<u32>(state, 8)
  let s3 = load<u32>(state, 12)
  for (let i = 0; i < count; i++) {
    // first output: the high 27 bits
    let r = rotl(s1 * 5, 7) * 9
    let t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    const hi = <f64>(r >>> 5)
    // second output: the high 26 bits
    r = rotl(s1 * 5, 7) * 9
    t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    const lo = <f64>(r >>> 6)
    store<f64>(out + (<usize>i << 3), (hi * 67108864.0 + lo) / 9007199254740992.0)
  }
  store<u32>(state, s0, 0)
  store<u32>(state, s1, 4)
  store<u32>(state, s2, 8)
  store<u32>(state, s3, 12)
}
