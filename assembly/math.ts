/**
 * exp and log exactly as the JS twin computes them (src/kernels/js/math.ts, and
 * V8's Math.log), so that every backend gives the same responsibilities.
 *
 * exp: range reduction n = floor(x*log2e + 0.5), r = x - n*ln2_hi - n*ln2_lo, a
 * degree-13 Taylor polynomial in Horner form (no FMA), and 2^n put straight into
 * the exponent bits. Arguments below EXP_FLUSH give 0 (subnormals slow every later
 * operation), above 709 give +Infinity, NaN gives NaN. Four forms, one result:
 *   expFlush           scalar, with branches (single values)
 *   expFlush2InPlace   scalar, two values interleaved, branch-free (scalar build)
 *   expFlushV          one v128 (two lanes)
 *   expFlushNonPositiveV8InPlace  eight v128 of arguments <= 0 or NaN interleaved
 *                      (the SIMD responsibilities and the HMM's scaled densities)
 * The interleaved forms exist because each exp is one long dependency chain;
 * computing several side by side lets the CPU overlap them.
 *
 * log: a port of fdlibm's __ieee754_log, the implementation behind V8's Math.log,
 * so the wasm and JS backends agree bit for bit.
 */

// @ts-ignore: decorator
@inline export const EXP_FLUSH: f64 = -460.0
// @ts-ignore: decorator
@inline const EXP_OVER: f64 = 709.0
// @ts-ignore: decorator
@inline const LOG2E: f64 = 1.4426950408889634
// @ts-ignore: decorator
@inline const LN2_HI: f64 = 6.93147180369123816490e-1
// @ts-ignore: decorator
@inline const LN2_LO: f64 = 1.90821492927058770002e-10
// 1/13! ... 1/2!, correctly rounded (the JS twin writes them as 1 / 6227020800 etc.).
// @ts-ignore: decorator
@inline const C13: f64 = 1.0 / 6227020800.0
// @ts-ignore: decorator
@inline const C12: f64 = 1.0 / 479001600.0
// @ts-ignore: decorator
@inline const C11: f64 = 1.0 / 39916800.0
// @ts-ignore: decorator
@inline const C10: f64 = 1.0 / 3628800.0
// @ts-ignore: decorator
@inline const C9: f64 = 1.0 / 362880.0
// @ts-ignore: decorator
@inline const C8: f64 = 1.0 / 40320.0
// @ts-ignore: decorator
@inline const C7: f64 = 1.0 / 5040.0
// @ts-ignore: decorator
@inline const C6: f64 = 1.0 / 720.0
// @ts-ignore: decorator
@inline const C5: f64 = 1.0 / 120.0
// @ts-ignore: decorator
@inline const C4: f64 = 1.0 / 24.0
// @ts-ignore: decorator
@inline const C3: f64 = 1.0 / 6.0

/** exp(x), flushed to 0 below EXP_FLUSH; the same operations as expFlush in JS. */
// @ts-ignore: decorator
@inline export function expFlush(x: f64): f64 {
  if (x < EXP_FLUSH) return 0.0
  if (x > EXP_OVER) return Infinity
  const n = Math.floor(x * LOG2E + 0.5)
  const r = x - n * LN2_HI - n * LN2_LO
  let p = C13
  p = p * r + C12
  p = p * r + C11
  p = p * r + C10
  p = p * r + C9
  p = p * r + C8
  p = p * r + C7
  p = p * r + C6
  p = p * r + C5
  p = p * r + C4
  p = p * r + C3
  p = p * r + 0.5
  p = p * r + 1.0
  p = p * r + 1.0
  // n is in [-664, 1023] here, so n + 1023 is a valid biased exponent.
  return p * reinterpret<f64>(<i64>(<i32>n + 1023) << 52)
}

/**
 * The exp constants, each stored twice (one v128 per constant) in a static table:
 * V8 would otherwise rebuild every v128 constant from an immediate (three
 * instructions) at each use inside the loops. The scalar forms read lane 0.
 */
// @ts-ignore: decorator
@lazy const EXPV: usize = memory.data<f64>([
  LOG2E, LOG2E, 0.5, 0.5, LN2_HI, LN2_HI, LN2_LO, LN2_LO, // 0, 16, 32, 48
  C13, C13, C12, C12, C11, C11, C10, C10, // 64, 80, 96, 112
  C9, C9, C8, C8, C7, C7, C6, C6, // 128, 144, 160, 176
  C5, C5, C4, C4, C3, C3, 1.0, 1.0, // 192, 208, 224, 240
  1023.0 + 4503599627370496.0, 1023.0 + 4503599627370496.0, EXP_OVER, EXP_OVER, // 256, 272
  EXP_FLUSH, EXP_FLUSH, Infinity, Infinity, // 288, 304
  EXP_FLUSH - 1.0, EXP_FLUSH - 1.0, EXP_OVER + 1.0, EXP_OVER + 1.0, // 320, 336
], 16)

