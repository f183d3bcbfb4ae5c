/**
 * The merge criteria of mclust's model-based hierarchical agglomeration (Banfield and
 * Raftery; Fraley 1998), a strategy table by model name. A cluster keeps its size,
 * sqrt(size) x its mean (mclust's representation: merging two is a weighted sum), the
 * trace of its scatter, its scatter W (VVV) and its term in the classification
 * log-likelihood; merging i and j costs term(i u j) - term(i) - term(j).
 */
import { choleskyStack } from '../../../core/math/cholesky.js'
import { logDetFromCholesky } from '../../../core/math/dense.js'

export interface Cluster {
  readonly size: number
  /** sqrt(size) * mean. */
  readonly scaledMean: Float64Array
  /** tr W, accumulated as mclust does: tr_i + tr_j + |v|^2. */
  readonly trace: number
  /** W (p x p), kept by the criteria that need it. */
  readonly scatter: Float64Array | null
  readonly term: number
}

export interface HcCriterion {
  /** The model the merges maximise the classification likelihood of. */
  readonly model: HcModel
  singleton(row: Float64Array): Cluster
  /**
   * The cost of merging `base` (the newer cluster, whose factor mclust updates) with
   * `other`, and the merged cluster. `v` = sqrt(n_b n_o / n) (mu_o - mu_b) as mclust
   * forms it.
   */
  merge(base: Cluster, other: Cluster, v: Float64Array): { cost: number; merged: Cluster }
  /** merge()'s cost alone, allocating nothing (the O(n^2) pair costs). */
  cost(base: Cluster, other: Cluster, v: Float64Array): number
}

export type HcModel = 'VVV' | 'EII'

export interface HcSettings {
  readonly p: number
  /** mclust's alpha: traceW(Z / sqrt(n p)) (at least eps); beta = 1. */
  readonly alpha: number
  readonly beta: number
}

/** sqrt(n) mu of the union: sqrt(n_b / n) x_b + sqrt(n_o / n) x_o, the weights formed as mclust's (sqrt(n_b * (1 / n))). */
function mergedMean(b: Cluster, o: Cluster, size: number): Float64Array {
  const q = 1 / size
  const sb = Math.sqrt(b.size * q), so = Math.sqrt(o.size * q)
  return b.scaledMean.map((x, j) => sb * x + so * o.scaledMean[j]!)
}

function squaredNorm(v: Float64Array): number {
  let s = 0
  for (let j = 0; j < v.length; j++) s += v[j]! * v[j]!
  return s
}

/** log det of the symmetric p x p matrix m (the one Cholesky, into `work`), -Infinity when it is singular. */
function logDetOrMinusInfinity(m: Float64Array, p: number, work: Float64Array): number {
  if (choleskyStack(m.subarray(0, p * p), 1, p, work) >= 0) return -Infinity
  const s = logDetFromCholesky(work, p)
  return Number.isFinite(s) ? s : -Infinity
}

/**
 * VVV's term of a cluster of l points (mclust's vvvtij): l log(beta (tr W + alpha) / l)
 * while l <= p (W singular), else l log(det(W / l) + beta (tr W + alpha) / l), the
 * determinant regularised by the trace so that small clusters stay finite.
 */
function vvvTerm(l: number, scatter: Float64Array, trace: number, s: HcSettings, work: Float64Array): number {
  const { p, alpha, beta } = s
  let f: number
  if (l <= p) f = Math.log((beta * (trace + alpha)) / l)
  else if (trace === 0) f = Math.log((alpha * beta) / l)
  else {
    const logDet = logDetOrMinusInfinity(scatter, p, work) - p * Math.log(l)
    const ridge = (beta * (trace + alpha)) / l
    if (logDet === -Infinity) f = Math.log(ridge)
    else if (logDet <= 0) f = Math.log(Math.exp(logDet) + ridge)
    else f = Math.log(1 + Math.exp(-logDet) * ridge) + logDet
  }
  return l * f
}

function vvv(s: HcSettings): HcCriterion {
  const { p } = s
  const single = Math.log(s.beta * s.alpha)
  const scratch = new Float64Array(p * p)
  const factor = new Float64Array(p * p)
  return {
    cost(b, o, v) {
      const size = b.size + o.size
      const trace = (b.trace + o.trace) + squaredNorm(v)
      // W is needed only past p points (below, the term is the trace's)
      if (size > p && trace !== 0) {
        for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) scratch[a * p + c] = b.scatter![a * p + c]! + o.scatter![a * p + c]! + v[a]! * v[c]!
      }
      return vvvTerm(size, scratch, trace, s, factor) - (b.term + o.term)
    },
    model: 'VVV',
    singleton: (row) => ({ size: 1, scaledMean: Float64Array.from(row), trace: 0, scatter: new Float64Array(p * p), term: single }),
    merge(b, o, v) {
      const size = b.size + o.size
      const trace = (b.trace + o.trace) + squaredNorm(v)
      const scatter = new Float64Array(p * p)
      for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) scatter[a * p + c] = b.scatter![a * p + c]! + o.scatter![a * p + c]! + v[a]! * v[c]!
      const term = vvvTerm(size, scatter, trace, s, factor)
      return { cost: term - (b.term + o.term), merged: { size, scaledMean: mergedMean(b, o, size), trace, scatter, term } }
    },
  }
}

/** EII: Ward's criterion, the increase of the within-cluster sum of squares n_b n_o / n |mu_b - mu_o|^2. */
function eii(): HcCriterion {
  return {
    model: 'EII',
    singleton: (row) => ({ size: 1, scaledMean: Float64Array.from(row), trace: 0, scatter: null, term: 0 }),
    cost: (_b, _o, v) => squaredNorm(v),
    merge(b, o, v) {
      const size = b.size + o.size
      const cost = squaredNorm(v)
      return { cost, merged: { size, scaledMean: mergedMean(b, o, size), trace: b.trace + o.trace + cost, scatter: null, term: 0 } }
    },
  }
}

export const HC_CRITERIA: Readonly<Record<HcModel, (s: HcSettings) => HcCriterion>> = { VVV: vvv, EII: eii }
