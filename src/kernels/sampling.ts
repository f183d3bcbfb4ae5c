/**
 * The sampling kernels (random draws from the one seeded generator), part of every
 * backend's `Kernels`. `state` is the 4-word xoshiro128** state (`Rng.state` copied
 * into an I32Buffer); each kernel advances it in place, so consecutive calls continue
 * one stream. All backends give identical draws (assembly/sampling.ts defines the
 * stream; `Rng.standardNormal/normals/gamma/truncatedNormal/categorical` are the same
 * draws one at a time). Kernels report bad input by return value, never by writing
 * outside their buffers; callers raise EmkitError.
 */
import type { F64Buffer, I32Buffer } from './types.js'

export interface SamplingKernels {
  /** out[0..n) standard normals (polar pairs). */
  sampleNormals(state: I32Buffer, out: F64Buffer, n: number): void
  /** out[i] ~ Gamma(shape[i], rate 1). Returns the first i with shape[i] not in (0, Inf) (drawing stops there), or -1. */
  sampleGammas(state: I32Buffer, shape: F64Buffer, out: F64Buffer, n: number): number
  /**
   * out[i] ~ N(mean[i], sd[i]^2) truncated to [lower[i], upper[i]] (bounds may be
   * infinite). Returns the first i whose bounds or sd are invalid (drawing stops there), or -1.
   */
  sampleTruncatedNormals(state: I32Buffer, mean: F64Buffer, sd: F64Buffer, lower: F64Buffer, upper: F64Buffer, n: number, out: F64Buffer): number
  /**
   * labels[i] ~ Categorical(prob[i*k .. i*k+k)) (unnormalised, >= 0), e.g. mixture
   * labels from responsibilities. Rows whose total is not in (0, Inf) get -1; returns
   * their number.
   */
  sampleCategorical(state: I32Buffer, prob: F64Buffer, n: number, k: number, labels: I32Buffer): number
}
