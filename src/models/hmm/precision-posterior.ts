/**
 * q(Lambda) of the variational Gaussian HMM's emissions per covariance type, as a
 * strategy table: a Wishart on each state's precision ('full'), one Wishart shared by
 * all states ('tied': nu = nu0 + N, the conjugate update of one precision), a Gamma on
 * each precision of a diagonal ('diag': Gamma(nu/2, rate s_j/2) per feature) and one
 * Gamma per state ('spherical': Gamma(nu d/2, rate s d/2), so that nu = nu0 + N and
 * s = s0 + the mean of the per-feature terms are its conjugate updates, hmmlearn's).
 * A Gamma is the one-dimensional Wishart, so each type is a set of Wishart "units"
 * (common/wishart.ts) of dimension d or 1.
 *
 * The covariances stored are E[Lambda]^-1 = scale / nu (hmmlearn's covars_), in the
 * covariance type's storage; the scale W^-1 (hmmlearn's scale_posterior_) is
 * covariances * nu.
 */
import { cholesky, logDetFromCholesky } from '../../core/math/dense.js'
import type { CovarianceType } from '../gmm/covariance.js'
import { COVARIANCE } from '../gmm/covariance-table.js'
import { precisionTrace } from '../gmm/precision.js'
import type { BgmmPriors } from '../bgmm/priors.js'
import { WISHART } from '../bgmm/wishart.js'
import type { Special } from '../common/special.js'
import { halfDof, wishartKl, wishartNorm } from '../common/wishart.js'

const LN2 = Math.log(2)

/** The priors of the emissions (hmmlearn's means_prior_, beta_prior_, dof_prior_, scale_prior_), one per state. */
export interface GaussianPriors {
  /** m0 (K*d). */
  readonly means: Float64Array
  /** beta0 (K). */
  readonly beta: Float64Array
  /** nu0 (K; 'tied': the one value K times). */
  readonly dof: Float64Array
  /** W0^-1 in the covariance type's storage ('full' K*d*d, 'tied' d*d, 'diag' K*d, 'spherical' K). */
  readonly scale: Float64Array
  /** log|W0^-1| of each unit ('full' K, 'tied' 1, 'diag' K*d, 'spherical' K). */
  readonly logDetScale: Float64Array
}

/** What the bound needs of q(Lambda): its covariances' precision factors and nu. */
export interface PrecisionState {
  readonly covariances: Float64Array
  readonly precision: Float64Array
  readonly logDetP: Float64Array
  readonly dof: Float64Array
}

export interface PrecisionPosterior {
  readonly type: CovarianceType
  /** nu must exceed this: d - 1 for a Wishart, 0 for a Gamma. */
  lowestDof(d: number): number
  /** log|W0^-1| of each unit of a prior scale (in the type's storage); null when a block is not positive definite. */
  priorLogDets(scale: Float64Array, k: number, d: number): Float64Array | null
  /**
   * The conjugate update from the Gaussian M-step's masses nk, means xk and scatter sk
   * (CovarianceStrategy.fromStats without regCovar) and the new beta: nu and the
   * covariances scale / nu.
   */
  update(nk: Float64Array, xk: Float64Array, sk: Float64Array, beta: Float64Array, priors: GaussianPriors, k: number, d: number): { dof: Float64Array; covariances: Float64Array }
  /** E log|Lambda_c| - log|E Lambda_c| for each state (what the expected log-density adds to log N(x | m_c, E[Lambda_c]^-1)). */
  gaps(dof: Float64Array, k: number, d: number, special: Special): Float64Array
  /** KL(q(Lambda) || p(Lambda)) over every unit. */
  kl(q: PrecisionState, priors: GaussianPriors, k: number, d: number, special: Special): number
}

/** Units of one type: their dimension p, and nu, log|W|, nu0, log|W0|, tr(W0^-1 E[Lambda]) of each. */
interface Units {
  readonly p: number
  readonly dof: Float64Array
  readonly logDetW: Float64Array
  readonly dof0: Float64Array
  readonly logDetW0: Float64Array
  readonly trace: Float64Array
}

/** sum over units of KL(W(W, nu) || W(W0, nu0)), two kernel calls of log-gamma and one of digamma. */
function unitsKl(u: Units, special: Special): number {
  const count = u.dof.length, p = u.p
  const lg = special.lnGamma(halfDof(u.dof, count, p))
  const lg0 = special.lnGamma(halfDof(u.dof0, count, p))
  const psi = special.psi(halfDof(u.dof, count, p))
  let kl = 0
  for (let i = 0; i < count; i++) {
    const nu = u.dof[i]!, nu0 = u.dof0[i]!
    let sumPsi = 0
    for (let j = 0; j < p; j++) sumPsi += psi[i * p + j]!
    kl += wishartKl(p, nu, u.logDetW[i]!, wishartNorm(nu, 0.5 * u.logDetW[i]!, p, lg, i), wishartNorm(nu0, 0.5 * u.logDetW0[i]!, p, lg0, i), sumPsi, nu0, u.trace[i]!)
  }
  return kl
}

