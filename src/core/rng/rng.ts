/**
 * The public Rng: emkit's one seeded generator (xoshiro128.ts) with the draws the fits
 * of a Gaussian mixture never make (sampling.ts), so a bundle that does not import Rng
 * carries only the generator.
 */
import { binomial, categorical, gamma, truncatedNormal } from './sampling.js'
import { Rng as Generator } from './xoshiro128.js'

export class Rng extends Generator {
  /** Gamma(shape, rate) draw (Marsaglia & Tsang); as the `sampleGammas` kernel divided by `rate`. */
  gamma(shape: number, rate = 1): number {
    return gamma(this, shape, rate)
  }

  /** N(mean, sd^2) truncated to [lower, upper] (exact; stable far in the tails), as `sampleTruncatedNormals`. */
  truncatedNormal(mean: number, sd: number, lower: number, upper: number): number {
    return truncatedNormal(this, mean, sd, lower, upper)
  }

  /** A label in [0, k) with probabilities proportional to p[offset .. offset + k), as `sampleCategorical`. */
  categorical(p: ArrayLike<number>, offset = 0, k = p.length - offset): number {
    return categorical(this, p, offset, k)
  }

  /** Binomial(n, p) successes, exactly (sequential inversion; see sampling.ts). */
  binomial(n: number, p: number): number {
    return binomial(this, n, p)
  }
}
