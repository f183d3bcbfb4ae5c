import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { REDUCTION_BLOCK_ROWS, type RowsPlan, runPlan, type ShardHandler } from './plan.js'
import { inBlockOrder, sumBlocks, theAnswer } from './plan-answers.js'

/**
 * k-means for initialising latent-class models (mixtures, HMM emission means).
 * Distances go through the kernels; the O(n d) bookkeeping stays here.
 *
 * Written once as plans (init/plan.ts) over rows held by shards: every sum over rows
 * (potentials, centre sums and masses, inertia, column moments) is taken per block of
 * REDUCTION_BLOCK_ROWS rows and the blocks added in block order, so k-means over the
 * rows of one array (the functions at the end) and over the shards of a sharded fit
 * give the same bits for any number of shards. Here k-means++ and the assignment (every
 * data-driven start of a Gaussian mixture runs them); Lloyd's iterations and the column
 * moments are kmeans-lloyd.ts (inits 'kmeans' and 'random', and the other estimators' k-means).
 */

export interface KMeansData {
  readonly kernels: Kernels
  readonly x: F64Buffer
  readonly n: number
  readonly d: number
  /** Optional non-negative row weights. */
  readonly weight: Float64Array | null
  /** Kernel memory lent for the per-row state (absent: JS arrays). */
  readonly scratch?: KMeansScratch
}

/**
 * Kernel memory lent to k-means for its per-row state (Lloyd's labels) instead of a JS
 * array (the starts: gmm/start.ts kmeansScratch, kmeansCenters). Asked for at every
 * use: a kernel call's arena may grow the memory and detach a view taken before it.
 */
export interface KMeansScratch {
  /** n labels (bytes up to 256 clusters, else int32s). */
  labels(): Labels
}

/** The labels of k clusters over n rows in `arena` (n bytes up to 256 clusters, else 4n), freed with the arena. */
export function arenaScratch(arena: Arena, n: number, k: number): KMeansScratch {
  const memory = arena.f64(Math.ceil((k <= 256 ? n : 4 * n) / 8))
  return {
    labels: () => { const v = memory.view; return k <= 256 ? new Uint8Array(v.buffer, v.byteOffset, n) : new Int32Array(v.buffer, v.byteOffset, n) },
  }
}

/** Cluster labels: bytes for up to 256 clusters (the per-row state of a large start is what peaks), else int32s. */
export type Labels = Int32Array | Uint8Array

/** A set of labels: in a JS array or in lent kernel memory (a fresh view at each call). */
export type LabelStore = () => Labels

export interface KMeansResult {
  readonly centers: Float64Array
  readonly labels: Int32Array
  readonly inertia: number
  readonly nIter: number
}

/** A draw's target in the blocked cumulative sums: the block, the sum of the blocks before it, the target. */
interface Locate {
  readonly block: number
  readonly before: number
  readonly target: number
}

/**
 * Chosen centres up to which a row's distance to the nearest is measured again at each
 * pass; beyond, it is kept per row (measuring every chosen centre costs more than the n
 * doubles save: k = 300 over 70,000 rows of 5 columns seeded in 80 s, against 1.2 s).
 */
const MEASURE_UP_TO = 10

/** No centres besides the chosen ones. */
const NONE = new Float64Array(0)

/** Rows of one kernel call of the distance passes (see KMeansShard.distances). */
const PIECE_ROWS = 8192

/** A located row: its global index and its values. */
interface Located {
  readonly index: number
  readonly row: Float64Array
}

/**
 * One shard's rows for k-means: the rows `firstBlock * blockRows` onwards of the
 * whole data, and what the passes keep between requests (the centres chosen so far,
 * labels). Answers per-block sums; lent kernel memory or a JS array holds the labels,
 * the kernels a piece of a block's distances at a time.
 */
export class KMeansShard implements ShardHandler {
  readonly blocks: number
  /**
   * The centres k-means++ has chosen so far (d values each). A row's distance to the
   * nearest of them (`closest`) is measured again where a pass needs it, not kept per
   * row while at most MEASURE_UP_TO are chosen (`kept` from then on): n doubles beside
   * the rows were the peak of a large start (0.75x a 50 MB file of two short columns).
   * The minimum over the centres in the order chosen is the running minimum a kept
   * distance holds, so the bits are the same either way. Lloyd's iterations
   * keep none either: the inertia is summed as the rows are assigned, and the farthest
   * row for an empty cluster is found by measuring the rows again (kmeans-lloyd.ts).
   */
  private chosen = new Float64Array(0)
  /** The candidates of the last trials pass, and whether the plan's choice among them is in `chosen` yet. */
  private candidates: Float64Array | null = null
  private candidateAdded = true
  /** `closest` of every row, kept once more than MEASURE_UP_TO centres are chosen. */
  private kept: Float64Array | null = null
  protected labels: LabelStore | null = null
  /** The centres of the last assignment (what the farthest row is measured from), and the rows moved to empty clusters since (their distance counts as 0). */
  protected assignedTo: { centers: Float64Array; k: number; moved: Set<number> } | null = null

