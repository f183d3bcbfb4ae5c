/**
 * The Gaussian mixture's data-driven starts other than k-means++ (start.ts): 'kmeans'
 * (Lloyd's iterations from k-means++'s seeds, init/kmeans-lloyd.ts), 'random-from-data'
 * (k distinct rows as centres) and 'random' (random responsibilities), as plans over
 * rows held by shards like k-means++'s. Imported by loadInit (gmm/init.ts) for fits
 * that start so; the shards of such a fit then answer Lloyd's requests (LloydShard).
 */
import { Rng } from '../../core/rng/xoshiro128.js'
import { assignPlan } from '../init/kmeans.js'
import { columnMeansPlan, kmeansPlan } from '../init/kmeans-lloyd.js'
import type { RowsPlan } from '../init/plan.js'
import { inBlockOrder, sumBlocks, theAnswer } from '../init/plan-answers.js'
import type { GaussianMixtureModel, GmmData, GmmParams } from './model.js'
import { distinctRowIds } from './distinct-rows.js'

export { LloydShard } from '../init/kmeans-lloyd.js'

/** A pass over a shard's row blocks, each block's statistics (`width` values) in block order (start.ts's gmmStartShard). */
export type BlockPass = (f: (block: GmmData, lo: number, hi: number) => Float64Array, width: number) => Float64Array

/**
 * The plan of start `init` ('kmeans', 'random-from-data' or 'random': start.ts's
 * isOtherStart): the parameters, or the centres whose one-hot M-step start.ts takes.
 */
export function* otherStartPlan(model: GaussianMixtureModel, init: string, rng: Rng, n: number, weighted: boolean): RowsPlan<{ params: GmmParams } | { centers: Float64Array }> {
  const { k, d } = model
  if (init === 'random') return { params: yield* randomStartPlan(model, rng, n) }
  let centers: Float64Array
  if (init === 'kmeans') {
    // the labels of the final centres are on the shards already
    centers = (yield* kmeansPlan(n, d, k, weighted, rng)).centers
  } else {
    centers = new Float64Array(k * d)
    const ids = distinctRowIds(n, k, rng)
    const answers = (yield { op: 'rows', args: { ids } }) as (Float64Array | null)[][]
    ids.forEach((id, c) => centers.set(theAnswer<Float64Array>(answers.map((a) => a[c]), `row ${id}`), c * d))
    yield* assignPlan(centers, k)
  }
  return { centers }
}

/**
 * Random responsibilities (k uniforms per row, in row order, normalised), gathered
 * around the data mean (statistics about a nearby point lose no digits). A shard
 * starts the generator where the serial draws reach its first row (it skips the draws
 * of the rows before it), and the generator goes on from where the last row's draws
 * end, as serially.
 */
function* randomStartPlan(model: GaussianMixtureModel, rng: Rng, n: number): RowsPlan<GmmParams> {
  const { k, d } = model
  const center = yield* columnMeansPlan(n, d)
  const ref = new Float64Array(k * d)
  for (let c = 0; c < k; c++) ref.set(center, c * d)
  const answers = (yield { op: 'randomStats', args: { state: Array.from(rng.state), ref } }) as { stats: Float64Array; state: number[] }[]
  rng.state.set(answers[answers.length - 1]!.state)
  yield { op: 'end' }
  return model.fromStats(sumBlocks(inBlockOrder(answers.map((a) => a.stats)), model.gaussian.statsSize), ref)
}

/** A shard's side of randomStartPlan: its rows' random responsibilities and their statistics per block, from the generator's state at row 0 (`firstRow`: the shard's first row). */
export function randomStats(model: GaussianMixtureModel, data: GmmData, firstRow: number, args: { state: number[]; ref: Float64Array }, blocks: BlockPass): { stats: Float64Array; state: number[] } {
  const { k } = model
  const rng = Rng.fromState(args.state)
  // the serial stream's draws of the rows before this shard's (two 32-bit outputs per uniform)
  for (let i = 2 * k * firstRow; i > 0; i--) rng.nextU32()
  model.overwriteResponsibilities(data)
  const stats = blocks((block) => {
    const resp = block.resp.view
    for (let i = 0; i < block.n; i++) {
      let s = 0
      for (let c = 0; c < k; c++) { const u = rng.uniform(); resp[i * k + c] = u; s += u }
      for (let c = 0; c < k; c++) resp[i * k + c] = resp[i * k + c]! / s
    }
    return model.statistics(block, args.ref)
  }, model.gaussian.statsSize)
  return { stats, state: Array.from(rng.state) }
}

