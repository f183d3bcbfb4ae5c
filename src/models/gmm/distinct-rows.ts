/**
 * Rows drawn without replacement: the random starts (start-others.ts), init 'hc''s
 * subset (hc-start.ts) and the Bayesian mixture's start draw them alike. Apart from all
 * so that each lazily loaded start carries only this, not the others.
 */
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { F64Buffer } from '../../kernels/types.js'

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

/** k distinct rows drawn uniformly (partial Fisher-Yates). */
export function distinctRows(data: { readonly n: number; readonly x: F64Buffer }, d: number, k: number, rng: Rng): Float64Array {
  const out = new Float64Array(k * d)
  const X = data.x.view
  distinctRowIds(data.n, k, rng).forEach((id, c) => out.set(X.subarray(id * d, id * d + d), c * d))
  return out
}
