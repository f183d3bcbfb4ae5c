/**
 * The Gaussian mixture's data-driven starts (k-means++, k-means, random-from-data,
 * random) as plans over rows held by shards (models/init/plan.ts): a sharded fit runs
 * them on its shards, the serial fit over one local shard holding every block, with the
 * same bits. Loaded on demand (gmm/init.ts's loadInit) so that bundles carry k-means
 * only when a fit needs it; Lloyd's iterations and the column means (inits 'kmeans' and
 * 'random') only when loadInit has imported them too (loadLloyd).
 */
import { notLoaded, UnsupportedError } from '../../core/errors.js'
import { Rng } from '../../core/rng/xoshiro128.js'
import type { F64Buffer } from '../../kernels/types.js'
import { assignPlan, kmeansPlusPlusPlan, type KMeansScratch, KMeansShard } from '../init/kmeans.js'
import type { RowsPlan, ShardHandler } from '../init/plan.js'
import { inBlockOrder, sumBlocks, theAnswer } from '../init/plan-answers.js'
import type { GaussianMixtureModel, GmmData, GmmParams } from './model.js'
import { distinctRowIds } from './distinct-rows.js'

/** Lloyd's iterations and the column moments (init/kmeans-lloyd.ts), once loadLloyd has imported them. */
let lloyd: typeof import('../init/kmeans-lloyd.js') | null = null

/** Import what inits 'kmeans' and 'random' add to k-means++ (loadInit does, before their fits). */
export async function loadLloyd(): Promise<void> {
  lloyd ??= await import('../init/kmeans-lloyd.js')
}

/** Whether an init method runs Lloyd's passes or the column moments (kmeans-lloyd.ts). */
export function needsLloyd(method: string | undefined): boolean {
  return method === 'kmeans' || method === 'random'
}

function lloydCode(): typeof import('../init/kmeans-lloyd.js') {
  if (!lloyd) throw notLoaded("Init 'kmeans' and 'random''s passes over the rows", 'loadInit(init) (the estimator\'s loadParts does)')
  return lloyd
}

/**
 * The start of the centre-based methods over rows held by shards (init/plan.ts): the
 * centres, every row labelled by its nearest, and the one M-step of those one-hot
 * responsibilities from the blocks' statistics added in block order.
 */
export function* methodStartPlan(model: GaussianMixtureModel, init: string, rng: Rng, n: number, weighted: boolean): RowsPlan<GmmParams> {
  const { k, d } = model
  let centers: Float64Array
  switch (init) {
    case 'kmeans++':
      centers = yield* kmeansPlusPlusPlan(n, d, k, weighted, rng)
      yield* assignPlan(centers, k)
      break
    case 'kmeans':
      // the labels of the final centres are on the shards already
      centers = (yield* lloydCode().kmeansPlan(n, d, k, weighted, rng)).centers
      break
    case 'random-from-data': {
      centers = new Float64Array(k * d)
      const ids = distinctRowIds(n, k, rng)
      const answers = (yield { op: 'rows', args: { ids } }) as (Float64Array | null)[][]
      ids.forEach((id, c) => centers.set(theAnswer<Float64Array>(answers.map((a) => a[c]), `row ${id}`), c * d))
      yield* assignPlan(centers, k)
      break
    }
    case 'random':
      return yield* randomStartPlan(model, rng, n)
    default:
      throw new UnsupportedError(`init '${String(init)}' does not run on the shards of a sharded fit.`)
  }
  const perBlock = inBlockOrder(yield { op: 'oneHotStats', args: { centers } })
  yield { op: 'end' }
  return model.fromStats(sumBlocks(perBlock, model.gaussian.statsSize), centers)
}

/**
 * A shard's side of gmmStartPlan: k-means over its rows, and the statistics of the
 * one-hot responsibilities of its labels per block (around the centres).
 */
