/**
 * The d x d pieces mclust's M-steps share (Celeux and Govaert's decomposition
 * Sigma_k = lambda_k D_k A_k D_k^T): scatter matrices from the statistics, geometric
 * means (det A = 1), the orthogonal factor of a matrix (the MM updates of a common
 * orientation) and Sigma from an orientation and a diagonal.
 */
import { symmetricEigen } from '../../../core/math/dense-general.js'
import { mirrorAndRegularise, scatterAboutMean } from '../covariance.js'

export { INNER_MAX_ITER, INNER_TOL, innerConverged, innerTightened, withInnerTolerance } from './inner-tolerance.js'

/** The largest change between two parameter arrays, relative to the largest magnitude of `next` (0 if both are 0). */
export function relativeChange(before: ArrayLike<number>, next: ArrayLike<number>): number {
  let change = 0, size = 0
  for (let i = 0; i < next.length; i++) {
    change = Math.max(change, Math.abs(next[i]! - before[i]!))
    size = Math.max(size, Math.abs(next[i]!))
  }
  return size > 0 ? change / size : change
}

/** W_k = sum_i z_ik (x_i - mu_k)(x_i - mu_k)^T for every component (k*d*d, exactly symmetric). */
export function scatters(stats: Float64Array, nk: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k * d * d)
  for (let c = 0; c < k; c++) {
    scatterAboutMean(stats, nk, c, k, d, out, c * d * d, 1)
    mirrorAndRegularise(out, c * d * d, d, 0)
  }
  return out
}

/** The diagonals of W_k from the diagonal statistics (k*d). */
export function diagonalScatters(stats: Float64Array, nk: Float64Array, k: number, d: number): Float64Array {
  const out = new Float64Array(k * d)
  for (let c = 0; c < k; c++) {
    const n = stats[c]!
    for (let j = 0; j < d; j++) {
      const s1 = stats[k + c * d + j]!
      const delta = s1 / nk[c]!
      out[c * d + j] = stats[k + k * d + c * d + j]! - 2 * s1 * delta + n * delta * delta
    }
  }
  return out
}

/** The component masses without scikit-learn's 10 eps, and their total (mclust's sumz, n). */
export function masses(stats: Float64Array, k: number): { n: Float64Array; total: number } {
  const n = new Float64Array(k)
  let total = 0
  for (let c = 0; c < k; c++) { n[c] = stats[c]!; total += stats[c]! }
  return { n, total }
}

/** (prod v_j)^(1/d) of v[offset .. offset + d) through logs (no overflow). */
export function geometricMean(v: Float64Array, offset: number, d: number): number {
  let s = 0
  for (let j = 0; j < d; j++) s += Math.log(v[offset + j]!)
  return Math.exp(s / d)
}

/** Scale v[offset .. offset + d) to product 1 in place; returns the factor divided out. */
export function toUnitDeterminant(v: Float64Array, offset: number, d: number): number {
  const g = geometricMean(v, offset, d)
  for (let j = 0; j < d; j++) v[offset + j] = v[offset + j]! / g
  return g
}

/** Eigen-decomposition of the d x d block at `offset`: values decreasing, vectors as columns. */
export function eigenOf(m: Float64Array, offset: number, d: number): { values: Float64Array; vectors: Float64Array } {
  return symmetricEigen(m.subarray(offset, offset + d * d), d)
}

/** log det of the symmetric positive definite block at `offset` (its eigenvalues; -Infinity if singular). */
export function logDet(m: Float64Array, offset: number, d: number): number {
  const { values } = eigenOf(m, offset, d)
  let s = 0
  for (let j = 0; j < d; j++) s += values[j]! > 0 ? Math.log(values[j]!) : -Infinity
  return s
}

/**
 * The orthogonal polar factor of F (d x d): L V^T for the SVD F = L S V^T, the
 * orthogonal matrix nearest F, through the eigen-decomposition of F^T F = V S^2 V^T:
 * L's columns are F v_r / s_r, and where F is singular (the MM matrices are, e.g. at
 * one component: W - omega I) they are completed to an orthonormal basis, as the
 * SVD's are.
 */
export function orthogonalFactor(F: Float64Array, d: number): Float64Array {
  const ftf = new Float64Array(d * d)
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0
    for (let r = 0; r < d; r++) s += F[r * d + i]! * F[r * d + j]!
    ftf[i * d + j] = s
  }
  const { values, vectors: V } = symmetricEigen(ftf, d)
  const top = Math.sqrt(Math.max(values[0]!, 0))
  // L's columns, stored as rows of `cols`
  const cols = new Float64Array(d * d)
  let rank = 0
  for (let r = 0; r < d; r++) {
    const s = Math.sqrt(Math.max(values[r]!, 0))
    if (!(s > 1e-12 * top)) break
    for (let i = 0; i < d; i++) {
      let v = 0
      for (let j = 0; j < d; j++) v += F[i * d + j]! * V[j * d + r]!
      cols[r * d + i] = v / s
    }
    rank++
  }
  // complete with the unit vectors, Gram-Schmidt against the columns so far
  for (let e = 0; rank < d && e < d; e++) {
    const v = new Float64Array(d)
    v[e] = 1
    for (let pass = 0; pass < 2; pass++) {
      for (let r = 0; r < rank; r++) {
        let dot = 0
        for (let i = 0; i < d; i++) dot += cols[r * d + i]! * v[i]!
        for (let i = 0; i < d; i++) v[i] = v[i]! - dot * cols[r * d + i]!
      }
    }
    let norm = 0
    for (let i = 0; i < d; i++) norm += v[i]! * v[i]!
    norm = Math.sqrt(norm)
    if (norm < 1e-8) continue
    for (let i = 0; i < d; i++) cols[rank * d + i] = v[i]! / norm
    rank++
  }
  // L V^T
  const out = new Float64Array(d * d)
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
    let s = 0
    for (let r = 0; r < d; r++) s += cols[r * d + i]! * V[j * d + r]!
    out[i * d + j] = s
  }
  return out
}

/** Sigma = O^T diag(a) O (O's rows are the axes) times `scale`, written at out[offset], plus regCovar on the diagonal. */
export function fromAxes(O: Float64Array, a: Float64Array, aOffset: number, scale: number, d: number, out: Float64Array, offset: number, regCovar: number): void {
  for (let p = 0; p < d; p++) {
    for (let q = 0; q <= p; q++) {
      let s = 0
      for (let j = 0; j < d; j++) s += O[j * d + p]! * a[aOffset + j]! * O[j * d + q]!
      out[offset + p * d + q] = s * scale
    }
  }
  mirrorAndRegularise(out, offset, d, regCovar)
}

/** Sigma = V diag(a) V^T (V's columns are the axes), times `scale`, at out[offset], plus regCovar. */
export function fromColumns(V: Float64Array, a: Float64Array, aOffset: number, scale: number, d: number, out: Float64Array, offset: number, regCovar: number): void {
  for (let p = 0; p < d; p++) {
    for (let q = 0; q <= p; q++) {
      let s = 0
      for (let j = 0; j < d; j++) s += V[p * d + j]! * a[aOffset + j]! * V[q * d + j]!
      out[offset + p * d + q] = s * scale
    }
  }
  mirrorAndRegularise(out, offset, d, regCovar)
}
