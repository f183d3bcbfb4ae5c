/**
 * Reading the shards' answers to a plan's request (plan.ts): per-block partial sums in
 * block order, and the one answer only one shard gives.
 */

/** The shards' per-block answers (Float64Arrays) as one array in block order. */
export function inBlockOrder(answers: readonly unknown[]): Float64Array {
  const parts = answers as readonly Float64Array[]
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

/** Per-block vectors (each `size` long, back to back in block order) added in block order. */
export function sumBlocks(perBlock: Float64Array, size: number): Float64Array {
  const total = new Float64Array(size)
  for (let b = 0; b < perBlock.length / size; b++) for (let i = 0; i < size; i++) total[i] += perBlock[b * size + i]!
  return total
}

/** The one answer that is not null (e.g. the row only one shard holds). */
export function theAnswer<T>(answers: readonly unknown[], what: string): T {
  for (const a of answers) if (a !== null && a !== undefined) return a as T
  throw new Error(`emkit: no shard answered ${what}`)
}
