/** Contiguous row blocks of prepared data (incremental EM's blocks, `IncrementalCapability.splitBlocks`). */
import { OptionError } from '../../core/errors.js'
import type { F64Buffer } from '../../kernels/types.js'

/** A block: rows lo (included) to hi (excluded). */
export interface RowRange {
  readonly lo: number
  readonly hi: number
}

/** `blocks` contiguous ranges over n rows, in order, sizes differing by at most one. */
export function rowBlocks(n: number, blocks: number): RowRange[] {
  if (blocks > n) throw new OptionError('blocks', `${blocks} blocks but the data have ${n} rows; use at most ${n} blocks.`, { blocks, rows: n })
  return Array.from({ length: blocks }, (_, b) => ({ lo: Math.floor((b * n) / blocks), hi: Math.floor(((b + 1) * n) / blocks) }))
}

/** The rows' buffers of a block: `width` values per row (d for X, k for responsibilities, 1 for per-row values). */
export function rowsOf(buffer: F64Buffer, range: RowRange, width: number): F64Buffer {
  return buffer.subarray(range.lo * width, range.hi * width)
}

/** A block's total weight: its rows' sample weights summed, or its row count without weights. */
export function blockWeight(sampleWeight: F64Buffer | null, range: RowRange): number {
  if (!sampleWeight) return range.hi - range.lo
  const w = sampleWeight.view
  let s = 0
  for (let i = range.lo; i < range.hi; i++) s += w[i]!
  return s
}
