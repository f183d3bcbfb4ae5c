/**
 * Scalar digamma and log-gamma (assembly/special.ts documents them) and the final
 * operations the SIMD lanes share with them.
 */
import { logF } from './math'

// @ts-ignore: decorator
@inline export const HALF_LOG_2PI: f64 = 0.9189385332046728
/** Lanczos (g = 7, 9 terms): the coefficients of src/core/math/special.ts. */
// @ts-ignore: decorator
@lazy export const LANCZOS: usize = memory.data<f64>([
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
])

/** psi(x): up by the recurrence to x >= 8, then the asymptotic series. */
export function digammaF(xIn: f64): f64 {
  if (!(xIn > 0)) return NaN
  let x = xIn
  let shift = 0.0
  while (x < 8.0) { shift -= 1.0 / x; x += 1.0 }
  return digammaTail(x, shift, logF(x))
}

/** The series part of psi at x >= 8 (logX = log x), plus what the recurrence gathered. */
// @ts-ignore: decorator
@inline export function digammaTail(x: f64, shift: f64, logX: f64): f64 {
  const z = 1.0 / (x * x)
  const series = z * (1.0 / 12.0 - z * (1.0 / 120.0 - z * (1.0 / 252.0 - z * (1.0 / 240.0 - z * (1.0 / 132.0 - z * (691.0 / 32760.0 - z / 12.0))))))
  return shift + logX - 0.5 / x - series
}

export function logGammaF(x: f64): f64 {
  if (!(x > 0)) return x == 0 ? Infinity : NaN
  if (x < 0.5) return logGammaAbove(x + 1.0) - logF(x)
  return logGammaAbove(x)
}

/** log Gamma(x) for x >= 1/2: Stirling's series from 10, Lanczos below. */
function logGammaAbove(x: f64): f64 {
  if (x >= 10.0) return stirling(x, stirlingSeries(x), logF(x))
  const y = x - 1.0
  let a = load<f64>(LANCZOS)
  const t = y + 7.0 + 0.5
  for (let i = 1; i < 9; i++) a += load<f64>(LANCZOS + (<usize>i << 3)) / (y + <f64>i)
  return lanczos(y, t, logF(t), logF(a))
}

// @ts-ignore: decorator
@inline export function stirlingSeries(x: f64): f64 {
  const z = 1.0 / (x * x)
  return (1.0 / 12.0 - z * (1.0 / 360.0 - z * (1.0 / 1260.0 - z * (1.0 / 1680.0 - z / 1188.0)))) / x
}

// @ts-ignore: decorator
@inline export function stirling(x: f64, series: f64, logX: f64): f64 {
  return (x - 0.5) * logX - x + HALF_LOG_2PI + series
}

// @ts-ignore: decorator
@inline export function lanczos(y: f64, t: f64, logT: f64, logA: f64): f64 {
  return HALF_LOG_2PI + (y + 0.5) * logT - t + logA
}
