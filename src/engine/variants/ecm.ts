import type { ConditionalStep, EMModel, PreparedData, Stepper } from '../types.js'

/**
 * ECM (Meng & Rubin 1993): one E-step, then the model's conditional maximisations in
 * sequence, each over its block with the others at their latest values.
 *
 * ECME (Liu & Rubin 1994): the same sequence, except that the CM-steps offering
 * `maximiseL` maximise the observed objective over their block instead of Q. One
 * application of the ECM/ECME map counts as one fixed-point evaluation; each L-step
 * adds its `lEvaluations` (default 1) objective evaluations.
 */
export function ecmStepper<P, D extends PreparedData>(model: EMModel<P, D>, steps: readonly ConditionalStep<P, D>[], useL: boolean): Stepper<P, D> {
  return {
    step(data, params) {
      const { stats, logLik } = model.eStep(data, params)
      if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      let next = params
      let objectiveEvaluations = 1
      for (const cm of steps) {
        if (useL && cm.maximiseL) {
          next = cm.maximiseL(next, data)
          objectiveEvaluations += cm.lEvaluations ?? 1
        } else {
          next = cm.maximiseQ(stats, next, data)
        }
      }
      return { params: next, logLik, fixedPointEvaluations: 1, objectiveEvaluations }
    },
  }
}
