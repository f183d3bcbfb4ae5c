/**
 * One cell of a model selection: fit an estimator, then score the fit on the same
 * data (log-likelihood, parameter count, BIC, AIC, ICL). `runTask` runs it for a 'fit'
 * task on a worker and `selectModel` (src/inference/select.ts) on the calling thread:
 * one function, so a table is the same whichever way its cells were scheduled.
 *
 * Scores are computed here from `scoreSamples`, not read from the estimator's own
 * bic()/aic(), so that sample weights count the same way in every criterion: a
 * frequency weight w counts its row w times, in the log-likelihood, in n of BIC
 * (n = sum of the weights) and in the classification term of ICL.
 */
import { aic, bic } from '../core/math/criteria.js'
import { UnsupportedError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import type { FitStatus } from '../engine/types.js'
import type { Dataset } from '../runtime/dataset.js'
import type { FitScores } from '../runtime/tasks.js'

/** What fitting and scoring a cell needs of an estimator: any estimator with a likelihood. */
export interface Scorable {
  fit(X: Matrix, options?: object): Promise<unknown>
  /** Log-likelihood of each row of X at the fitted parameters. */
  scoreSamples(X: Matrix, options?: object): ArrayLike<number>
  nParameters(): number
  readonly status: FitStatus
  readonly nIter: number
  /** Posterior probabilities of the latent classes, one row per row of X (mixtures, HMMs): only these give ICL. */
  predictProba?(X: Matrix, options?: object): unknown
}

/** Fit options besides sampleWeight: what describes the data (HMMs' lengths) also goes to the scoring calls. */
function scoringOptions(fitOptions: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { signal: _signal, onIteration: _onIteration, ...rest } = fitOptions
  return rest
}

/** The fit of one cell: `estimator.fit(X, fitOptions)` with the dataset's sampleWeight among the options. */
export async function fitCell(estimator: Scorable, data: Dataset, fitOptions: Readonly<Record<string, unknown>>): Promise<void> {
  await estimator.fit(data.X, data.sampleWeight ? { ...fitOptions, sampleWeight: data.sampleWeight } : fitOptions)
}

/** Fit, then score on the fitted data. Errors of the fit are thrown: the caller decides which to record. */
export async function fitAndScore(estimator: Scorable, data: Dataset, fitOptions: Readonly<Record<string, unknown>>, requireIcl: boolean): Promise<FitScores> {
  await fitCell(estimator, data, fitOptions)
  const weight = data.sampleWeight
  const scoring = scoringOptions(fitOptions)
  const rowLogLik = estimator.scoreSamples(data.X, scoring)
  if (weight && rowLogLik.length !== weight.length) {
    throw new UnsupportedError(`sampleWeight has ${weight.length} values but scoreSamples gave ${rowLogLik.length}: this estimator cannot be scored with per-row weights; leave sampleWeight out.`)
  }
  let logLik = 0
  let n = data.X.rows
  if (weight) {
    n = 0
    for (let i = 0; i < weight.length; i++) { logLik += weight[i]! * rowLogLik[i]!; n += weight[i]! }
  } else {
    for (let i = 0; i < rowLogLik.length; i++) logLik += rowLogLik[i]!
  }
  const nParameters = estimator.nParameters()
  const bicValue = bic(logLik, nParameters, n)
  let icl: number | null = null
  if (typeof estimator.predictProba === 'function') {
    const classification = mapLogPosterior(estimator.predictProba(data.X, scoring), data.X.rows, weight)
    if (classification !== null) icl = bicValue - 2 * classification
    else if (requireIcl) throw noIcl(`its predictProba does not give one row of probabilities per row of X (a classifier's?)`)
  } else if (requireIcl) {
    throw noIcl('it has no predictProba')
  }
  return { logLik, nParameters, bic: bicValue, aic: aic(logLik, nParameters), icl, status: estimator.status, nIter: estimator.nIter }
}

/** The typed refusal of criterion 'icl' for an estimator without latent class posteriors. */
export function noIcl(why: string): UnsupportedError {
  return new UnsupportedError(`Criterion 'icl' needs posterior probabilities of latent classes (predictProba of a mixture or an HMM), and ${why}; use criterion 'bic' or 'aic'.`)
}

/**
 * sum_i w_i log z_i,c(i), c(i) the class of largest posterior z_i,c (the first of
 * equals): mclust's classification term of ICL (its icl(): BIC + 2 sum C * log z with
 * C the hard MAP classification), i.e. the complete-data log-likelihood minus the
 * observed one at the MAP labels. null when `proba` is not n rows of probabilities.
 */
function mapLogPosterior(proba: unknown, n: number, weight: Float64Array | undefined): number | null {
  if (!Array.isArray(proba) || proba.length !== n) return null
  let sum = 0
  for (let i = 0; i < n; i++) {
    const row = proba[i] as ArrayLike<number> | undefined
    if (!row || typeof row !== 'object' || typeof row.length !== 'number' || row.length === 0) return null
    let best = row[0]!
    for (let c = 1; c < row.length; c++) if (row[c]! > best) best = row[c]!
    // a row with all-zero posterior (e.g. weight 0 and no data) adds nothing, as mclust's ifelse(z > 0, log z, 0)
    if (best > 0) sum += (weight ? weight[i]! : 1) * Math.log(best)
  }
  return sum
}
