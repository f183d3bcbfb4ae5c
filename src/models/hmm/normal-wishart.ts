/**
 * q(mu_c, Lambda_c) of the variational Gaussian HMM's emissions: N(mu_c | m_c,
 * (beta_c Lambda_c)^-1) times q(Lambda_c) of the covariance type (Wishart for 'full'
 * and 'tied', Gamma for 'diag' and 'spherical': precision-posterior.ts), each state
 * with its own prior (hmmlearn's per-state means_prior, beta_prior, dof_prior,
 * scale_prior).
 *
 * The expected log-density is a Gaussian density plus one constant per state:
 *   E[log N(x | mu_c, Lambda_c^-1)] = log N(x | m_c, Sigma_c)
 *     + (E log|Lambda_c| - log|E Lambda_c|) / 2 - d / (2 beta_c),   Sigma_c = E[Lambda_c]^-1,
 * so the component's density kernels compute it with the constant added to the
 * log-determinant they read (no pass over the rows of its own). The VM-step is the
 * Gaussian M-step's nk, xk and scatter (the covariance strategy's fromStats, no
 * ridge) turned into the conjugate update.
 */
import { concatArrays, splitArray } from '../../core/shape.js'
import { DegenerateError, insideSpace } from '../../core/errors.js'
import { type CovarianceStrategy, type CovarianceType } from '../gmm/covariance.js'
import { COVARIANCE } from '../gmm/covariance-table.js'
import { precisionQuadratic } from '../gmm/precision.js'
import type { Special } from '../common/special.js'
import { meanKl } from '../common/wishart.js'
import type { GaussianParams } from '../components/gaussian.js'
import type { GaussianEmission } from '../components/gaussian-emission.js'
import { MASS_EPS } from '../components/component.js'
import { type GaussianPriors, PRECISION_POSTERIOR, type PrecisionPosterior } from './precision-posterior.js'
import type { EmissionPosterior } from './variational.js'

export type { GaussianPriors } from './precision-posterior.js'

/** q of the Gaussian emissions. */
export interface NormalWishartParams {
  /** The posterior means: m_c (hmmlearn's means_posterior_) and E[Lambda_c]^-1 (covars_), with their precision factors. */
  readonly point: GaussianParams
  /** beta_c (K). */
  readonly beta: Float64Array
  /** nu_c (K; 'tied': the one value K times). */
  readonly dof: Float64Array
  readonly priors: GaussianPriors
}

export class NormalWishartPosterior implements EmissionPosterior<NormalWishartParams, GaussianParams> {
  readonly covariance: CovarianceStrategy
  readonly precision: PrecisionPosterior
  readonly k: number
  readonly d: number

  /** `component` is the HMM's Gaussian emission (its density and statistics kernels, its factor work space). */
  constructor(private readonly component: GaussianEmission, readonly type: CovarianceType) {
    this.covariance = COVARIANCE[type]
    this.precision = PRECISION_POSTERIOR[type]
    this.k = component.k
    this.d = component.d
  }

  /** q from its parts; the precision factors of the covariances are derived (DegenerateError when one is not positive definite). */
  make(means: Float64Array, beta: Float64Array, dof: Float64Array, covariances: Float64Array, priors: GaussianPriors): NormalWishartParams {
    let point: GaussianParams
    try {
      point = this.component.makeParams(means, covariances)
    } catch (e) {
      if (!(e instanceof DegenerateError)) throw e
      const c = e.details['component'] as number | null
      throw new DegenerateError('SINGULAR_COVARIANCE', `The posterior covariance (scale / dof) of ${c === null || c === undefined ? 'the shared (tied) precision' : `state ${c}`} is not positive definite; use fewer states, a larger scalePrior, or rescale the data.`, { component: c })
    }
    return { point, beta, dof, priors }
  }