// @ts-ignore: decorator
@inline function kv(offset: usize): v128 {
  return v128.load(EXPV + offset)
}

/** The same constant as a scalar (first lane). */
// @ts-ignore: decorator
@inline function ks(offset: usize): f64 {
  return load<f64>(EXPV + offset)
}

/** expFlush on both lanes (SIMD build only): the same operations on each lane. */
// @ts-ignore: decorator
@inline export function expFlushV(x: v128): v128 {
  const half = kv(16)
  // Lanes outside [EXP_FLUSH, EXP_OVER] are replaced at the end; clamping them
  // first keeps their (discarded) arithmetic free of subnormals, which are slow.
  const xc = f64x2.pmin(f64x2.pmax(x, kv(320)), kv(336))
  const n = f64x2.floor(f64x2.add(f64x2.mul(xc, kv(0)), half))
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(n, kv(32))), f64x2.mul(n, kv(48)))
  let p = kv(64)
  p = f64x2.add(f64x2.mul(p, r), kv(80))
  p = f64x2.add(f64x2.mul(p, r), kv(96))
  p = f64x2.add(f64x2.mul(p, r), kv(112))
  p = f64x2.add(f64x2.mul(p, r), kv(128))
  p = f64x2.add(f64x2.mul(p, r), kv(144))
  p = f64x2.add(f64x2.mul(p, r), kv(160))
  p = f64x2.add(f64x2.mul(p, r), kv(176))
  p = f64x2.add(f64x2.mul(p, r), kv(192))
  p = f64x2.add(f64x2.mul(p, r), kv(208))
  p = f64x2.add(f64x2.mul(p, r), kv(224))
  p = f64x2.add(f64x2.mul(p, r), half)
  const one = kv(240)
  p = f64x2.add(f64x2.mul(p, r), one)
  p = f64x2.add(f64x2.mul(p, r), one)
  // 2^n: n + 1023 + 2^52 is exact and holds n + 1023 in its low mantissa bits;
  // shifting left by 52 drops the 2^52 exponent and leaves (n + 1023) << 52.
  const e = i64x2.shl(f64x2.add(n, kv(256)), 52)
  let y = f64x2.mul(p, e)
  y = v128.bitselect(kv(304), y, f64x2.gt(x, kv(272)))
  return v128.andnot(y, f64x2.lt(x, kv(288)))
}

/**
 * expFlushV on the eight v128 at ptr .. ptr + 112 whose lanes are all <= 0 or NaN
 * (the responsibilities' t - max, the HMM's log-densities minus the row maximum), the eight computations interleaved step by step:
 * each is one long chain of dependent steps, and four at a time left the CPU
 * waiting on them. Arguments <= 0 need no overflow clamp or Infinity select (both
 * leave such lanes as they are), so the results are exactly expFlushV's.
 */
// @ts-ignore: decorator
@inline export function expFlushNonPositiveV8InPlace(ptr: usize): void {
  expFlushNonPositiveV8InPlaceBelow(ptr, kv(288))
}

/**
 * expFlushNonPositiveV8InPlace with the lanes below `floor` (>= EXP_FLUSH) made 0
 * instead of those below EXP_FLUSH: the same final select with another bound, so
 * the responsibilities' floor costs nothing here.
 */
