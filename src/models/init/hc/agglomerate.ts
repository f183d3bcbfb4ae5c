/**
 * Model-based hierarchical agglomeration as mclust's hc (Fortran hcvvv / hceii):
 * start from singletons, repeatedly merge the pair of clusters whose merge costs the
 * least classification log-likelihood. To reproduce mclust's partitions the order of
 * everything that can tie follows mclust's: clusters live in slots; the pair costs are
 * kept in the condensed order (j, i), i < j, and among equal costs the last in that
 * order wins; the merged cluster takes the smaller slot and the last slot moves into
 * the freed one; the newest cluster is the one whose factor is updated with the other
 * (`HcCriterion.merge`'s base), and a chosen pair that does not involve it is
 * recomputed as mclust recomputes it. The smallest cost is found from per-row minima
 * (O(n^2) memory, as mclust's, and about O(n^2) time instead of its O(n^3) scans).
 */
import type { Cluster, HcCriterion } from './criteria.js'

const RTHALF = Math.SQRT1_2

/** The merges in order, each as the two clusters' representative rows. */
export interface Merges {
  readonly n: number
  readonly pairs: Int32Array // 2 * (n - 1)
}

const at = (i: number, j: number): number => (j * (j - 1)) / 2 + i

function row(z: Float64Array, i: number, p: number): Float64Array {
  return z.slice(i * p, (i + 1) * p)
}

/** v = sqrt(n_b / n) x_o - sqrt(n_o / n) x_b, as mclust forms it (q = 1 / n), into `out`. */
function difference(b: Cluster, o: Cluster, out = new Float64Array(b.scaledMean.length)): Float64Array {
  const q = 1 / (b.size + o.size)
  const sb = Math.sqrt(b.size * q), so = Math.sqrt(o.size * q)
  for (let j = 0; j < out.length; j++) out[j] = sb * o.scaledMean[j]! - so * b.scaledMean[j]!
  return out
}

/** Two singletons: v = (x_i - x_j) / sqrt(2), into `out`. */
function singletonDifference(a: Cluster, b: Cluster, out = new Float64Array(a.scaledMean.length)): Float64Array {
  for (let j = 0; j < out.length; j++) out[j] = (a.scaledMean[j]! - b.scaledMean[j]!) * RTHALF
  return out
}

export function agglomerate(z: Float64Array, n: number, p: number, criterion: HcCriterion): Merges {
  const pairs = new Int32Array(2 * Math.max(n - 1, 0))
  if (n < 2) return { n, pairs }
  const slot: Cluster[] = Array.from({ length: n }, (_, i) => criterion.singleton(row(z, i, p)))
  const rep = Int32Array.from({ length: n }, (_, i) => i)
  const D = new Float64Array((n * (n - 1)) / 2)
  const rowMin = new Float64Array(n).fill(Infinity)
  const rowArg = new Int32Array(n).fill(-1)
  const v = new Float64Array(p)

  const rescan = (j: number): void => {
    let m = Infinity, a = -1
    const base = at(0, j)
    for (let i = 0; i < j; i++) {
      const v = D[base + i]!
      if (v <= m) { m = v; a = i }
    }
    rowMin[j] = m
    rowArg[j] = a
  }
  const changed = (j: number, i: number): void => {
    const v = D[at(i, j)]!
    if (i === rowArg[j]) {
      if (v <= rowMin[j]!) rowMin[j] = v
      else rescan(j)
    } else if (v < rowMin[j]! || (v === rowMin[j]! && i > rowArg[j]!)) {
      rowMin[j] = v
      rowArg[j] = i
    }
  }

  for (let j = 1; j < n; j++) {
    for (let i = 0; i < j; i++) D[at(i, j)] = criterion.cost(slot[i]!, slot[j]!, singletonDifference(slot[i]!, slot[j]!, v))
    rescan(j)
  }

  let lg = n
  let newest = -1
  for (let step = 0; step < n - 1; step++) {
    // the smallest cost; ties: the last pair in the order (j, i)
    let best = Infinity, jo = -1
    for (let j = 1; j < lg; j++) if (rowMin[j]! <= best) { best = rowMin[j]!; jo = j }
    if (jo < 0) { jo = lg - 1; best = D[at(0, jo)]! } // every cost NaN: mclust would take its first pair
    const io = jo >= 0 && rowArg[jo]! >= 0 ? rowArg[jo]! : 0
    const a = slot[io]!, b = slot[jo]!
    let merged: Cluster
    if (step === 0) merged = criterion.merge(a, b, singletonDifference(a, b)).merged
    else if (io === newest || jo === newest) {
      const base = io === newest ? a : b, other = io === newest ? b : a
      merged = criterion.merge(base, other, difference(base, other)).merged
    } else {
      // mclust recomputes this pair from slot io's side and takes the term from the stored cost
      const v = a.size === 1 && b.size === 1 ? singletonDifference(a, b) : difference(b, a)
      const m = criterion.merge(b, a, v).merged
      merged = { ...m, term: best + (a.term + b.term) }
    }
    pairs[2 * step] = rep[io]!
    pairs[2 * step + 1] = rep[jo]!
    slot[io] = merged
    rep[io] = Math.min(rep[io]!, rep[jo]!)
    const last = lg - 1
    if (jo !== last) {
      slot[jo] = slot[last]!
      rep[jo] = rep[last]!
      for (let k = 0; k < jo; k++) D[at(k, jo)] = D[at(k, last)]!
      for (let k = jo + 1; k < last; k++) D[at(jo, k)] = D[at(k, last)]!
    }
    lg--
    newest = io
    for (let j = 0; j < lg; j++) {
      if (j === io) continue
      const cost = criterion.cost(merged, slot[j]!, difference(merged, slot[j]!, v))
      D[j < io ? at(j, io) : at(io, j)] = cost
    }
    if (io >= 1) rescan(io)
    if (jo < lg) rescan(jo)
    for (let j = io + 1; j < lg; j++) if (j !== jo) changed(j, io)
    for (let j = jo + 1; j < lg; j++) if (j !== io) changed(j, jo)
  }
  return { n, pairs }
}

/**
 * mclust's hclass: the partition into G clusters (the first n - G merges), labelled
 * 1.. in order of first appearance in the rows (partconv(consec = TRUE)).
 */
export function partition(merges: Merges, G: number): Int32Array {
  const { n, pairs } = merges
  const parent = Int32Array.from({ length: n }, (_, i) => i)
  const find = (i: number): number => {
    while (parent[i] !== i) { parent[i] = parent[parent[i]!]!; i = parent[i]! }
    return i
  }
  for (let s = 0; s < n - G; s++) {
    const a = find(pairs[2 * s]!), b = find(pairs[2 * s + 1]!)
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b)
  }
  const label = new Map<number, number>()
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const r = find(i)
    if (!label.has(r)) label.set(r, label.size + 1)
    out[i] = label.get(r)!
  }
  return out
}