  constructor(readonly data: KMeansData, readonly firstBlock = 0, readonly blockRows = REDUCTION_BLOCK_ROWS, readonly pieceRows = PIECE_ROWS) {
    this.blocks = Math.ceil(data.n / blockRows)
  }

  call(op: string, args: any): unknown {
    switch (op) {
      case 'rows': return (args.ids as number[]).map((id) => this.row(id))
      case 'weightTotals': return this.blockSums((i) => this.weightOf(i))
      case 'locate': return (args.queries as Locate[]).map((q) => this.locate(q, args.kind, args.strict, args.chosen ?? null))
      case 'seed': return this.seed(args.center)
      case 'trials': return this.trials(args.candidates, args.count, args.chosen ?? null)
      case 'assign': return this.assign(args.centers, args.k)
      case 'end': this.close(); return null
    }
    throw new Error(`emkit: unknown k-means shard request '${op}'`)
  }

  close(): void {
    this.chosen = new Float64Array(0)
    this.candidates = this.kept = null
    this.labels = null
    this.assignedTo = null
  }

  /** The labels of the last `assign` (the shard's rows; a view of lent kernel memory is valid until the next kernel call). */
  get assigned(): Labels { return this.labels!() }

  /** The plan's choice among the last candidates (null: none yet) added to the chosen centres, once. */
  private choose(candidate: number | null): void {
    if (candidate === null || this.candidateAdded) return
    const d = this.data.d, kept = this.kept
    const centre = this.candidates!.subarray(candidate * d, candidate * d + d)
    const grown = new Float64Array(this.chosen.length + d)
    grown.set(this.chosen)
    grown.set(centre, this.chosen.length)
    this.candidateAdded = true
    if (kept) this.distances(centre, 1, (lo, rows, dist) => { for (let r = 0; r < rows; r++) kept[lo + r] = Math.min(kept[lo + r]!, dist[r]!) })
    this.chosen = grown
    if (!kept && grown.length > MEASURE_UP_TO * d) {
      const all = new Float64Array(this.data.n)
      this.withClosest(NONE, (lo, rows, closest) => all.set(closest.subarray(0, rows), lo))
      this.kept = all
    }
  }

  /**
   * `closest` of rows from..to, a piece at a time, with their distances to `extra`
   * centres measured in the same kernel call: `visit(piece's first row, rows, closest,
   * dist, width)`, dist holding per row the chosen centres' distances, then the extra ones.
   */
  private withClosest(extra: Float64Array, visit: (lo: number, rows: number, closest: Float64Array, dist: Float64Array, width: number) => void, from = 0, to = this.data.n): void {
    const d = this.data.d, kept = this.kept
    const c = kept ? 0 : this.chosen.length / d
    const width = c + extra.length / d
    const centers = new Float64Array(width * d)
    if (!kept) centers.set(this.chosen)
    centers.set(extra, c * d)
    const measured = kept ? null : new Float64Array(Math.min(this.data.n, this.blockRows, this.pieceRows))
    this.distances(centers, width, (lo, rows, dist) => {
      if (!measured) return visit(lo, rows, kept!.subarray(lo, lo + rows), dist, width)
      for (let r = 0, o = 0; r < rows; r++, o += width) {
        let v = dist[o]!
        for (let j = 1; j < c; j++) v = Math.min(v, dist[o + j]!)
        measured[r] = v
      }
      visit(lo, rows, measured, dist, width)
    }, from, to)
  }

  /** The labels of `assign`: the lent scratch's, else a JS array. */
  private labelStore(k: number): LabelStore {
    const scratch = this.data.scratch
    if (scratch) return () => scratch.labels()
    const labels = k <= 256 ? new Uint8Array(this.data.n) : new Int32Array(this.data.n)
    return () => labels
  }

  protected get firstRow(): number { return this.firstBlock * this.blockRows }
  protected weightOf(i: number): number { return this.data.weight ? this.data.weight[i]! : 1 }

