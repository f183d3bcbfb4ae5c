/**
 * mclust's default hcUse = 'SVD': the data centred and scaled to unit standard
 * deviation (n - 1), columns that are then not finite (constant ones) dropped, rotated
 * onto the right singular vectors V and divided by the square roots of the singular
 * values: Z = X_s V diag(1 / sqrt(s)). The agglomeration runs on Z. Signs of V do not
 * matter (every criterion is invariant to them).
 */
import { symmetricEigen } from '../../../core/math/dense-general.js'

export interface Scaled { readonly z: Float64Array; readonly n: number; readonly p: number }

export function svdScaled(x: Float64Array, n: number, d: number): Scaled {
  const keep: number[] = []
  const mean = new Float64Array(d)
  const sd = new Float64Array(d)
  for (let j = 0; j < d; j++) {
    let s = 0
    for (let i = 0; i < n; i++) s += x[i * d + j]!
    mean[j] = s / n
    let ss = 0
    for (let i = 0; i < n; i++) { const v = x[i * d + j]! - mean[j]!; ss += v * v }
    sd[j] = Math.sqrt(ss / (n - 1))
    if (sd[j]! > 0 && Number.isFinite(sd[j]!)) keep.push(j)
  }
  const q = keep.length
  const xs = new Float64Array(n * q)
  for (let i = 0; i < n; i++) keep.forEach((j, c) => { xs[i * q + c] = (x[i * d + j]! - mean[j]!) / sd[j]! })
  // X_s^T X_s = V S^2 V^T; at most min(n, q) singular values
  const gram = new Float64Array(q * q)
  for (let i = 0; i < n; i++) for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) gram[a * q + b] += xs[i * q + a]! * xs[i * q + b]!
  const { values, vectors } = symmetricEigen(gram, q)
  const p = Math.min(n, q)
  const z = new Float64Array(n * p)
  for (let c = 0; c < p; c++) {
    const factor = 1 / Math.sqrt(Math.sqrt(Math.max(values[c]!, 0)))
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let a = 0; a < q; a++) s += xs[i * q + a]! * vectors[a * q + c]!
      z[i * p + c] = s * factor
    }
  }
  return { z, n, p }
}