export function gmmStartShard(model: GaussianMixtureModel, data: GmmData, weight: Float64Array | null, firstBlock: number): ShardHandler {
  const rowBlock = model.incremental.rowBlock!
  const { k } = model
  const scratch = kmeansScratch(model, data)
  const kmData = { kernels: model.kernels, x: data.x, n: data.n, d: model.d, weight, scratch }
  // Lloyd's requests are answered once an init that makes them has been loaded (a shard does not know the fit's init)
  const km = lloyd ? new lloyd.LloydShard(kmData, firstBlock) : new KMeansShard(kmData, firstBlock)
  const size = model.gaussian.statsSize
  const blocks = (f: (block: GmmData, lo: number, hi: number) => Float64Array, width: number): Float64Array => {
    const out = new Float64Array(km.blocks * width)
    for (let b = 0; b < km.blocks; b++) {
      const lo = b * km.blockRows, hi = Math.min(data.n, lo + km.blockRows)
      out.set(f(rowBlock(data, lo, hi), lo, hi), b * width)
    }
    return out
  }
  return {
    call(op, args) {
      if (op === 'randomStats') {
        const { state, ref } = args as { state: number[]; ref: Float64Array }
        const rng = Rng.fromState(state)
        // the serial stream's draws of the rows before this shard's (two 32-bit outputs per uniform)
        for (let i = 2 * k * firstBlock * km.blockRows; i > 0; i--) rng.nextU32()
        model.overwriteResponsibilities(data)
        const stats = blocks((block) => {
          const resp = block.resp.view
          for (let i = 0; i < block.n; i++) {
            let s = 0
            for (let c = 0; c < k; c++) { const u = rng.uniform(); resp[i * k + c] = u; s += u }
            for (let c = 0; c < k; c++) resp[i * k + c] = resp[i * k + c]! / s
          }
          return model.statistics(block, ref)
        }, size)
        return { stats, state: Array.from(rng.state) }
      }
      if (op !== 'oneHotStats') return km.call(op, args)
      const centers = (args as { centers: Float64Array }).centers
      model.overwriteResponsibilities(data)
      // block by block (a shard's data hold one block's responsibilities); the block's
      // labels copied first: lent, they are the responsibilities' tail, which the last
      // block's rows overwrite (the rows before it never reach the labels of rows after them)
      return blocks((block, lo, hi) => {
        const labels = km.assigned.slice(lo, hi)
        const resp = block.resp.view
        resp.fill(0)
        for (let i = lo; i < hi; i++) resp[(i - lo) * k + labels[i - lo]!] = 1
        return model.statistics(block, centers)
      }, size)
    },
    close: () => { km.close(); scratch.release() },
  }
}

/**
 * Kernel memory for k-means' per-row state (k-means++'s distances, n doubles, then
 * Lloyd's labels in the same memory), not JS arrays beside the rows: kernel memory freed
 * after the start is what the fit's (and the next fit's) buffers reuse, where JS arrays
 * wait for the garbage collector (a model selection's cells piled up ~0.9x the size of
 * a 50 MB file of short values each). Data holding every row's buffers (a serial fit by
 * cem, sem, mcem or incremental EM) lend their per-row log-likelihoods and the last 4n
 * bytes of their responsibilities, which whatever writes them next (the one-hot
 * statistics, the first E-step) writes for every row; the responsibilities' owner is
 * told they are overwritten. Data of one block's buffers (a shard, a serial fit by
 * plain EM) get an arena of their own, freed with the handler.
 */
function kmeansScratch(model: GaussianMixtureModel, data: GmmData): KMeansScratch & { release(): void } {
  const { n } = data, k = model.k
  if (data.rowLogLik.length >= n && data.resp.length >= n * k) {
    model.overwriteResponsibilities(data)
    return {
      distances: () => data.rowLogLik.view.subarray(0, n),
      // the tail of the responsibilities' bytes, as int32s (a view of the memory as it is now)
      labels: () => { const resp = data.resp.view; return new Int32Array(resp.buffer, resp.byteOffset + 8 * n * k - 4 * n, n) },
      release: () => {},
    }
  }
  const arena = model.kernels.arena()
  const distances = arena.f64(n)
  return {
    distances: () => distances.view,
    // in the distances' memory: k-means++'s distances are not read once Lloyd's labels are written
    labels: () => { const v = distances.view; return k <= 256 ? new Uint8Array(v.buffer, v.byteOffset, n) : new Int32Array(v.buffer, v.byteOffset, n) },
    release: () => arena.dispose(),
  }
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
  const center = yield* lloydCode().columnMeansPlan(n, d)
  const ref = new Float64Array(k * d)
  for (let c = 0; c < k; c++) ref.set(center, c * d)
  const answers = (yield { op: 'randomStats', args: { state: Array.from(rng.state), ref } }) as { stats: Float64Array; state: number[] }[]
  rng.state.set(answers[answers.length - 1]!.state)
  yield { op: 'end' }
  return model.fromStats(sumBlocks(inBlockOrder(answers.map((a) => a.stats)), model.gaussian.statsSize), ref)
}

/** k distinct rows drawn uniformly (partial Fisher-Yates). */
export function distinctRows(data: { readonly n: number; readonly x: F64Buffer }, d: number, k: number, rng: Rng): Float64Array {
  const out = new Float64Array(k * d)
  const X = data.x.view
  distinctRowIds(data.n, k, rng).forEach((id, c) => out.set(X.subarray(id * d, id * d + d), c * d))
  return out
}