  protected row(id: number): Float64Array | null {
    const i = id - this.firstRow
    if (i < 0 || i >= this.data.n) return null
    const { d } = this.data
    return this.data.x.view.slice(i * d, i * d + d)
  }

  /** Per block, the sum of f over its rows in row order. */
  private blockSums(f: (i: number) => number): Float64Array {
    const out = new Float64Array(this.blocks)
    for (let b = 0; b < this.blocks; b++) {
      let s = 0
      for (let i = b * this.blockRows, hi = Math.min(this.data.n, i + this.blockRows); i < hi; i++) s += f(i)
      out[b] = s
    }
    return out
  }

  /**
   * The first row of the block whose running sum (from `before`) reaches the target
   * (`strict`: exceeds it); the block's last row if none does (rounding). Null for a
   * block of another shard.
   */
  private locate(q: Locate, kind: 'weight' | 'potential', strict: boolean, chosen: number | null): Located | null {
    const b = q.block - this.firstBlock
    if (b < 0 || b >= this.blocks) return null
    const lo = b * this.blockRows, hi = Math.min(this.data.n, lo + this.blockRows)
    // the running sum carried from piece to piece in a typed slot: a double in a captured
    // variable is boxed anew at each write
    const total = new Float64Array(1)
    let found = hi - 1, open = true
    const scan = (from: number, rows: number, closest: Float64Array | null): void => {
      let acc = total[0]!
      for (let r = 0; r < rows && open; r++) {
        acc += this.weightOf(from + r) * (closest ? closest[r]! : 1)
        const c = q.before + acc
        if (strict ? c > q.target : c >= q.target) { found = from + r; open = false }
      }
      total[0] = acc
    }
    if (kind === 'weight') scan(lo, hi - lo, null)
    else {
      // the centre the plan chose last is one of the chosen from now on
      this.choose(chosen)
      this.withClosest(NONE, scan, lo, hi)
    }
    return { index: this.firstRow + found, row: this.row(this.firstRow + found)! }
  }

  /**
   * Squared distances of the rows from..to (every row) to `count` centres, in pieces of
   * at most `pieceRows` rows within one block: `visit(piece's first row, rows, distances)`.
   * Pieces keep the kernels' distance buffer small (at K = 8 a block's took 4 MB beside
   * the rows at the start's peak); what a visit sums per block it carries from piece to
   * piece in row order, so the bits are a whole block's.
   */
  private distances(centers: Float64Array, count: number, visit: (lo: number, rows: number, dist: Float64Array) => void, from = 0, to = this.data.n): void {
    const { kernels, x, n, d } = this.data
    const arena: Arena = kernels.arena()
    try {
      const cb = arena.f64From(centers)
      const dist = arena.f64(Math.min(n, this.blockRows, this.pieceRows) * count)
      for (let lo = from, rows = 0; lo < to; lo += rows) {
        rows = Math.min(to, lo + this.pieceRows, (Math.floor(lo / this.blockRows) + 1) * this.blockRows) - lo
        // no centres (the kept distances alone): no kernel call
        if (count > 0) kernels.sqDistances(x.subarray(lo * d, (lo + rows) * d), rows, d, cb, count, dist)
        visit(lo, rows, dist.view)
      }
    } finally {
      arena.dispose()
    }
  }

  /** The first centre; per block, the weighted sum of the rows' distances to it in row order (the potential). */
  private seed(center: Float64Array): Float64Array {
    this.chosen = Float64Array.from(center)
    this.candidates = this.kept = null
    this.candidateAdded = true
    const out = new Float64Array(this.blocks)
    const w = this.data.weight
    this.withClosest(NONE, (lo, rows, closest) => {
      const b = Math.floor(lo / this.blockRows)
      let s = out[b]!
      if (w) for (let r = 0; r < rows; r++) s += w[lo + r]! * closest[r]!
      else for (let r = 0; r < rows; r++) s += closest[r]!
      out[b] = s
    })
    return out
  }

