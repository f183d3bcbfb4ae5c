/**
 * Cholesky factorisation and lower-triangular inversion of `count` stacked d x d
 * matrices, row-major. The one TypeScript copy of assembly/linalg.ts: the JS kernel
 * backend and the parameter-side dense helpers (dense.ts) both call it.
 */

export function choleskyStack(A: Float64Array, count: number, d: number, L: Float64Array): number {
  const dd = d * d
  for (let m = 0; m < count; m++) {
    const o = m * dd
    for (let j = 0; j < d; j++) {
      let s = A[o + j * d + j]!
      for (let l = 0; l < j; l++) {
        const v = L[o + j * d + l]!
        s -= v * v
      }
      if (!(s > 0)) return m
      const diag = Math.sqrt(s)
      L[o + j * d + j] = diag
      for (let i = j + 1; i < d; i++) {
        let t = A[o + i * d + j]!
        for (let l = 0; l < j; l++) t -= L[o + i * d + l]! * L[o + j * d + l]!
        L[o + i * d + j] = t / diag
      }
      for (let l = j + 1; l < d; l++) L[o + j * d + l] = 0
    }
  }
  return -1
}

export function invertLowerStack(L: Float64Array, count: number, d: number, X: Float64Array): void {
  const dd = d * d
  for (let m = 0; m < count; m++) {
    const o = m * dd
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < j; i++) X[o + i * d + j] = 0
      X[o + j * d + j] = 1 / L[o + j * d + j]!
      for (let i = j + 1; i < d; i++) {
        let s = 0
        for (let q = j; q < i; q++) s += L[o + i * d + q]! * X[o + q * d + j]!
        X[o + i * d + j] = -s / L[o + i * d + i]!
      }
    }
  }
}
