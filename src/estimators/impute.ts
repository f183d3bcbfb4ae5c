/**
 * Multiple imputation from an EM fit of a Gaussian model with missing values (NaN),
 * as Amelia's EMB: each of the `draws` completed data sets comes from parameters
 * refitted by EM on a bootstrap resample of the rows (the parameters' uncertainty),
 * then every missing entry is drawn from its predictive distribution given the row's
 * observed entries at those parameters (models/common/impute.ts). Shared by
 * MultivariateNormal and GaussianMixture, which supply their parameters and a refit.
 * The draws (`imputeRows`) are in impute-draws.ts, which the estimators' asynchronous
 * `impute` imports on first use; here what the synchronous `imputeMean` needs.
 */
import { type Matrix, type MatrixInput, toRows } from '../core/matrix.js'
import { toMatrix } from '../core/validate.js'
import { conditionalMeans, type GaussianMixtureParts } from '../models/common/impute.js'

export interface ImputeOptions {
  /** Number of completed data sets m (default 5). */
  draws?: number
  /** Seed of the resampling and the draws (default 0): the same seed gives the same data sets. */
  seed?: number
  /** Refit on a bootstrap resample for each data set (default true: proper imputations, Amelia's EMB); false draws every set at the fitted parameters. */
  bootstrap?: boolean
}

export const IMPUTE_OPTION_NAMES = ['draws', 'seed', 'bootstrap'] as const

/** How an estimator takes part: its fitted Gaussian parts, and a refit of the same model on other rows. */
export interface Imputable {
  readonly parts: GaussianMixtureParts
  readonly refit: (X: Matrix) => Promise<GaussianMixtureParts>
  /** Refuse rows shaped unlike the training data. */
  readonly checkColumns: (cols: number) => void
}

/** X as rows with NaN allowed, checked against the fit. */
export function rowsOf(X: MatrixInput, source: Imputable): Matrix {
  const m = toMatrix(X, 'X', { allowMissing: true })
  source.checkColumns(m.cols)
  return m
}

/** X with each missing entry replaced by its conditional mean given the row's observed entries. */
export function imputeMeanRows(X: MatrixInput, source: Imputable): number[][] {
  const m = rowsOf(X, source)
  return toRows(conditionalMeans(m.data, m.rows, source.parts), m.rows, m.cols)
}
