/**
 * Mixture kernels over n rows (exported). Each output element is computed with
 * the same floating-point operations in the same order as
 * src/kernels/js/mixture.ts, so the SIMD, scalar and JS backends agree bit for bit.
 *
 * One source, two builds: in the SIMD build (ASC_FEATURE_SIMD) each kernel runs
 * its f64x2 half (mixture_simd.ts) and finishes leftover rows with the scalar
 * code; in the scalar build only mixture_scalar.ts is compiled, so the binary
 * has no v128 at all. Kernels never allocate: working space is `scratch` (at
 * least scratch*Bytes(...) bytes, see common.ts), reserved by the TypeScript side.
 */
import { LOG_2PI, at, ld, st, packedPrecLength } from './common'
import {
  densityFullRow, densityFullScalar, densityDiagRow, sqDistancesRow,
  responsibilitiesRow, responsibilitiesScalar, statsFullScalar,
} from './mixture_scalar'
import {
  densityFullSimd, densityDiagSimd, sqDistancesSimd, responsibilitiesSimd, statsFullSimd, statsDiagRowSimd,
} from './mixture_simd'

/**
 * out[i*k + c] = -0.5 * (d log 2pi + |P_c (x_i - mean_c)|^2) + logDetP[c], with
 * P_c lower triangular at prec + c * precStride (precStride 0: one shared P).
 */
export function logDensityFull(
  x: usize, n: i32, d: i32, means: usize, k: i32,
  prec: usize, precStride: i32, logDetP: usize, out: usize, scratch: usize,
): void {
  const constant = <f64>d * LOG_2PI
  const i = ASC_FEATURE_SIMD
    ? densityFullSimd(x, n, d, means, k, prec, precStride, logDetP, out, scratch, constant)
    : densityFullScalar(x, n, d, means, k, prec, precStride, logDetP, out, scratch, constant)
  // scratch: the packed factors, then 4d doubles (SIMD rows), then z for single rows
  const z = at(scratch, (precStride == 0 ? 1 : k) * packedPrecLength(d) + 4 * d)
  for (let r = i; r < n; r++) {
    densityFullRow(at(x, r * d), d, means, k, prec, precStride, logDetP, at(out, r * k), constant, z)
  }
}

/** out[i*k + c] = -0.5 * (d log 2pi + sum_j (x_ij - mean_cj)^2 prec_cj) + logDetP[c]. */
export function logDensityDiag(
  x: usize, n: i32, d: i32, means: usize, k: i32,
  prec: usize, logDetP: usize, out: usize, scratch: usize,
): void {
  const constant = <f64>d * LOG_2PI
  const i = ASC_FEATURE_SIMD ? densityDiagSimd(x, n, d, means, k, prec, logDetP, out, scratch, constant) : 0
  for (let r = i; r < n; r++) densityDiagRow(at(x, r * d), d, means, k, prec, logDetP, at(out, r * k), constant)
}

/** out[i*k + c] = |x_i - centers_c|^2. */
export function sqDistances(x: usize, n: i32, d: i32, centers: usize, k: i32, out: usize, scratch: usize): void {
  const i = ASC_FEATURE_SIMD ? sqDistancesSimd(x, n, d, centers, k, out, scratch) : 0
  for (let r = i; r < n; r++) sqDistancesRow(at(x, r * d), d, centers, k, at(out, r * k))
}

/**
 * Per row: t_c = lp_c + logWeights_c; m = max_c t_c; e_c = expFlush(t_c - m), or 0
 * when t_c - m < RESP_FLOOR (common.ts);
 * s = sum_c e_c; rowLogLik = m + log(s); lp_c becomes e_c / s. Returns
 * sum_i w_i rowLogLik_i, summed in row order. rowLogLik and sampleWeight may be 0.
 */
export function responsibilities(
  lp: usize, n: i32, k: i32, logWeights: usize, rowLogLik: usize, sampleWeight: usize, scratch: usize,
): f64 {
  if (!ASC_FEATURE_SIMD) return responsibilitiesScalar(lp, n, k, logWeights, rowLogLik, sampleWeight, scratch)
  let total = responsibilitiesSimd(lp, n, k, logWeights, rowLogLik, sampleWeight, scratch)
  if (n & 1) {
    const i = n - 1
    const lse = responsibilitiesRow(at(lp, i * k), k, logWeights)
    if (rowLogLik) st(rowLogLik, i, lse)
    total += sampleWeight ? ld(sampleWeight, i) * lse : lse
  }
  return total
}

/**
 * out = [N (k) | S1 (k*d) | S2 (k*d*d, symmetric)] with w = resp (* sampleWeight):
 * N_c = sum_i w over every row, S1_c = sum_i w z, S2_c = sum_i w z z^T over the rows
 * with w > N_c * NEGLIGIBLE / n (common.ts: the others weigh at most 2^-100 N_c
 * together), z = x_i - ref_c. Every element sums its terms in row order.
 */
export function statsFull(
  x: usize, n: i32, d: i32, resp: usize, k: i32, sampleWeight: usize, ref: usize, out: usize, scratch: usize,
): void {
  const dd = d * d
  memory.fill(out, 0, <usize>(k + k * d + k * dd) << 3)
  if (ASC_FEATURE_SIMD) statsFullSimd(x, n, d, resp, k, sampleWeight, ref, out, scratch)
  else statsFullScalar(x, n, d, resp, k, sampleWeight, ref, out, scratch)
  // mirror the lower triangle of S2
  const s2 = at(out, k + k * d)
  for (let c = 0; c < k; c++) {
    const S2 = at(s2, c * dd)
    for (let j = 0; j < d; j++) for (let l = j + 1; l < d; l++) st(S2, j * d + l, ld(S2, l * d + j))
  }
}

/** As statsFull with only the diagonal of S2: out = [N (k) | S1 (k*d) | S2diag (k*d)]. */
export function statsDiag(
  x: usize, n: i32, d: i32, resp: usize, k: i32, sampleWeight: usize, ref: usize, out: usize,
): void {
  const s1 = at(out, k)
  const s2 = at(out, k + k * d)
  memory.fill(out, 0, <usize>(k + 2 * k * d) << 3)
  for (let i = 0; i < n; i++) {
    const xr = at(x, i * d)
    for (let c = 0; c < k; c++) {
      const w = sampleWeight ? ld(resp, i * k + c) * ld(sampleWeight, i) : ld(resp, i * k + c)
      if (w == 0) continue
      st(out, c, ld(out, c) + w)
      const mr = at(ref, c * d)
      const S1 = at(s1, c * d)
      const S2 = at(s2, c * d)
      let j = ASC_FEATURE_SIMD ? statsDiagRowSimd(xr, d, w, mr, S1, S2) : 0
      for (; j < d; j++) {
        const z = ld(xr, j) - ld(mr, j)
        const a = w * z
        st(S1, j, ld(S1, j) + a)
        st(S2, j, ld(S2, j) + a * z)
      }
    }
  }
}
