/**
 * Digamma and log-gamma over arrays (exported), with the operations of the JS twin
 * (src/kernels/js/special.ts, which runs src/core/math/special.ts): the same
 * recurrences, series and Lanczos sum in the same order, and logF (fdlibm's log, as
 * V8's Math.log), so all backends agree bit for bit. The SIMD build does two
 * elements per v128 (special_simd.ts) and finishes an odd last one here.
 *
 * log-gamma below 1/2: the JS models reflect with sin, which has no bit-exact twin
 * here, so the kernel steps up instead, lgamma(x) = lgamma(x + 1) - log(x).
 */
import { ld, st } from './common'
import { digammaF, logGammaF } from './special_scalar'
import { digammaSimd, logGammaSimd } from './special_simd'

/** out[i] = psi(x[i]) (NaN where x[i] <= 0 or NaN); out may be x. */
export function digamma(x: usize, n: i32, out: usize): void {
  const i = ASC_FEATURE_SIMD ? digammaSimd(x, n, out) : 0
  for (let r = i; r < n; r++) st(out, r, digammaF(ld(x, r)))
}

/** out[i] = log Gamma(x[i]) (Infinity at 0, NaN below 0 or at NaN); out may be x. */
export function logGamma(x: usize, n: i32, out: usize): void {
  const i = ASC_FEATURE_SIMD ? logGammaSimd(x, n, out) : 0
  for (let r = i; r < n; r++) st(out, r, logGammaF(ld(x, r)))
}
