/**
 * The bodies of the base's sharded-fit calls (`openShard`, a host's `eStepShard`, and the restarts of a fit
 * whose E-steps run on shards): imported on demand with shard.ts (a fit loads them
 * only when given `workers` as a fit option; a browser bundle's plain fit never), driving
 * the estimator through its hooks (hooks.ts: EstimatorHooks).
 */
import { OptionError } from '../core/errors.js'
import { optionsObject } from '../core/options.js'
import { show } from '../core/show.js'
import type { PreparedData } from '../engine/types.js'
import { loadKernels } from '../kernels/index.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { type RowsPlan, runPlanAsync } from '../models/init/plan.js'
import type { Dataset } from '../runtime/dataset.js'
import { bestOfRestarts } from '../runtime/restarts.js'
import { checkWorkers, parallelRunner } from '../runtime/runner.js'
import { SHARD_BLOCK_ROWS } from '../runtime/statistics.js'
import type { FitResult } from '../engine/types.js'
import type { BaseFitOptions, EstimatorHooks, FitModel, Fitted, ShardedFitOptions } from './hooks.js'
import { openShardGroup, type ShardSession, shardedStepper, shardingRefusal, shardSession } from './shard.js'

/**
 * Restarts one after another, each one fit whose E-steps run on `options.workers`
 * shards of the rows (shard.ts); the shards keep their rows for all of them.
 */
export async function shardedRestarts<P, M extends FitModel<P, D>, D extends PreparedData>(
  est: EstimatorHooks<P, M, D>, model: M, data: D, dataset: Dataset, restarts: number, options: BaseFitOptions<P>, warm: Fitted<P, M> | null, plan: ((rng: Rng) => RowsPlan<P>) | null,
): Promise<FitResult<P>> {
  const refused = shardingRefusal(model, est.settings.algorithm, est.settings.accelerate)
  if (refused) throw refused
  const workers = checkWorkers((options as ShardedFitOptions<P>).workers)
  const count = workers === 'auto' ? parallelRunner()?.available ?? 1 : workers
  const group = await openShardGroup<P>(est.toSpec(), dataset, count, est.backendName, (rows, firstBlock) => est.openShard(rows, firstBlock))
  try {
    const stepper = shardedStepper<P, D>(model, group)
    return await bestOfRestarts(est.seedOfFit, restarts, async (rng, restart, seed) => {
      // the start on the shards (plan: the rows are not here), bit for bit the serial start
      const start = plan ? await runPlanAsync(plan(rng), (c) => group.call(c.op, c.args)) : undefined
      return est.runRestart(model, data, dataset, rng, restart, seed, options, warm, stepper, start)
    })
  } finally {
    await group.close()
  }
}

/** The rows of `dataset` in kernel memory for E-steps at parameters sent later (the base's openShard). */
export async function openShard<P, M extends FitModel<P, D>, D extends PreparedData>(est: EstimatorHooks<P, M, D>, dataset: Dataset, firstBlock: number): Promise<ShardSession<P>> {
  await est.loadParts(dataset)
  const kernels = await loadKernels(est.settings.backend, est.kernelFamilies())
  const model = est.createModel(kernels, est.shapeOf(dataset))
  try {
    const data = est.prepareShard(model, dataset) as D & { n: number }
    return shardSession(model, data, firstBlock, () => { model.release?.(data); model.dispose?.() }, () => est.startShard(model, data, dataset, firstBlock))
  } catch (e) {
    model.dispose?.()
    throw e
  }
}

/** One host's E-step at the estimator's parameters on rows X, as a statistics buffer (the base's eStepShard). */
export async function eStepShard<P, M extends FitModel<P, D>, D extends PreparedData>(est: EstimatorHooks<P, M, D>, X: unknown, options: Readonly<Record<string, unknown>> & { firstBlock?: number }): Promise<Uint8Array> {
  const { firstBlock = 0, ...rest } = optionsObject(options, `${est.kind}.eStepShard options`, true) as Record<string, unknown> & { firstBlock?: number }
  if (!Number.isInteger(firstBlock) || firstBlock < 0) throw new OptionError('firstBlock', `must be an integer >= 0 (the global number of the shard's first block of ${SHARD_BLOCK_ROWS} rows), got ${show(firstBlock)}.`)
  const s = est.fitted('eStepShard')
  const dataset = est.toDataset(X, est.checkFitOptions(rest))
  est.checkShape(s.shape, est.shapeOf(dataset))
  const session = await est.openShard(dataset, firstBlock)
  try {
    return session.eStep(s.params)
  } finally {
    session.close()
  }
}