  expected(q: NormalWishartParams, special: Special): GaussianParams {
    const { k, d } = this
    const gaps = this.precision.gaps(q.dof, k, d, special)
    const logDetP = new Float64Array(k)
    for (let c = 0; c < k; c++) logDetP[c] = q.point.logDetP[c]! + 0.5 * gaps[c]! - (0.5 * d) / q.beta[c]!
    return { ...q.point, logDetP }
  }

  point(q: NormalWishartParams): GaussianParams {
    return q.point
  }

  /** Statistics gathered around from's posterior means as gathered around to's (online EM): the Gaussian component's recentre between the point estimates. */
  recentre(stats: Float64Array, from: NormalWishartParams, to: NormalWishartParams): Float64Array {
    return this.component.recentreParams(stats, from.point, to.point)
  }

  /**
   * Statistics [N | S1 | S2] gathered around m_c: nk = N + 10 eps, xk = (S1 + N m) / nk,
   * beta = beta0 + nk, m = (beta0 m0 + nk xk) / beta, then q(Lambda)'s update.
   */
  update(stats: Float64Array, q: NormalWishartParams): NormalWishartParams {
    const { k, d } = this
    const { priors } = q
    const ref = q.point.means
    const nk = new Float64Array(k)
    for (let c = 0; c < k; c++) nk[c] = stats[c]! + MASS_EPS
    const xk = new Float64Array(k * d)
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) xk[c * d + j] = (stats[k + c * d + j]! + stats[c]! * ref[c * d + j]!) / nk[c]!
    const sk = this.covariance.fromStats(stats, nk, k, d, 0)
    const beta = Float64Array.from(nk, (v, c) => priors.beta[c]! + v)
    const means = new Float64Array(k * d)
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) means[c * d + j] = (priors.beta[c]! * priors.means[c * d + j]! + nk[c]! * xk[c * d + j]!) / beta[c]!
    }
    const { dof, covariances } = this.precision.update(nk, xk, sk, beta, priors, k, d)
    return this.make(means, beta, dof, covariances, priors)
  }

  /** Per state E_q(Lambda)[KL of the mean's Normal], plus KL(q(Lambda) || p(Lambda)). */
  kl(q: NormalWishartParams, special: Special): number {
    const { k, d } = this
    const { priors, point } = q
    const diff = new Float64Array(d)
    let kl = 0
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) diff[j] = point.means[c * d + j]! - priors.means[c * d + j]!
      kl += meanKl(d, priors.beta[c]!, q.beta[c]!, precisionQuadratic(this.covariance, point.precision, c, d, diff))
    }
    return kl + this.precision.kl({ ...point, dof: q.dof }, priors, k, d, special)
  }

  nParameters(): number {
    return this.k * this.d + this.covariance.freeParameters(this.k, this.d)
  }

  /** [means | beta | dof | covariances]. */
  pack(q: NormalWishartParams): Float64Array {
    const parts = [q.point.means, q.beta, q.dof, q.point.covariances]
    return concatArrays(parts)
  }

  unpack(vec: Float64Array, like: NormalWishartParams): NormalWishartParams {
    const { k, d } = this
    const sizes = [k * d, k, k, like.point.covariances.length]
    const parts = splitArray(vec, sizes)
    return this.make(parts[0]!, parts[1]!, parts[2]!, parts[3]!, like.priors)
  }

  /** Finite; beta > 0; nu above the type's lowest value; covariances positive definite. */
  isValid(vec: Float64Array, like: NormalWishartParams): boolean {
    const { k, d } = this
    for (let p = 0; p < vec.length; p++) if (!Number.isFinite(vec[p]!)) return false
    for (let c = 0; c < k; c++) if (!(vec[k * d + c]! > 0)) return false
    const lowest = this.precision.lowestDof(d)
    for (let c = 0; c < k; c++) if (!(vec[k * d + k + c]! > lowest)) return false
    return insideSpace(() => this.unpack(vec, like))
  }
}
