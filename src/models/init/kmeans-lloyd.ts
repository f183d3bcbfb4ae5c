/**
 * Lloyd's k-means over rows held by shards, from k-means++'s seeds (kmeans.ts), and the
 * column moments of the rows: what inits 'kmeans' and 'random' of a Gaussian mixture
 * add to k-means++ (gmm/start.ts, when loadInit has imported this), and the k-means the
 * other estimators start from. Sums over rows are blocked as in kmeans.ts.
 */
import type { Rng } from '../../core/rng/xoshiro128.js'
import { arenaScratch, assignPlan, type KMeansData, type KMeansResult, kmeansPlusPlusPlan, KMeansShard, onThisThread, rowsAt } from './kmeans.js'
import { type RowsPlan, runPlan } from './plan.js'
import { inBlockOrder, sumBlocks } from './plan-answers.js'

/** A shard of k-means++ that also answers Lloyd's requests (centre sums, the farthest row) and the column moments. */
export class LloydShard extends KMeansShard {
  override call(op: string, args: any): unknown {
    switch (op) {
      case 'sums': return this.sums(args.k)
      case 'farthest': return this.farthest()
      case 'zeroNearest': this.assignedTo!.moved.add(args.index - this.firstRow); return null
      case 'columnSums': return this.columnMoments(null)
      case 'columnSquares': return this.columnMoments(args.mean)
    }
    return super.call(op, args)
  }

  /** Per block: the weighted mass of each cluster (k), then the weighted sums of its rows (k x d). */
  private sums(k: number): Float64Array {
    const { d } = this.data
    const X = this.data.x.view, labels = this.labels!()
    const width = k * (d + 1)
    const out = new Float64Array(this.blocks * width)
    for (let b = 0; b < this.blocks; b++) {
      const o = b * width
      for (let i = b * this.blockRows, hi = Math.min(this.data.n, i + this.blockRows); i < hi; i++) {
        const c = labels[i]!, w = this.weightOf(i)
        out[o + c] += w
        for (let j = 0; j < d; j++) out[o + k + c * d + j] += w * X[i * d + j]!
      }
    }
    return out
  }

  /** The row farthest from its centre at the last assignment (the first of equals), rows moved to empty clusters since counting as 0. */
  private farthest(): { index: number; value: number } {
    const { centers, k, moved } = this.assignedTo!
    let index = -1, value = 0
    this.nearest(centers, k, (lo, rows, _best, bd) => {
      for (let r = 0; r < rows; r++) {
        const v = moved.has(lo + r) ? 0 : bd[r]!
        if (index === -1 || v > value) { value = v; index = lo + r }
      }
    })
    return { index: this.firstRow + index, value }
  }

  /** Per block and column: the sums of the values (mean null) or of their squared deviations from `mean`. */
  private columnMoments(mean: Float64Array | null): Float64Array {
    const { d } = this.data
    const X = this.data.x.view
    const out = new Float64Array(this.blocks * d)
    for (let b = 0; b < this.blocks; b++) {
      const lo = b * this.blockRows, hi = Math.min(this.data.n, lo + this.blockRows)
      for (let j = 0; j < d; j++) {
        let s = 0
        if (mean) for (let i = lo; i < hi; i++) s += (X[i * d + j]! - mean[j]!) ** 2
        else for (let i = lo; i < hi; i++) s += X[i * d + j]!
        out[b * d + j] = s
      }
    }
    return out
  }
}

/** The column means of the rows (blocked sums). */
export function* columnMeansPlan(n: number, d: number): RowsPlan<Float64Array> {
  const mean = sumBlocks(inBlockOrder(yield { op: 'columnSums' }), d)
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n
  return mean
}

/** The mean over features of the per-feature variances (two passes, blocked sums). */
function* meanVariancePlan(n: number, d: number): RowsPlan<number> {
  const mean = yield* columnMeansPlan(n, d)
  const v = sumBlocks(inBlockOrder(yield { op: 'columnSquares', args: { mean } }), d)
  let total = 0
  for (let j = 0; j < d; j++) total += v[j]! / n
  return total / d
}

/**
 * Lloyd's algorithm from k-means++ seeds. Stops when no label changes or the total
 * squared center shift is below tol times the mean feature variance (scikit-learn's
 * scale); an empty cluster is moved to the row farthest from its center. The labels
 * of the returned centres stay on the shards.
 */
export function* kmeansPlan(n: number, d: number, k: number, weighted: boolean, rng: Rng, opts: { maxIter?: number; tol?: number } = {}): RowsPlan<{ centers: Float64Array; inertia: number; nIter: number }> {
  const maxIter = opts.maxIter ?? 300
  const tolAbs = (opts.tol ?? 1e-4) * (yield* meanVariancePlan(n, d))
  let centers = yield* kmeansPlusPlusPlan(n, d, k, weighted, rng)
  let { inertia } = yield* assignPlan(centers, k)
  let iter = 0
  for (iter = 1; iter <= maxIter; iter++) {
    const total = sumBlocks(inBlockOrder(yield { op: 'sums', args: { k } }), k * (d + 1))
    const next = new Float64Array(k * d)
    for (let c = 0; c < k; c++) {
      const mass = total[c]!
      if (mass > 0) {
        for (let j = 0; j < d; j++) next[c * d + j] = total[k + c * d + j]! / mass
      } else {
        const far = (yield { op: 'farthest' }) as { index: number; value: number }[]
        let pick = far[0]!
        for (const f of far) if (f.value > pick.value) pick = f
        next.set((yield* rowsAt([pick.index]))[0]!, c * d)
        yield { op: 'zeroNearest', args: { index: pick.index } }
      }
    }
    let shift = 0
    for (let p = 0; p < k * d; p++) shift += (next[p]! - centers[p]!) ** 2
    centers = next
    const a = yield* assignPlan(centers, k)
    inertia = a.inertia
    if (!a.changed || shift <= tolAbs) break
  }
  return { centers, inertia, nIter: Math.min(iter, maxIter) }
}

/**
 * k-means' centres alone over the rows of one array, its per-row state in kernel memory
 * freed on return (arenaScratch): the HMMs' starts, which JS arrays of n beside the rows
 * made the peak of a model search (each restart's left to the garbage collector).
 */
export function kmeansCenters(data: Omit<KMeansData, 'scratch'>, k: number, rng: Rng, opts: { maxIter?: number; tol?: number } = {}): Float64Array {
  const arena = data.kernels.arena()
  try {
    const lent = { ...data, scratch: arenaScratch(arena, data.n, k) }
    return onThisThread(lent, (s) => runPlan(kmeansPlan(data.n, data.d, k, data.weight !== null, rng, opts), [s]).centers, new LloydShard(lent))
  } finally {
    arena.dispose()
  }
}

/** k-means over the rows of one array (every block on this thread). */
export function kmeans(data: KMeansData, k: number, rng: Rng, opts: { maxIter?: number; tol?: number } = {}): KMeansResult {
  return onThisThread(data, (s) => {
    const result = runPlan(kmeansPlan(data.n, data.d, k, data.weight !== null, rng, opts), [s])
    return { ...result, labels: Int32Array.from(s.assigned) }
  }, new LloydShard(data))
}