/**
 * m (sum_{j<p} psi((r nu - j)/2) + p log 2 - p log(r nu)) per state: E log|Lambda| - log|E Lambda|
 * of m units of dimension p with r nu degrees of freedom each.
 */
function gapsOf(dof: Float64Array, k: number, p: number, r: number, m: number, special: Special): Float64Array {
  const scaled = Float64Array.from(dof, (v) => r * v)
  const psi = special.psi(halfDof(scaled, k, p))
  const out = new Float64Array(k)
  for (let c = 0; c < k; c++) {
    let s = 0
    for (let j = 0; j < p; j++) s += psi[c * p + j]!
    out[c] = m * (s + p * LN2 - p * Math.log(scaled[c]!))
  }
  return out
}

/** State c's prior as the Bayesian mixture's Wishart updates read it (one component). */
function statePrior(priors: GaussianPriors, c: number, d: number, block: number): BgmmPriors {
  return {
    weightConcentration: 0, meanPrecision: priors.beta[c]!, mean: priors.means.subarray(c * d, c * d + d),
    degreesOfFreedom: priors.dof[c]!, covariance: priors.scale.subarray(c * block, c * block + block),
  }
}

/** 'full', 'diag' and 'spherical' update each state alone: the Bayesian mixture's Wishart update of one component with that state's prior. */
function perStateUpdate(type: 'full' | 'diag' | 'spherical') {
  const update = WISHART[type]
  return (nk: Float64Array, xk: Float64Array, sk: Float64Array, beta: Float64Array, priors: GaussianPriors, k: number, d: number) => {
    const block = COVARIANCE[type].storageSize(1, d)
    const dof = new Float64Array(k)
    const covariances = new Float64Array(k * block)
    for (let c = 0; c < k; c++) {
      const one = update(nk.subarray(c, c + 1), xk.subarray(c * d, c * d + d), sk.subarray(c * block, c * block + block), beta.subarray(c, c + 1), statePrior(priors, c, d, block), 1, d)
      dof[c] = one.degreesOfFreedom[0]!
      covariances.set(one.covariances, c * block)
    }
    return { dof, covariances }
  }
}

/** log|A| of `count` d x d blocks through their Cholesky factors; null when one is not positive definite. */
function blockLogDets(scale: Float64Array, count: number, d: number): Float64Array | null {
  const out = new Float64Array(count)
  for (let c = 0; c < count; c++) {
    const l = cholesky(scale.subarray(c * d * d, (c + 1) * d * d), d)
    if (!l) return null
    out[c] = logDetFromCholesky(l, d)
  }
  return out
}

function positiveLogs(scale: Float64Array, factor: number): Float64Array | null {
  const out = new Float64Array(scale.length)
  for (let i = 0; i < scale.length; i++) {
    if (!(scale[i]! > 0 && scale[i]! < Infinity)) return null
    out[i] = Math.log(scale[i]! * factor)
  }
  return out
}

/** The units of a Wishart type: one per state ('full') or one in all ('tied'). */
function wishartUnits(type: 'full' | 'tied', q: PrecisionState, priors: GaussianPriors, count: number, d: number): Units {
  const strategy = COVARIANCE[type]
  const dof = q.dof.slice(0, count), dof0 = priors.dof.slice(0, count)
  const logDetW = new Float64Array(count), logDetW0 = new Float64Array(count), trace = new Float64Array(count)
  for (let c = 0; c < count; c++) {
    // Sigma = W^-1 / nu: log|W| = 2 log det P - d log nu
    logDetW[c] = 2 * q.logDetP[c]! - d * Math.log(dof[c]!)
    logDetW0[c] = -priors.logDetScale[c]!
    trace[c] = precisionTrace(strategy, q.precision, c, d, priors.scale, c * d * d, true)
  }
  return { p: d, dof, logDetW, dof0, logDetW0, trace }
}

const full: PrecisionPosterior = {
  type: 'full',
  lowestDof: (d) => d - 1,
  priorLogDets: (scale, k, d) => blockLogDets(scale, k, d),
  update: perStateUpdate('full'),
  gaps: (dof, k, d, special) => gapsOf(dof, k, d, 1, 1, special),
  kl: (q, priors, k, d, special) => unitsKl(wishartUnits('full', q, priors, k, d), special),
}

