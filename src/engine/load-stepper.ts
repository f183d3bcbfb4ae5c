import type { EMModel, PreparedData, Stepper } from './types.js'
import { composeStepper, EM_ONLY, needsStepperTable, type StrategyOptions } from './strategy.js'

/**
 * `makeStepper` for a fit that may start later: plain EM builds at once; any other
 * algorithm or an accelerator imports the strategy table first (steppers.ts, a dynamic
 * import: browser bundles load the variants and accelerators only for fits that use them),
 * and SEM or MCEM what the model's draws run (`monteCarlo.load`).
 */
export async function loadStepper<P, D extends PreparedData>(model: EMModel<P, D>, options: StrategyOptions = {}): Promise<Stepper<P, D>> {
  if (!needsStepperTable(options)) return composeStepper(model, options, EM_ONLY)
  const { ACCELERATOR_STEPPERS, ALGORITHM_STEPPERS } = await import('./steppers.js')
  if (options.algorithm === 'sem' || options.algorithm === 'mcem') await model.monteCarlo?.load?.()
  // incremental EM, and online EM through recentreOnline when the model has no online recentre (online.ts), use the incremental capability's code
  if (options.algorithm === 'incremental' || (options.algorithm === 'online' && !model.onlineEM?.recentre)) await model.incremental?.load?.()
  return composeStepper(model, options, { algorithms: ALGORITHM_STEPPERS, accelerators: ACCELERATOR_STEPPERS })
}
