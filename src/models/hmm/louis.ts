/**
 * Louis's method for an HMM. The complete-data score of a sequence is an additive
 * functional of the hidden path, S = sum_t d_t(z_t-1, z_t) (start or transition term
 * plus the emission's), whose observations are not independent, so its conditional
 * variance has covariances across time steps. One forward pass carries, per state j,
 *   alpha_t(j) = P(z_t = j | x_1..t),
 *   F1_t(j) = E[S_t 1{z_t = j} | x_1..t],  F2_t(j) = E[S_t S_t' 1{z_t = j} | x_1..t],
 *   G_t(j) = E[-H_t 1{z_t = j} | x_1..t]   (S_t, H_t: the sums up to t),
 * updated with the filter's pair weights alpha_t-1(i) A_ij B_j(x_t) / c_t; at the end
 * E[S | x] = sum_j F1_T(j), Var = sum_j F2_T(j) - E[S] E[S]', and the expected
 * complete information sum_j G_T(j). Sequences add. O(T K^2 m^2) per sequence.
 * Coordinates: those of information.ts (fitted parameters only).
 */
import { UnsupportedError } from '../../core/errors.js'
import type { LouisTerms } from '../../engine/types.js'
import type { Component } from '../components/component.js'
import { type ChainBuffers, allLogDensities } from './passes.js'

interface Params<E> { readonly startProb: Float64Array; readonly transMat: Float64Array; readonly emission: E }
interface Data<ED> extends ChainBuffers<ED> { readonly nSeq: number; readonly starts: Int32Array }

/** Score and -Hessian of log p_j (j < K - 1 free; the last is 1 minus the others) at coordinates [at, at + K - 1). */
function simplexTerm(p: Float64Array, off: number, K: number, j: number, at: number, m: number, score: Float64Array, negH: Float64Array): void {
  const v = p[off + j]!
  if (j < K - 1) {
    score[at + j]! += 1 / v
    negH[(at + j) * m + at + j]! += 1 / (v * v)
  } else {
    for (let a = 0; a < K - 1; a++) {
      score[at + a]! -= 1 / v
      for (let e = 0; e < K - 1; e++) negH[(at + a) * m + at + e]! += 1 / (v * v)
    }
  }
}

export function hmmLouis<E, ED>(k: number, fit: { readonly startProb: boolean; readonly transMat: boolean }, emission: Component<E, ED>, data: Data<ED>, params: Params<E>): LouisTerms {
  if (!emission.rowDerivatives || !emission.free) throw new UnsupportedError(`Louis's method needs the ${emission.name} emission's per-observation derivatives; use method 'hessian'.`, { supported: ['hessian'] })
  const ns = fit.startProb ? k - 1 : 0, nt = fit.transMat ? k * (k - 1) : 0
  const me = emission.free.toFree(params.emission).length
  const eo = ns + nt, m = eo + me, mm = m * m
  const row = emission.rowDerivatives(data.emission, params.emission)
  const logB = new Float64Array(data.n * k)
  allLogDensities({ k, emission }, data, params.emission, logB)
  const A = params.transMat, pi = params.startProb
  const complete = new Float64Array(mm), missing = new Float64Array(mm)
  // per-state emission terms at t (in the full coordinates), and the step's d and -H
  const es = new Float64Array(k * me), eh = new Float64Array(k * me * me)
  const d = new Float64Array(m), h = new Float64Array(mm)
  let alpha = new Float64Array(k), F1 = new Float64Array(k * m), F2 = new Float64Array(k * mm), G = new Float64Array(k * mm)
  // the next step's moments: a second set, the two used in turn (k m^2 values each, not allocated per step)
  let nA = new Float64Array(k), nF1 = new Float64Array(k * m), nF2 = new Float64Array(k * mm), nG = new Float64Array(k * mm)
  const B = new Float64Array(k)
  for (let s = 0; s < data.nSeq; s++) {
    const first = data.starts[s]!, end = s + 1 < data.nSeq ? data.starts[s + 1]! : data.n
    for (let t = first; t < end; t++) {
      es.fill(0); eh.fill(0)
      let top = -Infinity
      for (let j = 0; j < k; j++) top = Math.max(top, logB[t * k + j]!)
      for (let j = 0; j < k; j++) {
        B[j] = Math.exp(logB[t * k + j]! - top)
        row(t, j, es.subarray(j * me, (j + 1) * me), eh.subarray(j * me * me, (j + 1) * me * me))
      }
      nA.fill(0); nF1.fill(0); nF2.fill(0); nG.fill(0)
      let c = 0
      // the sources of state j at t: the start (i = -1) at a sequence's first step, else every state
      for (let i = t === first ? -1 : 0, last = t === first ? 0 : k; i < last; i++) {
        for (let j = 0; j < k; j++) {
          const w = (i < 0 ? pi[j]! : A[i * k + j]!) * B[j]!
          if (w === 0) continue
          d.fill(0); h.fill(0)
          if (i < 0) { if (fit.startProb) simplexTerm(pi, 0, k, j, 0, m, d, h) } else if (fit.transMat) simplexTerm(A, i * k, k, j, ns + i * (k - 1), m, d, h)
          for (let a = 0; a < me; a++) {
            d[eo + a]! += es[j * me + a]!
            for (let b = 0; b < me; b++) h[(eo + a) * m + eo + b]! += eh[(j * me + a) * me + b]!
          }
          const ai = i < 0 ? 1 : alpha[i]!
          c += w * ai
          nA[j]! += w * ai
          const f1 = nF1.subarray(j * m, (j + 1) * m), f2 = nF2.subarray(j * mm, (j + 1) * mm), g = nG.subarray(j * mm, (j + 1) * mm)
          const p1 = i < 0 ? null : F1.subarray(i * m, (i + 1) * m)
          for (let a = 0; a < m; a++) {
            f1[a]! += w * ((p1 ? p1[a]! : 0) + ai * d[a]!)
            for (let b = 0; b < m; b++) {
              const prev2 = i < 0 ? 0 : F2[i * mm + a * m + b]! + p1![a]! * d[b]! + d[a]! * p1![b]!
              f2[a * m + b]! += w * (prev2 + ai * d[a]! * d[b]!)
              g[a * m + b]! += w * ((i < 0 ? 0 : G[i * mm + a * m + b]!) + ai * h[a * m + b]!)
            }
          }
        }
      }
      for (let j = 0; j < k; j++) nA[j]! /= c
      for (let e = 0; e < nF1.length; e++) nF1[e]! /= c
      for (let e = 0; e < nF2.length; e++) { nF2[e]! /= c; nG[e]! /= c }
      ;[alpha, nA] = [nA, alpha]; [F1, nF1] = [nF1, F1]; [F2, nF2] = [nF2, F2]; [G, nG] = [nG, G]
    }
    const ES = new Float64Array(m)
    for (let j = 0; j < k; j++) for (let a = 0; a < m; a++) ES[a]! += F1[j * m + a]!
    for (let j = 0; j < k; j++) for (let e = 0; e < mm; e++) { missing[e]! += F2[j * mm + e]!; complete[e]! += G[j * mm + e]! }
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) missing[a * m + b]! -= ES[a]! * ES[b]!
  }
  return { complete, missing }
}
