/**
 * Multivariate Student-t log-densities and E-step weights. The Mahalanobis
 * distances come from logDensityFull (given logNorm in place of the log-determinant),
 * so the SIMD density code is not written twice; this file only maps each Gaussian
 * term to the t terms (same operations as src/kernels/js/mixture.ts; logF is fdlibm's log, as V8's Math.log).
 */
import { LOG_2PI, at, ld, st } from './common'
import { logF } from './math'
import { logDensityFull } from './mixture'

export function logDensityT(
  x: usize, n: i32, d: i32, means: usize, k: i32,
  prec: usize, precStride: i32, nu: usize, logNorm: usize,
  out: usize, tau: usize, logTau: usize, scratch: usize,
): void {
  logDensityFull(x, n, d, means, k, prec, precStride, logNorm, out, scratch)
  const constant = <f64>d * LOG_2PI
  const df = <f64>d
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const p = i * k + c
      const ln = ld(logNorm, c)
      let acc = -2.0 * (ld(out, p) - ln) - constant
      if (acc < 0) acc = 0
      const v = ld(nu, c)
      const l = logF(1.0 + acc / v)
      st(out, p, ln - 0.5 * (v + df) * l)
      st(tau, p, (v + df) / (v + acc))
      if (logTau != 0) st(logTau, p, logF((v + df) / v) - l)
    }
  }
}
