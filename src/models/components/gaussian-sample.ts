/**
 * The Gaussian component with draws of one member (`Component.sample`): what the HMMs'
 * Gaussian emissions are (hmm/emissions.ts: GaussianEmission) and the GMM-HMM's
 * mixtures sample with. Apart from gaussian.ts so that the Gaussian mixture, which
 * samples with the kernels (gmm/sample.ts), does not carry it.
 */
import { DegenerateError } from '../../core/errors.js'
import { cholesky } from '../../core/math/dense.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Component } from './component.js'
import { GaussianComponent, type GaussianData, type GaussianParams } from './gaussian.js'

export class SampledGaussianComponent extends GaussianComponent implements Component<GaussianParams, GaussianData> {
  /** Cholesky factors for sampling, per parameters (parameters are never mutated). */
  private readonly factors = new WeakMap<GaussianParams, Float64Array>()

  /** mean_c + L_c z, z standard normal (d draws of `rng`). */
  sample(params: GaussianParams, c: number, rng: Rng): number[] {
    const { k, d } = this
    let factors = this.factors.get(params)
    if (!factors) {
      const full = this.covariance.expandFull(params.covariances, k, d)
      factors = new Float64Array(k * d * d)
      for (let s = 0; s < k; s++) {
        const l = cholesky(full.subarray(s * d * d, (s + 1) * d * d), d)
        if (!l) throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of component ${s} is not positive definite; refit with a larger regCovar.`, { component: s })
        factors.set(l, s * d * d)
      }
      this.factors.set(params, factors)
    }
    const z = Array.from({ length: d }, () => rng.normal())
    const row = new Array<number>(d)
    for (let j = 0; j < d; j++) {
      let v = params.means[c * d + j]!
      for (let l = 0; l <= j; l++) v += factors[c * d * d + j * d + l]! * z[l]!
      row[j] = v
    }
    return row
  }

}
