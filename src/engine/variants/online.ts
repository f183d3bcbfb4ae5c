import type { EMModel, OnlineCapability, PreparedData, Stepper } from '../types.js'

/**
 * Online variational EM (Hoffman, Blei & Bach 2010): one engine iteration is a pass
 * over the model's consecutive mini-batches; each batch's statistics (a VE-step at the
 * current parameters, on that batch alone) are blended into the parameters with the
 * model's decaying step size. The objective recorded is the model's (the full bound)
 * at the parameters the pass starts from, so history[t] is after t passes.
 */
export function onlineStepper<P, D extends PreparedData>(model: EMModel<P, D>, capability: OnlineCapability<P, D>): Stepper<P, D> {
  return {
    step(data, params) {
      const logLik = model.logLik(data, params)
      if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      let next = params
      for (const batch of capability.batches(data)) next = capability.update(capability.batchStats(batch, next), next, batch, data)
      return { params: next, logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
  }
}
