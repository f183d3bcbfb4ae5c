/**
 * Hidden Markov model kernels (exported), with the same operations in the same order
 * per output element as src/kernels/js/hmm.ts (which documents each kernel). The
 * scaled passes, the transition counts, the posteriors and Viterbi use f64x2 across
 * output states in the SIMD build (hmm_simd.ts); the log-space passes, the
 * categorical gathers and the Poisson densities are scalar in both builds.
 *
 * Sequences lie back to back: lengths (i32, nSeq entries). Kernels never allocate:
 * `scratch` holds at least scratchHmmBytes(k) bytes.
 */
import { at, ld, st } from './common'
import { expFlush, expFlush2InPlace, logF } from './math'
import {
  subRowSimd, expBlockSimd, forwardRowSimd, divRowSimd, backwardRowSimd, xiRowSimd, mulRowSimd, viterbiRowSimd,
} from './hmm_simd'

/** Transition times per block of hmmSmooth (its counts, then its posteriors). */
// @ts-ignore: decorator
@inline const XI_BLOCK: i32 = 64

/**
 * Bytes of scratch the HMM kernels need: hmmSmooth's A transposed (k*k), two rows of k,
 * and its block (XI_BLOCK rows of w and of beta, XI_BLOCK i32 row indices); the others
 * need at most two rows of k.
 */
export function scratchHmmBytes(k: i32): i32 {
  return (k * k + 2 * k + 2 * XI_BLOCK * k + XI_BLOCK / 2) * 8 + 16
}

// @ts-ignore: decorator
@inline function len(lengths: usize, s: i32): i32 {
  return load<i32>(lengths + (<usize>s << 2))
}

/** ln 2 (the exponent part of the running product of normalisers). */
// @ts-ignore: decorator
@inline const LN2: f64 = 0.6931471805599453
/** Normalisers at or above this go into the running product (exact scaling keeps it normal). */
// @ts-ignore: decorator
@inline const PRODUCT_MIN: f64 = 1e-300

/** Rows per block of the forward pass (the block's scaled densities stay in cache). */
// @ts-ignore: decorator
@inline const FORWARD_BLOCK: i32 = 256

/** Rows t0..t1 of b: m_t = row maximum into scale[t], then expFlush(logB - m_t) in place. */
function scaleRows(b: usize, t0: i32, t1: i32, k: i32, scale: usize): void {
  for (let t = t0; t < t1; t++) {
    const B = at(b, t * k)
    let m = -Infinity
    for (let j = 0; j < k; j++) if (ld(B, j) > m) m = ld(B, j)
    st(scale, t, m)
    if (m == -Infinity) continue
    let j = ASC_FEATURE_SIMD ? subRowSimd(B, k, m) : 0
    for (; j < k; j++) st(B, j, ld(B, j) - m)
  }
  if (ASC_FEATURE_SIMD) expBlockSimd(at(b, t0 * k), (t1 - t0) * k)
  else {
    const end = at(b, t1 * k)
    let p = at(b, t0 * k)
    for (; p + 16 <= end; p += 16) expFlush2InPlace(p)
    for (; p < end; p += 8) store<f64>(p, expFlush(load<f64>(p)))
  }
}

/**
 * Scaled forward pass over a block of rows, continuing from `carry` when `continues`
 * (see src/kernels/js/hmm.ts). Three steps: row maxima m_t into
 * `scale` with logB - m_t in place (-Infinity rows stay -Infinity); expFlush over the
 * whole block (four v128 interleaved in the SIMD build, two scalars interleaved in
 * the scalar one: the same values as expFlush); then the recursion. log-likelihood =
 * sum_t m_t + log of the product of the c_t (done by blocks of rows), the product kept as mantissa in [1, 2)
 * times 2^e (exact power-of-two rescaling), so one log per call instead of per row.
 */
