/**
 * Hidden Markov model kernels, the pure-TS twin of assembly/hmm.ts: the same
 * operations in the same order per output element (the SIMD build vectorises
 * across output states, never within one element's sum).
 *
 * Sequences are stored back to back (`lengths[s]` rows each, `nSeq` of them);
 * every kernel handles all of them in one call. K = `k` states; `transMat` is
 * row-major, A[i*k + j] = P(s_{t+1} = j | s_t = i).
 */
import type { F64Buffer, I32Buffer } from '../types.js'
import { expFlush } from './math.js'

const LN2 = 0.6931471805599453
/** Normalisers at or above this go into the running product (see hmmForward). */
const PRODUCT_MIN = 1e-300
const bits = new Float64Array(1)
const words = new Int32Array(bits.buffer)

/**
 * Scaled (Rabiner) forward pass. In place, `b` turns from log emission densities
 * into scaled densities b[t,j] = expFlush(logB[t,j] - m_t), m_t = max_j logB[t,j]
 * (first every row's maximum, kept in scale[t], subtracted; then expFlush over the
 * whole block, elementwise). Then alpha[t,j] = b[t,j] * (t at a sequence start ?
 * startProb[j] : sum_i alpha[t-1,i] A[i,j]), c_t = sum_j alpha[t,j] (in j order),
 * alpha[t,j] /= c_t, scale[t] = c_t.
 * Returns sum_t m_t + log(prod_t c_t): the product is kept as a mantissa in [1, 2)
 * times 2^e (rescaling by a power of two is exact), so one log per call rather than
 * one per row; a c_t below 1e-300 is added as log(c_t) instead. A row with c_t = 0
 * (or every logB = -Infinity: an impossible observation) keeps alpha = 0, scale = 1
 * and makes the result -Infinity.
 */
export function hmmForward(
  b: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
  startProb: F64Buffer, transMat: F64Buffer, alpha: F64Buffer, scale: F64Buffer,
): number {
  const B = b.view, L = lengths.view, P = startProb.view, A = transMat.view, AL = alpha.view, C = scale.view
  let n = 0
  for (let s = 0; s < nSeq; s++) n += L[s]!
  for (let t = 0; t < n; t++) {
    const o = t * k
    let m = -Infinity
    for (let j = 0; j < k; j++) if (B[o + j]! > m) m = B[o + j]!
    C[t] = m
    if (m === -Infinity) continue
    for (let j = 0; j < k; j++) B[o + j] = B[o + j]! - m
  }
  for (let p = 0; p < n * k; p++) B[p] = expFlush(B[p]!)
  let total = 0
  let prod = 1
  let expSum = 0
  let t = 0
  for (let s = 0; s < nSeq; s++) {
    const len = L[s]!
    for (let u = 0; u < len; u++, t++) {
      const o = t * k
      const m = C[t]!
      if (m === -Infinity) {
        for (let j = 0; j < k; j++) AL[o + j] = 0
        C[t] = 1
        total += -Infinity
        continue
      }
      if (u === 0) {
        for (let j = 0; j < k; j++) AL[o + j] = B[o + j]! * P[j]!
      } else {
        const po = o - k
        for (let j = 0; j < k; j++) {
          let acc = 0
          for (let i = 0; i < k; i++) acc += AL[po + i]! * A[i * k + j]!
          AL[o + j] = B[o + j]! * acc
        }
      }
      let c = 0
      for (let j = 0; j < k; j++) c += AL[o + j]!
      if (c > 0) {
        for (let j = 0; j < k; j++) AL[o + j] = AL[o + j]! / c
        C[t] = c
        total += m
        if (c >= PRODUCT_MIN) {
          bits[0] = prod * c
          // little-endian: words[1] holds sign, exponent and the top of the mantissa
          const hi = words[1]!
          expSum += ((hi >>> 20) & 0x7ff) - 1023
          words[1] = (hi & 0x800fffff) | 0x3ff00000
          prod = bits[0]!
        } else {
          total += Math.log(c)
        }
      } else {
        C[t] = 1
        total += -Infinity
      }
    }
  }
  return total + (Math.log(prod) + expSum * LN2)
}

/**
 * Scaled backward pass over the scaled densities `b` and normalisers `scale` left by
 * hmmForward: beta[last,i] = 1; beta[t,i] = (sum_j A[i,j] * w_j) / c_{t+1} with
 * w_j = b[t+1,j] * beta[t+1,j] (sum in j order).
 */