  /**
   * Per block and candidate, the potential if it were added (each candidate's sum over
   * the block's rows in row order, taken while the block's distances are in cache). The
   * candidates are kept: the plan names the one it chose (`chosen`) with its next
   * request, which adds it to the chosen centres; the rows' distances to all of them and
   * to the new candidates come from one kernel call per piece. The chosen candidate's
   * potentials are this pass's answers for it, the same sums in the same order (a row's
   * distance to a centre does not depend on the other centres of the kernel call).
   */
  private trials(candidates: Float64Array, count: number, chosen: number | null): Float64Array {
    const w = this.data.weight
    this.choose(chosen)
    this.candidates = candidates
    this.candidateAdded = false
    const out = new Float64Array(this.blocks * count)
    this.withClosest(candidates, (lo, rows, closest, dist, width) => {
      const extra = width - count
      const o = Math.floor(lo / this.blockRows) * count
      let t = 0
      // four candidates per pass over the block's rows (K >= 8 draws 4): four scalar accumulators, each summed in row order
      for (; t + 4 <= count; t += 4) {
        // each sum goes on from the block's earlier pieces (0 at its first)
        let p0 = out[o + t]!, p1 = out[o + t + 1]!, p2 = out[o + t + 2]!, p3 = out[o + t + 3]!
        for (let r = 0, at = t + extra; r < rows; r++, at += width) {
          // unweighted, f = 1: 1 * x is x exactly, so one body serves both
          const c = closest[r]!, f = w ? w[lo + r]! : 1
          p0 += f * Math.min(c, dist[at]!); p1 += f * Math.min(c, dist[at + 1]!)
          p2 += f * Math.min(c, dist[at + 2]!); p3 += f * Math.min(c, dist[at + 3]!)
        }
        out[o + t] = p0; out[o + t + 1] = p1; out[o + t + 2] = p2; out[o + t + 3] = p3
      }
      for (; t < count; t++) {
        // one scalar accumulator per candidate (a sum kept in a typed array was 4x slower)
        let p = out[o + t]!
        const c = t + extra
        if (w) for (let r = 0; r < rows; r++) p += w[lo + r]! * Math.min(closest[r]!, dist[r * width + c]!)
        else for (let r = 0; r < rows; r++) p += Math.min(closest[r]!, dist[r * width + c]!)
        out[o + t] = p
      }
    })
    return out
  }

  /** Nearest centre of every row (labels kept); per block, the weighted inertia; whether any label changed. */
  private assign(centers: Float64Array, k: number): { inertia: Float64Array; changed: boolean } {
    // one set of labels, each compared as it is overwritten (every row is written): no second n-array for the previous ones
    let changed = this.labels === null
    const store = this.labels ??= this.labelStore(k)
    this.assignedTo = { centers: centers.slice(), k, moved: new Set() }
    const inertia = new Float64Array(this.blocks), w = this.data.weight
    this.nearest(centers, k, (lo, rows, best, bd) => {
      const labels = store(), b = Math.floor(lo / this.blockRows)
      // the block's sum goes on from its earlier pieces, in row order: the bits of a sum over stored distances
      let s = inertia[b]!
      for (let r = 0; r < rows; r++) {
        if (labels[lo + r] !== best[r]) changed = true
        labels[lo + r] = best[r]!
        s += w ? w[lo + r]! * bd[r]! : bd[r]!
      }
      inertia[b] = s
    })
    return { inertia, changed }
  }

  /** Each row's nearest of `k` centres (the first of equals) and its squared distance, a piece of rows at a time: `visit(piece's first row, rows, best, bd)`. */
  protected nearest(centers: Float64Array, k: number, visit: (lo: number, rows: number, best: Int32Array, bd: Float64Array) => void): void {
    const size = Math.min(this.data.n, this.blockRows, this.pieceRows)
    const best = new Int32Array(size), bd = new Float64Array(size)
    this.distances(centers, k, (lo, rows, dv) => {
      for (let r = 0; r < rows; r++) {
        let c0 = 0, v = dv[r * k]!
        for (let c = 1; c < k; c++) if (dv[r * k + c]! < v) { v = dv[r * k + c]!; c0 = c }
        best[r] = c0
        bd[r] = v
      }
      visit(lo, rows, best, bd)
    })
  }

}

// ---- the coordinator's side ----

/** Cumulative block totals: before[b] (the sum of the blocks before b) and the grand total. */
function prefix(totals: Float64Array): { before: Float64Array; total: number } {
  const before = new Float64Array(totals.length + 1)
  for (let b = 0; b < totals.length; b++) before[b + 1] = before[b]! + totals[b]!
  return { before, total: before[totals.length]! }
}

/** Where `target` falls in the blocked cumulative sums (the first block whose end reaches it; `strict`: exceeds it). */
function blockOf(before: Float64Array, target: number, strict: boolean): Locate {
  const blocks = before.length - 1
  let b = 0
  while (b < blocks - 1 && !(strict ? before[b + 1]! > target : before[b + 1]! >= target)) b++
  return { block: b, before: before[b]!, target }
}

