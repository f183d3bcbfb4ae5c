/**
 * The draws of emkit's one stream, in TypeScript: the same operations in the same
 * order as assembly/sampling.ts (see its file comment for the stream definition), so
 * `Rng` methods, the JS kernels and both wasm builds give identical draws from a seed.
 * Math.log is fdlibm's log in V8, which assembly/math.ts's logF ports; sqrt is exact;
 * exp is emkit's (src/kernels/js/math.ts). The normal pair is normal.ts (the
 * generator's own normal()); the public Rng's gamma, truncatedNormal, categorical and
 * binomial (rng.ts) are the checked draws at the end of this file.
 */
import { expFlush } from '../math/exp.js'
import { lastSpare, normalPair, type UniformSource } from './normal.js'

const LN2 = 0.6931471805599453
const TWO_M512 = 2 ** -512

/** exp without the flush below -460 (as expWide in assembly/sampling.ts). */
export function expWide(x: number): number {
  if (x >= -460) return expFlush(x)
  if (x < -745.2) return 0
  return expFlush(x + 512 * LN2) * TWO_M512
}

/** Gamma(shape a, rate 1), a > 0: Marsaglia & Tsang; a < 1 as gamma(a + 1) U^(1/a). */
export function gammaStd(rng: UniformSource, a: number): number {
  if (a < 1) {
    const g = gammaStd(rng, a + 1)
    const u = 1 - rng.uniform()
    return g * expWide(Math.log(u) / a)
  }
  const d = a - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = normalPair(rng)
    let v = 1 + c * x
    if (v <= 0) continue
    v = v * v * v
    const u = 1 - rng.uniform()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

/** Standard normal truncated to [a, b], 0 <= a < b <= Infinity (Robert 1995). */
function tnRight(rng: UniformSource, a: number, b: number): number {
  const lambda = a > 1e8 ? a : (a + Math.sqrt(a * a + 4)) * 0.5
  if (lambda * (b - a) < 1) {
    for (;;) {
      const z = a + (b - a) * rng.uniform()
      const v = 1 - rng.uniform()
      if (Math.log(v) <= -0.5 * (z - a) * (z + a)) return z
    }
  }
  for (;;) {
    const z = a - Math.log(1 - rng.uniform()) / lambda
    if (z > b) continue
    const v = 1 - rng.uniform()
    const e = z - lambda
    if (Math.log(v) <= -0.5 * e * e) return z
  }
}

/** Standard normal truncated to [a, b], a < b (either may be infinite). */
export function truncatedStd(rng: UniformSource, a: number, b: number): number {
  if (a >= 0) return tnRight(rng, a, b)
  if (b <= 0) return -tnRight(rng, -b, -a)
  if (b - a < 2.5066282746310002) {
    for (;;) {
      const z = a + (b - a) * rng.uniform()
      const v = 1 - rng.uniform()
      if (Math.log(v) <= -0.5 * z * z) return z
    }
  }
  for (;;) {
    const z = normalPair(rng)
    if (z >= a && z <= b) return z
    const w = lastSpare()
    if (w >= a && w <= b) return w
  }
}

/**
 * A label from the unnormalised probabilities p[offset .. offset + k): one uniform,
 * label = #{c < k-1 : cumsum_c <= U * total}; -1 when the total is not > 0 and finite
 * (the uniform is still used).
 */
export function categoricalRow(rng: UniformSource, p: ArrayLike<number>, offset: number, k: number): number {
  const u = rng.uniform()
  let total = 0
  for (let c = 0; c < k; c++) total += p[offset + c]!
  const t = u * total
  let cum = 0
  let count = 0
  for (let c = 0; c < k - 1; c++) {
    cum += p[offset + c]!
    if (cum <= t) count++
  }
  return total > 0 && total < Infinity ? count : -1
}

/** Whether (mean, sd, lower, upper) standardise to bounds a < b the samplers accept; returns [a, b] or null. */
export function standardBounds(mean: number, sd: number, lower: number, upper: number): [number, number] | null {
  const a = (lower - mean) / sd
  const b = (upper - mean) / sd
  if (!(sd > 0 && sd < Infinity && a < b && a < Infinity && b > -Infinity)) return null
  return [a, b]
}

/** Gamma(shape, rate) draw (Marsaglia & Tsang); as the `sampleGammas` kernel divided by `rate`. */
export function gamma(rng: UniformSource, shape: number, rate = 1): number {
  if (!(shape > 0 && shape < Infinity) || !(rate > 0 && rate < Infinity)) throw new RangeError(`gamma needs shape and rate in (0, Infinity), got ${shape}, ${rate}`)
  return gammaStd(rng, shape) / rate
}

/** N(mean, sd^2) truncated to [lower, upper] (exact; stable far in the tails), as `sampleTruncatedNormals`. */
export function truncatedNormal(rng: UniformSource, mean: number, sd: number, lower: number, upper: number): number {
  const ab = standardBounds(mean, sd, lower, upper)
  if (ab === null) throw new RangeError(`truncatedNormal needs sd > 0 and lower < upper (standardised), got mean ${mean}, sd ${sd}, [${lower}, ${upper}]`)
  return mean + sd * truncatedStd(rng, ab[0], ab[1])
}

/** A label in [0, k) with probabilities proportional to p[offset .. offset + k), as `sampleCategorical`. */
export function categorical(rng: UniformSource, p: ArrayLike<number>, offset = 0, k = p.length - offset): number {
  const label = categoricalRow(rng, p, offset, k)
  if (label < 0) throw new RangeError('categorical needs non-negative probabilities with a finite, positive total')
  return label
}

/**
 * Binomial(n, p) successes, exactly: inversion by sequential search (expected work
 * n min(p, 1 - p)); halves of n are drawn separately while (1 - p)^n could underflow.
 */
export function binomial(rng: UniformSource, n: number, p: number): number {
  if (!(Number.isInteger(n) && n >= 0 && p >= 0 && p <= 1)) throw new RangeError('binomial needs an integer n >= 0 and p in [0, 1]')
  if (p > 0.5) return n - binomial(rng, n, 1 - p)
  if (n === 0 || p === 0) return 0
  if (n * p > 200) {
    const half = Math.floor(n / 2)
    return binomial(rng, half, p) + binomial(rng, n - half, p)
  }
  const q = 1 - p
  const ratio = p / q
  let prob = Math.pow(q, n)
  let u = rng.uniform()
  let x = 0
  while (u >= prob && x < n) {
    u -= prob
    x++
    prob *= ((n - x + 1) / x) * ratio
  }
  return x
}
