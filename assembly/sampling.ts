/**
 * Random draws from the one seeded generator (xoshiro128**, the stream of
 * assembly/rng.ts and src/rng/xoshiro128.ts). The JS twin is
 * src/kernels/js/sampling.ts and the same methods exist on the TS `Rng` class: the
 * three perform the same operations in the same order, so a seed gives the same draws
 * on every backend (log is fdlibm's, as V8's Math.log; sqrt is exact; exp is emkit's).
 *
 * The stream definition (every backend):
 *   uniform          two u32 outputs, 53 bits, in [0, 1)
 *   normal pair      Marsaglia's polar method: u = 2U-1, v = 2U-1 until 0 < s < 1,
 *                    then (u f, v f) with f = sqrt(-2 log(s) / s)
 *   normals(n)       ceil(n/2) pairs, both values kept (the last second value of an odd n is dropped)
 *   normal (single)  the first value of one pair
 *   gamma(a)         Marsaglia & Tsang (a >= 1), a < 1 as gamma(a+1) * U^(1/a)
 *   categorical      one uniform per row, label = #{c < k-1 : cumsum_c <= U * total}
 *   truncated normal Robert (1995): exponential proposals in one tail, uniform
 *                    proposals on short intervals, plain normals for wide intervals
 *                    around 0 (details in tnStd)
 * Every draw consumes the one sequential stream (and normals, gammas and truncated
 * normals are rejection loops), so these kernels are the same scalar code in both
 * builds. An f64x2 categorical kernel (two rows per v128, lanes gathered with
 * replace_lane) was measured and removed: 65 M labels/s against 79 M/s scalar at K = 4.
 */
import { expFlush, logF } from './math'
import { loadState, storeState, uniform } from './rng'


/** The second value of the last polar pair. */
let spare: f64 = 0

/** One polar pair: returns the first value, leaves the second in `spare` (read it with lastSpare). */
export function normalPair(): f64 {
  let u: f64 = 0, v: f64 = 0, s: f64 = 0
  do {
    u = 2.0 * uniform() - 1.0
    v = 2.0 * uniform() - 1.0
    s = u * u + v * v
  } while (!(s > 0.0 && s < 1.0))
  const f = Math.sqrt(-2.0 * logF(s) / s)
  spare = v * f
  return u * f
}

/** The second value of the last polar pair (assembly/glmm.ts pairs its proposals this way). */
// @ts-ignore: decorator
@inline export function lastSpare(): f64 {
  return spare
}

const LN2: f64 = 0.6931471805599453
// 2^-512, exact
const TWO_M512: f64 = reinterpret<f64>(<i64>(1023 - 512) << 52)

/** exp without emkit's flush: exp(x) = exp(x + 512 ln2) 2^-512 below -460 (subnormal results kept). */
function expWide(x: f64): f64 {
  if (x >= -460.0) return expFlush(x)
  if (x < -745.2) return 0.0
  return expFlush(x + 512.0 * LN2) * TWO_M512
}

/** Gamma(shape a, rate 1), a > 0. */
function gammaStd(a: f64): f64 {
  if (a < 1.0) {
    const g = gammaStd(a + 1.0)
    const u = 1.0 - uniform()
    return g * expWide(logF(u) / a)
  }
  const d = a - 1.0 / 3.0
  const c = 1.0 / Math.sqrt(9.0 * d)
  for (;;) {
    const x = normalPair()
    let v = 1.0 + c * x
    if (v <= 0.0) continue
    v = v * v * v
    const u = 1.0 - uniform()
    if (logF(u) < 0.5 * x * x + d - d * v + d * logF(v)) return d * v
  }
  return 0.0 // unreachable
}

/** Standard normal truncated to [a, b] with 0 <= a < b <= Infinity. */
function tnRight(a: f64, b: f64): f64 {
  const lambda = a > 1e8 ? a : (a + Math.sqrt(a * a + 4.0)) * 0.5
  if (lambda * (b - a) < 1.0) {
    // short interval: uniform proposals, accept with exp((a^2 - z^2) / 2)
    for (;;) {
      const z = a + (b - a) * uniform()
      const v = 1.0 - uniform()
      if (logF(v) <= -0.5 * (z - a) * (z + a)) return z
    }
  }
  // Robert's exponential proposals a + Exp(lambda), accept with exp(-(z - lambda)^2 / 2)
  for (;;) {
    const z = a - logF(1.0 - uniform()) / lambda
    if (z > b) continue
    const v = 1.0 - uniform()
    const e = z - lambda
    if (logF(v) <= -0.5 * e * e) return z
  }
  return 0.0 // unreachable
}

