import type { BgmmPriors } from './priors.js'

/**
 * q(theta) of the Bayesian Gaussian mixture (scikit-learn's fitted attributes), plain
 * arrays never mutated once made: q(pi) by its concentrations, and per component
 * q(mu_k, Lambda_k) = N(mu_k | m_k, (beta_k Lambda_k)^-1) Wishart(Lambda_k | W_k, nu_k).
 */
export interface BgmmParams {
  /** Dirichlet process: [a_0..a_{K-1}, b_0..b_{K-1}] of the sticks' Beta; Dirichlet distribution: alpha (K). */
  readonly weightConcentration: Float64Array
  /** beta_k (K). */
  readonly meanPrecision: Float64Array
  /** m_k (K*d). */
  readonly means: Float64Array
  /** nu_k (K; 'tied' repeats its one value). */
  readonly degreesOfFreedom: Float64Array
  /** W_k^-1 / nu_k in the covariance type's storage (scikit-learn's covariances_). */
  readonly covariances: Float64Array
  /** Derived from the covariances: the density kernels' precision factors and their log-determinants. */
  readonly precision: Float64Array
  readonly logDetP: Float64Array
  /** The priors q(theta) is a posterior under (resolved against the training data). */
  readonly priors: BgmmPriors
}
