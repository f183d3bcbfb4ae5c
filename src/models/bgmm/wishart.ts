/**
 * q(Lambda) per covariance type, as scikit-learn's `_estimate_wishart_*`: a Wishart
 * with nu_k degrees of freedom whose scale W_k is stored as the normalised covariance
 * W_k^-1 / nu_k (scikit-learn's covariances_), in the covariance type's storage. The
 * types restrict W_k (diagonal, a multiple of the identity, or one W shared by all
 * components, whose nu is then nu0 + N / K); each update maximises the bound within
 * its restriction. Inputs are the Gaussian M-step's nk, xk (k*d means) and sk
 * (CovarianceStrategy.fromStats: scatter / nk + regCovar).
 */
import type { CovarianceType } from '../gmm/covariance.js'
import type { BgmmPriors } from './priors.js'

export interface WishartPosterior {
  /** nu_k for every component (tied: the one value, k times). */
  readonly degreesOfFreedom: Float64Array
  readonly covariances: Float64Array
}

export type WishartUpdate = (nk: Float64Array, xk: Float64Array, sk: Float64Array, beta: Float64Array, priors: BgmmPriors, k: number, d: number) => WishartPosterior

function perComponentDof(nk: Float64Array, priors: BgmmPriors): Float64Array {
  return Float64Array.from(nk, (v) => priors.degreesOfFreedom + v)
}

const full: WishartUpdate = (nk, xk, sk, beta, priors, k, d) => {
  const dof = perComponentDof(nk, priors)
  const out = new Float64Array(k * d * d)
  const diff = new Float64Array(d)
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < d; j++) diff[j] = xk[c * d + j]! - priors.mean[j]!
    const f = (nk[c]! * priors.meanPrecision) / beta[c]!
    const o = c * d * d
    for (let j = 0; j < d; j++) {
      for (let l = 0; l < d; l++) {
        out[o + j * d + l] = (priors.covariance[j * d + l]! + nk[c]! * sk[o + j * d + l]! + f * (diff[j]! * diff[l]!)) / dof[c]!
      }
    }
  }
  return { degreesOfFreedom: dof, covariances: out }
}

const tied: WishartUpdate = (nk, xk, sk, beta, priors, k, d) => {
  let total = 0
  for (let c = 0; c < k; c++) total += nk[c]!
  const nu = priors.degreesOfFreedom + total / k
  // sum_c (nk_c / beta_c) diff_c diff_c^T
  const spread = new Float64Array(d * d)
  const diff = new Float64Array(d)
  for (let c = 0; c < k; c++) {
    const w = nk[c]! / beta[c]!
    for (let j = 0; j < d; j++) diff[j] = xk[c * d + j]! - priors.mean[j]!
    for (let j = 0; j < d; j++) for (let l = 0; l < d; l++) spread[j * d + l] += w * diff[j]! * diff[l]!
  }
  const f = priors.meanPrecision / k
  const out = new Float64Array(d * d)
  for (let p = 0; p < d * d; p++) out[p] = (priors.covariance[p]! + (sk[p]! * total) / k + f * spread[p]!) / nu
  return { degreesOfFreedom: new Float64Array(k).fill(nu), covariances: out }
}

const diag: WishartUpdate = (nk, xk, sk, beta, priors, k, d) => {
  const dof = perComponentDof(nk, priors)
  const out = new Float64Array(k * d)
  for (let c = 0; c < k; c++) {
    const f = priors.meanPrecision / beta[c]!
    for (let j = 0; j < d; j++) {
      const diff = xk[c * d + j]! - priors.mean[j]!
      out[c * d + j] = (priors.covariance[j]! + nk[c]! * (sk[c * d + j]! + f * (diff * diff))) / dof[c]!
    }
  }
  return { degreesOfFreedom: dof, covariances: out }
}

const spherical: WishartUpdate = (nk, xk, sk, beta, priors, k, d) => {
  const dof = perComponentDof(nk, priors)
  const out = new Float64Array(k)
  for (let c = 0; c < k; c++) {
    let s = 0
    for (let j = 0; j < d; j++) {
      const diff = xk[c * d + j]! - priors.mean[j]!
      s += diff * diff
    }
    out[c] = (priors.covariance[0]! + nk[c]! * (sk[c]! + (priors.meanPrecision / beta[c]!) * (s / d))) / dof[c]!
  }
  return { degreesOfFreedom: dof, covariances: out }
}

export const WISHART: Readonly<Record<CovarianceType, WishartUpdate>> = { full, tied, diag, spherical }
