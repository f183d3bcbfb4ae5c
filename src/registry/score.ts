/**
 * The scores of one fitted cell of a model selection (log-likelihood, parameter count,
 * BIC, AIC, ICL), from the estimator's `scoreDataset` on the data it was fitted to:
 * the log-likelihood and n as its own bic() counts them (an HMM's total over its
 * sequences, a GLMM's over its groups with n = rows), a sampleWeight counted as a
 * frequency weight in every term (a row of weight w counts w times, in log L, in n of
 * the BIC and in the classification term of ICL), and the posterior class
 * probabilities of latent-class estimators for ICL.
 */
import { aic, bic, mapLogPosterior } from '../core/math/criteria.js'
import { UnsupportedError } from '../core/errors.js'
import type { FitStatus } from '../engine/types.js'
import type { DatasetScore } from '../estimators/base.js'
import type { Dataset } from '../runtime/dataset.js'
import type { FitScores } from '../runtime/tasks.js'

/** What scoring a fitted cell needs of an estimator (every estimator on the base has it). */
export interface Scorable {
  /** The data's log-likelihood at the fitted parameters, its n, and the posterior class probabilities of latent-class models. */
  scoreDataset(data: Dataset): DatasetScore
  nParameters(): number
  readonly status: FitStatus
  readonly nIter: number
}

/** The scores of a fitted estimator on `data` (its training data). */
export function scoreFit(estimator: Scorable, data: Dataset): FitScores {
  const { logLik, n, posteriors, classification } = estimator.scoreDataset(data)
  const nParameters = estimator.nParameters()
  const bicValue = bic(logLik, nParameters, n)
  const term = classification ?? (posteriors === null ? null : rowsMapLogPosterior(posteriors, data.sampleWeight))
  const icl = term === null ? null : bicValue - 2 * term
  return { logLik, nParameters, bic: bicValue, aic: aic(logLik, nParameters), icl, status: estimator.status, nIter: estimator.nIter }
}

/** The typed refusal of criterion 'icl' for an estimator without latent classes. */
export function noIcl(kind: string): UnsupportedError {
  return new UnsupportedError(`Criterion 'icl' needs the posterior probabilities of latent classes (a mixture's components, an HMM's states), and ${kind} has none; use criterion 'bic' or 'aic'.`, { kind })
}

/** ICL's classification term (core/math/criteria.ts) over rows of posterior probabilities. */
function rowsMapLogPosterior(proba: ArrayLike<ArrayLike<number>>, weight: Float64Array | undefined): number {
  let sum = 0
  // one row at a time: log of its largest posterior (or 0), weighted as mapLogPosterior weighs it
  for (let i = 0; i < proba.length; i++) sum += (weight ? weight[i]! : 1) * mapLogPosterior(proba[i]!, 1, proba[i]!.length)
  return sum
}
