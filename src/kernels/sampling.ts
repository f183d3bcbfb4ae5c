/**
 * The sampling kernels (random draws from the one seeded generator), part of every
 * backend's `Kernels`. `state` is the 4-word xoshiro128** state (`Rng.state` copied
 * into an I32Buffer); each kernel advances it in place, so consecutive calls continue
 * one stream. All backends give identical draws (assembly/sampling.ts defines the
 * stream; `Rng.normal/normals/gamma/truncatedNormal/categorical` are the same
 * draws one at a time). Kernels report bad input by return value, never by writing
 * outside their buffers; callers raise EmkitError.
 */
import type { F64Buffer, I32Buffer, OptionalF64 } from './buffers.js'

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

  // ---- logistic random-intercept model (assembly/glmm.ts; rows sorted by group) ----

  /**
   * Random-walk Metropolis-within-Gibbs for the random intercepts of a logistic
   * GLMM: group g owns rows groupStart[g] .. groupStart[g+1] (groupStart has
   * nGroups + 1 entries), row i has logit offset[i] + b[g], y[i] successes out of
   * trials[i], b ~ N(0, sigma^2). Starts from `b` and the proposal scales `scale`
   * (both updated in place: the chain and its tuning continue in the next call);
   * burnIn sweeps (scales tuned toward 27.5% acceptance), then m * thin sweeps of which
   * every thin-th state becomes a row of draws (m x nGroups). accept[g] = acceptance
   * rate over the kept sweeps; `current` (nGroups) is scratch. Returns the first group
   * whose scale is not in (0, Inf) (nothing drawn), or -1.
   */
  glmmSampleIntercepts(
    state: I32Buffer, offset: F64Buffer, y: F64Buffer, trials: F64Buffer, groupStart: I32Buffer, nGroups: number,
    sigma: number, b: F64Buffer, scale: F64Buffer, current: F64Buffer,
    burnIn: number, thin: number, m: number, draws: F64Buffer, accept: F64Buffer,
  ): number
  /**
   * Per-row sums over m draws of b (m x nGroups): s[i] = sum_r (y_i - t_i mu_ri) and
   * h[i] = sum_r t_i mu_ri (1 - mu_ri), x_ri = offset[i] + b_r[group[i]] (the pieces
   * of the logistic gradient and Hessian). With a `q` buffer (m) it also writes each
   * draw's q[r] = sum_i [y_i x_ri - t_i log(1 + exp(x_ri))] and returns their sum;
   * with q = null it returns 0.
   */
  glmmLogisticSums(
    offset: F64Buffer, y: F64Buffer, trials: F64Buffer, group: I32Buffer, n: number,
    draws: F64Buffer, m: number, nGroups: number, s: F64Buffer, h: F64Buffer, q: OptionalF64,
  ): number
}
