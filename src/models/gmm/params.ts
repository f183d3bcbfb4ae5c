/** A Gaussian mixture's parameters: plain arrays, never mutated once made. */
export interface GmmParams {
  readonly weights: Float64Array
  readonly means: Float64Array
  /** Layout given by the covariance strategy (full: k*d*d, tied: d*d, diag: k*d, spherical: k). */
  readonly covariances: Float64Array
  /** Derived: what the density kernels need (see CovarianceStrategy.precisions). */
  readonly precision: Float64Array
  readonly logDetP: Float64Array
}