const tied: PrecisionPosterior = {
  type: 'tied',
  lowestDof: (d) => d - 1,
  priorLogDets: (scale, _k, d) => blockLogDets(scale, 1, d),
  /** nu = nu0 + N, W^-1 = W0^-1 + N S + sum_c (nk_c beta0_c / beta_c) (xk_c - m0_c)(xk_c - m0_c)^T. */
  update(nk, xk, sk, beta, priors, k, d) {
    let total = 0
    for (let c = 0; c < k; c++) total += nk[c]!
    const nu = priors.dof[0]! + total
    const scale = new Float64Array(d * d)
    for (let p = 0; p < d * d; p++) scale[p] = priors.scale[p]! + total * sk[p]!
    const diff = new Float64Array(d)
    for (let c = 0; c < k; c++) {
      const f = (nk[c]! * priors.beta[c]!) / beta[c]!
      for (let j = 0; j < d; j++) diff[j] = xk[c * d + j]! - priors.means[c * d + j]!
      for (let j = 0; j < d; j++) for (let l = 0; l < d; l++) scale[j * d + l] += f * diff[j]! * diff[l]!
    }
    return { dof: new Float64Array(k).fill(nu), covariances: scale.map((v) => v / nu) }
  },
  gaps: (dof, k, d, special) => gapsOf(dof, k, d, 1, 1, special),
  kl: (q, priors, _k, d, special) => unitsKl(wishartUnits('tied', q, priors, 1, d), special),
}

const diag: PrecisionPosterior = {
  type: 'diag',
  lowestDof: () => 0,
  priorLogDets: (scale) => positiveLogs(scale, 1),
  update: perStateUpdate('diag'),
  gaps: (dof, k, d, special) => gapsOf(dof, k, 1, 1, d, special),
  /** Unit (c, j): Gamma(nu_c / 2, rate s_cj / 2) = W_1(nu_c, 1 / s_cj), s = covariance * nu. */
  kl(q, priors, k, d, special) {
    const n = k * d
    const dof = new Float64Array(n), dof0 = new Float64Array(n), logDetW = new Float64Array(n), trace = new Float64Array(n)
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        const i = c * d + j
        dof[i] = q.dof[c]!
        dof0[i] = priors.dof[c]!
        logDetW[i] = -Math.log(q.covariances[i]! * q.dof[c]!)
        trace[i] = priors.scale[i]! / q.covariances[i]!
      }
    }
    return unitsKl({ p: 1, dof, logDetW, dof0, logDetW0: priors.logDetScale.map((v) => -v), trace }, special)
  },
}

const spherical: PrecisionPosterior = {
  type: 'spherical',
  lowestDof: () => 0,
  // the unit's W0^-1 is s0 d (Gamma(nu0 d/2, rate s0 d/2) = W_1(nu0 d, 1 / (s0 d)))
  priorLogDets: (scale, _k, d) => positiveLogs(scale, d),
  update: perStateUpdate('spherical'),
  gaps: (dof, k, d, special) => gapsOf(dof, k, 1, d, d, special),
  /** Unit c: W_1(nu_c d, 1 / (s_c d)), s = covariance * nu; tr(W0^-1 E[lambda]) = s0 d / covariance. */
  kl(q, priors, k, d, special) {
    const dof = new Float64Array(k), dof0 = new Float64Array(k), logDetW = new Float64Array(k), trace = new Float64Array(k)
    for (let c = 0; c < k; c++) {
      dof[c] = q.dof[c]! * d
      dof0[c] = priors.dof[c]! * d
      logDetW[c] = -Math.log(q.covariances[c]! * q.dof[c]! * d)
      trace[c] = (priors.scale[c]! * d) / q.covariances[c]!
    }
    return unitsKl({ p: 1, dof, logDetW, dof0, logDetW0: priors.logDetScale.map((v) => -v), trace }, special)
  },
}

export const PRECISION_POSTERIOR: Readonly<Record<CovarianceType, PrecisionPosterior>> = { full, tied, diag, spherical }

/** W^-1 = covariances * nu of each state (hmmlearn's scale_posterior_), in the type's storage. */
export function scaleOf(type: CovarianceType, covariances: Float64Array, dof: Float64Array, d: number): Float64Array {
  const strategy = COVARIANCE[type]
  if (strategy.shared) return covariances.map((v) => v * dof[0]!)
  const block = strategy.storageSize(1, d)
  return covariances.map((v, i) => v * dof[Math.floor(i / block)]!)
}
