/**
 * One fit sharded by rows (`fit(X, { workers: n })`) and its building blocks for other
 * machines (`eStepShard`, `mergeStatistics`, `mStep`).
 *
 * A shard holds whole blocks of SHARD_BLOCK_ROWS rows in its own kernel memory for the
 * whole fit; each iteration it runs the model's E-step per block at the parameters it
 * is sent and returns the blocks' statistics (runtime/statistics.ts); the main thread
 * adds them in block order and runs the model's M-step. The sum does not depend on
 * which shard computed which block, so the fit is bit-identical for any worker count.
 */
import { UnsupportedError } from '../core/errors.js'
import { show } from '../core/show.js'
import { isMatrix, type Matrix } from '../core/matrix.js'
import { knownComplete, markComplete, markOwned, scanOwned } from '../core/validate.js'
import type { EMModel, PreparedData, Stepper } from '../engine/types.js'
import { blockShare, blocksOf } from '../engine/blocks.js'
import { type Dataset, shareDataset } from '../runtime/dataset.js'
import { type ParallelRunner, parallelRunner, type ShardGroup, type ShardTask } from '../runtime/runner.js'
import type { BackendName } from '../kernels/types.js'
import type { EstimatorSpec } from '../runtime/tasks.js'
import type { ShardHandler } from '../models/init/plan.js'
import { type BlockStatistics, paramsFingerprint, SHARD_BLOCK_ROWS } from '../runtime/statistics.js'
import { blockCount, decodeAll, encodeStatistics, mergeDecoded, shardBlocks } from '../runtime/statistics-write.js'

/** A shard's rows in kernel memory, evaluated at the parameters each iteration sends. */
export interface ShardSession<P> {
  /** The E-step of every block of the shard at `params`: a statistics buffer (runtime/statistics.ts). */
  eStep(params: P): Uint8Array
  /** A request of the initialisation's plan (models/init/plan.ts) about the shard's rows. */
  call(op: string, args: unknown): unknown
  /** Free the shard's kernel memory. */
  close(): void
}

/** Why `model` cannot be sharded, or null. */
export function shardingRefusal(model: { name?: string; incremental?: { rowBlock?: unknown } }, algorithm: unknown, accelerate: unknown): UnsupportedError | null {
  if (typeof model.incremental?.rowBlock !== 'function') {
    return new UnsupportedError(`The model '${model.name ?? '?'}' cannot be sharded over workers (it has no row blocks); fit without the workers fit option.`)
  }
  if ((algorithm ?? 'em') !== 'em' || (accelerate ?? 'none') !== 'none') {
    return new UnsupportedError(`A fit sharded over workers runs plain EM: algorithm ${show(algorithm)} and accelerate ${show(accelerate)} are not supported with the workers fit option; use algorithm 'em' and accelerate 'none', or fit without workers.`, { algorithm: show(algorithm), accelerate: show(accelerate) })
  }
  return null
}

/**
 * The session over a shard's prepared data whose first block is global block
 * `firstBlock`. `done` frees the data and the model's memory; `initShard` makes the
 * handler of the initialisation's requests (null: the estimator starts on the main thread).
 */
export function shardSession<P, D extends PreparedData>(model: EMModel<P, D>, data: D & { n: number }, firstBlock: number, done: () => void, initShard: () => ShardHandler | null = () => null): ShardSession<P> {
  let handler: ShardHandler | null = null
  const rowBlock = model.incremental?.rowBlock
  if (!rowBlock) throw shardingRefusal(model, 'em', 'none')!
  const blocks = blocksOf(data, data.n, SHARD_BLOCK_ROWS, rowBlock as (data: D & { n: number }, lo: number, hi: number) => D & { n: number })
  return {
    eStep(params) {
      const out: BlockStatistics[] = blocks.map((block, b) => ({ index: firstBlock + b, ...blockShare(model, block, params) }))
      return encodeStatistics({ fingerprint: paramsFingerprint(model.pack(params)), merged: false, blocks: out })
    },
    call(op, args) {
      handler ??= initShard()
      if (!handler) throw new UnsupportedError(`The model '${(model as { name?: string }).name ?? '?'}' does not start on its shards.`)
      return handler.call(op, args)
    },
    close() {
      handler?.close()
      done()
    },
  }
}

/** The rows lo..hi of a dataset (row-aligned arrays with them): views, nothing copied. */
export function datasetRows(data: Dataset, lo: number, hi: number): Dataset {
  const X: Matrix = { rows: hi - lo, cols: data.X.cols, data: data.X.data.subarray(lo * data.X.cols, hi * data.X.cols) }
  const out: { -readonly [K in keyof Dataset]: Dataset[K] } = { X }
  for (const key of ['y', 'sampleWeight', 'exposure', 'trials'] as const) {
    const v = data[key]
    if (v) out[key] = v.subarray(lo, hi)
  }
  if (data.lengths || data.groups) throw new UnsupportedError('Data split into sequences or groups cannot be sharded by rows; fit without the workers fit option.')
  return out
}

/**
 * A sharded fit's X given as { data: Float64Array, rows, cols }: copied once, straight
 * into shared memory (the workers read it without a copy), and handed to validation as
 * emkit's own (checked, not copied again), with the one pass that settles every check
 * of the fit (scanOwned): this thread's work before the shards start is a copy and a
 * pass, not a copy and four; for shards large enough to reserve memory for, the pass
 * is made by the workers right behind the copy (in parts: recordScans), so this
 * thread's part is the copy. Called only with a runner that opens shards. A caller's
 * array already in shared memory is copied by validation as always.
 */
