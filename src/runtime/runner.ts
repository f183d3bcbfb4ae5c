/**
 * Where parallel work goes: a pluggable runner, so the estimators import no Node
 * built-ins. The Node entry (src/node.ts) installs the Piscina runner (pool.ts);
 * browsers and edge runtimes have none and run restarts serially with the same
 * results. A runner runs serialisable tasks (tasks.ts) and returns their results in
 * task order.
 */
import { type EmkitError, OptionError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import type { BackendName } from '../kernels/types.js'
import type { Dataset } from './dataset.js'
import type { EstimatorSpec, Task, TaskResult } from './tasks.js'
import { show } from '../core/show.js'

export type Workers = number | 'auto'

export interface ParallelRunner {
  /** Threads 'auto' means here (Node: os.availableParallelism()). */
  readonly available: number
  /** A copy of the matrix whose data lives in a SharedArrayBuffer (sent to workers without copying). */
  share(m: Matrix): Matrix
  /** Run the tasks on `threads` worker threads; results in task order. Rejects with EmkitError 'WORKER_FAILED' if a worker throws or dies. */
  run(tasks: readonly Task[], threads: number, backend: BackendName): Promise<TaskResult[]>
  /** Whether a pool of `threads` threads is already running (no start-up cost to pay). */
  isWarm?(threads: number): boolean
  /** Why workers cannot run tasks of estimator kind `kind` (a kind registered on this thread only), or null. */
  refuses?(kind: string): EmkitError | null
  /**
   * Start one long task per shard of a sharded fit, each on its own worker, holding its
   * rows for the whole fit (estimators/shard.ts). Rejects with 'WORKER_FAILED' if one cannot start.
   */
  openShards?(tasks: readonly ShardTask[], backend: BackendName): Promise<ShardGroup>
  /**
   * Advice, not awaited: the `threads` workers of a sharded fit about to open will each
   * hold about `bytes` of rows; they may grow and map their kernel memory for them now,
   * while this thread is still copying and checking the rows.
   */
  reserve?(threads: number, bytes: number, backend: BackendName): void
  /**
   * share(m) of a sharded fit's rows with their scan (core/validate.ts's scanOwned, the
   * copy marked as emkit's own) and reserve(threads, bytes, backend) at once: the
   * `threads` workers scan the rows right behind this thread's copy, not after it.
   */
  shareAhead?(m: Matrix, threads: number, bytes: number, backend: BackendName): Matrix
}

/** One shard of a sharded fit: the estimator, its rows (whole blocks), the global number of its first block. */
export interface ShardTask {
  readonly spec: EstimatorSpec
  readonly data: Dataset
  readonly firstBlock: number
  /** The rows hold no NaN or infinity (the calling thread's scan found so): the shard need not look again. */
  readonly complete?: boolean
  /** For tests: 'exit' ends the worker holding this shard at the first message after it holds its rows, before it answers. */
  readonly debug?: 'exit'
}

/** The running shards of one fit. */
export interface ShardGroup {
  /** Every shard's E-step at `params`: their statistics buffers (runtime/statistics.ts), in shard order. A dead worker rejects with 'WORKER_FAILED'. */
  eStep(params: unknown): Promise<Uint8Array[]>
  /** A request of the initialisation's plan (models/init/plan.ts) to every shard: their answers in shard order. */
  call(op: string, args: unknown): Promise<unknown[]>
  /** End the shards and free their memory (also after a failure). */
  close(): Promise<void>
}

let current: ParallelRunner | null = null

/** Install (or remove, with null) the runner; the Node entry installs the Piscina pool. */
export function setParallelRunner(runner: ParallelRunner | null): void {
  current = runner
}

export function parallelRunner(): ParallelRunner | null {
  return current
}

/**
 * 'auto' and a running pool: parallel when one job is at least this many units of work
 * (rows x K x d^2; ~20 ms of EM on this machine), below which messages and scheduling
 * cost more than they save.
 */
export const AUTO_MIN_WORK = 4_000_000

/**
 * 'auto' and no pool yet: parallel when all jobs together are at least this much work
 * (~0.6 s serial): starting the workers costs ~0.3 s, which smaller fits would not win back.
 */
export const AUTO_MIN_TOTAL_COLD = 150_000_000

/** Validate the `workers` option: 'auto' or an integer >= 1 (1 = serial). */
export function checkWorkers(value: unknown): Workers {
  if (value === 'auto') return 'auto'
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  throw new OptionError('workers', `must be 'auto' or an integer >= 1 (1 = serial), got ${show(value)}.`)
}

/**
 * How many threads to use for `jobs` independent jobs of `work` units each (of
 * estimator kind `kind`): 1 (serial) without a runner, with one job, or with workers =
 * 1; for 'auto', parallel only when it pays (AUTO_MIN_WORK per job on a running pool, AUTO_MIN_TOTAL_COLD in all when the
 * pool would have to start first).
 */
export function threadsFor(workers: Workers, jobs: number, work: number, kind?: string): number {
  const runner = current
  if (!runner || jobs <= 1 || workers === 1) return 1
  // a kind the workers cannot re-create: 'auto' runs serially (the same results); a thread count is an error saying what to do
  const refused = kind === undefined ? null : runner.refuses?.(kind) ?? null
  if (refused) {
    if (workers === 'auto') return 1
    throw refused
  }
  if (workers !== 'auto') return Math.max(1, Math.min(jobs, workers))
  const threads = Math.max(1, Math.min(jobs, runner.available))
  if (threads === 1) return 1
  const pays = jobs * work >= AUTO_MIN_TOTAL_COLD || (work >= AUTO_MIN_WORK && (runner.isWarm?.(threads) ?? false))
  return pays ? threads : 1
}
