import type { F64Buffer, Kernels } from '../../kernels/types.js'
import type { Rng } from '../../core/rng/xoshiro128.js'

/**
 * k-means for initialising latent-class models (mixtures, HMM emission means).
 * Distances go through the kernels; the O(n d) bookkeeping stays here.
 */

export interface KMeansData {
  readonly kernels: Kernels
  readonly x: F64Buffer
  readonly n: number
  readonly d: number
  /** Optional non-negative row weights. */
  readonly weight: Float64Array | null
  /**
   * Kernel memory the caller does not need meanwhile (a mixture's n x k
   * responsibilities, written afterwards from the labels), for the n x k (or n x trials)
   * distances when it is long enough: one buffer the size of the responsibilities less
   * at the peak of a fit on large data.
   */
  readonly scratch?: F64Buffer
}

/** The caller's scratch if it holds `length` doubles, else a new buffer of `arena`. */
function distances(data: KMeansData, arena: ReturnType<Kernels['arena']>, length: number): F64Buffer {
  return data.scratch && data.scratch.length >= length ? data.scratch : arena.f64(length)
}

export interface KMeansResult {
  readonly centers: Float64Array
  readonly labels: Int32Array
  readonly inertia: number
  readonly nIter: number
}

/**
 * k-means++ seeding, greedy as in Arthur & Vassilvitskii's follow-ups (and
 * scikit-learn): each new center is the best of 2 + floor(ln k) candidates drawn
 * with probability proportional to weight x squared distance.
 */
export function kmeansPlusPlus(data: KMeansData, k: number, rng: Rng): Float64Array {
  const { kernels, x, n, d } = data
  const w = data.weight
  const trials = 2 + Math.floor(Math.log(k))
  const arena = kernels.arena()
  try {
    const cand = arena.f64(trials * d)
    const dist = distances(data, arena, n * trials)
    const centers = new Float64Array(k * d)
    const closest = new Float64Array(n)
    const cumulative = new Float64Array(n)

    const first = drawIndex(rng, w, n)
    centers.set(x.view.subarray(first * d, first * d + d), 0)
    cand.view.set(centers.subarray(0, d))
    kernels.sqDistances(x, n, d, cand, 1, dist)
    closest.set(dist.view.subarray(0, n))

    for (let c = 1; c < k; c++) {
      let pot = 0
      for (let i = 0; i < n; i++) {
        pot += (w ? w[i]! : 1) * closest[i]!
        cumulative[i] = pot
      }
      const ids: number[] = []
      for (let t = 0; t < trials; t++) ids.push(searchSorted(cumulative, rng.uniform() * pot))
      const cv = cand.view
      ids.forEach((id, t) => cv.set(x.view.subarray(id * d, id * d + d), t * d))
      kernels.sqDistances(x, n, d, cand, trials, dist)
      const dv = dist.view
      let best = 0, bestPot = Infinity
      for (let t = 0; t < trials; t++) {
        let p = 0
        for (let i = 0; i < n; i++) p += (w ? w[i]! : 1) * Math.min(closest[i]!, dv[i * trials + t]!)
        if (p < bestPot) { bestPot = p; best = t }
      }
      for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i]!, dv[i * trials + best]!)
      centers.set(cv.subarray(best * d, best * d + d), c * d)
    }
    return centers
  } finally {
    arena.dispose()
  }
}

/** Nearest center of every row; returns the weighted inertia. */
export function assign(data: KMeansData, centers: Float64Array, k: number, labels: Int32Array, nearest?: Float64Array): number {
  const { kernels, x, n, d } = data
  const arena = kernels.arena()
  try {
    const cb = arena.f64From(centers)
    const dist = distances(data, arena, n * k)
    kernels.sqDistances(x, n, d, cb, k, dist)
    const dv = dist.view
    let inertia = 0
    for (let i = 0; i < n; i++) {
      let best = 0, bd = dv[i * k]!
      for (let c = 1; c < k; c++) if (dv[i * k + c]! < bd) { bd = dv[i * k + c]!; best = c }
      labels[i] = best
      if (nearest) nearest[i] = bd
      inertia += (data.weight ? data.weight[i]! : 1) * bd
    }
    return inertia
  } finally {
    arena.dispose()
  }
}

/**
 * Lloyd's algorithm from k-means++ seeds. Stops when no label changes or the total
 * squared center shift is below tol times the mean feature variance (scikit-learn's
 * scale); an empty cluster is moved to the row farthest from its center.
 */
export function kmeans(data: KMeansData, k: number, rng: Rng, opts: { maxIter?: number; tol?: number } = {}): KMeansResult {
  const { n, d } = data
  const maxIter = opts.maxIter ?? 300
  const tolAbs = (opts.tol ?? 1e-4) * meanVariance(data)
  let centers = kmeansPlusPlus(data, k, rng)
  const labels = new Int32Array(n)
  const previous = new Int32Array(n).fill(-1)
  const nearest = new Float64Array(n)
  const xv = () => data.x.view
  let inertia = assign(data, centers, k, labels, nearest)
  let iter = 0
  for (iter = 1; iter <= maxIter; iter++) {
    const next = new Float64Array(k * d)
    const mass = new Float64Array(k)
    const X = xv()
    for (let i = 0; i < n; i++) {
      const c = labels[i]!, w = data.weight ? data.weight[i]! : 1
      mass[c] += w
      for (let j = 0; j < d; j++) next[c * d + j] += w * X[i * d + j]!
    }
    for (let c = 0; c < k; c++) {
      if (mass[c]! > 0) {
        for (let j = 0; j < d; j++) next[c * d + j] = next[c * d + j]! / mass[c]!
      } else {
        let far = 0
        for (let i = 1; i < n; i++) if (nearest[i]! > nearest[far]!) far = i
        next.set(X.subarray(far * d, far * d + d), c * d)
        nearest[far] = 0
      }
    }
    let shift = 0
    for (let p = 0; p < k * d; p++) shift += (next[p]! - centers[p]!) ** 2
    centers = next
    previous.set(labels)
    inertia = assign(data, centers, k, labels, nearest)
    let changed = false
    for (let i = 0; i < n; i++) if (labels[i] !== previous[i]) { changed = true; break }
    if (!changed || shift <= tolAbs) break
  }
  return { centers, labels, inertia, nIter: Math.min(iter, maxIter) }
}

function meanVariance(data: KMeansData): number {
  const { n, d } = data
  const X = data.x.view
  let total = 0
  for (let j = 0; j < d; j++) {
    let m = 0
    for (let i = 0; i < n; i++) m += X[i * d + j]!
    m /= n
    let v = 0
    for (let i = 0; i < n; i++) v += (X[i * d + j]! - m) ** 2
    total += v / n
  }
  return total / d
}

/** Row index drawn with probability proportional to its weight (uniform without weights). */
export function drawIndex(rng: Rng, w: Float64Array | null, n: number): number {
  if (!w) return rng.integer(n)
  let total = 0
  for (let i = 0; i < n; i++) total += w[i]!
  let u = rng.uniform() * total
  for (let i = 0; i < n; i++) {
    u -= w[i]!
    if (u < 0) return i
  }
  return n - 1
}

/** First index whose cumulative value is >= target (clipped to the last row). */
function searchSorted(cumulative: Float64Array, target: number): number {
  let lo = 0, hi = cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cumulative[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return lo
}
