/**
 * The Gaussian mixture's data-driven starts (k-means++, k-means, random-from-data,
 * random) as plans over rows held by shards (models/init/plan.ts): a sharded fit runs
 * them on its shards, the serial fit over one local shard holding every block, with the
 * same bits. Loaded on demand (gmm/init.ts's loadInit) so that bundles carry k-means
 * only when a fit needs it. Here k-means++, the default; the others ('kmeans',
 * 'random-from-data', 'random') are start-others.ts, which loadInit imports for them
 * (loadOtherStarts).
 */
import { notLoaded, UnsupportedError } from '../../core/errors.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { arenaScratch, assignPlan, kmeansPlusPlusPlan, type KMeansScratch, KMeansShard, type Labels } from '../init/kmeans.js'
import type { RowsPlan, ShardHandler } from '../init/plan.js'
import { inBlockOrder, sumBlocks } from '../init/plan-answers.js'
import type { GaussianMixtureModel, GmmData, GmmParams } from './model.js'
import type { BlockPass } from './start-others.js'

/** The starts other than k-means++ (start-others.ts, with Lloyd's k-means), once loadOtherStarts has imported them. */
let others: typeof import('./start-others.js') | null = null

/** The data-driven starts other than k-means++ (start-others.ts). */
const OTHER_STARTS = ['kmeans', 'random-from-data', 'random']

/** Whether an init method is one of the starts in start-others.ts. */
export function isOtherStart(method: string | undefined): boolean {
  return OTHER_STARTS.includes(method as string)
}

/** Import the starts other than k-means++ (loadInit does, before their fits). */
export async function loadOtherStarts(): Promise<void> {
  others ??= await import('./start-others.js')
}

function othersCode(): typeof import('./start-others.js') {
  if (!others) throw notLoaded("The code of inits 'kmeans', 'random-from-data' and 'random'", 'loadInit(init) (the estimator\'s loadParts does)')
  return others
}

/**
 * The start of the centre-based methods over rows held by shards (init/plan.ts): the
 * centres, every row labelled by its nearest, and the one M-step of those one-hot
 * responsibilities from the blocks' statistics added in block order.
 */
export function* methodStartPlan(model: GaussianMixtureModel, init: string, rng: Rng, n: number, weighted: boolean): RowsPlan<GmmParams> {
  let centers: Float64Array
  if (isOtherStart(init)) {
    const other = yield* othersCode().otherStartPlan(model, init, rng, n, weighted)
    if ('params' in other) return other.params
    centers = other.centers
  } else {
    if (init !== 'kmeans++') throw new UnsupportedError(`init '${String(init)}' does not run on the shards of a sharded fit.`)
    centers = yield* kmeansPlusPlusPlan(n, model.d, model.k, weighted, rng)
    yield* assignPlan(centers, model.k)
  }
  // the M-step of the one-hot responsibilities of the rows' nearest centres (labelled on the shards)
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
  const km = others ? new others.LloydShard(kmData, firstBlock) : new KMeansShard(kmData, firstBlock)
  const size = model.gaussian.statsSize
  const blocks: BlockPass = (f, width) => {
    const out = new Float64Array(km.blocks * width)
    for (let b = 0; b < km.blocks; b++) {
      const lo = b * km.blockRows, hi = Math.min(data.n, lo + km.blockRows)
      out.set(f(rowBlock(data, lo, hi), lo, hi), b * width)
    }
    return out
  }
  return {
    call(op, args) {
      if (op === 'randomStats') return othersCode().randomStats(model, data, firstBlock * km.blockRows, args as { state: number[]; ref: Float64Array }, blocks)
      if (op !== 'oneHotStats') return km.call(op, args)
      const centers = (args as { centers: Float64Array }).centers
      model.overwriteResponsibilities(data)
      // block by block (a shard's data hold one block's responsibilities); the block's
      // labels copied first: lent, they are the responsibilities' tail, which the last
      // block's rows overwrite (the rows before it never reach the labels of rows after them).
      // One copy for every block: a copy per block was ~64 kB of garbage each, which piled up
      // between collections (up to 21 MB; the default search's peak on a 2-column 50 MB file
      // fell from 186 to 173 MB without it)
      let copy: Labels | null = null
      return blocks((block, lo, hi) => {
        const labels = (copy ??= km.assigned.slice(0, km.blockRows)).subarray(0, hi - lo)
        labels.set(km.assigned.subarray(lo, hi))
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
 * Kernel memory for k-means' per-row state (Lloyd's labels; k-means++ keeps none, see
 * KMeansShard), not a JS array beside the rows: kernel memory freed after the start is
 * what the fit's (and the next fit's) buffers reuse, where JS arrays wait for the
 * garbage collector (a model selection's cells piled up ~0.9x the size of a 50 MB file
 * of short values each). Data holding every row's buffers (a serial fit by cem, sem,
 * mcem or incremental EM) lend the last 4n bytes of their responsibilities, which
 * whatever writes them next (the one-hot statistics, the first E-step) writes for every
 * row; the responsibilities' owner is told they are overwritten. Data of one block's
 * buffers (a shard, a serial fit by plain EM) get an arena of their own (n bytes up to
 * 256 clusters), freed with the handler.
 */
function kmeansScratch(model: GaussianMixtureModel, data: GmmData): KMeansScratch & { release(): void } {
  const { n } = data, k = model.k
  if (data.rowLogLik.length >= n && data.resp.length >= n * k) {
    model.overwriteResponsibilities(data)
    return {
      // the tail of the responsibilities' bytes, as int32s (a view of the memory as it is now)
      labels: () => { const resp = data.resp.view; return new Int32Array(resp.buffer, resp.byteOffset + 8 * n * k - 4 * n, n) },
      release: () => {},
    }
  }
  const arena = model.kernels.arena()
  return { ...arenaScratch(arena, n, k), release: () => arena.dispose() }
}
