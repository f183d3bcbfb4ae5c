import { chunkEStep, onlineUpdate } from '../online.js'
import type { OnlineSettings, OnlineState } from '../online-options.js'
import type { EMModel, OnlineEMCapability, PreparedData, Stepper } from '../types.js'

/**
 * Online EM as a fit algorithm (Hoffman, Blei & Bach 2010 for LDA): one engine iteration
 * is a pass over the model's consecutive mini-batches, each an online EM update
 * (engine/online.ts, the one that partialFit runs) of the batch's statistics at the
 * current parameters, the running average standing for the whole data's weight. The
 * objective recorded is the model's (the full bound) at the parameters the pass starts
 * from, so history[t] is after t passes.
 */
export function onlineStepper<P, D extends PreparedData>(
  model: EMModel<P, D>, capability: OnlineEMCapability<P, D>, settings: OnlineSettings,
): Stepper<P, D> {
  const statsOf = (batch: D, params: P): Float64Array => (capability.batchStats ? capability.batchStats(batch, params) : chunkEStep(model, batch, params).stats)
  // the running state carries over from pass to pass (a model with `natural` keeps it in its parameters)
  let state: OnlineState<P> | null = null
  return {
    step(data, params) {
      const logLik = model.logLik(data, params)
      if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      const whole = { ...settings, totalWeight: settings.totalWeight ?? data.totalWeight }
      let next = params
      for (const batch of capability.batches!(data)) ({ params: next, state } = onlineUpdate(model, batch, next, statsOf(batch, next), state, whole))
      return { params: next, logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
  }
}