export function hmmForward(
  b: usize, lengths: usize, nSeq: i32, k: i32, startProb: usize, transMat: usize, alpha: usize, scale: usize,
  carry: usize, continues: i32,
): f64 {
  let n = 0
  for (let s = 0; s < nSeq; s++) n += len(lengths, s)
  let total: f64 = 0
  let prod: f64 = 1
  let expSum: i64 = 0
  let s = 0
  let seqEnd = 0
  for (let t0 = 0; t0 < n; t0 += FORWARD_BLOCK) {
    const t1 = min(n, t0 + FORWARD_BLOCK)
    scaleRows(b, t0, t1, k, scale)
    for (let t = t0; t < t1; t++) {
      let first = false
      while (t == seqEnd) { seqEnd += len(lengths, s++); first = !(s == 1 && continues != 0) }
      const B = at(b, t * k)
      const AL = at(alpha, t * k)
      const m = ld(scale, t)
      if (m == -Infinity) {
        for (let j = 0; j < k; j++) st(AL, j, 0)
        st(scale, t, 1)
        total += -Infinity
        continue
      }
      let j = 0
      if (first) {
        for (j = 0; j < k; j++) st(AL, j, ld(B, j) * ld(startProb, j))
      } else {
        const prev = t == 0 ? carry : at(alpha, (t - 1) * k)
        j = ASC_FEATURE_SIMD ? forwardRowSimd(prev, transMat, B, AL, k) : 0
        for (; j < k; j++) {
          let acc: f64 = 0
          for (let i = 0; i < k; i++) acc += ld(prev, i) * ld(transMat, i * k + j)
          st(AL, j, ld(B, j) * acc)
        }
      }
      let c: f64 = 0
      for (j = 0; j < k; j++) c += ld(AL, j)
      if (c > 0) {
        j = ASC_FEATURE_SIMD ? divRowSimd(AL, k, c) : 0
        for (; j < k; j++) st(AL, j, ld(AL, j) / c)
        st(scale, t, c)
        total += m
        if (c >= PRODUCT_MIN) {
          const bits = reinterpret<i64>(prod * c)
          expSum += ((bits >> 52) & 0x7ff) - 1023
          prod = reinterpret<f64>((bits & 0x800fffffffffffff) | 0x3ff0000000000000)
        } else {
          total += logF(c)
        }
      } else {
        st(scale, t, 1)
        total += -Infinity
      }
    }
  }
  if (n > 0) memory.copy(carry, at(alpha, (n - 1) * k), <usize>k << 3)
  return total + (logF(prod) + <f64>expSum * LN2)
}

/**
 * The backward half of forward-backward over a block, with no n x k beta (see
 * src/kernels/js/hmm.ts): pieces from the last, each from its last row down, beta_{t+1} kept in scratch;
 * with `continues`, the last piece starts from the next block's first row in `tail` =
 * [b (k) | beta (k) | c]. For a transition time t: v_j = b[t+1,j] * beta[t+1,j] (one
 * row), w_j = v_j / c_{t+1} into the block's W row, beta[t,i] = (sum_j A[i,j] * v_j) /
 * c_{t+1} into the block's beta row. A full block (XI_BLOCK times, in the order visited)
 * first adds its transition counts out[i,j] += sum_q alpha[t_q,i] * W[q,j] (xiBlock),
 * then writes the posteriors of its rows over alpha (they read alpha_t, which the
 * posteriors then replace); a sequence's last row (beta = 1) gets its posterior at once.
 * The counts are left without their factor A[i,j]. Finally `tail` = the block's first
 * row's [b | beta | c].
 */
export function hmmSmooth(
  b: usize, lengths: usize, nSeq: i32, k: i32, transMat: usize, scale: usize, alpha: usize, out: usize,
  tail: usize, continues: i32, scratch: usize,
): void {
  const At = scratch
  const v = at(At, k * k)
  const carry = at(v, k)
  const W = at(carry, k)
  const betas = at(W, XI_BLOCK * k)
  const rows = at(betas, XI_BLOCK * k)
  const tailBeta = at(tail, k)
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) st(At, j * k + i, ld(transMat, i * k + j))
  }
  let n = 0
  for (let s = 0; s < nSeq; s++) n += len(lengths, s)
  let r = 0
  // pieces from the last: the carried one reads `tail` before the first row's is written there
  let start = n
  for (let s = nSeq - 1; s >= 0; s--) {
    const end = start
    start -= len(lengths, s)
    if (end == start) continue
    const last = end - 1
    let top = last
    if (s == nSeq - 1 && continues != 0) {
      memory.copy(carry, tailBeta, <usize>k << 3)
    } else {
      for (let i = 0; i < k; i++) st(carry, i, 1)
      posteriorRow(at(alpha, last * k), carry, k)
      if (last == 0) memory.copy(tailBeta, carry, <usize>k << 3)
      top = last - 1
    }
    let next = carry
    for (let t = top; t >= start; t--) {
      // the next row: this block's, or the next block's (tail)
      const nB = t == last ? tail : at(b, (t + 1) * k)
      const c = t == last ? ld(tail, 2 * k) : ld(scale, t + 1)
      const w = at(W, r * k)
      const BE = at(betas, r * k)
      for (let j = 0; j < k; j++) st(v, j, ld(nB, j) * ld(next, j))
      for (let j = 0; j < k; j++) st(w, j, ld(v, j) / c)
      let i = ASC_FEATURE_SIMD ? backwardRowSimd(At, v, BE, k, c) : 0
      for (; i < k; i++) {
        let acc: f64 = 0
        for (let j = 0; j < k; j++) acc += ld(transMat, i * k + j) * ld(v, j)
        st(BE, i, acc / c)
      }
      store<i32>(rows + (<usize>r << 2), t)
      next = BE
      if (t == 0) memory.copy(tailBeta, BE, <usize>k << 3)
      if (++r == XI_BLOCK) {
        smoothBlock(alpha, W, betas, rows, r, k, out)
        memory.copy(carry, BE, <usize>k << 3)
        next = carry
        r = 0
      }
    }
  }
  if (r > 0) smoothBlock(alpha, W, betas, rows, r, k, out)
  if (n > 0) {
    memory.copy(tail, b, <usize>k << 3)
    st(tail, 2 * k, ld(scale, 0))
  }
}

