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

/** What each structure constrains, in words (the command's model summary). */
const DESCRIPTION: Readonly<Record<GmmCovarianceType, string>> = {
  full: '', VVV: '',
  tied: 'shared by every component', EEE: 'shared by every component',
  diag: 'off-diagonal terms are 0', VVI: 'off-diagonal terms are 0',
  spherical: 'one variance per component', VII: 'one variance per component',
  EII: 'one variance for every component',
  EEI: 'one diagonal matrix for every component',
  VEI: 'diagonal; one shape, volumes vary',
  EVI: 'diagonal; one volume, shapes vary',
  VEE: 'one shape and orientation, volumes vary',
  EVE: 'one volume and orientation, shapes vary',
  VVE: 'one orientation, volumes and shapes vary',
  EEV: 'one volume and shape, orientations vary',
  VEV: 'one shape, volumes and orientations vary',
  EVV: 'one volume, shapes and orientations vary',
}

export function covarianceDescription(type: GmmCovarianceType): string {
  return DESCRIPTION[type]
}
