/**
 * Online EM over chunks, the body of the base's partialFit: imported on demand (bundles
 * load it only for partialFit), driving the estimator through its hooks (base.ts:
 * EstimatorHooks).
 */
import { isAsyncIterable } from '../core/async-iterable.js'
import { UnsupportedError } from '../core/errors.js'
import { Rng } from '../core/rng/xoshiro128.js'
import { onlineStep } from '../engine/online.js'
import type { OnlineSettings, OnlineState } from '../engine/online-options.js'
import type { FitResult, PreparedData } from '../engine/types.js'
import { loadKernels } from '../kernels/index.js'
import type { Dataset } from '../runtime/dataset.js'
import { restartSeeds } from '../runtime/restarts.js'
import type { BaseFitOptions, EstimatorHooks, FitModel } from './hooks.js'

/**
 * partialFit's steps on `input`: one chunk (as fit's X, with fit's options), or each
 * chunk of an async iterable. A call that fails (bad chunk, a stream that throws, a
 * degenerate step) leaves the estimator's state as it was before it.
 */
export async function partialFit<P, M extends FitModel<P, D>, D extends PreparedData>(est: EstimatorHooks<P, M, D>, args: readonly unknown[]): Promise<void> {
  const { input, options } = est.splitArgs(args)
  const callOptions = est.checkFitOptions(options, 'partialFit')
  const settings = est.onlineSettings()
  if (!settings) throw new UnsupportedError(`${est.kind} has no partialFit (online EM): its statistics cannot be averaged over chunks; fit it in memory.`)
  const before = est.state
  // the running history, appended to in place (partialFitChunk); a failed call cuts it back
  const history = before?.extras['online'] ? before.result.history : []
  const kept = history.length
  try {
    if (isAsyncIterable(input)) {
      const { chunkDataset, readChunks, refuseRowOptions } = await import('./stream.js')
      refuseRowOptions(callOptions, `${est.kind}.partialFit()`)
      let cols: number | null = null
      for await (const { chunk, index } of readChunks(input)) {
        if (callOptions.signal?.aborted) break // the chunks done so far stay learnt
        const d = chunkDataset((X) => est.toDataset(X, {}), chunk, index, cols)
        cols = d.X.cols
        await partialFitChunk(est, d, settings, history, callOptions.onIteration)
      }
    } else {
      await partialFitChunk(est, est.toDataset(input, callOptions), settings, history, callOptions.onIteration)
    }
  } catch (e) {
    history.length = kept
    est.state = before
    throw e
  }
}

/**
 * Online EM's steps on chunk `given` (one per mini-batch of it for a model with
 * `onlineEM.batches`), from the fitted state or, on the first call, from a start drawn
 * from the chunk (restart 0 of fit); `history` gathers each step's log-likelihood. It is
 * the online fit's one running history: every step's result holds that same array and
 * appends to it (copying it per step made a long stream quadratic), so a result read
 * earlier sees the later steps too; `nIter` says how many were its own.
 */
export async function partialFitChunk<P, M extends FitModel<P, D>, D extends PreparedData>(est: EstimatorHooks<P, M, D>, given: Dataset, settings: OnlineSettings, history: number[], onIteration?: BaseFitOptions<P>['onIteration']): Promise<void> {
  const prev = est.state
  // every chunk: what its data need may not have been loaded for the first (e.g. a Gaussian mixture's missing values)
  await est.loadParts(given)
  const dataset = prev ? given : est.forFit(given)
  est.checkScale(dataset)
  const shape = prev ? est.chunkShape(dataset, prev.shape) : est.shapeOf(dataset)
  if (prev) est.checkShape(prev.shape, shape)
  const kernels = prev?.kernels ?? await loadKernels(est.settings.backend, est.kernelFamilies())
  const model = prev?.model ?? est.createModel(kernels, shape)
  // online EM recentres the running average with the incremental capability's recentre when the model has no online one (engine/online.ts); its code may come on demand
  if (!model.onlineEM?.recentre) await model.incremental?.load?.()
  const began = Date.now()
  const data = est.prepareData(model, dataset)
  try {
    let params = prev ? prev.params : est.initialParams(model, data, new Rng(restartSeeds(est.seedOfFit, 1)[0]!), dataset)
    let online = (prev?.extras['online'] as OnlineState<P> | undefined) ?? null
    // a model with mini-batches (LDA) takes one step per batch of the chunk (views of its prepared data)
    for (const batch of model.onlineEM?.batches?.(data) ?? [data]) {
      const step = onlineStep(model, batch, params, online, settings)
      params = step.params
      online = step.state
      history.push(step.logLik)
      const n = history.length
      const result: FitResult<P> = {
        params, history, logLik: step.logLik, nIter: n, status: 'max-iter', converged: false,
        fixedPointEvaluations: n, objectiveEvaluations: n, decreases: [], timeMs: (prev?.extras['online'] ? prev.result.timeMs : 0) + Date.now() - began,
      }
      est.state = { params, result, shape: prev?.shape ?? shape, totalWeight: online.nSeen, model, kernels, extras: { ...(prev?.extras ?? {}), online } }
      // one online step per chunk; its log-likelihood is of this chunk, so a change from the previous chunk's means nothing: NaN
      onIteration?.({ iteration: n, logLik: step.logLik, change: Number.NaN, params, restart: 0 })
    }
  } finally {
    model.release?.(data)
    model.dispose?.()
  }
}
