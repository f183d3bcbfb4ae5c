/**
 * The Gaussian-mixture grid of the `emkit` command: component counts x covariance
 * types by BIC (or AIC, or mclust's ICL), one use of `selectModel` (select.ts). Its
 * rows keep the command's shape ({ k, covarianceType, bic, aic, icl, ... }), which
 * `--json` writes out.
 */
import { GaussianMixture, type GaussianMixtureOptions } from '../estimators/GaussianMixture.js'
import { OptionError } from '../core/errors.js'
import type { MatrixInput } from '../core/matrix.js'
import { COVARIANCE_TYPES } from '../models/gmm/covariance.js'
import type { GmmCovarianceType } from '../models/gmm/mclust/index.js'
import '../registry/kinds/gmm.js'
import { selectModel, type SelectFitOptions, type SelectRow } from './select-model.js'
import { show } from '../core/show.js'

/** Options shared by every fit of the grid (everything but nComponents/covarianceType, and the stopping criterion: here `criterion` names the information criterion). */
export type SelectGmmFitOptions = Omit<GaussianMixtureOptions, 'nComponents' | 'covarianceType' | 'criterion'>

export interface SelectGaussianMixtureOptions extends SelectGmmFitOptions {
  /** Component counts to try (default 1..6). */
  kValues?: readonly number[]
  /** Covariance types to try (default full, diag, spherical, tied); any of GMM_COVARIANCE_TYPES, e.g. MCLUST_MODELS for mclust's 14. */
  covarianceTypes?: readonly GmmCovarianceType[]
  /** Criterion that picks the best model (default 'bic'). All three are always reported. */
  criterion?: 'bic' | 'aic' | 'icl'
  /** Called after each cell of the grid (e.g. to report progress). */
  onFit?: (row: SelectionRow, index: number, total: number) => void
  /** { signal, onIteration } for every fit (e.g. a progress line during long fits). */
  fitOptions?: SelectFitOptions
}

/**
 * One cell of the grid. `status` is the fit's status, or `'skipped'` (k > n, never
 * fitted) or `'failed'` (the fit threw a degenerate/singular error: see `error`).
 * Numbers are null when there is no fitted model.
 */
export interface SelectionRow {
  k: number
  covarianceType: GmmCovarianceType
  bic: number | null
  aic: number | null
  /** BIC plus the cost of the hard classification (mclust's ICL, in the BIC's sign). */
  icl: number | null
  /** mclust's sign (2 log L - p log n, larger is better): -bic, and -icl as mclust's icl(). */
  mclustBic: number | null
  mclustIcl: number | null
  /** Total log-likelihood of the data at the fitted parameters. */
  logLik: number | null
  nParameters: number | null
  status: 'converged' | 'max-iter' | 'degenerate' | 'aborted' | 'skipped' | 'failed'
  nIter: number | null
  error?: { code: string; message: string }
}

export interface SelectionResult {
  criterion: 'bic' | 'aic' | 'icl'
  /** One row per (k, covarianceType), k-major in the order given. */
  table: SelectionRow[]
  best: { k: number; covarianceType: GmmCovarianceType; bic: number; aic: number; icl: number; model: GaussianMixture }
}

/** The generic row in the command's shape (the key order is what --json prints). */
function gmmRow(row: SelectRow<GaussianMixtureOptions>): SelectionRow {
  const { logLik, nParameters, bic, aic, icl, mclustBic, mclustIcl, status, nIter, error } = row
  return {
    k: row.params.nComponents!, covarianceType: row.params.covarianceType!,
    bic, aic, icl, mclustBic, mclustIcl, logLik, nParameters, status, nIter, ...(error ? { error: { ...error } } : {}),
  }
}

/**
 * Fit a GaussianMixture for every (k, covarianceType) of the grid and pick the one
 * with the smallest BIC (or AIC). Ties go to the earlier cell (fewer components,
 * then the order of `covarianceTypes`). NaN in X are missing values, as in
 * GaussianMixture's fit.
 */
export async function selectGaussianMixture(X: MatrixInput, options: SelectGaussianMixtureOptions = {}): Promise<SelectionResult> {
  const { kValues = [1, 2, 3, 4, 5, 6], covarianceTypes = COVARIANCE_TYPES, criterion = 'bic', onFit, fitOptions, ...estimatorOptions } = options
  if (criterion !== 'bic' && criterion !== 'aic' && criterion !== 'icl') {
    throw new OptionError('criterion', `must be 'bic', 'aic' or 'icl', got ${show(criterion)}.`)
  }
  const selection = await selectModel(() => new GaussianMixture(estimatorOptions), X, {
    grid: { nComponents: kValues, covarianceType: covarianceTypes },
    criterion,
    ...(fitOptions ? { fitOptions } : {}),
    ...(onFit ? { onFit: (row: SelectRow<GaussianMixtureOptions>, i: number, total: number) => onFit(gmmRow(row), i, total) } : {}),
  })
  const best = gmmRow(selection.best)
  return {
    criterion,
    table: selection.table.map(gmmRow),
    best: { k: best.k, covarianceType: best.covarianceType, bic: best.bic!, aic: best.aic!, icl: best.icl!, model: selection.best.model },
  }
}
