/**
 * mclust's 14 covariance models (Celeux and Govaert's Sigma_k = lambda_k D_k A_k D_k^T,
 * E = equal, V = varying, I = identity, for volume, shape and orientation) beside
 * scikit-learn's four names, one strategy table. scikit-learn's are four of them:
 * spherical = VII, diag = VVI, tied = EEE, full = VVV, and those names resolve to the
 * same strategies.
 */
import { COVARIANCE_TYPES, type CovarianceStrategy, type CovarianceType, FULL, PUBLIC_FORMS, type PublicForm } from '../covariance.js'
import type { COVARIANCE } from '../covariance-table.js'
import type { MclustStrategies } from './models.js'

export const MCLUST_MODELS = ['EII', 'VII', 'EEI', 'VEI', 'EVI', 'VVI', 'EEE', 'VEE', 'EVE', 'VVE', 'EEV', 'VEV', 'EVV', 'VVV'] as const
export type MclustModel = (typeof MCLUST_MODELS)[number]

/** Every covariance structure a Gaussian mixture takes: scikit-learn's four names and mclust's 14 models. */
export type GmmCovarianceType = CovarianceType | MclustModel
export const GMM_COVARIANCE_TYPES: readonly GmmCovarianceType[] = [...COVARIANCE_TYPES, ...MCLUST_MODELS]

/** scikit-learn's name of each mclust model it has. */
export const SKLEARN_ALIAS: Readonly<Partial<Record<MclustModel, CovarianceType>>> = { VII: 'spherical', VVI: 'diag', EEE: 'tied', VVV: 'full' }

/** scikit-learn's name of a structure given by either name (undefined: one of mclust's other ten). */
function sklearnName(type: GmmCovarianceType): CovarianceType | undefined {
  return SKLEARN_ALIAS[type as MclustModel] ?? (COVARIANCE_TYPES.includes(type as CovarianceType) ? type as CovarianceType : undefined)
}

/** scikit-learn's four (covariance-table.ts), once a fit has loaded them; full is always here. */
let sklearn: typeof COVARIANCE | null = null
/** mclust's other ten models (models.ts), once a fit has loaded them. */
let others: MclustStrategies | null = null

/**
 * Load the strategy of a covariance type before a model is built on it: full is here;
 * scikit-learn's other three and mclust's other ten are imported on first use (dynamic
 * imports: browser bundles that fit only the default leave them out). The estimators
 * await this before they build a model (fit, restore), so the synchronous calls on a
 * fitted or loaded model find the strategy.
 */
export async function loadCovarianceStrategy(type: GmmCovarianceType): Promise<void> {
  if (covarianceLoaded(type)) return
  if (sklearnName(type) !== undefined) sklearn = (await import('../covariance-table.js')).COVARIANCE
  else others = (await import('./models.js')).MCLUST_STRATEGIES
}

/** Whether the strategy of a covariance type is here (full always; the others once loaded). */
export function covarianceLoaded(type: GmmCovarianceType): boolean {
  const name = sklearnName(type)
  return name === 'full' || (name !== undefined ? sklearn !== null : others !== null)
}

/** The strategy of a covariance type by either name (the others than full once loadCovarianceStrategy has run). */
export function covarianceStrategy(type: GmmCovarianceType): CovarianceStrategy {
  const name = sklearnName(type)
  const strategy = name === 'full' ? FULL : name !== undefined ? sklearn?.[name] : others?.[type as keyof MclustStrategies]
  if (strategy) return strategy
  // the names are checked by the options' schema: an unknown one here is a caller that skipped the load
  throw new Error(`emkit internal error: covariance type '${String(type)}' is not loaded (await loadCovarianceStrategy('${String(type)}') first)`)
}

/**
 * A structure's public shape and reading, for checking given covariances before any
 * fit: scikit-learn's four always, mclust's other ten once loaded (null before).
 */
export function publicForm(type: GmmCovarianceType): PublicForm | null {
  const name = sklearnName(type)
  return name !== undefined ? PUBLIC_FORMS[name] : covarianceLoaded(type) ? covarianceStrategy(type) : null
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
