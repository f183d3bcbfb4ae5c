import { DegenerateError } from '../../core/errors.js'
import type { Kernels } from '../../kernels/types.js'
import type { Rng } from '../../core/rng/xoshiro128.js'

/** What drawing from a Gaussian mixture needs: weights, means, and every covariance in full form. */
export interface MixtureDraw {
  readonly k: number
  readonly d: number
  readonly weights: ArrayLike<number>
  readonly means: ArrayLike<number>
  /** k*d*d, full matrices (CovarianceStrategy.expandFull). */
  readonly fullCovariances: Float64Array
}

/**
 * n rows from the mixture: a component by its weight (one uniform), then
 * mean + L z with L the Cholesky factor (through the kernels) and z standard normals.
 * The one mixture sampler: GaussianMixture.sample and the parametric bootstrap use it.
 */
export function sampleMixture(kernels: Kernels, mix: MixtureDraw, n: number, rng: Rng): { data: Float64Array; labels: Int32Array } {
  const { k, d, weights, means } = mix
  const arena = kernels.arena()
  let factors: Float64Array
  try {
    const l = arena.f64(k * d * d)
    const failed = kernels.cholesky(arena.f64From(mix.fullCovariances), k, d, l)
    if (failed >= 0) {
      throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of component ${failed} is not positive definite, so the mixture cannot be sampled; refit with a larger regCovar.`, { component: failed })
    }
    factors = l.view.slice()
  } finally {
    arena.dispose()
  }
  const data = new Float64Array(n * d)
  const labels = new Int32Array(n)
  const z = new Float64Array(d)
  for (let s = 0; s < n; s++) {
    let u = rng.uniform(), c = 0
    while (c < k - 1 && u >= weights[c]!) { u -= weights[c]!; c++ }
    for (let j = 0; j < d; j++) z[j] = rng.normal()
    for (let j = 0; j < d; j++) {
      let v = means[c * d + j]!
      for (let l = 0; l <= j; l++) v += factors[c * d * d + j * d + l]! * z[l]!
      data[s * d + j] = v
    }
    labels[s] = c
  }
  return { data, labels }
}
