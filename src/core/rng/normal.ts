/**
 * Normal draws of emkit's one stream (Marsaglia's polar method), apart from the other
 * draws (sampling.ts): the generator's own `normal()` needs only these, so a bundle
 * that never draws a gamma, a truncated normal, a label or a binomial leaves the rest
 * out. The same operations in the same order as assembly/sampling.ts.
 */

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
