import type { F64Buffer } from '../types.js'

export function cholesky(a: F64Buffer, count: number, d: number, out: F64Buffer): number {
  const A = a.view
  const L = out.view
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

export function invertLower(l: F64Buffer, count: number, d: number, out: F64Buffer): void {
  const L = l.view
  const X = out.view
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
