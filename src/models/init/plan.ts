/**
 * An initialisation written once for rows held in one place or spread over shards
 * (the worker threads of a sharded fit, estimators/shard.ts). The coordinator's side
 * is a generator: it yields a request, and gets back every shard's answer in shard
 * order (shards hold contiguous runs of whole blocks of REDUCTION_BLOCK_ROWS rows, in
 * block order). Shards answer with per-block partial sums, which the plan adds in
 * block order: the sums, and so the start, do not depend on how the blocks are spread
 * over shards. The serial fit drives the same plan over one local shard holding every
 * block, so a sharded fit starts from the serial fit's bits. The helpers that read the
 * shards' answers are in plan-answers.ts (the plans' modules import them; bundles load
 * those on demand).
 */

/** Rows per block of every blocked reduction (the unit of sharded fits' fixed summation order). */
export const REDUCTION_BLOCK_ROWS = 65_536

/** One request to every shard: an operation name and its (structured-cloneable) arguments. */
export interface ShardCall {
  readonly op: string
  readonly args?: unknown
}

/** The coordinator's side of an initialisation: yields requests, receives the shards' answers in shard order. */
export type RowsPlan<T> = Generator<ShardCall, T, readonly unknown[]>

/** A shard's side: answers requests about its rows (the answers are structured-cloneable). */
export interface ShardHandler {
  call(op: string, args: unknown): unknown
  /** Free what the handler holds (the rows stay with their owner). */
  close(): void
}

/** Run a plan over handlers on this thread. */
export function runPlan<T>(plan: RowsPlan<T>, shards: readonly ShardHandler[]): T {
  let step = plan.next([])
  while (!step.done) {
    const { op, args } = step.value
    step = plan.next(shards.map((s) => s.call(op, args)))
  }
  return step.value
}

/** Run a plan whose shards answer asynchronously (on workers). */
export async function runPlanAsync<T>(plan: RowsPlan<T>, call: (request: ShardCall) => Promise<readonly unknown[]>): Promise<T> {
  let step = plan.next([])
  while (!step.done) step = plan.next(await call(step.value))
  return step.value
}

/** A plan whose result goes through `f` (e.g. a start adjusted as the estimator adjusts the serial one). */
export function* mapPlan<T, U>(plan: RowsPlan<T>, f: (value: T) => U): RowsPlan<U> {
  return f(yield* plan)
}
