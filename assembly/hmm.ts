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

/** Rows per block of the transition counts (hmmTransitionCounts). */
// @ts-ignore: decorator
@inline const XI_BLOCK: i32 = 64

/**
 * Bytes of scratch the HMM kernels need: A transposed (k*k) and four rows of k; the
 * transition counts' block (XI_BLOCK rows of k, and XI_BLOCK i32 row indices).
 */
export function scratchHmmBytes(k: i32): i32 {
  return max(k * k + 4 * k, XI_BLOCK * k + XI_BLOCK / 2) * 8 + 16
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
 * Scaled forward pass (see src/kernels/js/hmm.ts). Three steps: row maxima m_t into
 * `scale` with logB - m_t in place (-Infinity rows stay -Infinity); expFlush over the
 * whole block (four v128 interleaved in the SIMD build, two scalars interleaved in
 * the scalar one: the same values as expFlush); then the recursion. log-likelihood =
 * sum_t m_t + log of the product of the c_t (done by blocks of rows), the product kept as mantissa in [1, 2)
 * times 2^e (exact power-of-two rescaling), so one log per call instead of per row.
 */
export function hmmForward(
  b: usize, lengths: usize, nSeq: i32, k: i32, startProb: usize, transMat: usize, alpha: usize, scale: usize,
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
      while (t == seqEnd) { seqEnd += len(lengths, s++); first = true }
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
        const prev = at(alpha, (t - 1) * k)
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
  return total + (logF(prod) + <f64>expSum * LN2)
}

export function hmmBackward(
  b: usize, lengths: usize, nSeq: i32, k: i32, transMat: usize, scale: usize, beta: usize, scratch: usize,
): void {
  const At = scratch
  const w = at(scratch, k * k)
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) st(At, j * k + i, ld(transMat, i * k + j))
  }
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += len(lengths, s)
    if (end == start) continue
    const last = end - 1
    for (let i = 0; i < k; i++) st(beta, last * k + i, 1)
    for (let t = last - 1; t >= start; t--) {
      const BE = at(beta, t * k)
      const nB = at(b, (t + 1) * k)
      const nBE = at(beta, (t + 1) * k)
      const c = ld(scale, t + 1)
      if (ASC_FEATURE_SIMD) {
        for (let j = 0; j < k; j++) st(w, j, ld(nB, j) * ld(nBE, j))
        let i = backwardRowSimd(At, w, BE, k, c)
        for (; i < k; i++) {
          let acc: f64 = 0
          for (let j = 0; j < k; j++) acc += ld(transMat, i * k + j) * ld(w, j)
          st(BE, i, acc / c)
        }
      } else {
        for (let i = 0; i < k; i++) {
          let acc: f64 = 0
          for (let j = 0; j < k; j++) acc += ld(transMat, i * k + j) * (ld(nB, j) * ld(nBE, j))
          st(BE, i, acc / c)
        }
      }
    }
  }
}

export function hmmPosteriors(alpha: usize, beta: usize, n: i32, k: i32, out: usize): void {
  for (let t = 0; t < n; t++) {
    const O = at(out, t * k)
    const A = at(alpha, t * k)
    const B = at(beta, t * k)
    let i = ASC_FEATURE_SIMD ? mulRowSimd(A, B, O, k) : 0
    for (; i < k; i++) st(O, i, ld(A, i) * ld(B, i))
    let s: f64 = 0
    for (i = 0; i < k; i++) s += ld(O, i)
    if (s > 0) {
      i = ASC_FEATURE_SIMD ? divRowSimd(O, k, s) : 0
      for (; i < k; i++) st(O, i, ld(O, i) / s)
    }
  }
}

/**
 * Expected transition counts (see src/kernels/js/hmm.ts): the transition times t
 * (rows that are not the last of their sequence) are taken in order by blocks of
 * XI_BLOCK; for each block, w[q,j] = b[t+1,j] * beta[t+1,j] / c_{t+1} goes to scratch,
 * then out[i,j] += sum_q alpha[t_q,i] * w[q,j] (the block's sum from 0, in q order,
 * in a register: four f64x2 pairs of j at a time in the SIMD build). Finally
 * out[i,j] = A[i,j] * out[i,j].
 */
export function hmmTransitionCounts(
  alpha: usize, beta: usize, b: usize, scale: usize, lengths: usize, nSeq: i32, k: i32,
  transMat: usize, out: usize, scratch: usize,
): void {
  memory.fill(out, 0, <usize>(k * k) << 3)
  const W = scratch
  const rows = at(scratch, XI_BLOCK * k)
  let r = 0
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += len(lengths, s)
    for (let t = start; t + 1 < end; t++) {
      const nB = at(b, (t + 1) * k)
      const nBE = at(beta, (t + 1) * k)
      const c = ld(scale, t + 1)
      const w = at(W, r * k)
      for (let j = 0; j < k; j++) st(w, j, ld(nB, j) * ld(nBE, j) / c)
      store<i32>(rows + (<usize>r << 2), t)
      if (++r == XI_BLOCK) {
        xiBlock(alpha, W, rows, r, k, out)
        r = 0
      }
    }
  }
  if (r > 0) xiBlock(alpha, W, rows, r, k, out)
  for (let p = 0; p < k * k; p++) st(out, p, ld(transMat, p) * ld(out, p))
}

/** out[i,j] += sum_{q < count} alpha[rows[q], i] * W[q,j]. */
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

export function hmmViterbi(
  logB: usize, lengths: usize, nSeq: i32, k: i32, logStart: usize, logTrans: usize,
  psi: usize, path: usize, scratch: usize,
): f64 {
  let prev = scratch
  let cur = at(scratch, k)
  let total: f64 = 0
  let end = 0
  for (let s = 0; s < nSeq; s++) {
    const start = end
    end += len(lengths, s)
    if (end == start) continue
    for (let j = 0; j < k; j++) {
      st(prev, j, ld(logStart, j) + ld(logB, start * k + j))
      store<i32>(psi + (<usize>(start * k + j) << 2), 0)
    }
    for (let t = start + 1; t < end; t++) {
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
    let best = ld(prev, 0), arg = 0
    for (let j = 1; j < k; j++) if (ld(prev, j) > best) { best = ld(prev, j); arg = j }
    total += best
    store<i32>(path + (<usize>(end - 1) << 2), arg)
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
