import type { PreparedData, Stepper, VariationalCapability } from '../types.js'

/**
 * Variational EM's map: the VE-step at q(theta) (q(z) and its expected statistics),
 * then the VM-step (the new q(theta)). The step reports the bound where the model
 * records it (see VariationalCapability): after the VE-step, or, with `elboAfterVM`,
 * after the VM-step. Either way it is a function of the q(theta) the step started
 * from, so the engine's loop, stopping rule, restarts and accelerators treat it as
 * any objective at the step's start.
 */
export function variationalStepper<P, D extends PreparedData>(capability: VariationalCapability<P, D>): Stepper<P, D> {
  const result = (params: P, { next, bound }: { next?: P; bound: number }) => next === undefined
    ? { params, logLik: bound, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
    : { params: next, logLik: bound, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
  const veStepAsync = capability.veStepAsync?.bind(capability)
  return {
    step: (data, params) => result(params, sweep(capability, data, params)),
    // a VE-step sharded over workers (same numbers); the VM-step stays here
    ...(veStepAsync ? { stepAsync: async (data: D, params: P) => result(params, finish(capability, data, params, await veStepAsync(data, params))) } : {}),
  }
}

/**
 * The objective a variational model records at q(theta) = `params` (what its
 * `logLik` must return): the VE-step's bound, or, for a model that records it after
 * the VM-step, the bound after one VE-step and VM-step from `params`.
 */
export function variationalObjective<P, D>(capability: VariationalCapability<P, D>, data: D, params: P): number {
  return sweep(capability, data, params).bound
}

/** One VE-step and, unless its bound is not finite, one VM-step; the bound where the model records it. */
function sweep<P, D>(capability: VariationalCapability<P, D>, data: D, params: P): { next?: P; bound: number } {
  return finish(capability, data, params, capability.veStep(data, params))
}

/** The VM-step after a VE-step's result, unless its bound is not finite. */
function finish<P, D>(capability: VariationalCapability<P, D>, data: D, params: P, { stats, logLik }: { stats: Float64Array; logLik: number }): { next?: P; bound: number } {
  if (!Number.isFinite(logLik)) return { bound: logLik }
  const next = capability.vmStep(stats, params, data)
  return { next, bound: capability.elboAfterVM ? capability.elboAfterVM(stats, next, data) : logLik }
}
