/**
 * Exact batch EM over a re-readable stream, the body of the base's fit(source): imported
 * on demand (bundles load it only for a fit over a stream), driving the estimator
 * through its hooks (base.ts: EstimatorHooks).
 */
import { InputError, UnsupportedError } from '../core/errors.js'
import { Rng } from '../core/rng/xoshiro128.js'
import { type StreamChunk, type StreamData, streamStepper } from '../engine/stream.js'
import type { EMModel, IterationInfo, PreparedData } from '../engine/types.js'
import { loadKernels } from '../kernels/index.js'
import { runWithStepper } from './engine-call.js'
import type { Dataset } from '../runtime/dataset.js'
import { restartSeeds } from '../runtime/restarts.js'
import type { BaseFitOptions, EstimatorHooks, FitModel, Shape } from './hooks.js'
import { type ChunkSource, chunkDataset, openSource, readChunks, refuseRowOptions } from './stream.js'

/**
 * A first pass checks every chunk (columns as the first's, finite, not ragged) and
 * counts the rows; the start is drawn from the first chunk (restart 0's seed; one run;
 * settings a start derives from the data, such as a Bayesian mixture's default priors,
 * come from that chunk), or is the fitted parameters with warmStart; then every
 * iteration reads the stream once (engine/stream.ts), holding one prepared chunk and the
 * statistics. Its log-likelihoods equal in-memory EM's up to the order of the sums.
 */
export async function fitStream<P, M extends FitModel<P, D>, D extends PreparedData>(est: EstimatorHooks<P, M, D>, source: ChunkSource, options: Readonly<Record<string, unknown>> & BaseFitOptions<P>): Promise<void> {
  refuseRowOptions(options, `${est.kind}.fit()`)
  const { algorithm, accelerate } = est.settings
  if ((algorithm !== undefined && algorithm !== 'em' && algorithm !== 'variational') || (accelerate !== undefined && accelerate !== 'none')) {
    throw new UnsupportedError(`${est.kind}.fit() over a stream runs plain EM (or variational EM) one pass per iteration; algorithm '${String(algorithm)}' and accelerate '${String(accelerate)}' need the rows in memory: read the stream into memory, or use algorithm 'em' without an accelerator.`)
  }
  const toDataset = (X: unknown): Dataset => est.toDataset(X, {})
  let first: Dataset | null = null
  let found: Shape | null = null
  let rows = 0
  for await (const { chunk, index } of readChunks(openSource(source))) {
    const d = chunkDataset(toDataset, chunk, index, first?.X.cols ?? null)
    est.checkScale(d)
    // what each chunk's data need (e.g. a Gaussian mixture's missing values), before any model is built
    await est.loadParts(d)
    first ??= d
    // the shape of all the chunks (a categorical model's symbols: the largest seen in any)
    found = found === null ? est.shapeOf(d) : est.chunkShape(d, found)
    rows += d.X.rows
  }
  if (first === null || found === null) throw new InputError('EMPTY_DATA', 'The stream gave no chunks; give at least one chunk of rows.')
  const shape = found
  const warm = est.warmStartFrom(shape)
  const kernels = await loadKernels(est.settings.backend, est.kernelFamilies())
  const model = est.createModel(kernels, shape)
  const cols = first.X.cols
  try {
    let start: P
    // warm: the fitted parameters as they are (settings drawn from the data, such as a Bayesian mixture's priors, are not renewed from one chunk)
    if (warm) start = warm.params
    else {
      const fit = est.forFit(first)
      const data = est.prepareData(model, fit)
      try { start = est.initialParams(model, data, new Rng(restartSeeds(est.seedOfFit, 1)[0]!), fit) } finally { model.release?.(data) }
    }
    const open = async function* (): AsyncGenerator<StreamChunk<D>> {
      for await (const { chunk, index } of readChunks(openSource(source))) {
        const d = chunkDataset(toDataset, chunk, index, cols)
        yield { data: est.prepareData(model, d), rows: d.X.rows }
      }
    }
    const data: StreamData = { rows, totalWeight: rows }
    const stepper = streamStepper<P, D>(model, open, (d) => model.release?.(d))
    const onIteration = options.onIteration
    const result = await runWithStepper<P, StreamData>(model as unknown as EMModel<P, StreamData>, data, start, est.settings, {
      stepper,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onIteration ? { onIteration: (info: IterationInfo<P>) => onIteration({ ...info, restart: 0 }) } : {}),
    })
    est.state = { params: result.params, result, shape, totalWeight: rows, model, kernels, extras: {} }
  } finally {
    model.dispose?.()
  }
}
