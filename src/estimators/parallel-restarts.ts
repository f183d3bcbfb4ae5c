/**
 * An estimator's restarts as tasks on the parallel runner (the Node pool): each worker
 * re-creates the estimator from its spec and runs one restart; the best is chosen
 * exactly as serially, and a worker's restart (fitRestart). Imported by the base's fit
 * and fitRestart on first use (browsers have no pool, so their bundles load it never).
 */
import type { Matrix } from '../core/matrix.js'
import { Rng } from '../core/rng/xoshiro128.js'
import type { FitResult, PreparedData } from '../engine/types.js'
import { loadKernels } from '../kernels/index.js'
import type { BackendName } from '../kernels/types.js'
import { type Dataset, shareDataset } from '../runtime/dataset.js'
import { bestOfRestarts, restartSeeds } from '../runtime/restarts.js'
import { parallelRunner } from '../runtime/runner.js'
import { type EstimatorSpec, fromWireError, fromWireFit, type RestartTask } from '../runtime/tasks.js'
import type { EstimatorHooks, FitModel } from './hooks.js'

/** `restarts` restarts of the estimator `spec` on `dataset` over `threads` workers, seeded from `fitSeed` (restartSeeds). */
export async function parallelRestarts<P>(spec: EstimatorSpec, dataset: Dataset, fitSeed: number, restarts: number, threads: number, backend: BackendName): Promise<FitResult<P>> {
  const runner = parallelRunner()!
  const data = shareDataset(dataset, (m: Matrix) => runner.share(m))
  const seeds = restartSeeds(fitSeed, restarts)
  const tasks: RestartTask[] = seeds.map((seed, restart) => ({ type: 'restart', spec, data, seed, restart }))
  const results = await runner.run(tasks, threads, backend)
  return bestOfRestarts<P>(fitSeed, restarts, async (_rng, r) => {
    const out = results[r]!
    if (out.type !== 'restart') throw new Error('emkit: a restart task returned another result type')
    if (out.thrown) throw fromWireError(out.thrown)
    return fromWireFit<P>(out.fit!)
  })
}

/** The body of the base's fitRestart (one restart, what a worker runs; see there): with the pool's side, so that browsers never load it. */
export async function fitRestart<P, M extends FitModel<P, D>, D extends PreparedData>(est: EstimatorHooks<P, M, D>, dataset: Dataset, seed: number, restart: number): Promise<FitResult<P>> {
  await est.loadParts(dataset)
  const kernels = await loadKernels(est.settings.backend, est.kernelFamilies())
  const model = est.createModel(kernels, est.shapeOf(dataset))
  try {
    const data = est.prepareFit(model, dataset)
    try {
      return await est.runRestart(model, data, dataset, new Rng(seed), restart, seed, {}, null)
    } finally {
      model.release?.(data)
    }
  } finally {
    model.dispose?.()
  }
}
