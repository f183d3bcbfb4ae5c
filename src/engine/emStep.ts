import type { EMModel, PreparedData, Stepper } from './types.js'

/** The plain EM map: E-step at the current parameters, then the M-step. */
export function emStepper<P, D extends PreparedData>(model: EMModel<P, D>): Stepper<P, D> {
  return {
    step(data, params) {
      const { stats, logLik } = model.eStep(data, params)
      if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      return { params: model.mStep(stats, params, data), logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
  }
}