/** A block of transition times: their counts into out (xiBlock), then their posteriors over alpha. */
function smoothBlock(alpha: usize, W: usize, betas: usize, rows: usize, count: i32, k: i32, out: usize): void {
  xiBlock(alpha, W, rows, count, k, out)
  for (let q = 0; q < count; q++) posteriorRow(at(alpha, load<i32>(rows + (<usize>q << 2)) * k), at(betas, q * k), k)
}

/** out[i,j] += sum_{q < count} alpha[rows[q], i] * W[q,j] (the block's sum from 0, in q order). */
function xiBlock(alpha: usize, W: usize, rows: usize, count: i32, k: i32, out: usize): void {
  for (let i = 0; i < k; i++) {
    const O = at(out, i * k)
    let j = ASC_FEATURE_SIMD ? xiRowSimd(alpha, W, rows, count, k, i, O) : 0
    for (; j < k; j++) {
      let acc: f64 = 0
      for (let q = 0; q < count; q++) acc += ld(alpha, load<i32>(rows + (<usize>q << 2)) * k + i) * ld(W, q * k + j)
      st(O, j, ld(O, j) + acc)
    }
  }
}

/** A[i] = p_i / sum_i p_i with p_i = A[i] * B[i] (sum in i order; a zero sum leaves p). */
function posteriorRow(A: usize, B: usize, k: i32): void {
  let i = ASC_FEATURE_SIMD ? mulRowSimd(A, B, A, k) : 0
  for (; i < k; i++) st(A, i, ld(A, i) * ld(B, i))
  let s: f64 = 0
  for (i = 0; i < k; i++) s += ld(A, i)
  if (s > 0) {
    i = ASC_FEATURE_SIMD ? divRowSimd(A, k, s) : 0
    for (; i < k; i++) st(A, i, ld(A, i) / s)
  }
}

/** m + log(sum_i expFlush(v_i - m)), m = max_i v_i; -Infinity when every v_i is. */
function lse(v: usize, k: i32): f64 {
  let m = -Infinity
  for (let i = 0; i < k; i++) if (ld(v, i) > m) m = ld(v, i)
  if (m == -Infinity) return -Infinity
  let s: f64 = 0
  for (let i = 0; i < k; i++) s += expFlush(ld(v, i) - m)
  return m + logF(s)
}

export function hmmForwardLog(
  logB: usize, lengths: usize, nSeq: i32, k: i32, logStart: usize, logTrans: usize, logAlpha: usize, scratch: usize,
): f64 {
  const v = scratch
  let total: f64 = 0
  let t = 0
  for (let s = 0; s < nSeq; s++) {
    const n = len(lengths, s)
    for (let u = 0; u < n; u++, t++) {
      const o = t * k
      if (u == 0) {
        for (let j = 0; j < k; j++) st(logAlpha, o + j, ld(logStart, j) + ld(logB, o + j))
      } else {
        const po = o - k
        for (let j = 0; j < k; j++) {
          for (let i = 0; i < k; i++) st(v, i, ld(logAlpha, po + i) + ld(logTrans, i * k + j))
          st(logAlpha, o + j, lse(v, k) + ld(logB, o + j))
        }
      }
    }
    if (n > 0) total += lse(at(logAlpha, (t - 1) * k), k)
  }
  return total
}

export function hmmBackwardLog(
  logB: usize, lengths: usize, nSeq: i32, k: i32, logTrans: usize, logBeta: usize, scratch: usize,
): void {
  const v = scratch
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += len(lengths, s)
    if (end == start) continue
    for (let i = 0; i < k; i++) st(logBeta, (end - 1) * k + i, 0)
    for (let t = end - 2; t >= start; t--) {
      const o = t * k, no = o + k
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) st(v, j, ld(logTrans, i * k + j) + (ld(logB, no + j) + ld(logBeta, no + j)))
        st(logBeta, o + i, lse(v, k))
      }
    }
  }
}

