/**
 * Helpers shared by the kernels: addressing into linear memory (f64 arrays as
 * byte pointers), constants and block sizes, the scratch size each kernel needs,
 * and the packed layout of precision factors used by the full-covariance density.
 */

// @ts-ignore: decorator
@inline export const LOG_2PI: f64 = 1.8378770664093453
/** Rows per block in statsFull (the block's packed rows stay in L1). */
// @ts-ignore: decorator
@inline export const STATS_BLOCK: i32 = 128
/** Row pairs per block in responsibilities. */
// @ts-ignore: decorator
@inline export const RESP_BLOCK: i32 = 32

/** Address of element `index` of an f64 array at `base`. */
// @ts-ignore: decorator
@inline export function at(base: usize, index: i32): usize {
  return base + (<usize>index << 3)
}

// @ts-ignore: decorator
@inline export function ld(base: usize, index: i32): f64 {
  return load<f64>(base + (<usize>index << 3))
}

// @ts-ignore: decorator
@inline export function st(base: usize, index: i32, value: f64): void {
  store<f64>(base + (<usize>index << 3), value)
}

/** Address of 16-byte element `index` of an array at `base`. */
// @ts-ignore: decorator
@inline export function at2(base: usize, index: i32): usize {
  return base + (<usize>index << 4)
}

/** d rounded up to a multiple of 4: the padded width of statsFull's work arrays. */
// @ts-ignore: decorator
@inline export function pad4(d: i32): i32 {
  return (d + 3) & ~3
}

// ---- scratch sizes (exported: the TypeScript side reserves them) --------------

/** Bytes of scratch logDensityDiag and sqDistances need. */
export function scratchRowsBytes(d: i32): i32 {
  return d * 32
}

/** Bytes of scratch logDensityFull needs. */
export function scratchDensityFullBytes(d: i32, k: i32): i32 {
  // the packed factors, 4d (SIMD rows), d (one row's z), then from 9d the SIMD rows' x - mean (4d)
  return (k * packedPrecLength(d) + 13 * d) * 8 + 16
}

/** Bytes of scratch responsibilities needs. */
export function scratchRespBytes(k: i32): i32 {
  // t - max and e, the maxima; then the SIMD build's gathered arguments and their addresses
  return RESP_BLOCK * (k + 1) * 16 + RESP_BLOCK * k * 20
}

/**
 * The responsibilities' floor: a term whose t_c - max is below it (its exp below
 * 2^-100, so its responsibility too) is 0 rather than expFlush(t_c - max). Next to
 * the row's largest term (exp 0 = 1) such terms cannot change the row's sum
 * beyond rounding, and they are left out of the statistics' S1 and S2 anyway
 * (NEGLIGIBLE, below); with separated components most of the n k terms are
 * ~e^-200, and their exps were most of the kernel's time.
 */
// @ts-ignore: decorator
@inline export const RESP_FLOOR: f64 = -69.31471805599453

/** Bytes of scratch statsFull needs. */
export function scratchStatsFullBytes(d: i32, k: i32): i32 {
  const dp = pad4(d)
  // S2 accumulators, the packed block, the k thresholds; then a block's row indices (i32)
  return (k * dp * dp + 2 * STATS_BLOCK * dp + k) * 8 + STATS_BLOCK * 4 + 16
}

/**
 * statsFull leaves out of S1 and S2 the rows whose weight w for a component is at
 * most NEGLIGIBLE * N / n (N: that component's mass, every row counted): together
 * they weigh at most 2^-100 of N, far below rounding, and there are many of them
 * (with separated components most of the n * k weights are ~1e-80).
 */
// @ts-ignore: decorator
@inline export const NEGLIGIBLE: f64 = 7.888609052210118e-31

// ---- packed precision factors ------------------------------------------------

/** Doubles of packed precision factor per component (see packPrec). */
// @ts-ignore: decorator
@inline export function packedPrecLength(d: i32): i32 {
  const T = d >> 2
  return 8 * T * (T + 1)
}

/**
 * Repack the first 4*floor(d/4) rows of each precision factor by blocks of four
 * rows j0..j0+3 (block t, j0 = 4t): for l = 0..j0+3 the four values P[j0+q, l]
 * side by side (zero above the diagonal), so the density loops read one pointer
 * with constant offsets. Rows past 4*floor(d/4) are read from `prec` directly.
 */
export function packPrec(prec: usize, d: i32, count: i32, precStride: i32, dst: usize): void {
  const T = d >> 2
  let o = dst
  for (let c = 0; c < count; c++) {
    const P = at(prec, c * precStride)
    for (let t = 0; t < T; t++) {
      const j0 = t << 2
      for (let l = 0; l < j0 + 4; l++) {
        for (let q = 0; q < 4; q++) {
          store<f64>(o, l <= j0 + q ? ld(P, (j0 + q) * d + l) : 0.0)
          o += 8
        }
      }
    }
  }
}
