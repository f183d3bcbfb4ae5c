/**
 * Small dense linear algebra for parameter-side work (d x d and q x q matrices built
 * from sufficient statistics): row-major Float64Arrays. Per-row work never comes
 * here; it goes through the kernels. Factorisations use cholesky.ts, the one TypeScript
 * copy of the kernels' algorithm.
 */
import { choleskyStack, invertLowerStack } from './cholesky.js'

/** Lower Cholesky factor of a symmetric d x d matrix, or null when not positive definite (the kernels' algorithm). */
export function cholesky(a: Float64Array, d: number): Float64Array | null {
  const l = new Float64Array(d * d)
  if (choleskyStack(a.subarray(0, d * d), 1, d, l) >= 0) return null
  for (let i = 0; i < d * d; i++) if (!Number.isFinite(l[i]!)) return null
  return l
}

/** Solve (L L^T) x = b given the lower Cholesky factor L (forward then back substitution). */
export function solveCholesky(l: Float64Array, d: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(d)
  for (let i = 0; i < d; i++) {
    let s = b[i]!
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!
    y[i] = s / l[i * d + i]!
  }
  const x = new Float64Array(d)
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!
    x[i] = s / l[i * d + i]!
  }
  return x
}

/** log det A from its Cholesky factor. */
export function logDetFromCholesky(l: Float64Array, d: number): number {
  let s = 0
  for (let j = 0; j < d; j++) s += 2 * Math.log(l[j * d + j]!)
  return s
}

/** Inverse of a lower-triangular matrix (the kernels' algorithm). */
export function invertLower(l: Float64Array, d: number): Float64Array {
  const x = new Float64Array(d * d)
  invertLowerStack(l.subarray(0, d * d), 1, d, x)
  return x
}