/** Standard normal truncated to [a, b], a < b (either may be infinite). */
function tnStd(a: f64, b: f64): f64 {
  if (a >= 0.0) return tnRight(a, b)
  if (b <= 0.0) return -tnRight(-b, -a)
  // a < 0 < b
  if (b - a < 2.5066282746310002) {
    // uniform proposals, accept with exp(-z^2 / 2)
    for (;;) {
      const z = a + (b - a) * uniform()
      const v = 1.0 - uniform()
      if (logF(v) <= -0.5 * z * z) return z
    }
  }
  // plain normals (both values of each pair)
  for (;;) {
    const z = normalPair()
    if (z >= a && z <= b) return z
    const w = spare
    if (w >= a && w <= b) return w
  }
  return 0.0 // unreachable
}

/** out[0..n) standard normals (pairs, see the file comment). */
export function sampleNormals(state: usize, out: usize, n: i32): void {
  loadState(state)
  let i = 0
  for (; i + 1 < n; i += 2) {
    store<f64>(out + (<usize>i << 3), normalPair())
    store<f64>(out + (<usize>(i + 1) << 3), spare)
  }
  if (i < n) store<f64>(out + (<usize>i << 3), normalPair())
  storeState(state)
}

/** out[i] ~ Gamma(shape[i], rate 1). Returns the first index with shape not > 0 (nothing drawn from there), or -1. */
export function sampleGammas(state: usize, shape: usize, out: usize, n: i32): i32 {
  loadState(state)
  for (let i = 0; i < n; i++) {
    const a = load<f64>(shape + (<usize>i << 3))
    if (!(a > 0.0 && a < Infinity)) { storeState(state); return i }
    store<f64>(out + (<usize>i << 3), gammaStd(a))
  }
  storeState(state)
  return -1
}

/**
 * out[i] = mean[i] + sd[i] z, z ~ N(0, 1) truncated to [(lower[i] - mean[i]) / sd[i],
 * (upper[i] - mean[i]) / sd[i]]. Returns the first index whose standardised bounds
 * are not a < b (or sd not > 0), or -1.
 */
export function sampleTruncatedNormals(state: usize, mean: usize, sd: usize, lower: usize, upper: usize, n: i32, out: usize): i32 {
  loadState(state)
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 3
    const m = load<f64>(mean + off)
    const s = load<f64>(sd + off)
    const a = (load<f64>(lower + off) - m) / s
    const b = (load<f64>(upper + off) - m) / s
    if (!(s > 0.0 && s < Infinity && a < b && a < Infinity && b > -Infinity)) { storeState(state); return i }
    store<f64>(out + off, m + s * tnStd(a, b))
  }
  storeState(state)
  return -1
}

/**
 * labels[i] ~ Categorical(prob[i*k .. i*k+k)) (unnormalised, >= 0): one uniform per
 * row, label = #{c < k-1 : cumsum_c <= U * total}. Rows whose total is not > 0 and
 * finite get label -1; returns how many there were.
 */
export function sampleCategorical(state: usize, prob: usize, n: i32, k: i32, labels: usize): i32 {
  loadState(state)
  let bad = 0
  for (let i = 0; i < n; i++) {
    const row = prob + (<usize>(i * k) << 3)
    const u = uniform()
    let total: f64 = 0
    for (let c = 0; c < k; c++) total += load<f64>(row + (<usize>c << 3))
    const t = u * total
    let cum: f64 = 0
    let count = 0
    for (let c = 0; c < k - 1; c++) {
      cum += load<f64>(row + (<usize>c << 3))
      count += i32(cum <= t)
    }
    if (!(total > 0.0 && total < Infinity)) { count = -1; bad++ }
    store<i32>(labels + (<usize>i << 2), count)
  }
  storeState(state)
  return bad
}