export function hmmBackward(
  b: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
  transMat: F64Buffer, scale: F64Buffer, beta: F64Buffer,
): void {
  const B = b.view, L = lengths.view, A = transMat.view, C = scale.view, BE = beta.view
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += L[s]!
    if (end === start) continue
    const last = end - 1
    for (let i = 0; i < k; i++) BE[last * k + i] = 1
    for (let t = last - 1; t >= start; t--) {
      const o = t * k, no = o + k
      const c = C[t + 1]!
      for (let i = 0; i < k; i++) {
        let acc = 0
        for (let j = 0; j < k; j++) acc += A[i * k + j]! * (B[no + j]! * BE[no + j]!)
        BE[o + i] = acc / c
      }
    }
  }
}

/** Posterior state probabilities: p = alpha[t,i] * beta[t,i]; out[t,i] = p / sum_i p (sum in i order). */
export function hmmPosteriors(alpha: F64Buffer, beta: F64Buffer, n: number, k: number, out: F64Buffer): void {
  const AL = alpha.view, BE = beta.view, O = out.view
  for (let t = 0; t < n; t++) {
    const o = t * k
    let s = 0
    for (let i = 0; i < k; i++) {
      const p = AL[o + i]! * BE[o + i]!
      O[o + i] = p
      s += p
    }
    if (s > 0) for (let i = 0; i < k; i++) O[o + i] = O[o + i]! / s
  }
}

/** Transition times per block in hmmTransitionCounts (as assembly/hmm.ts). */
const XI_BLOCK = 64

/**
 * Expected transition counts summed over time, without a T x K x K array:
 *   out[i,j] = A[i,j] * sum_t alpha[t,i] * w[t+1,j],  w[t+1,j] = b[t+1,j] * beta[t+1,j] / c_{t+1},
 * over every t that is not the last row of its sequence. The times are taken in order
 * by blocks of 64: each block's sum (from 0, in time order) is added to out[i,j].
 */
export function hmmTransitionCounts(
  alpha: F64Buffer, beta: F64Buffer, b: F64Buffer, scale: F64Buffer,
  lengths: I32Buffer, nSeq: number, k: number, transMat: F64Buffer, out: F64Buffer,
): void {
  const AL = alpha.view, BE = beta.view, B = b.view, C = scale.view, L = lengths.view, A = transMat.view, O = out.view
  O.fill(0, 0, k * k)
  const W = new Float64Array(XI_BLOCK * k)
  const rows = new Int32Array(XI_BLOCK)
  const flush = (count: number): void => {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let acc = 0
        for (let q = 0; q < count; q++) acc += AL[rows[q]! * k + i]! * W[q * k + j]!
        O[i * k + j] = O[i * k + j]! + acc
      }
    }
  }
  let r = 0
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += L[s]!
    for (let t = start; t + 1 < end; t++) {
      const no = (t + 1) * k
      const c = C[t + 1]!
      for (let j = 0; j < k; j++) W[r * k + j] = B[no + j]! * BE[no + j]! / c
      rows[r] = t
      if (++r === XI_BLOCK) { flush(r); r = 0 }
    }
  }
  if (r > 0) flush(r)
  for (let p = 0; p < k * k; p++) O[p] = A[p]! * O[p]!
}

/** logsumexp of terms v_i (i = 0..k-1) as m + log(sum_i expFlush(v_i - m)); -Infinity if all are. */
function lse(V: Float64Array, o: number, k: number): number {
  let m = -Infinity
  for (let i = 0; i < k; i++) if (V[o + i]! > m) m = V[o + i]!
  if (m === -Infinity) return -Infinity
  let s = 0
  for (let i = 0; i < k; i++) s += expFlush(V[o + i]! - m)
  return m + Math.log(s)
}

/**
 * Forward pass in log space: la[t,j] = logB[t,j] + (start ? logStart[j]
 * : logsumexp_i(la[t-1,i] + logA[i,j])), the logsumexp as m + log(sum_i expFlush(v_i - m))
 * with m = max_i v_i. `work` holds k doubles. Returns the sum over sequences of
 * logsumexp_j la[last,j].
 */
export function hmmForwardLog(
  logB: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
  logStart: F64Buffer, logTrans: F64Buffer, logAlpha: F64Buffer,
): number {
  const LB = logB.view, L = lengths.view, LS = logStart.view, LA = logTrans.view, AL = logAlpha.view
  const v = new Float64Array(k)
  let total = 0
  let t = 0
  for (let s = 0; s < nSeq; s++) {
    const len = L[s]!
    for (let u = 0; u < len; u++, t++) {
      const o = t * k
      if (u === 0) {
        for (let j = 0; j < k; j++) AL[o + j] = LS[j]! + LB[o + j]!
      } else {
        const po = o - k
        for (let j = 0; j < k; j++) {
          for (let i = 0; i < k; i++) v[i] = AL[po + i]! + LA[i * k + j]!
          AL[o + j] = lse(v, 0, k) + LB[o + j]!
        }
      }
    }
    if (len > 0) total += lse(AL, (t - 1) * k, k)
  }
  return total
}

