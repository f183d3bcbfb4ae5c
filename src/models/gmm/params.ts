import type { GaussianParams } from '../components/gaussian.js'

/** A Gaussian mixture's parameters: the Gaussian component's and the weights; plain arrays, never mutated once made. */
export interface GmmParams extends GaussianParams {
  readonly weights: Float64Array
}
