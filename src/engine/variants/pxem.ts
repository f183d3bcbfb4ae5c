import type { EMModel, ParameterExpansion, PreparedData, Stepper } from '../types.js'

/**
 * PX-EM (Liu, Rubin & Wu 1998): the E-step of the original model (the expansion
 * parameter at its null value), the M-step of the expanded model, then the reduction
 * back to the original parameters. It is an EM for the expanded model, so it increases
 * the objective at every iteration, and it usually converges in fewer iterations.
 */
export function pxemStepper<P, D extends PreparedData>(model: EMModel<P, D>, px: ParameterExpansion<P, D>): Stepper<P, D> {
  return {
    step(data, params) {
      const { stats, logLik } = model.eStep(data, params)
      if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      const expanded = px.expandedMStep(stats, params, data)
      return { params: px.reduce(expanded, params), logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
  }
}