export function hmmPosteriorsLog(logAlpha: usize, logBeta: usize, n: i32, k: i32, out: usize): void {
  for (let t = 0; t < n; t++) {
    const o = t * k
    let m = -Infinity
    for (let i = 0; i < k; i++) {
      const v = ld(logAlpha, o + i) + ld(logBeta, o + i)
      st(out, o + i, v)
      if (v > m) m = v
    }
    if (m == -Infinity) { for (let i = 0; i < k; i++) st(out, o + i, 0); continue }
    let s: f64 = 0
    for (let i = 0; i < k; i++) {
      const e = expFlush(ld(out, o + i) - m)
      st(out, o + i, e)
      s += e
    }
    for (let i = 0; i < k; i++) st(out, o + i, ld(out, o + i) / s)
  }
}

/** Viterbi over a block of rows, continuing from `carry` and into the next block (see src/kernels/js/hmm.ts). */
export function hmmViterbi(
  logB: usize, lengths: usize, nSeq: i32, k: i32, logStart: usize, logTrans: usize,
  psi: usize, path: usize, carry: usize, continuesIn: i32, continuesOut: i32, endState: i32, scratch: usize,
): f64 {
  let prev = scratch
  let cur = at(scratch, k)
  let total: f64 = 0
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += len(lengths, s)
    if (end == start) continue
    let first = start + 1
    if (s == 0 && continuesIn != 0) {
      memory.copy(prev, carry, <usize>k << 3)
      first = start
    } else {
      for (let j = 0; j < k; j++) {
        st(prev, j, ld(logStart, j) + ld(logB, start * k + j))
        store<i32>(psi + (<usize>(start * k + j) << 2), 0)
      }
    }
    for (let t = first; t < end; t++) {
      const o = t * k
      const P = psi + (<usize>o << 2)
      const LB = at(logB, o)
      let j = ASC_FEATURE_SIMD ? viterbiRowSimd(prev, logTrans, LB, cur, P, k) : 0
      for (; j < k; j++) {
        let best = ld(prev, 0) + ld(logTrans, j)
        let arg = 0
        for (let i = 1; i < k; i++) {
          const v = ld(prev, i) + ld(logTrans, i * k + j)
          if (v > best) { best = v; arg = i }
        }
        st(cur, j, best + ld(LB, j))
        store<i32>(P + (<usize>j << 2), arg)
      }
      const tmp = prev; prev = cur; cur = tmp
    }
    if (s == nSeq - 1) memory.copy(carry, prev, <usize>k << 3)
    if (s == nSeq - 1 && continuesOut != 0) {
      if (endState < 0) continue
      store<i32>(path + (<usize>(end - 1) << 2), endState)
    } else {
      let best = ld(prev, 0), arg = 0
      for (let j = 1; j < k; j++) if (ld(prev, j) > best) { best = ld(prev, j); arg = j }
      total += best
      store<i32>(path + (<usize>(end - 1) << 2), arg)
    }
    for (let t = end - 1; t > start; t--) {
      const next = load<i32>(path + (<usize>t << 2))
      store<i32>(path + (<usize>(t - 1) << 2), load<i32>(psi + (<usize>(t * k + next) << 2)))
    }
  }
  return total
}

export function hmmCategoricalLogB(symbols: usize, n: i32, logEmission: usize, k: i32, nSymbols: i32, out: usize): void {
  for (let t = 0; t < n; t++) {
    const sym = load<i32>(symbols + (<usize>t << 2))
    for (let c = 0; c < k; c++) st(out, t * k + c, ld(logEmission, c * nSymbols + sym))
  }
}

export function hmmCategoricalCounts(symbols: usize, n: i32, gamma: usize, k: i32, nSymbols: i32, out: usize): void {
  memory.fill(out, 0, <usize>(k * nSymbols) << 3)
  for (let t = 0; t < n; t++) {
    const sym = load<i32>(symbols + (<usize>t << 2))
    for (let c = 0; c < k; c++) {
      const p = c * nSymbols + sym
      st(out, p, ld(out, p) + ld(gamma, t * k + c))
    }
  }
}

/** out[i*k + c] = (y[i] * logRates[c] - rates[c]) - logFactorial[i] (as src/kernels/js/mixture.ts). */
export function logDensityPoisson(y: usize, n: i32, rates: usize, logRates: usize, k: i32, logFactorial: usize, out: usize): void {
  for (let i = 0; i < n; i++) {
    const yi = ld(y, i)
    const lf = ld(logFactorial, i)
    for (let c = 0; c < k; c++) st(out, i * k + c, (yi * ld(logRates, c) - ld(rates, c)) - lf)
  }
}
