/**
 * The bound of the Bayesian Gaussian mixture in its three forms:
 * - `boundTerms`: scikit-learn's lower bound without the entropy of q(z), valid with
 *   q(theta) just fitted to q(z) (scikit-learn's `_compute_lower_bound`, constants dropped);
 * - `elboConstant`: what scikit-learn drops, so that bound + constant is the evidence
 *   lower bound of the Normal-Wishart mixture (Bishop 2006, 10.70-10.77);
 * - `divergence`: KL(q(theta) || p(theta)), which the VE-step's bound (q(z) just fitted
 *   to q(theta)) subtracts from the sum of the log normalisers, every constant kept.
 * The Wishart normalisers' pi terms cancel between prior and posterior and are left out.
 */
import { DegenerateError } from '../../core/errors.js'
import { cholesky, logDetFromCholesky } from '../../core/math/dense.js'
import type { CovarianceStrategy } from '../gmm/covariance.js'
import type { BgmmParams } from './params.js'
import { precisionQuadratic, precisionTrace } from '../gmm/precision.js'
import type { BgmmPriors } from './priors.js'
import type { Special } from '../common/special.js'
import { halfDof, meanKl, wishartKl, wishartNorm } from '../common/wishart.js'
import type { WeightPrior } from './weights.js'

export const LOG_2PI = Math.log(2 * Math.PI)

/** What the bound needs of the model. */
export interface BoundContext {
  readonly k: number
  readonly d: number
  readonly covariance: CovarianceStrategy
  readonly weightPrior: WeightPrior
  readonly special: Special
}

/**
 * -sum_k log B(W_k, nu_k) (without its pi term) - log_norm_weight - d/2 sum_k log beta_k.
 */
export function boundTerms(ctx: BoundContext, params: BgmmParams): number {
  const { k, d } = ctx
  const dof = params.degreesOfFreedom
  const lg = ctx.special.lnGamma(halfDof(dof, k, d))
  let wishart = 0
  for (let c = 0; c < k; c++) {
    // scikit-learn's log_det_precisions_chol: half log|W_c| (Sigma_c^-1 = nu_c W_c)
    const halfLogDetW = params.logDetP[c]! - 0.5 * d * Math.log(dof[c]!)
    wishart += wishartNorm(dof[c]!, halfLogDetW, d, lg, c)
  }
  let logBeta = 0
  for (let c = 0; c < k; c++) logBeta += Math.log(params.meanPrecision[c]!)
  return -wishart - ctx.weightPrior.logNorm(params.weightConcentration, k, ctx.special) - 0.5 * d * logBeta
}

/** The priors' normalisers (with the Wishart's pi terms) and -N d/2 log 2 pi. */
export function elboConstant(ctx: BoundContext, priors: BgmmPriors, totalWeight: number): number {
  const { k, d } = ctx
  const nu0 = priors.degreesOfFreedom
  const lg = ctx.special.lnGamma(halfDof(Float64Array.of(nu0), 1, d))
  const priorWishart = wishartNorm(nu0, 0.5 * priorLogDetW(ctx, priors), d, lg, 0)
  return ctx.weightPrior.priorConstant(priors.weightConcentration, k, ctx.special)
    + k * (priorWishart + 0.5 * d * Math.log(priors.meanPrecision))
    - 0.5 * totalWeight * d * LOG_2PI
}

/**
 * KL(q(theta) || p(theta)): the weights' term, and per component the Normal's
 * d/2 (beta0/beta - log(beta0/beta) - 1) + beta0/2 (m - m0)^T Sigma^-1 (m - m0) and the
 * Wishart's log B(W, nu) - log B(W0, nu0) + (nu - nu0)/2 E log|Lambda| - nu d/2
 * + tr(W0^-1 Sigma^-1)/2.
 */
export function divergence(ctx: BoundContext, params: BgmmParams): number {
  const { k, d, covariance } = ctx
  const { priors } = params
  const beta0 = priors.meanPrecision, nu0 = priors.degreesOfFreedom
  const dof = params.degreesOfFreedom
  const args = halfDof(Float64Array.from([...dof, nu0]), k + 1, d)
  const lg = ctx.special.lnGamma(args)
  const psi = ctx.special.psi(args)
  const w0inv = covariance.expandFull(priors.covariance, 1, d)
  const diff = new Float64Array(d)
  let kl = ctx.weightPrior.kl(params.weightConcentration, priors.weightConcentration, k, ctx.special)
  const priorNorm = wishartNorm(nu0, 0.5 * priorLogDetW(ctx, priors), d, lg, k)
  for (let c = 0; c < k; c++) {
    const nu = dof[c]!, beta = params.meanPrecision[c]!
    for (let j = 0; j < d; j++) diff[j] = params.means[c * d + j]! - priors.mean[j]!
    const klMean = meanKl(d, beta0, beta, precisionQuadratic(covariance, params.precision, c, d, diff))
    const logDetW = 2 * params.logDetP[c]! - d * Math.log(nu)
    let sumPsi = 0
    for (let j = 0; j < d; j++) sumPsi += psi[c * d + j]!
    const klWishart = wishartKl(d, nu, logDetW, wishartNorm(nu, 0.5 * logDetW, d, lg, c), priorNorm, sumPsi, nu0, precisionTrace(covariance, params.precision, c, d, w0inv, 0, true))
    kl += klMean + klWishart
  }
  return kl
}

/** log|W0| = -log|covariancePrior|. */
function priorLogDetW(ctx: BoundContext, priors: BgmmPriors): number {
  const { d } = ctx
  const l = cholesky(ctx.covariance.expandFull(priors.covariance, 1, d), d)
  if (!l) throw new DegenerateError('SINGULAR_COVARIANCE', 'The covariance prior is not positive definite; give a positive definite covariancePrior.')
  return -logDetFromCholesky(l, d)
}
