/**
 * Latent Dirichlet allocation: the per-document variational E-step over a CSR
 * document-term matrix (twin: src/kernels/js/lda.ts, the same operations in the same
 * order, so every backend agrees bit for bit).
 *
 * For each document d (its terms indices[indptr[d] .. indptr[d+1]), counts alongside):
 *   gamma = 1 (K), et = exp(psi(gamma) - psi(sum gamma))
 *   repeat at most maxIter times:
 *     acc = sum_j (cnt_j / (et . Eb[w_j] + EPS)) Eb[w_j]     (Eb[w] = column w of exp E[log beta])
 *     gamma' = et * acc + alpha;  et = exp(psi(gamma') - psi(sum gamma'))
 *     stop when mean |gamma' - gamma| < tol
 *   with the final et: sstats[w_j] += et * cnt_j / (et . Eb[w_j] + EPS), and the
 *   document's word term of the bound, sum_j cnt_j log(et . Eb[w_j]).
 * Eb is stored term-major, V rows of kp = K rounded up to even (pad lanes zero), so one
 * term's column is two topics per v128. Dot products keep two partial sums (even and
 * odd topics) added at the end: the SIMD lanes, and the scalar build does the same.
 */
import { ld, st } from './common'
import { expFlush, expFlushV, logF } from './math'
import { digamma } from './special'
import { digammaF } from './special_scalar'

// @ts-ignore: decorator
@inline const EPS: f64 = 2.220446049250313e-16

// @ts-ignore: decorator
@inline function i32At(base: usize, index: i32): i32 {
  return load<i32>(base + (<usize>index << 2))
}

/** et . b over kp (even) topics: two partial sums, even and odd topics, added last. */
// @ts-ignore: decorator
@inline function dotPair(et: usize, b: usize, kp: i32): f64 {
  if (ASC_FEATURE_SIMD) {
    let s = f64x2.splat(0.0)
    for (let k = 0; k < kp; k += 2) {
      s = f64x2.add(s, f64x2.mul(v128.load(et + (<usize>k << 3)), v128.load(b + (<usize>k << 3))))
    }
    return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1)
  }
  let s0 = 0.0, s1 = 0.0
  for (let k = 0; k < kp; k += 2) {
    s0 = s0 + ld(et, k) * ld(b, k)
    s1 = s1 + ld(et, k + 1) * ld(b, k + 1)
  }
  return s0 + s1
}

/** out[k] += c * x[k] for k < kp. */
// @ts-ignore: decorator
@inline function axpy(out: usize, c: f64, x: usize, kp: i32): void {
  if (ASC_FEATURE_SIMD) {
    const cv = f64x2.splat(c)
    for (let k = 0; k < kp; k += 2) {
      const p = out + (<usize>k << 3)
      v128.store(p, f64x2.add(v128.load(p), f64x2.mul(cv, v128.load(x + (<usize>k << 3)))))
    }
    return
  }
  for (let k = 0; k < kp; k++) st(out, k, ld(out, k) + c * ld(x, k))
}

/** et[k] = exp(psi[k] - ps) for k < K; pad lane zero. */
// @ts-ignore: decorator
@inline function expDiff(psi: usize, ps: f64, k: i32, kp: i32, et: usize): void {
  let i = 0
  if (ASC_FEATURE_SIMD) {
    const pv = f64x2.splat(ps)
    for (; i + 1 < k; i += 2) {
      v128.store(et + (<usize>i << 3), expFlushV(f64x2.sub(v128.load(psi + (<usize>i << 3)), pv)))
    }
  }
  for (; i < k; i++) st(et, i, expFlush(ld(psi, i) - ps))
  if (kp > k) st(et, k, 0.0)
}

/**
 * The E-step of documents docBegin .. docEnd - 1. gamma (row d at d*K) and wordBound
 * (entry d) are written; sstats (V x kp, term-major) is added to unless it is 0.
 * With fromGamma != 0 each document starts from its row of gamma instead of ones.
 * Scratch: 4 * kp doubles. Returns the number of inner iterations done.
 */
export function ldaEStep(
  indptr: usize, indices: usize, counts: usize, docBegin: i32, docEnd: i32,
  k: i32, ebT: usize, alpha: f64, maxIter: i32, tol: f64,
  gamma: usize, sstats: usize, wordBound: usize, fromGamma: i32, scratch: usize,
): i32 {
  const kp = (k + 1) & ~1
  const et = scratch
  const g = scratch + (<usize>kp << 3)
  const acc = g + (<usize>kp << 3)
  const psi = acc + (<usize>kp << 3)
  const e0 = expFlush(digammaF(1.0) - digammaF(<f64>k))
  const stride = <usize>kp << 3
  let total = 0
  for (let d = docBegin; d < docEnd; d++) {
    const p0 = i32At(indptr, d)
    const p1 = i32At(indptr, d + 1)
    if (fromGamma != 0) {
      let sum = 0.0
      for (let i = 0; i < k; i++) { const v = ld(gamma, d * k + i); st(g, i, v); sum += v }
      digamma(g, k, psi)
      expDiff(psi, digammaF(sum), k, kp, et)
    } else {
      for (let i = 0; i < k; i++) { st(g, i, 1.0); st(et, i, e0) }
      if (kp > k) st(et, k, 0.0)
    }
    if (kp > k) st(g, k, 0.0)
    for (let it = 0; it < maxIter; it++) {
      total++
      memory.fill(acc, 0, stride)
      for (let j = p0; j < p1; j++) {
        const b = ebT + <usize>i32At(indices, j) * stride
        const c = ld(counts, j) / (dotPair(et, b, kp) + EPS)
        axpy(acc, c, b, kp)
      }
      let sum = 0.0, change = 0.0
      for (let i = 0; i < k; i++) {
        const next = ld(et, i) * ld(acc, i) + alpha
        change += Math.abs(ld(g, i) - next)
        sum += next
        st(g, i, next)
      }
      digamma(g, k, psi)
      expDiff(psi, digammaF(sum), k, kp, et)
      if (change / <f64>k < tol) break
    }
    let wb = 0.0
    for (let j = p0; j < p1; j++) {
      const b = ebT + <usize>i32At(indices, j) * stride
      const dot = dotPair(et, b, kp)
      const cnt = ld(counts, j)
      if (sstats != 0) axpy(sstats + <usize>i32At(indices, j) * stride, cnt / (dot + EPS), et, kp)
      wb += cnt * logF(dot)
    }
    st(wordBound, d, wb)
    for (let i = 0; i < k; i++) st(gamma, d * k + i, ld(g, i))
  }
  return total
}
