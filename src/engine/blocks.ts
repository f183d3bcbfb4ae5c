/**
 * E-steps over fixed blocks of rows, added in block order: the one reduction order of
 * a fit whose rows are evaluated a block at a time, whether the blocks sit in one
 * kernel memory (a serial fit over blocks: the model's eStep) or are spread over the
 * shards of a sharded fit (runtime/statistics.ts adds the shards' blocks with
 * addBlocks). Floating-point addition is not associative; summing every fit the same
 * way makes a serial fit and a sharded one bit-identical for any number of shards.
 */
import type { EMModel, EStepResult, PreparedData } from './types.js'

/** One block's share of an E-step. */
export interface BlockShare extends EStepResult {
  readonly rows: number
  readonly totalWeight: number
}

/** Rows lo (included) to hi (excluded) of prepared data as prepared data (`IncrementalCapability.rowBlock`). */
export type RowBlock<D> = (data: D, lo: number, hi: number) => D

/** The blocks of `blockRows` rows (the last may be shorter) of n rows of prepared data, in order. */
export function blocksOf<D>(data: D, n: number, blockRows: number, rowBlock: RowBlock<D>): D[] {
  const blocks: D[] = []
  for (let lo = 0; lo < n; lo += blockRows) blocks.push(rowBlock(data, lo, Math.min(n, lo + blockRows)))
  return blocks
}

/** The model's E-step on one block. */
export function blockShare<P, D extends PreparedData>(model: EMModel<P, D>, block: D & { readonly n: number }, params: P): BlockShare {
  const { stats, logLik } = model.eStep(block, params)
  return { stats, logLik, rows: block.n, totalWeight: block.totalWeight }
}

/** Blocks' shares added in the order given (block order), each sum starting from zero. */
export function addBlocks(blocks: readonly BlockShare[]): BlockShare {
  const stats = new Float64Array(blocks[0]?.stats.length ?? 0)
  let rows = 0
  let totalWeight = 0
  let logLik = 0
  for (const b of blocks) {
    for (let i = 0; i < stats.length; i++) stats[i]! += b.stats[i]!
    rows += b.rows
    totalWeight += b.totalWeight
    logLik += b.logLik
  }
  return { stats, logLik, rows, totalWeight }
}
