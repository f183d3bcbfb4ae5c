/**
 * Model selection for Gaussian mixtures over a grid of component counts and
 * covariance types, by an information criterion (BIC by default; sklearn's sign:
 * -2 logL + p log n, smaller is better).
 *
 * Fits run one after another (each `fit` is awaited), with the same options apart
 * from `nComponents` and `covarianceType`. A combination with more components than
 * rows is recorded as skipped; a fit that fails because the model degenerates (a
 * singular covariance, an empty component) is recorded with its error code rather
 * than thrown. Any other error (bad data, bad options) is thrown: it would fail every
 * cell of the grid the same way.
 */
import { GaussianMixture } from '../estimators/GaussianMixture.js'
import { EmkitError, InputError, OptionError } from '../core/errors.js'
import type { Matrix, MatrixInput } from '../core/matrix.js'
import { toMatrix } from '../core/validate.js'

import { COVARIANCE_TYPES, type CovarianceType } from '../models/gmm/covariance.js'

type GaussianMixtureOptions = NonNullable<ConstructorParameters<typeof GaussianMixture>[0]>

/** Options shared by every fit of the grid (everything but nComponents/covarianceType, and the stopping criterion: here `criterion` names the information criterion). */
export type SelectGmmFitOptions = Omit<GaussianMixtureOptions, 'nComponents' | 'covarianceType' | 'criterion'>

export interface SelectGaussianMixtureOptions extends SelectGmmFitOptions {
  /** Component counts to try (default 1..6). */
  kValues?: readonly number[]
  /** Covariance types to try (default full, diag, spherical, tied). */
  covarianceTypes?: readonly CovarianceType[]
  /** Criterion that picks the best model (default 'bic'). Both are always reported. */
  criterion?: 'bic' | 'aic'
  /** Called after each cell of the grid (e.g. to report progress). */
  onFit?: (row: SelectionRow, index: number, total: number) => void
}

/**
 * One cell of the grid. `status` is the fit's status, or `'skipped'` (k > n, never
 * fitted) or `'failed'` (the fit threw a degenerate/singular error: see `error`).
 * Numbers are null when there is no fitted model.
 */
export interface SelectionRow {
  k: number
  covarianceType: CovarianceType
  bic: number | null
  aic: number | null
  /** Total log-likelihood of the data at the fitted parameters. */
  logLik: number | null
  nParameters: number | null
  status: 'converged' | 'max-iter' | 'degenerate' | 'aborted' | 'skipped' | 'failed'
  nIter: number | null
  error?: { code: string; message: string }
}

export interface SelectionResult {
  criterion: 'bic' | 'aic'
  /** One row per (k, covarianceType), k-major in the order given. */
  table: SelectionRow[]
  best: { k: number; covarianceType: CovarianceType; bic: number; aic: number; model: GaussianMixture }
}

/** Error codes that mean "this model degenerated on this data", recorded rather than thrown. */
const RECORDED_CODES = new Set(['SINGULAR_COVARIANCE', 'DEGENERATE'])

function checkGrid(kValues: readonly number[], covarianceTypes: readonly CovarianceType[]): void {
  if (!Array.isArray(kValues) || kValues.length === 0) {
    throw new OptionError('kValues', 'give a non-empty list of component counts, e.g. [1, 2, 3, 4, 5, 6].')
  }
  for (const k of kValues) {
    if (!Number.isInteger(k) || k < 1) {
      throw new OptionError('kValues', `every component count must be an integer >= 1, got ${JSON.stringify(k)}.`, { value: k })
    }
  }
  if (new Set(kValues).size !== kValues.length) {
    throw new OptionError('kValues', `has duplicates (${kValues.join(', ')}); list each component count once.`)
  }
  if (!Array.isArray(covarianceTypes) || covarianceTypes.length === 0) {
    throw new OptionError('covarianceTypes', `give a non-empty list among ${COVARIANCE_TYPES.join(', ')}.`)
  }
  for (const t of covarianceTypes) {
    if (!COVARIANCE_TYPES.includes(t)) {
      throw new OptionError('covarianceTypes', `unknown covariance type ${JSON.stringify(t)}; use ${COVARIANCE_TYPES.join(', ')}.`, { value: t })
    }
  }
  if (new Set(covarianceTypes).size !== covarianceTypes.length) {
    throw new OptionError('covarianceTypes', `has duplicates (${covarianceTypes.join(', ')}); list each type once.`)
  }
}

