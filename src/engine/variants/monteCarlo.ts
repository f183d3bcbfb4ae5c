/** What the Monte Carlo variants (SEM, MCEM) report, and their shared helpers. */
import type { EMModel, MonteCarloCapability, PreparedData } from '../types.js'

/** Mean and standard error over draws of completeLogLik(new) - completeLogLik(old). */
export function deltaQStats(values: readonly number[]): { mean: number; se: number } {
  const m = values.length
  let mean = 0
  for (const v of values) mean += v
  mean /= m
  let ss = 0
  for (const v of values) ss += (v - mean) ** 2
  const sd = m > 1 ? Math.sqrt(ss / (m - 1)) : 0
  return { mean, se: sd / Math.sqrt(m) }
}

/** mcemGLM's relative change: max_i |b_i - a_i| / (|a_i| + delta). */
export function relativeChange(a: Float64Array, b: Float64Array, delta: number): number {
  let r = 0
  for (let i = 0; i < a.length; i++) r = Math.max(r, Math.abs(b[i]! - a[i]!) / (Math.abs(a[i]!) + delta))
  return r
}

/** Column means of `rows` rows of length `width` stored back to back (rows start..end). */
export function meanRows(draws: Float64Array, width: number, start: number, end: number): Float64Array {
  const out = new Float64Array(width)
  for (let r = start; r < end; r++) for (let j = 0; j < width; j++) out[j]! += draws[r * width + j]!
  for (let j = 0; j < width; j++) out[j]! /= end - start
  return out
}

/**
 * The M-step after a Monte Carlo E-step of m draws (rows of `width` = rows.length / m):
 * the model's own M-step from the draws when it has one, else `mStep` on their mean.
 */
export function monteCarloMStep<P, D extends PreparedData>(model: EMModel<P, D>, mc: MonteCarloCapability<P, D>, rows: Float64Array, m: number, params: P, data: D): P {
  if (mc.mStepFromDraws) return mc.mStepFromDraws(rows, m, params, data)
  return model.mStep(meanRows(rows, rows.length / m, 0, m), params, data)
}

/**
 * completeLogLik(draw, next) - completeLogLik(draw, params) for each of the m draws:
 * the terms of the Monte Carlo delta-Q. Uses the model's batched completeLogLiks when
 * it has one (one pass over all draws instead of one call per draw).
 */
export function deltaQValues<P, D>(mc: MonteCarloCapability<P, D>, rows: Float64Array, m: number, next: P, params: P, data: D): number[] {
  if (mc.completeLogLiks) {
    const a = mc.completeLogLiks(rows, m, next, data), b = mc.completeLogLiks(rows, m, params, data)
    return Array.from(a, (v, r) => v - b[r]!)
  }
  const width = rows.length / m
  const values: number[] = []
  for (let r = 0; r < m; r++) {
    const s = rows.subarray(r * width, (r + 1) * width)
    values.push(mc.completeLogLik(s, next, data) - mc.completeLogLik(s, params, data))
  }
  return values
}
