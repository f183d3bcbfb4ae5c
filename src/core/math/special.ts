/**
 * Special functions for the models' parameter-side work (not per-row kernels):
 * log-gamma, digamma and trigamma, accurate to a few ulps for x > 0.
 */

const LANCZOS_G = 7
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
]
const HALF_LOG_2PI = 0.9189385332046728

/** log Gamma(x) for x > 0. */
export function lgamma(x: number): number {
  if (!(x > 0)) return x === 0 ? Infinity : NaN
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x)
  if (x >= 10) {
    // Stirling's series: error below 1e-16 relative here.
    const z = 1 / (x * x)
    const series = (1 / 12 - z * (1 / 360 - z * (1 / 1260 - z * (1 / 1680 - z / 1188)))) / x
    return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + series
  }
  const y = x - 1
  let a = LANCZOS[0]!
  const t = y + LANCZOS_G + 0.5
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (y + i)
  return HALF_LOG_2PI + (y + 0.5) * Math.log(t) - t + Math.log(a)
}

/** psi(x) = d/dx log Gamma(x) for x > 0. */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN
  let shift = 0
  while (x < 8) { shift -= 1 / x; x += 1 }
  const z = 1 / (x * x)
  const series = z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z * (1 / 132 - z * (691 / 32760 - z / 12))))))
  return shift + Math.log(x) - 0.5 / x - series
}

/** psi'(x) for x > 0. */
export function trigamma(x: number): number {
  if (!(x > 0)) return NaN
  let shift = 0
  while (x < 8) { shift += 1 / (x * x); x += 1 }
  const z = 1 / (x * x)
  const series = (1 / 6 - z * (1 / 30 - z * (1 / 42 - z * (1 / 30 - z * (5 / 66 - z * 691 / 2730))))) / (x * x * x)
  return shift + 1 / x + 0.5 * z + series
}
