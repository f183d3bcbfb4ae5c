/**
 * The standard normal distribution function to full double precision: W. J. Cody's
 * rational approximations (as R's pnorm), with log Phi for the far tails (no underflow
 * before about -1e154) and the inverse Mills ratio phi(x) / Phi(x).
 */

const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113]
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956]
const C = [0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711, 6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8]
const D = [22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091, 34900.952721145977266, 38912.003286093271411, 19685.429676859990727]
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303]
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5]
const SQRT_32 = 5.656854249492380195206754896838
const INV_SQRT_2PI = 0.398942280401432677939946059934
export const LOG_SQRT_2PI = 0.918938533204672741780329736406

/** [log Phi(x), log(1 - Phi(x))]. */
export function logNormalCdfBoth(x: number): [number, number] {
  if (Number.isNaN(x)) return [NaN, NaN]
  const y = Math.abs(x)
  if (y <= 0.67448975) {
    let xnum = 0, xden = 0
    if (y > 1.11e-16) {
      const xsq = x * x
      xnum = A[4]! * xsq
      xden = xsq
      for (let i = 0; i < 3; i++) {
        xnum = (xnum + A[i]!) * xsq
        xden = (xden + B[i]!) * xsq
      }
    }
    const temp = (x * (xnum + A[3]!)) / (xden + B[3]!)
    return [Math.log(0.5 + temp), Math.log(0.5 - temp)]
  }
  let temp: number
  if (y <= SQRT_32) {
    let xnum = C[8]! * y, xden = y
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + C[i]!) * y
      xden = (xden + D[i]!) * y
    }
    temp = (xnum + C[7]!) / (xden + D[7]!)
  } else if (y === Infinity) {
    return x > 0 ? [0, -Infinity] : [-Infinity, 0]
  } else {
    const xsq = 1 / (x * x)
    let xnum = P[5]! * xsq, xden = xsq
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + P[i]!) * xsq
      xden = (xden + Q[i]!) * xsq
    }
    temp = (xsq * (xnum + P[4]!)) / (xden + Q[4]!)
    temp = (INV_SQRT_2PI - temp) / y
  }
  const xs = Math.trunc(y * 16) / 16
  const del = (y - xs) * (y + xs)
  const logSmall = -xs * xs * 0.5 - del * 0.5 + Math.log(temp) // log of the tail beyond y
  const logLarge = Math.log1p(-Math.exp(logSmall))
  return x > 0 ? [logLarge, logSmall] : [logSmall, logLarge]
}

export function normalCdf(x: number): number {
  return Math.exp(logNormalCdfBoth(x)[0])
}

export function logNormalCdf(x: number): number {
  return logNormalCdfBoth(x)[0]
}

export function logNormalPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI
}

/** log(Phi(b) - Phi(a)) for a < b, accurate in either tail. */
export function logNormalInterval(a: number, b: number): number {
  if (a > 0) return logNormalInterval(-b, -a)
  const [la] = logNormalCdfBoth(a)
  const [lb] = logNormalCdfBoth(b)
  if (la === -Infinity) return lb
  return lb + Math.log1p(-Math.exp(la - lb))
}

/**
 * Mean and variance of the standard normal truncated to [a, b] (a < b, either may be
 * infinite): E = (phi(a) - phi(b)) / Z, Var = 1 + (a phi(a) - b phi(b)) / Z - E^2,
 * computed with ratios phi / Z taken in logs so that they stay accurate in the tails.
 */
export function truncatedNormalMoments(a: number, b: number): { mean: number; variance: number } {
  const logZ = logNormalInterval(a, b)
  const ra = a === -Infinity ? 0 : Math.exp(logNormalPdf(a) - logZ)
  const rb = b === Infinity ? 0 : Math.exp(logNormalPdf(b) - logZ)
  const mean = ra - rb
  const aa = a === -Infinity ? 0 : a * ra
  const bb = b === Infinity ? 0 : b * rb
  const variance = Math.max(1 + aa - bb - mean * mean, 0)
  return { mean, variance }
}