/** Backward pass in log space: lb[last,i] = 0; lb[t,i] = logsumexp_j(logA[i,j] + logB[t+1,j] + lb[t+1,j]). */
export function hmmBackwardLog(
  logB: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
  logTrans: F64Buffer, logBeta: F64Buffer,
): void {
  const LB = logB.view, L = lengths.view, LA = logTrans.view, BE = logBeta.view
  const v = new Float64Array(k)
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += L[s]!
    if (end === start) continue
    for (let i = 0; i < k; i++) BE[(end - 1) * k + i] = 0
    for (let t = end - 2; t >= start; t--) {
      const o = t * k, no = o + k
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) v[j] = LA[i * k + j]! + (LB[no + j]! + BE[no + j]!)
        BE[o + i] = lse(v, 0, k)
      }
    }
  }
}

/** Posteriors from log-space passes: v_i = la + lb; out = expFlush(v_i - m) / sum (m = max_i v_i). */
export function hmmPosteriorsLog(logAlpha: F64Buffer, logBeta: F64Buffer, n: number, k: number, out: F64Buffer): void {
  const AL = logAlpha.view, BE = logBeta.view, O = out.view
  for (let t = 0; t < n; t++) {
    const o = t * k
    let m = -Infinity
    for (let i = 0; i < k; i++) {
      const v = AL[o + i]! + BE[o + i]!
      O[o + i] = v
      if (v > m) m = v
    }
    if (m === -Infinity) { for (let i = 0; i < k; i++) O[o + i] = 0; continue }
    let s = 0
    for (let i = 0; i < k; i++) {
      const e = expFlush(O[o + i]! - m)
      O[o + i] = e
      s += e
    }
    for (let i = 0; i < k; i++) O[o + i] = O[o + i]! / s
  }
}

/**
 * Viterbi in log space: delta[t,j] = max_i (delta[t-1,i] + logA[i,j]) + logB[t,j]
 * (the first i attaining the maximum wins, as numpy's argmax), psi[t,j] = that i;
 * path by backtracking from the first best final state. Returns the sum over
 * sequences of the best joint log-probability. `psi` holds n*k, `path` n.
 */
export function hmmViterbi(
  logB: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
  logStart: F64Buffer, logTrans: F64Buffer, psi: I32Buffer, path: I32Buffer,
): number {
  const LB = logB.view, L = lengths.view, LS = logStart.view, LA = logTrans.view, PSI = psi.view, PATH = path.view
  let prev = new Float64Array(k), cur = new Float64Array(k)
  let total = 0
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += L[s]!
    if (end === start) continue
    for (let j = 0; j < k; j++) { prev[j] = LS[j]! + LB[start * k + j]!; PSI[start * k + j] = 0 }
    for (let t = start + 1; t < end; t++) {
      const o = t * k
      for (let j = 0; j < k; j++) {
        let best = prev[0]! + LA[j]!
        let arg = 0
        for (let i = 1; i < k; i++) {
          const v = prev[i]! + LA[i * k + j]!
          if (v > best) { best = v; arg = i }
        }
        cur[j] = best + LB[o + j]!
        PSI[o + j] = arg
      }
      const tmp = prev; prev = cur; cur = tmp
    }
    let best = prev[0]!, arg = 0
    for (let j = 1; j < k; j++) if (prev[j]! > best) { best = prev[j]!; arg = j }
    total += best
    PATH[end - 1] = arg
    for (let t = end - 1; t > start; t--) PATH[t - 1] = PSI[t * k + PATH[t]!]!
  }
  return total
}

/** out[t*k + c] = logEmission[c*nSymbols + symbols[t]] (symbols checked by the caller). */
export function hmmCategoricalLogB(
  symbols: I32Buffer, n: number, logEmission: F64Buffer, k: number, nSymbols: number, out: F64Buffer,
): void {
  const S = symbols.view, E = logEmission.view, O = out.view
  for (let t = 0; t < n; t++) {
    const sym = S[t]!
    for (let c = 0; c < k; c++) O[t * k + c] = E[c * nSymbols + sym]!
  }
}

/** out[c*nSymbols + s] = sum over t with symbols[t] = s of gamma[t,c], in row order. */
export function hmmCategoricalCounts(
  symbols: I32Buffer, n: number, gamma: F64Buffer, k: number, nSymbols: number, out: F64Buffer,
): void {
  const S = symbols.view, G = gamma.view, O = out.view
  O.fill(0, 0, k * nSymbols)
  for (let t = 0; t < n; t++) {
    const sym = S[t]!
    for (let c = 0; c < k; c++) O[c * nSymbols + sym] = O[c * nSymbols + sym]! + G[t * k + c]!
  }
}