// @ts-ignore: decorator
@inline export function expFlushNonPositiveV8InPlaceBelow(ptr: usize, floor: v128): void {
  const x0 = v128.load(ptr, 0)
  const x1 = v128.load(ptr, 16)
  const x2 = v128.load(ptr, 32)
  const x3 = v128.load(ptr, 48)
  const x4 = v128.load(ptr, 64)
  const x5 = v128.load(ptr, 80)
  const x6 = v128.load(ptr, 96)
  const x7 = v128.load(ptr, 112)
  // clamped copies for the arithmetic (see expFlushV); x0..x7 decide the result
  const lowC = kv(320)
  const xc0 = f64x2.pmax(x0, lowC)
  const xc1 = f64x2.pmax(x1, lowC)
  const xc2 = f64x2.pmax(x2, lowC)
  const xc3 = f64x2.pmax(x3, lowC)
  const xc4 = f64x2.pmax(x4, lowC)
  const xc5 = f64x2.pmax(x5, lowC)
  const xc6 = f64x2.pmax(x6, lowC)
  const xc7 = f64x2.pmax(x7, lowC)
  const log2e = kv(0)
  const half = kv(16)
  const n0 = f64x2.floor(f64x2.add(f64x2.mul(xc0, log2e), half))
  const n1 = f64x2.floor(f64x2.add(f64x2.mul(xc1, log2e), half))
  const n2 = f64x2.floor(f64x2.add(f64x2.mul(xc2, log2e), half))
  const n3 = f64x2.floor(f64x2.add(f64x2.mul(xc3, log2e), half))
  const n4 = f64x2.floor(f64x2.add(f64x2.mul(xc4, log2e), half))
  const n5 = f64x2.floor(f64x2.add(f64x2.mul(xc5, log2e), half))
  const n6 = f64x2.floor(f64x2.add(f64x2.mul(xc6, log2e), half))
  const n7 = f64x2.floor(f64x2.add(f64x2.mul(xc7, log2e), half))
  const hi = kv(32)
  const lo = kv(48)
  const r0 = f64x2.sub(f64x2.sub(xc0, f64x2.mul(n0, hi)), f64x2.mul(n0, lo))
  const r1 = f64x2.sub(f64x2.sub(xc1, f64x2.mul(n1, hi)), f64x2.mul(n1, lo))
  const r2 = f64x2.sub(f64x2.sub(xc2, f64x2.mul(n2, hi)), f64x2.mul(n2, lo))
  const r3 = f64x2.sub(f64x2.sub(xc3, f64x2.mul(n3, hi)), f64x2.mul(n3, lo))
  const r4 = f64x2.sub(f64x2.sub(xc4, f64x2.mul(n4, hi)), f64x2.mul(n4, lo))
  const r5 = f64x2.sub(f64x2.sub(xc5, f64x2.mul(n5, hi)), f64x2.mul(n5, lo))
  const r6 = f64x2.sub(f64x2.sub(xc6, f64x2.mul(n6, hi)), f64x2.mul(n6, lo))
  const r7 = f64x2.sub(f64x2.sub(xc7, f64x2.mul(n7, hi)), f64x2.mul(n7, lo))
  let c = kv(64)
  let p0 = c
  let p1 = c
  let p2 = c
  let p3 = c
  let p4 = c
  let p5 = c
  let p6 = c
  let p7 = c
  c = kv(80)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(96)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(112)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(128)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(144)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(160)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(176)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(192)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(208)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(224)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(16)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(240)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(240)
  p0 = f64x2.add(f64x2.mul(p0, r0), c)
  p1 = f64x2.add(f64x2.mul(p1, r1), c)
  p2 = f64x2.add(f64x2.mul(p2, r2), c)
  p3 = f64x2.add(f64x2.mul(p3, r3), c)
  p4 = f64x2.add(f64x2.mul(p4, r4), c)
  p5 = f64x2.add(f64x2.mul(p5, r5), c)
  p6 = f64x2.add(f64x2.mul(p6, r6), c)
  p7 = f64x2.add(f64x2.mul(p7, r7), c)
  c = kv(256)
  const flush = floor
  v128.store(ptr, v128.andnot(f64x2.mul(p0, i64x2.shl(f64x2.add(n0, c), 52)), f64x2.lt(x0, flush)), 0)
  v128.store(ptr, v128.andnot(f64x2.mul(p1, i64x2.shl(f64x2.add(n1, c), 52)), f64x2.lt(x1, flush)), 16)
  v128.store(ptr, v128.andnot(f64x2.mul(p2, i64x2.shl(f64x2.add(n2, c), 52)), f64x2.lt(x2, flush)), 32)
  v128.store(ptr, v128.andnot(f64x2.mul(p3, i64x2.shl(f64x2.add(n3, c), 52)), f64x2.lt(x3, flush)), 48)
  v128.store(ptr, v128.andnot(f64x2.mul(p4, i64x2.shl(f64x2.add(n4, c), 52)), f64x2.lt(x4, flush)), 64)
  v128.store(ptr, v128.andnot(f64x2.mul(p5, i64x2.shl(f64x2.add(n5, c), 52)), f64x2.lt(x5, flush)), 80)
  v128.store(ptr, v128.andnot(f64x2.mul(p6, i64x2.shl(f64x2.add(n6, c), 52)), f64x2.lt(x6, flush)), 96)
  v128.store(ptr, v128.andnot(f64x2.mul(p7, i64x2.shl(f64x2.add(n7, c), 52)), f64x2.lt(x7, flush)), 112)
}

