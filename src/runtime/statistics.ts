/**
 * The binary statistics format of sharded fits: what a shard (a worker thread, or a
 * process on another host) sends back per iteration, and `mergeStatistics`, which
 * adds them up.
 *
 * Why blocks: floating-point addition is not associative, so statistics summed per
 * shard would change in the last bits with the number of shards. Rows are cut into
 * fixed blocks of SHARD_BLOCK_ROWS rows, numbered from 0 over the whole data; a shard
 * holds whole blocks and sends each block's statistics apart; the merge adds the
 * blocks in block order. The result does not depend on how the blocks were spread
 * over shards, so a fit is bit-identical for any number of workers or hosts.
 *
 * Layout (little-endian), version 1:
 *   bytes 0-3   magic 'EMST'
 *   4-5 u16     version (1)
 *   6-7 u16     flags (bit 0: a merge result; its blocks are already summed)
 *   8-11 u32    statistics length L (per block)
 *   12-15 u32   number of blocks B
 *   16-19 u32   fingerprint of the parameters the statistics were computed at
 *   20-23       zero (so the f64 part is 8-byte aligned)
 *   then per block, 4 + L float64: block index, rows, total weight, log-likelihood, the L statistics.
 * Total: 24 + 8 B (4 + L) bytes. No Node built-ins: it runs in browsers and edge runtimes.
 *
 * Here what an M-step on merged statistics reads (decode, sum, fingerprint: the
 * estimators' synchronous `mStep`); the writing side (encode, mergeStatistics, the
 * shards' blocks) is in statistics-write.ts, which bundles load with sharded fits.
 */
import { InputError } from '../core/errors.js'
import { show } from '../core/show.js'
import { REDUCTION_BLOCK_ROWS } from '../models/init/plan.js'
import { addBlocks } from '../engine/blocks.js'

/** Rows per block of a sharded fit (the unit of the fixed reduction order; the initialisation's blocks too). */
export const SHARD_BLOCK_ROWS = REDUCTION_BLOCK_ROWS
export const STATISTICS_MAGIC = 0x5453_4d45 // 'EMST' read as a little-endian u32
export const STATISTICS_VERSION = 1
export const HEADER = 24
export const MERGED = 1

/** One block's share of an E-step. */
export interface BlockStatistics {
  /** Global block number (rows index*SHARD_BLOCK_ROWS onwards). */
  readonly index: number
  readonly rows: number
  readonly totalWeight: number
  readonly logLik: number
  readonly stats: Float64Array
}

export interface ShardStatistics {
  readonly fingerprint: number
  readonly merged: boolean
  readonly blocks: readonly BlockStatistics[]
}

export function formatError(message: string, details: Record<string, unknown> = {}): InputError {
  return new InputError('STATISTICS_FORMAT', message, details)
}

/**
 * FNV-1a over the bytes of a parameter vector: statistics computed at other parameters
 * (a shard one iteration behind) are refused instead of merged into a wrong M-step.
 */
export function paramsFingerprint(packed: Float64Array): number {
  const bytes = new Uint8Array(packed.buffer, packed.byteOffset, packed.byteLength)
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** Read a statistics buffer; a wrong magic, version or length is an InputError 'STATISTICS_FORMAT'. */
export function decodeStatistics(buffer: unknown, what = 'statistics buffer'): ShardStatistics {
  const bytes = asBytes(buffer, what)
  if (bytes.byteLength < HEADER) {
    throw formatError(`The ${what} has ${bytes.byteLength} bytes, fewer than the ${HEADER}-byte header: pass the Uint8Array eStepShard returned, whole.`, { bytes: bytes.byteLength })
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const magic = view.getUint32(0, true)
  if (magic !== STATISTICS_MAGIC) throw formatError(`The ${what} does not start with the emkit statistics magic 'EMST' (got 0x${magic.toString(16)}): it is not eStepShard output.`, { magic })
  const version = view.getUint16(4, true)
  if (version !== STATISTICS_VERSION) {
    throw formatError(`The ${what} has format version ${version}; this emkit reads version ${STATISTICS_VERSION}: run the same emkit version on every shard and on the coordinator.`, { version, expected: STATISTICS_VERSION })
  }
  const merged = (view.getUint16(6, true) & MERGED) !== 0
  const length = view.getUint32(8, true)
  const count = view.getUint32(12, true)
  const fingerprint = view.getUint32(16, true)
  const expected = HEADER + 8 * count * (4 + length)
  if (bytes.byteLength !== expected) {
    throw formatError(`The ${what} has ${bytes.byteLength} bytes but its header (${count} blocks of ${length} statistics) says ${expected}: it was cut or padded in transit.`, { bytes: bytes.byteLength, expected })
  }
  const blocks: BlockStatistics[] = []
  let at = HEADER
  for (let b = 0; b < count; b++) {
    const head = [0, 1, 2, 3].map((j) => view.getFloat64(at + 8 * j, true))
    at += 32
    const stats = new Float64Array(length)
    for (let i = 0; i < length; i++) { stats[i] = view.getFloat64(at, true); at += 8 }
    blocks.push({ index: head[0]!, rows: head[1]!, totalWeight: head[2]!, logLik: head[3]!, stats })
  }
  return { fingerprint, merged, blocks }
}

function asBytes(buffer: unknown, what: string): Uint8Array {
  if (buffer instanceof Uint8Array) return buffer
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer)
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  throw formatError(`The ${what} must be a Uint8Array (what eStepShard returns), got ${show(buffer)}.`)
}

/**
 * One buffer's blocks summed in block order, as one merged entry (a block twice, or
 * none, is a format error): mergeDecoded (statistics-write.ts) of one buffer, whose
 * blocks share its fingerprint and length (the header's) by construction, so the checks
 * across buffers have nothing to check; the estimators' mStep reads this.
 */
export function sumDecoded(decoded: ShardStatistics): ShardStatistics {
  const blocks = [...decoded.blocks]
  if (blocks.length === 0) throw formatError('The statistics buffers hold no blocks: every shard had no rows.')
  blocks.sort((a, b) => a.index - b.index)
  for (let i = 1; i < blocks.length; i++) {
    if (blocks[i]!.index === blocks[i - 1]!.index) throw formatError(`Block ${blocks[i]!.index} is in two statistics buffers: each block of rows must be in exactly one shard.`, { block: blocks[i]!.index })
  }
  // the one reduction order (engine/blocks.ts): a serial fit over blocks sums its own the same way
  return { fingerprint: decoded.fingerprint, merged: true, blocks: [{ index: blocks[0]!.index, ...addBlocks(blocks) }] }
}

/** What a statistics buffer covers: its blocks, rows, total weight and log-likelihood (summed in block order). */
export function statisticsSummary(buffer: unknown): { blocks: number; rows: number; totalWeight: number; logLik: number; merged: boolean } {
  const s = decodeStatistics(buffer)
  if (s.blocks.length === 0) return { blocks: 0, rows: 0, totalWeight: 0, logLik: 0, merged: s.merged }
  const sum = sumDecoded(s).blocks[0]!
  return { blocks: s.blocks.length, rows: sum.rows, totalWeight: sum.totalWeight, logLik: sum.logLik, merged: s.merged }
}
