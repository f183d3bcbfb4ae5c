/**
 * The body of the base's standardErrors: imported on demand with the information terms
 * (engine/information/), so bundles load it only for standard errors, driving the
 * estimator through its hooks (hooks.ts: EstimatorHooks).
 */
import { NotFittedError } from '../core/errors.js'
import { type InformationMethod, type StandardErrors, standardErrorsOf } from '../engine/information/index.js'
import type { PreparedData } from '../engine/types.js'
import type { EstimatorHooks, FitModel } from './hooks.js'

/** Standard errors of the fitted parameters from the observed information on the training data (see Estimator.standardErrors). */
export async function standardErrors<P, M extends FitModel<P, D>, D extends PreparedData>(est: EstimatorHooks<P, M, D>, options: unknown): Promise<StandardErrors> {
  const given = est.callOptions(options, 'standardErrors', ['method'])
  const s = est.fitted('standardErrors')
  const dataset = est.trainingData
  if (!dataset) throw new NotFittedError(est.kind, 'standardErrors', 'on its training data (a loaded model does not keep them): fit it again')
  await s.model.loadInformation?.()
  const data = est.prepareData(s.model, dataset)
  try {
    return est.reportStandardErrors(standardErrorsOf(s.model, data, s.params, (given['method'] ?? 'hessian') as InformationMethod), s.extras)
  } finally {
    s.model.release?.(data)
    s.model.dispose?.()
  }
}
