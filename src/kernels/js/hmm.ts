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
 * Scaled (Rabiner) forward pass over a block of rows: `lengths` gives its pieces (runs
 * of one sequence each), `continues` says that the first piece carries on a sequence
 * from the block before, whose last alpha row is `carry` (k values); else every piece
 * starts its sequence. In place, `b` turns from log emission densities
 * into scaled densities b[t,j] = expFlush(logB[t,j] - m_t), m_t = max_j logB[t,j]
 * (first every row's maximum, kept in scale[t], subtracted; then expFlush over the
 * whole block, elementwise). Then alpha[t,j] = b[t,j] * (t at a sequence start ?
 * startProb[j] : sum_i alpha[t-1,i] A[i,j]), c_t = sum_j alpha[t,j] (in j order),
 * alpha[t,j] /= c_t, scale[t] = c_t. The block's last alpha row is then copied into
 * `carry`, for the next block.
 * Returns sum_t m_t + log(prod_t c_t): the product is kept as a mantissa in [1, 2)
 * times 2^e (rescaling by a power of two is exact), so one log per call rather than
 * one per row; a c_t below 1e-300 is added as log(c_t) instead. A row with c_t = 0
 * (or every logB = -Infinity: an impossible observation) keeps alpha = 0, scale = 1
 * and makes the result -Infinity.
 */
