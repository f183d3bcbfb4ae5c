/**
 * Dense algebra on parameter-sized matrices beyond dense.ts's Cholesky routines:
 * products, transposes, general solves and the symmetric eigen-decomposition. Apart
 * from dense.ts (what every Gaussian fit runs) so that bundles carry these only with
 * the paths that use them (standard errors, mclust's models, init 'hc', quasi-Newton).
 */

/**
 * X = A^-1 B for a general m x m A and B of m rows and `columns` columns (row-major), by
 * Gaussian elimination with partial pivoting; undefined when A is (numerically) singular
 * (a pivot below 1e-14 of A's largest entry) or X is not finite. Every column of B goes
 * through the same operations in the same order as a single right-hand side would.
 */
export function solveGeneral(a: Float64Array, b: Float64Array, m: number, columns = 1): Float64Array | undefined {
  const A = Float64Array.from(a), x = Float64Array.from(b)
  const n = columns
  let scale = 0
  for (let i = 0; i < m * m; i++) scale = Math.max(scale, Math.abs(A[i]!))
  for (let col = 0; col < m; col++) {
    let piv = col
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r * m + col]!) > Math.abs(A[piv * m + col]!)) piv = r
    if (!(Math.abs(A[piv * m + col]!) > 1e-14 * scale)) return undefined
    if (piv !== col) {
      for (let j = 0; j < m; j++) { const t = A[col * m + j]!; A[col * m + j] = A[piv * m + j]!; A[piv * m + j] = t }
      for (let c = 0; c < n; c++) { const t = x[col * n + c]!; x[col * n + c] = x[piv * n + c]!; x[piv * n + c] = t }
    }
    for (let r = col + 1; r < m; r++) {
      const f = A[r * m + col]! / A[col * m + col]!
      for (let j = col; j < m; j++) A[r * m + j] = A[r * m + j]! - f * A[col * m + j]!
      for (let c = 0; c < n; c++) x[r * n + c] = x[r * n + c]! - f * x[col * n + c]!
    }
  }
  for (let c = 0; c < n; c++) {
    for (let r = m - 1; r >= 0; r--) {
      let s = x[r * n + c]!
      for (let j = r + 1; j < m; j++) s -= A[r * m + j]! * x[j * n + c]!
      x[r * n + c] = s / A[r * m + r]!
    }
  }
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i]!)) return undefined
  return x
}

/** C = A (m x k) B (k x n). */
export function matMul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n)
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const v = a[i * k + p]!
      if (v === 0) continue
      for (let j = 0; j < n; j++) c[i * n + j] = c[i * n + j]! + v * b[p * n + j]!
    }
  }
  return c
}

/** A^T (k x m) from A (m x k). */
export function transpose(a: Float64Array, m: number, k: number): Float64Array {
  const t = new Float64Array(m * k)
  for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) t[j * m + i] = a[i * k + j]!
  return t
}

/**
 * Eigen-decomposition of a symmetric d x d matrix by cyclic Jacobi rotations:
 * values in decreasing order, vectors as the columns of a row-major d x d matrix.
 */
export function symmetricEigen(a: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a)
  const V = new Float64Array(d * d)
  for (let i = 0; i < d; i++) V[i * d + i] = 1
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, total = 0
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const v = A[i * d + j]! * A[i * d + j]!
        total += v
        if (i !== j) off += v
      }
    }
    if (off <= 1e-30 * total || off === 0) break
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = A[p * d + q]!
        if (apq === 0) continue
        const app = A[p * d + p]!, aqq = A[q * d + q]!
        const theta = (aqq - app) / (2 * apq)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1), s = t * c
        for (let k = 0; k < d; k++) {
          const akp = A[k * d + p]!, akq = A[k * d + q]!
          A[k * d + p] = c * akp - s * akq
          A[k * d + q] = s * akp + c * akq
        }
        for (let k = 0; k < d; k++) {
          const apk = A[p * d + k]!, aqk = A[q * d + k]!
          A[p * d + k] = c * apk - s * aqk
          A[q * d + k] = s * apk + c * aqk
        }
        for (let k = 0; k < d; k++) {
          const vkp = V[k * d + p]!, vkq = V[k * d + q]!
          V[k * d + p] = c * vkp - s * vkq
          V[k * d + q] = s * vkp + c * vkq
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => A[j * d + j]! - A[i * d + i]!)
  const values = new Float64Array(d)
  const vectors = new Float64Array(d * d)
  order.forEach((src, dst) => {
    values[dst] = A[src * d + src]!
    for (let k = 0; k < d; k++) vectors[k * d + dst] = V[k * d + src]!
  })
  return { values, vectors }
}