/**
 * expFlush in place on the f64 at ptr, ptr + 8, ..., the computations
 * interleaved (see expFlushNonPositiveV8InPlace) and branch-free: out-of-range lanes are
 * replaced by 0 or Infinity with selects, giving exactly expFlush's results.
 */
// @ts-ignore: decorator
@inline export function expFlush2InPlace(ptr: usize): void {
  const x0 = load<f64>(ptr, 0)
  const x1 = load<f64>(ptr, 8)
  // clamped copies for the arithmetic (see expFlushV); x0, x1 decide the result
  const lowC = ks(320)
  const highC = ks(336)
  let xc0 = select<f64>(lowC, x0, x0 < lowC)
  xc0 = select<f64>(highC, xc0, xc0 > highC)
  let xc1 = select<f64>(lowC, x1, x1 < lowC)
  xc1 = select<f64>(highC, xc1, xc1 > highC)
  const log2e = ks(0)
  const half = ks(16)
  const n0 = Math.floor(xc0 * log2e + half)
  const n1 = Math.floor(xc1 * log2e + half)
  const hi = ks(32)
  const lo = ks(48)
  const r0 = xc0 - n0 * hi - n0 * lo
  const r1 = xc1 - n1 * hi - n1 * lo
  let c = ks(64)
  let p0 = c
  let p1 = c
  c = ks(80)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(96)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(112)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(128)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(144)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(160)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(176)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(192)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(208)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(224)
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(16)  // 0.5
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(240)  // 1
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(240)  // 1
  p0 = p0 * r0 + c
  p1 = p1 * r1 + c
  c = ks(256)
  let y0 = p0 * reinterpret<f64>(reinterpret<i64>(n0 + c) << 52)
  let y1 = p1 * reinterpret<f64>(reinterpret<i64>(n1 + c) << 52)
  const over = ks(272)
  const flush = ks(288)
  y0 = select<f64>(Infinity, y0, x0 > over)
  y1 = select<f64>(Infinity, y1, x1 > over)
  store<f64>(ptr, select<f64>(0.0, y0, x0 < flush), 0)
  store<f64>(ptr, select<f64>(0.0, y1, x1 < flush), 8)
}

// fdlibm e_log.c constants
// @ts-ignore: decorator
@inline const TWO54: f64 = 1.80143985094819840000e+16
// @ts-ignore: decorator
@inline const LG1: f64 = 6.666666666666735130e-01
// @ts-ignore: decorator
@inline const LG2: f64 = 3.999999999940941908e-01
// @ts-ignore: decorator
@inline const LG3: f64 = 2.857142874366239149e-01
// @ts-ignore: decorator
@inline const LG4: f64 = 2.222219843214978396e-01
// @ts-ignore: decorator
@inline const LG5: f64 = 1.818357216161805012e-01
// @ts-ignore: decorator
@inline const LG6: f64 = 1.531383769920937332e-01
// @ts-ignore: decorator
@inline const LG7: f64 = 1.479819860511658591e-01

/** Natural logarithm: fdlibm's __ieee754_log (what V8's Math.log computes). */
export function logF(xIn: f64): f64 {
  let x = xIn
  let bits = reinterpret<i64>(x)
  let hx = <i32>(bits >> 32)
  const lx = <i32>bits
  let k: i32 = 0
  if (hx < 0x00100000) {
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity
    if (hx < 0) return NaN
    k -= 54
    x *= TWO54
    bits = reinterpret<i64>(x)
    hx = <i32>(bits >> 32)
  }
  if (hx >= 0x7ff00000) return x + x
  k += (hx >> 20) - 1023
  hx &= 0x000fffff
  let i = (hx + 0x95f64) & 0x100000
  // normalize x or x/2
  x = reinterpret<f64>((<i64>(hx | (i ^ 0x3ff00000)) << 32) | (reinterpret<i64>(x) & 0xffffffff))
  k += i >> 20
  const f = x - 1.0
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f == 0.0) {
      if (k == 0) return 0.0
      const dk = <f64>k
      return dk * LN2_HI + dk * LN2_LO
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f)
    if (k == 0) return f - R
    const dk = <f64>k
    return dk * LN2_HI - ((R - dk * LN2_LO) - f)
  }
  const s = f / (2.0 + f)
  const dk = <f64>k
  const z = s * s
  i = hx - 0x6147a
  const w = z * z
  const j = 0x6b851 - hx
  const t1 = w * (LG2 + w * (LG4 + w * LG6))
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
  i |= j
  const R = t2 + t1
  if (i > 0) {
    const hfsq = 0.5 * f * f
    if (k == 0) return f - (hfsq - s * (hfsq + R))
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f)
  }
  if (k == 0) return f - s * (f - R)
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f)
}