function* locateRows(totals: Float64Array, targets: readonly number[], kind: 'weight' | 'potential', strict: boolean, chosen: number | null = null): RowsPlan<Located[]> {
  const { before } = prefix(totals)
  const queries = targets.map((t) => blockOf(before, t, strict))
  const answers = (yield { op: 'locate', args: { queries, kind, strict, chosen } }) as (Located | null)[][]
  return queries.map((_, q) => theAnswer<Located>(answers.map((a) => a[q]), 'a located row'))
}

export function* rowsAt(ids: readonly number[]): RowsPlan<Float64Array[]> {
  const answers = (yield { op: 'rows', args: { ids } }) as (Float64Array | null)[][]
  return ids.map((_, q) => theAnswer<Float64Array>(answers.map((a) => a[q]), `row ${ids[q]}`))
}

/**
 * k-means++ seeding, greedy as in Arthur & Vassilvitskii's follow-ups (and
 * scikit-learn): each new center is the best of 2 + floor(ln k) candidates drawn
 * with probability proportional to weight x squared distance. The shards' chosen
 * centres lack the last one (nothing reads them after).
 */
export function* kmeansPlusPlusPlan(n: number, d: number, k: number, weighted: boolean, rng: Rng): RowsPlan<Float64Array> {
  const trials = 2 + Math.floor(Math.log(k))
  const centers = new Float64Array(k * d)
  if (weighted) {
    // a row drawn with probability proportional to its weight (strictly past the target: never a row of weight 0)
    const totals = inBlockOrder(yield { op: 'weightTotals' })
    const target = rng.uniform() * prefix(totals).total
    centers.set((yield* locateRows(totals, [target], 'weight', true))[0]!.row, 0)
  } else {
    centers.set((yield* rowsAt([rng.integer(n)]))[0]!, 0)
  }
  let potentials = inBlockOrder(yield { op: 'seed', args: { center: centers.slice(0, d) } })
  // the candidate chosen last: the shards add it to their rows' distances with the next request
  let chosen: number | null = null
  for (let c = 1; c < k; c++) {
    const pot = prefix(potentials).total
    const targets: number[] = []
    for (let t = 0; t < trials; t++) targets.push(rng.uniform() * pot)
    const found = yield* locateRows(potentials, targets, 'potential', false, chosen)
    const candidates = new Float64Array(trials * d)
    found.forEach((f, t) => candidates.set(f.row, t * d))
    const perBlock = inBlockOrder(yield { op: 'trials', args: { candidates, count: trials, chosen } })
    const trialPotentials = sumBlocks(perBlock, trials)
    let best = 0, bestPot = Infinity
    for (let t = 0; t < trials; t++) if (trialPotentials[t]! < bestPot) { bestPot = trialPotentials[t]!; best = t }
    // the potentials with the best candidate added: its column of the per-block answers
    potentials = new Float64Array(perBlock.length / trials)
    for (let b = 0; b < potentials.length; b++) potentials[b] = perBlock[b * trials + best]!
    chosen = best
    centers.set(candidates.subarray(best * d, best * d + d), c * d)
  }
  return centers
}

/** Nearest centre of every row (kept on the shards); the weighted inertia and whether any label changed since the last assignment. */
export function* assignPlan(centers: Float64Array, k: number): RowsPlan<{ inertia: number; changed: boolean }> {
  const answers = (yield { op: 'assign', args: { centers, k } }) as { inertia: Float64Array; changed: boolean }[]
  let inertia = 0
  for (const v of inBlockOrder(answers.map((a) => a.inertia))) inertia += v
  return { inertia, changed: answers.some((a) => a.changed) }
}

// ---- over the rows of one array (every block on this thread) ----

/** `run` over one shard holding every row of `data` (kmeans-lloyd.ts passes its shard). */
export function onThisThread<T>(data: KMeansData, run: (shard: KMeansShard) => T, shard = new KMeansShard(data)): T {
  try {
    return run(shard)
  } finally {
    shard.close()
  }
}

export function kmeansPlusPlus(data: KMeansData, k: number, rng: Rng): Float64Array {
  return onThisThread(data, (s) => runPlan(kmeansPlusPlusPlan(data.n, data.d, k, data.weight !== null, rng), [s]))
}

/** Nearest center of every row; returns the weighted inertia. */
export function assign(data: KMeansData, centers: Float64Array, k: number, labels: Int32Array): number {
  return onThisThread(data, (s) => {
    const { inertia } = runPlan(assignPlan(centers, k), [s])
    labels.set(s.assigned)
    return inertia
  })
}
