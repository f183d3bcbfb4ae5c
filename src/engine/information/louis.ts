/**
 * Louis (1982): observed information = expected complete-data information minus the
 * missing information (the conditional variance of the complete-data score), both
 * supplied by the model from its per-row complete-data score and Hessian.
 */
import type { EMModel, PreparedData } from '../types.js'

export function louisInformation<P, D extends PreparedData>(model: EMModel<P, D>, data: D, params: P): { info: Float64Array; complete: Float64Array; missing: Float64Array } {
  const { complete, missing } = model.information!.louis!(data, params)
  const info = new Float64Array(complete.length)
  for (let i = 0; i < info.length; i++) info[i] = complete[i]! - missing[i]!
  return { info, complete, missing }
}
