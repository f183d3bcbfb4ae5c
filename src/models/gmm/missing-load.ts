/**
 * missing-statistics.ts (what a fit on data with missing values runs) once imported:
 * the estimator's loadParts imports it for data with NaN, before any model is built,
 * so the model's synchronous E-step finds it.
 */
import { notLoaded } from '../../core/errors.js'

let code: typeof import('./missing-statistics.js') | null = null

export async function loadMissingStatistics(): Promise<void> {
  code ??= await import('./missing-statistics.js')
}

/** The fit's missing-data code; loadMissingStatistics must have run (an internal order: the fits' loadParts). */
export function missingStatisticsCode(): typeof import('./missing-statistics.js') {
  if (!code) throw notLoaded('The Gaussian mixture\'s missing-value statistics', 'loadMissingStatistics() (the estimator\'s loadParts does, for data with NaN)')
  return code
}