/**
 * Fit a GaussianMixture for every (k, covarianceType) of the grid and pick the one
 * with the smallest BIC (or AIC). Ties go to the earlier cell (fewer components,
 * then the order of `covarianceTypes`).
 */
export async function selectGaussianMixture(X: MatrixInput, options: SelectGaussianMixtureOptions = {}): Promise<SelectionResult> {
  const {
    kValues = [1, 2, 3, 4, 5, 6],
    covarianceTypes = COVARIANCE_TYPES,
    criterion = 'bic',
    onFit,
    ...fitOptions
  } = options
  if (criterion !== 'bic' && criterion !== 'aic') {
    throw new OptionError('criterion', `must be 'bic' or 'aic', got ${JSON.stringify(criterion)}.`)
  }
  checkGrid(kValues, covarianceTypes)
  const m: Matrix = toMatrix(X, 'X')
  const n = m.rows
  if (kValues.every((k) => k > n)) {
    throw new InputError('TOO_MANY_COMPONENTS', `X has ${n} rows but every component count tried (${kValues.join(', ')}) is larger; give at least as many rows as components, or smaller kValues.`, { rows: n })
  }

  const table: SelectionRow[] = []
  const models: (GaussianMixture | null)[] = []
  const total = kValues.length * covarianceTypes.length
  for (const k of kValues) {
    for (const covarianceType of covarianceTypes) {
      let row: SelectionRow
      let model: GaussianMixture | null = null
      if (k > n) {
        row = {
          k, covarianceType, bic: null, aic: null, logLik: null, nParameters: null, status: 'skipped', nIter: null,
          error: { code: 'TOO_MANY_COMPONENTS', message: `k = ${k} is larger than the number of rows (${n}).` },
        }
      } else {
        const gm = new GaussianMixture({ ...(fitOptions as GaussianMixtureOptions), nComponents: k, covarianceType })
        try {
          await gm.fit(m)
          const logLik = gm.score(m) * n
          row = {
            k, covarianceType,
            bic: gm.bic(m), aic: gm.aic(m), logLik,
            nParameters: gm.nParameters(),
            status: gm.status, nIter: gm.nIter,
          }
          model = gm
        } catch (err) {
          // By code rather than instanceof: errors may come from another copy of emkit
          // (a worker, a bundled duplicate) and still mean the same thing.
          const code = (err as { code?: unknown } | null)?.code
          if (err instanceof Error && typeof code === 'string' && RECORDED_CODES.has(code)) {
            row = {
              k, covarianceType, bic: null, aic: null, logLik: null, nParameters: null, status: 'failed', nIter: null,
              error: { code, message: err.message },
            }
          } else {
            throw err
          }
        }
      }
      table.push(row)
      models.push(model)
      onFit?.(row, table.length - 1, total)
    }
  }

  const pick = (accept: (r: SelectionRow) => boolean): number => {
    let best = -1
    for (let i = 0; i < table.length; i++) {
      const r = table[i]!
      const v = r[criterion]
      if (v === null || !Number.isFinite(v) || !accept(r)) continue
      if (best < 0 || v < table[best]![criterion]!) best = i
    }
    return best
  }
  // Prefer fits that ended normally; a 'degenerate'/'aborted' fit only if nothing else is left.
  let bestIdx = pick((r) => r.status === 'converged' || r.status === 'max-iter')
  if (bestIdx < 0) bestIdx = pick(() => true)
  if (bestIdx < 0) {
    const codes = [...new Set(table.map((r) => r.error?.code).filter(Boolean))].join(', ')
    throw new EmkitError('DEGENERATE', `No model of the grid could be fitted (${codes || 'no finite criterion'}); try fewer components, a larger regCovar, or rescaling the data.`, { table })
  }
  const b = table[bestIdx]!
  return {
    criterion,
    table,
    best: { k: b.k, covarianceType: b.covarianceType, bic: b.bic!, aic: b.aic!, model: models[bestIdx]! },
  }
}