export function hmmForward(
  b: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
  startProb: F64Buffer, transMat: F64Buffer, alpha: F64Buffer, scale: F64Buffer, carry: F64Buffer, continues: boolean,
): number {
  const B = b.view, L = lengths.view, P = startProb.view, A = transMat.view, AL = alpha.view, C = scale.view, CA = carry.view
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
      if (u === 0 && !(s === 0 && continues)) {
        for (let j = 0; j < k; j++) AL[o + j] = B[o + j]! * P[j]!
      } else {
        // the previous row: this block's, or the block before's (carry)
        const PR = t === 0 ? CA : AL, po = t === 0 ? 0 : o - k
        for (let j = 0; j < k; j++) {
          let acc = 0
          for (let i = 0; i < k; i++) acc += PR[po + i]! * A[i * k + j]!
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
  if (n > 0) CA.set(AL.subarray((n - 1) * k, n * k))
  return total + (Math.log(prod) + expSum * LN2)
}

/** Transition times per block in hmmSmooth (as assembly/hmm.ts). */
const XI_BLOCK = 64

/**
 * The backward half of forward-backward over a block that hmmForward has just run on
 * (scaled densities `b`, normalisers `scale`, alpha), without an n x k beta: each piece
 * from its last row down. A piece that ends its sequence starts from beta[last,i] = 1;
 * with `continues`, the block's last piece carries on into the next block, whose first
 * row's scaled densities, beta and normaliser are in `tail` = [b (k) | beta (k) | c].
 * For a transition time t (a row with a successor in its sequence):
 *   v_j = b[t+1,j] * beta[t+1,j],  beta[t,i] = (sum_j A[i,j] * v_j) / c_{t+1} (sum in j order),
 *   w[t+1,j] = v_j / c_{t+1}.
 * Writes the posteriors over alpha: p_i = alpha[t,i] * beta[t,i], gamma[t,i] = p_i / sum_i p_i
 * (sum in i order; a zero sum leaves p). And adds the transition counts before their
 * factor A[i,j], with no n x k x k array:
 *   out[i,j] += sum_t alpha[t,i] * w[t+1,j]
 * over the transition times, taken as visited (pieces from the last, each backwards) by
 * blocks of 64: each block's sum (from 0, in that order) is added to out[i,j], and only
 * then are its rows' posteriors written (the counts read alpha). A sequence's last row
 * gets its posterior at once. Finally `tail` becomes the block's first row's [b | beta | c],
 * for the block before.
 */
export function hmmSmooth(
  b: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
  transMat: F64Buffer, scale: F64Buffer, alpha: F64Buffer, out: F64Buffer, tail: F64Buffer, continues: boolean,
): void {
  const B = b.view, L = lengths.view, A = transMat.view, C = scale.view, AL = alpha.view, O = out.view, T = tail.view
  const v = new Float64Array(k)
  const W = new Float64Array(XI_BLOCK * k)
  // the block's betas, then a row that outlives a flush (a sequence's end, or the carried one)
  const betas = new Float64Array((XI_BLOCK + 1) * k)
  const carry = XI_BLOCK * k
  const rows = new Int32Array(XI_BLOCK)
  const posterior = (o: number, BE: Float64Array, bo: number): void => {
    let s = 0
    for (let i = 0; i < k; i++) {
      const p = AL[o + i]! * BE[bo + i]!
      AL[o + i] = p
      s += p
    }
    if (s > 0) for (let i = 0; i < k; i++) AL[o + i] = AL[o + i]! / s
  }
  const flush = (count: number): void => {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        let acc = 0
        for (let q = 0; q < count; q++) acc += AL[rows[q]! * k + i]! * W[q * k + j]!
        O[i * k + j] = O[i * k + j]! + acc
      }
    }
    for (let q = 0; q < count; q++) posterior(rows[q]! * k, betas, q * k)
  }
  let n = 0
  for (let s = 0; s < nSeq; s++) n += L[s]!
  let r = 0
  // pieces from the last: the carried one reads `tail` before the first row's is written there
  let start = n
  for (let s = nSeq - 1; s >= 0; s--) {
    const end = start
    start -= L[s]!
    if (end === start) continue
    const last = end - 1
    const carried = s === nSeq - 1 && continues
    let top = last
    if (carried) {
      betas.set(T.subarray(k, 2 * k), carry)
    } else {
      betas.fill(1, carry, carry + k)
      posterior(last * k, betas, carry)
      if (last === 0) T.set(betas.subarray(carry, carry + k), k)
      top = last - 1
    }
    let next = carry
    for (let t = top; t >= start; t--) {
      const no = (t + 1) * k
      // the next row: this block's, or the next block's (tail)
      const c = t === last ? T[2 * k]! : C[t + 1]!
      const w = r * k
      if (t === last) for (let j = 0; j < k; j++) v[j] = T[j]! * betas[next + j]!
      else for (let j = 0; j < k; j++) v[j] = B[no + j]! * betas[next + j]!
      for (let j = 0; j < k; j++) W[w + j] = v[j]! / c
      for (let i = 0; i < k; i++) {
        let acc = 0
        for (let j = 0; j < k; j++) acc += A[i * k + j]! * v[j]!
        betas[w + i] = acc / c
      }
      rows[r] = t
      next = w
      if (t === 0) T.set(betas.subarray(w, w + k), k)
      if (++r === XI_BLOCK) {
        flush(r)
        betas.copyWithin(carry, w, w + k)
        next = carry
        r = 0
      }
    }
  }
  if (r > 0) flush(r)
  if (n > 0) {
    T.set(B.subarray(0, k), 0)
    T[2 * k] = C[0]!
  }
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
 * Viterbi in log space over a block of rows (`lengths`: its pieces, as hmmForward's):
 * delta[t,j] = max_i (delta[t-1,i] + logA[i,j]) + logB[t,j] (the first i attaining the
 * maximum wins, as numpy's argmax), psi[t,j] = that i; a sequence's first row has
 * delta = logStart + logB and psi = 0. With `continuesIn`, the first piece carries on a
 * sequence whose previous delta row is `carry`; the block's last delta row is copied
 * into `carry` for the next block. A piece that ends its sequence is backtracked from
 * its first best final state, which the result sums (the best joint log-probability).
 * With `continuesOut`, the last piece carries on into the next block: backtracked from
 * `endState` when it is >= 0 (the next block's backtrack found it), else not at all.
 * `psi` holds the block's rows x k, `path` its rows.
 */
export function hmmViterbi(
  logB: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
  logStart: F64Buffer, logTrans: F64Buffer, psi: I32Buffer, path: I32Buffer,
  carry: F64Buffer, continuesIn: boolean, continuesOut: boolean, endState: number,
): number {
  const LB = logB.view, L = lengths.view, LS = logStart.view, LA = logTrans.view, PSI = psi.view, PATH = path.view, CA = carry.view
  let prev = new Float64Array(k), cur = new Float64Array(k)
  let total = 0
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += L[s]!
    if (end === start) continue
    let first = start + 1
    if (s === 0 && continuesIn) {
      prev.set(CA)
      first = start
    } else {
      for (let j = 0; j < k; j++) { prev[j] = LS[j]! + LB[start * k + j]!; PSI[start * k + j] = 0 }
    }
    for (let t = first; t < end; t++) {
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
    if (s === nSeq - 1) CA.set(prev)
    if (s === nSeq - 1 && continuesOut) {
      if (endState < 0) continue
      PATH[end - 1] = endState
    } else {
      let best = prev[0]!, arg = 0
      for (let j = 1; j < k; j++) if (prev[j]! > best) { best = prev[j]!; arg = j }
      total += best
      PATH[end - 1] = arg
    }
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
