/**
 * The writing side of the statistics format (statistics.ts has the layout and the
 * reader): encoding a shard's blocks, `mergeStatistics`, and which blocks a shard holds.
 * Apart from the reader so that a bundle of an estimator carries it only with sharded
 * fits (estimators/shard.ts, imported on demand) or mergeStatistics.
 */
import { show } from '../core/show.js'
import {
  type BlockStatistics, formatError, HEADER, MERGED, SHARD_BLOCK_ROWS, type ShardStatistics, decodeStatistics, STATISTICS_MAGIC, STATISTICS_VERSION, sumDecoded,
} from './statistics.js'

export function encodeStatistics(s: ShardStatistics): Uint8Array {
  const length = s.blocks[0]?.stats.length ?? 0
  const out = new Uint8Array(HEADER + 8 * s.blocks.length * (4 + length))
  const view = new DataView(out.buffer)
  view.setUint32(0, STATISTICS_MAGIC, true)
  view.setUint16(4, STATISTICS_VERSION, true)
  view.setUint16(6, s.merged ? MERGED : 0, true)
  view.setUint32(8, length, true)
  view.setUint32(12, s.blocks.length, true)
  view.setUint32(16, s.fingerprint >>> 0, true)
  let at = HEADER
  for (const b of s.blocks) {
    if (b.stats.length !== length) throw formatError(`Blocks of one statistics buffer must have the same length: ${b.stats.length} != ${length}.`)
    for (const v of [b.index, b.rows, b.totalWeight, b.logLik]) { view.setFloat64(at, v, true); at += 8 }
    for (let i = 0; i < length; i++) { view.setFloat64(at, b.stats[i]!, true); at += 8 }
  }
  return out
}

/**
 * Add the statistics of shards computed at the same parameters: every block of every
 * buffer, in block order (so the sum does not depend on how blocks were spread over
 * shards: give all the shards' buffers in one call). Returns one merged buffer (one
 * entry) for `mStep`. Refuses buffers of another version, a cut buffer, buffers of
 * different lengths or parameters, and a block given twice.
 */
export function mergeStatistics(buffers: readonly unknown[]): Uint8Array {
  return encodeStatistics(mergeDecoded(decodeAll(buffers)))
}

export function decodeAll(buffers: readonly unknown[]): ShardStatistics[] {
  if (!Array.isArray(buffers) || buffers.length === 0) throw formatError(`mergeStatistics needs an array of one or more statistics buffers, got ${show(buffers)}.`)
  return buffers.map((b, i) => decodeStatistics(b, `statistics buffer ${i}`))
}

/** Number of blocks of n rows, and the blocks [lo, hi) of shard s of `shards`. */
export function blockCount(n: number): number {
  return Math.ceil(n / SHARD_BLOCK_ROWS)
}

export function shardBlocks(n: number, shards: number, s: number): { lo: number; hi: number } {
  const nb = blockCount(n)
  return { lo: Math.floor((s * nb) / shards), hi: Math.floor(((s + 1) * nb) / shards) }
}

/** The blocks of every buffer summed in block order, as one merged entry (a sharded fit's coordinator, mergeStatistics). */
export function mergeDecoded(all: readonly ShardStatistics[]): ShardStatistics {
  const first = all[0]!
  const length = first.blocks[0]?.stats.length
  const blocks: BlockStatistics[] = []
  all.forEach((s, i) => {
    if (s.fingerprint !== first.fingerprint) {
      throw formatError(`Statistics buffer ${i} was computed at other parameters than buffer 0 (fingerprint ${s.fingerprint} != ${first.fingerprint}): every shard must run the E-step at the same parameters.`, { buffer: i })
    }
    for (const b of s.blocks) {
      if (b.stats.length !== length) throw formatError(`Statistics buffer ${i} has ${b.stats.length} statistics per block, buffer 0 has ${length}: the shards run different models.`, { buffer: i })
      blocks.push(b)
    }
  })
  return sumDecoded({ fingerprint: first.fingerprint, merged: true, blocks })
}

