/**
 * Rows drawn without replacement: the random starts (start.ts) and init 'hc''s subset
 * (hc-start.ts) draw them alike. Apart from both so that each lazily loaded start
 * carries only this, not the other.
 */
import type { Rng } from '../../core/rng/xoshiro128.js'

/** k distinct row indices of 0..n-1 drawn uniformly (partial Fisher-Yates), in draw order. */
export function distinctRowIds(n: number, k: number, rng: Rng): number[] {
  const idx = Int32Array.from({ length: n }, (_, i) => i)
  const out: number[] = []
  for (let c = 0; c < k; c++) {
    const j = c + rng.integer(n - c)
    const t = idx[c]!; idx[c] = idx[j]!; idx[j] = t
    out.push(idx[c]!)
  }
  return out
}
