/**
 * The draws of emkit's one stream, in TypeScript: the same operations in the same
 * order as assembly/sampling.ts (see its file comment for the stream definition), so
 * `Rng` methods, the JS kernels and both wasm builds give identical draws from a seed.
 * Math.log is fdlibm's log in V8, which assembly/math.ts's logF ports; sqrt is exact;
 * exp is emkit's (src/kernels/js/math.ts).
 */
import { expFlush } from '../math/exp.js'

/** The part of Rng these draws need. */
export interface UniformSource {
  uniform(): number
}

/** The second value of the last polar pair (as `spare` in assembly/sampling.ts). */
let spare = 0

/** The second value of the most recent polar pair drawn by normalPair. */
export function lastSpare(): number {
  return spare
}

/** Marsaglia's polar method: returns the first value of a pair; the second is lastSpare(). */
export function normalPair(rng: UniformSource): number {
  let u: number, v: number, s: number
  do {
    u = 2 * rng.uniform() - 1
    v = 2 * rng.uniform() - 1
    s = u * u + v * v
  } while (!(s > 0 && s < 1))
  const f = Math.sqrt(-2 * Math.log(s) / s)
  spare = v * f
  return u * f
}

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
    const w = spare
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