export function sharedInput(input: unknown, workers: unknown, backend: BackendName): unknown {
  if (!isMatrix(input) || !(input.data instanceof Float64Array)) return input
  const runner = parallelRunner()!
  const ahead = reservation(runner, input, workers)
  // large shards: the workers scan the rows behind this thread's copy (runner.shareAhead: the copy comes back
  // owned, its scan recorded where it settles the checks; rows with NaN are left to the checks' own passes, not scanned again), then reserve their memory
  if (ahead && runner.shareAhead) return runner.shareAhead(input, ahead.threads, ahead.bytes, backend)
  reserveShards(runner, input, workers, backend)
  const shared = runner.share(input)
  return shared === input ? input : knownComplete(shared) ? shared : scanOwned(markOwned(shared))
}

/** Shards holding fewer bytes of rows map their memory when they copy them: too little to gain from doing it earlier. */
export const RESERVE_MIN_BYTES = 32 * 2 ** 20

/**
 * Ask the workers to map kernel memory for their shards' rows now (the largest shard's
 * rows and 16 MB for one block's buffers), so that it happens while this thread copies
 * and checks the rows rather than after (at 10^7 x 8 rows the copy and the check take
 * ~0.5 s here, and mapping a shard's 305 MB 0.15-0.9 s there). A fit refused later
 * (a variant that does not shard, bad rows) leaves the workers' memory grown, as any
 * sharded fit does.
 */
export function reserveShards(runner: ParallelRunner, X: Matrix, workers: unknown, backend: BackendName): void {
  const ahead = reservation(runner, X, workers)
  if (ahead && runner.reserve) runner.reserve(ahead.threads, ahead.bytes, backend)
}

/** The shards' threads and the bytes each is to reserve (reserveShards), or null: too little to reserve or a bad worker count (refused later). */
function reservation(runner: ParallelRunner, X: Matrix, workers: unknown): { threads: number; bytes: number } | null {
  const count = workers === 'auto' ? runner.available : typeof workers === 'number' && Number.isInteger(workers) && workers >= 1 ? workers : 0
  if (count < 1) return null
  const shards = shardCount(X.rows, count)
  const rows = Math.ceil(blockCount(X.rows) / shards) * SHARD_BLOCK_ROWS * X.cols * 8
  return rows < RESERVE_MIN_BYTES ? null : { threads: shards, bytes: rows + 16 * 2 ** 20 }
}

/** A sharded fit's dataset in shared memory (rows already there are not copied again). */
export function sharedDataset(data: Dataset): Dataset {
  const runner = parallelRunner()!
  return { ...data, ...shareDataset(data, (m) => runner.share(m)) }
}

/** How many shards `workers` workers make of n rows: at most one per block, at least one. */
function shardCount(n: number, workers: number): number {
  return Math.max(1, Math.min(workers, blockCount(n)))
}

/** The shard tasks of `workers` shards over the dataset (at most one per block; whole blocks each). */
export function shardTasks(spec: EstimatorSpec, data: Dataset, workers: number): ShardTask[] {
  const n = data.X.rows
  const shards = shardCount(n, workers)
  const complete = knownComplete(data.X)
  return Array.from({ length: shards }, (_, s) => {
    const { lo, hi } = shardBlocks(n, shards, s)
    const rows = datasetRows(data, lo * SHARD_BLOCK_ROWS, Math.min(n, hi * SHARD_BLOCK_ROWS))
    // the views of a scanned X are known finite: the shard's preparation does not look again (a worker marks its own copy of the view)
    if (complete) markComplete(rows.X)
    return { spec, data: rows, firstBlock: lo, ...(complete ? { complete } : {}) }
  })
}

/**
 * The shards of one fit: on the pool (each shard a long task on its own worker), or,
 * without one (browsers, edge), as sessions on this thread with the same results.
 */
export async function openShardGroup<P>(
  spec: EstimatorSpec, data: Dataset, workers: number, backend: string, openLocal: (data: Dataset, firstBlock: number) => Promise<ShardSession<P>>,
): Promise<ShardGroup> {
  const runner = parallelRunner()
  if (runner?.openShards) {
    const tasks = shardTasks(spec, shareDataset(data, (m) => runner.share(m)), workers)
    return runner.openShards(tasks, backend as never)
  }
  const sessions: ShardSession<P>[] = []
  try {
    for (const t of shardTasks(spec, data, workers)) sessions.push(await openLocal(t.data, t.firstBlock))
  } catch (e) {
    for (const s of sessions) s.close()
    throw e
  }
  return {
    eStep: async (params) => sessions.map((s) => s.eStep(params as P)),
    call: async (op, args) => sessions.map((s) => s.call(op, args)),
    close: async () => { for (const s of sessions) s.close() },
  }
}

/**
 * The EM map with the E-step on the shards: their statistics added in block order,
 * then the model's M-step here. The engine awaits `stepAsync` and closes the history
 * with `objective`, both on the shards.
 */
export function shardedStepper<P, D extends PreparedData>(model: EMModel<P, D>, group: ShardGroup): Stepper<P, D> {
  const evaluate = async (params: P): Promise<BlockStatistics> => mergeDecoded(decodeAll(await group.eStep(params))).blocks[0]!
  return {
    step() {
      throw new UnsupportedError('A sharded fit steps asynchronously (stepAsync): it cannot be wrapped by an accelerator or variant.')
    },
    async stepAsync(data, params) {
      const { stats, logLik } = await evaluate(params)
      if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      return { params: model.mStep(stats, params, data), logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
    objective: async (_data, params) => (await evaluate(params)).logLik,
  }
}
