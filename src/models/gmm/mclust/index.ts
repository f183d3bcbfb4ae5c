/**
 * mclust's 14 covariance models (Celeux and Govaert's Sigma_k = lambda_k D_k A_k D_k^T,
 * E = equal, V = varying, I = identity, for volume, shape and orientation) beside
 * scikit-learn's four names, one strategy table. scikit-learn's are four of them:
 * spherical = VII, diag = VVI, tied = EEE, full = VVV, and those names resolve to the
 * same strategies.
 */
import { COVARIANCE, COVARIANCE_TYPES, type CovarianceStrategy, type CovarianceType } from '../covariance.js'
import { EEI, EII, EVI, VEI } from './diagonal.js'
import { EVE, VEE, VVE } from './common-orientation.js'
import { EEV, EVV, VEV } from './varying-orientation.js'

export const MCLUST_MODELS = ['EII', 'VII', 'EEI', 'VEI', 'EVI', 'VVI', 'EEE', 'VEE', 'EVE', 'VVE', 'EEV', 'VEV', 'EVV', 'VVV'] as const
export type MclustModel = (typeof MCLUST_MODELS)[number]

/** Every covariance structure a Gaussian mixture takes: scikit-learn's four names and mclust's 14 models. */
export type GmmCovarianceType = CovarianceType | MclustModel
export const GMM_COVARIANCE_TYPES: readonly GmmCovarianceType[] = [...COVARIANCE_TYPES, ...MCLUST_MODELS]

/** scikit-learn's name of each mclust model it has. */
export const SKLEARN_ALIAS: Readonly<Partial<Record<MclustModel, CovarianceType>>> = { VII: 'spherical', VVI: 'diag', EEE: 'tied', VVV: 'full' }

/** mclust's name of each scikit-learn type. */
export const MCLUST_NAME: Readonly<Record<CovarianceType, MclustModel>> = { spherical: 'VII', diag: 'VVI', tied: 'EEE', full: 'VVV' }

const TABLE: Readonly<Record<GmmCovarianceType, CovarianceStrategy>> = {
  ...COVARIANCE,
  VII: COVARIANCE.spherical,
  VVI: COVARIANCE.diag,
  EEE: COVARIANCE.tied,
  VVV: COVARIANCE.full,
  EII, EEI, VEI, EVI, VEE, EVE, VVE, EEV, VEV, EVV,
}

/** The strategy of a covariance type by either name. */
export function covarianceStrategy(type: GmmCovarianceType): CovarianceStrategy {
  return TABLE[type]
}

/** mclust's model name of a covariance type (its own for mclust's names). */
export function mclustName(type: GmmCovarianceType): MclustModel {
  return (MCLUST_NAME as Record<string, MclustModel>)[type] ?? (type as MclustModel)
}
