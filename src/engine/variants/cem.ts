import type { ClassificationCapability, EMModel, PreparedData, Stepper } from '../types.js'

/**
 * Classification EM (Celeux & Govaert 1992): C-step (each row to its most probable
 * component, the posteriors made hard), then the M-step on the hard partition's
 * statistics. The recorded objective is the classification log-likelihood at the
 * parameters the step starts from, with the partition they induce:
 * CL(theta_t+1, z_t+1) >= CL(theta_t+1, z_t) >= CL(theta_t, z_t), so it never falls, and
 * the run stops when the partition stops changing (the parameters then repeat).
 * With one shared spherical covariance and equal weights the C-step is the nearest
 * mean: Lloyd's k-means.
 */
export function cemStepper<P, D extends PreparedData>(model: EMModel<P, D>, cem: ClassificationCapability<P, D>): Stepper<P, D> {
  return {
    step(data, params) {
      const { stats, logLik } = cem.cStep(data, params)
      if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      return { params: model.mStep(stats, params, data), logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
    objective: (data, params) => cem.classificationLogLik(data, params),
  }
}
