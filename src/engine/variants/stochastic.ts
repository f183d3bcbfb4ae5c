import type { EMModel, PreparedData, Stepper, StochasticCapability } from '../types.js'

/**
 * Stochastic (mini-batch) EM's map: one epoch, an E-step and an M-step per mini-batch
 * (see StochasticCapability). Reports the sum of the batches' objectives, and decides
 * convergence itself on a moving window: |mean of the last w epochs - mean of the w
 * before| / scale < tol, once 2w epochs are done (a single epoch's change is noise).
 * With criterion 'parameters' the engine's rule applies.
 */
export function stochasticStepper<P, D extends PreparedData>(model: EMModel<P, D>, capability: StochasticCapability<P, D>): Stepper<P, D> {
  const epochs: number[] = []
  const w = capability.window
  return {
    step(data, params, rule) {
      let total = 0, next = params, batches = 0
      for (const batch of capability.batches(data, params)) {
        const { stats, logLik } = model.eStep(batch, next)
        batches++
        total += logLik
        if (!Number.isFinite(logLik)) return { params: next, logLik, fixedPointEvaluations: batches - 1, objectiveEvaluations: batches }
        next = model.mStep(stats, next, batch)
      }
      epochs.push(total)
      if (rule?.criterion === 'parameters') return { params: next, logLik: total, fixedPointEvaluations: batches, objectiveEvaluations: batches }
      let converged = false
      if (rule && epochs.length >= 2 * w) {
        let recent = 0, before = 0
        for (let e = epochs.length - w; e < epochs.length; e++) recent += epochs[e]!
        for (let e = epochs.length - 2 * w; e < epochs.length - w; e++) before += epochs[e]!
        converged = Math.abs((recent - before) / w / rule.scale) < rule.tol
      }
      return { params: next, logLik: total, fixedPointEvaluations: batches, objectiveEvaluations: batches, converged }
    },
  }
}
