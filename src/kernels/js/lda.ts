/**
 * Twin of assembly/lda.ts (which documents the algorithm): the per-document
 * variational E-step of latent Dirichlet allocation over CSR counts, with the same
 * operations in the same order (dot products as two partial sums, even and odd
 * topics, added last; exp and log as the wasm builds compute them).
 */
import { digamma as psiOf } from '../../core/math/special.js'
import type { F64Buffer, I32Buffer, OptionalF64 } from '../types.js'
import { expFlush } from './math.js'

const EPS = 2.220446049250313e-16

function dotPair(et: Float64Array, b: Float64Array, off: number, kp: number): number {
  let s0 = 0, s1 = 0
  for (let k = 0; k < kp; k += 2) {
    s0 = s0 + et[k]! * b[off + k]!
    s1 = s1 + et[k + 1]! * b[off + k + 1]!
  }
  return s0 + s1
}

export function ldaEStep(
  indptr: I32Buffer, indices: I32Buffer, counts: F64Buffer, docBegin: number, docEnd: number,
  k: number, ebT: F64Buffer, alpha: number, maxIter: number, tol: number,
  gamma: F64Buffer, sstats: OptionalF64, wordBound: F64Buffer, fromGamma = false,
): number {
  const kp = (k + 1) & ~1
  const P = indptr.view, W = indices.view, C = counts.view, B = ebT.view
  const G = gamma.view, WB = wordBound.view, S = sstats ? sstats.view : null
  const et = new Float64Array(kp), g = new Float64Array(kp), acc = new Float64Array(kp)
  const e0 = expFlush(psiOf(1) - psiOf(k))
  let total = 0
  for (let d = docBegin; d < docEnd; d++) {
    const p0 = P[d]!, p1 = P[d + 1]!
    if (fromGamma) {
      let sum = 0
      for (let i = 0; i < k; i++) { g[i] = G[d * k + i]!; sum += g[i]! }
      const ps = psiOf(sum)
      for (let i = 0; i < k; i++) et[i] = expFlush(psiOf(g[i]!) - ps)
    } else {
      for (let i = 0; i < k; i++) { g[i] = 1; et[i] = e0 }
    }
    if (kp > k) { g[k] = 0; et[k] = 0 }
    for (let it = 0; it < maxIter; it++) {
      total++
      acc.fill(0)
      for (let j = p0; j < p1; j++) {
        const off = W[j]! * kp
        const c = C[j]! / (dotPair(et, B, off, kp) + EPS)
        for (let i = 0; i < kp; i++) acc[i] = acc[i]! + c * B[off + i]!
      }
      let sum = 0, change = 0
      for (let i = 0; i < k; i++) {
        const next = et[i]! * acc[i]! + alpha
        change += Math.abs(g[i]! - next)
        sum += next
        g[i] = next
      }
      const ps = psiOf(sum)
      for (let i = 0; i < k; i++) et[i] = expFlush(psiOf(g[i]!) - ps)
      if (change / k < tol) break
    }
    let wb = 0
    for (let j = p0; j < p1; j++) {
      const off = W[j]! * kp
      const dot = dotPair(et, B, off, kp)
      const cnt = C[j]!
      if (S) {
        const c = cnt / (dot + EPS)
        for (let i = 0; i < kp; i++) S[off + i] = S[off + i]! + c * et[i]!
      }
      wb += cnt * Math.log(dot)
    }
    WB[d] = wb
    for (let i = 0; i < k; i++) G[d * k + i] = g[i]!
  }
  return total
}
