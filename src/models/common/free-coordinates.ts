/**
 * The free coordinates standard errors are reported in, for the parts mixtures and
 * Gaussian components share (see engine/information):
 * - mixture weights: the first K - 1 (the last is 1 minus their sum);
 * - a covariance storage: each entry once, a symmetric matrix's upper triangle only
 *   (the lower entry follows it). Which entries mirror which is read off the
 *   strategy's `expandFull` (an entry whose expansion is the transpose of an earlier
 *   one's is its mirror), so no covariance type is named here.
 */
import { DegenerateError } from '../../core/errors.js'
import type { CovarianceStrategy } from '../gmm/covariance.js'

/** The first K - 1 weights. */
export function freeWeights(weights: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: weights.length - 1 }, (_, c) => weights[c]!)
}

/** All K weights from the first K - 1. */
export function weightsFromFree(free: ArrayLike<number>, k: number): Float64Array {
  const w = new Float64Array(k)
  let sum = 0
  for (let c = 0; c < k - 1; c++) {
    w[c] = free[c]!
    sum += free[c]!
  }
  w[k - 1] = 1 - sum
  return w
}

/**
 * All K weights from the first K - 1 where the coordinates must stay on the simplex (the
 * standard errors' charts): a weight below 0 is outside the parameter space, a
 * DegenerateError, so a probe a step beyond an estimate on the boundary (a start
 * probability of 1 from one sequence, a transition of 0) finds it there instead of
 * reading the likelihood's curvature past the boundary.
 */
export function simplexFromFree(free: ArrayLike<number>, k: number, name = 'weight'): Float64Array {
  const w = weightsFromFree(free, k)
  for (let c = 0; c < k; c++) {
    if (!(w[c]! >= 0)) throw new DegenerateError('DEGENERATE', `${name}[${c}] = ${w[c]} is outside [0, 1].`)
  }
  return w
}

/** Whether the first K - 1 of `vec` are weights whose completion is valid: each > 0, their sum < 1 (so the last is > 0). */
export function freeWeightsValid(vec: ArrayLike<number>, k: number): boolean {
  let sum = 0
  for (let c = 0; c < k - 1; c++) {
    if (!(vec[c]! > 0)) return false
    sum += vec[c]!
  }
  return sum < 1
}

export function weightNames(k: number, name = 'weight'): string[] {
  return Array.from({ length: k - 1 }, (_, c) => `${name}[${c}]`)
}

/*
 * Rows of probabilities (an HMM's transition rows, categorical emissions, a GMM-HMM's
 * per-state weights): k rows of m, each row's first m - 1 free, back to back.
 */

/** The free coordinates of k rows of m probabilities: each row's first m - 1. */
export function freeRows(p: ArrayLike<number>, k: number, m: number): Float64Array {
  const out = new Float64Array(k * (m - 1))
  for (let r = 0; r < k; r++) for (let s = 0; s < m - 1; s++) out[r * (m - 1) + s] = p[r * m + s]!
  return out
}

/** k rows of m probabilities from their free coordinates, each completed by `simplexFromFree` (named `name[r]`). */
export function simplexRowsFromFree(free: Float64Array, k: number, m: number, name: string): Float64Array {
  const p = new Float64Array(k * m)
  for (let r = 0; r < k; r++) p.set(simplexFromFree(free.subarray(r * (m - 1), (r + 1) * (m - 1)), m, `${name}[${r}]`), r * m)
  return p
}

/** The names of the rows' free coordinates: name[r][s]. */
export function rowNames(k: number, m: number, name: string): string[] {
  return Array.from({ length: k }, (_, r) => weightNames(m, `${name}[${r}]`)).flat()
}

export interface CovarianceFreeEntries {
  /** Storage index of each free coordinate. */
  readonly free: Int32Array
  /** For every storage index, the free coordinate it takes its value from. */
  readonly source: Int32Array
}

const freeEntriesCache = new WeakMap<CovarianceStrategy, Map<string, CovarianceFreeEntries>>()

/**
 * The free entries of a covariance storage of `strategy` for k components in d
 * dimensions. Finding them costs O(storage^2) (seconds at k = 8, d = 32), so they are
 * found once per (strategy, k, d) and only when standard errors ask.
 */
export function covarianceFreeEntries(strategy: CovarianceStrategy, k: number, d: number): CovarianceFreeEntries {
  let byShape = freeEntriesCache.get(strategy)
  if (!byShape) freeEntriesCache.set(strategy, (byShape = new Map()))
  const key = `${k}x${d}`
  let entries = byShape.get(key)
  if (!entries) byShape.set(key, (entries = findFreeEntries(strategy, k, d)))
  return entries
}

function findFreeEntries(strategy: CovarianceStrategy, k: number, d: number): CovarianceFreeEntries {
  const size = strategy.storageSize(k, d)
  const patterns: string[] = [], transposed: string[] = []
  for (let s = 0; s < size; s++) {
    const unit = new Float64Array(size)
    unit[s] = 1
    const full = strategy.expandFull(unit, k, d)
    const at: number[] = [], tr: number[] = []
    for (let e = 0; e < full.length; e++) {
      if (full[e] === 0) continue
      const c = Math.floor(e / (d * d)), i = Math.floor((e % (d * d)) / d), j = e % d
      at.push(e)
      tr.push(c * d * d + j * d + i)
    }
    patterns.push(at.join(','))
    transposed.push(tr.sort((a, b) => a - b).join(','))
  }
  const free: number[] = []
  const source = new Int32Array(size)
  for (let s = 0; s < size; s++) {
    const mirror = patterns.indexOf(transposed[s]!)
    if (mirror >= 0 && mirror < s) source[s] = source[mirror]!
    else {
      source[s] = free.length
      free.push(s)
    }
  }
  return { free: Int32Array.from(free), source }
}
