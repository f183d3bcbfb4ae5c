/**
 * Louis's terms of the censored normal regression (Tobit; probit with the scale fixed
 * at 1), in the coordinates [coef | log sigma]. The complete data are the latent
 * y*_i = z_i' beta + sigma e_i; with e = (y* - mu) / sigma, a row's complete-data score
 * is [z e / sigma, e^2 - 1] and its -Hessian [z z' / sigma^2, 2 z e / sigma; 2 e^2].
 * An exact row has no missing information; a censored one's e is a standard normal
 * truncated to [a, b], whose moments m1..m4 give the expected -Hessian and the
 * conditional variance of the score (Var e, Cov(e, e^2), Var e^2).
 */
import { logNormalInterval, logNormalPdf } from '../core/math/normal.js'
import type { LouisTerms } from '../engine/types.js'

/** What the terms read of the prepared rows (TobitData has it). */
interface CensoredDesign {
  readonly n: number
  readonly p: number
  readonly z: Float64Array
  readonly y: Float64Array
  readonly lower: Float64Array
  readonly upper: Float64Array
  readonly censored: Uint8Array
  readonly weight: Float64Array
}

/** x^k phi(x) / Z, computed in logs (0 at an infinite bound). */
function tail(x: number, k: number, logZ: number): number {
  if (!Number.isFinite(x)) return 0
  if (x === 0) return k === 0 ? Math.exp(logNormalPdf(0) - logZ) : 0
  const sign = x < 0 && k % 2 === 1 ? -1 : 1
  return sign * Math.exp(k * Math.log(Math.abs(x)) + logNormalPdf(x) - logZ)
}

/** The first four moments of the standard normal truncated to [a, b]. */
export function truncatedMoments(a: number, b: number): [number, number, number, number] {
  const logZ = logNormalInterval(a, b)
  const m1 = tail(a, 0, logZ) - tail(b, 0, logZ)
  const m2 = 1 + tail(a, 1, logZ) - tail(b, 1, logZ)
  const m3 = 2 * m1 + tail(a, 2, logZ) - tail(b, 2, logZ)
  const m4 = 3 * m2 + tail(a, 3, logZ) - tail(b, 3, logZ)
  return [m1, m2, m3, m4]
}

export function censoredNormalLouis(data: CensoredDesign, coef: Float64Array, sigma: number, withScale: boolean): LouisTerms {
  const { n, p } = data
  const m = p + (withScale ? 1 : 0)
  const complete = new Float64Array(m * m), missing = new Float64Array(m * m)
  const s2 = sigma * sigma
  for (let i = 0; i < n; i++) {
    const w = data.weight[i]!
    if (w === 0) continue
    const zi = data.z.subarray(i * p, (i + 1) * p)
    let mu = 0
    for (let a = 0; a < p; a++) mu += zi[a]! * coef[a]!
    let m1: number, m2: number, varE = 0, covEE2 = 0, varE2 = 0
    if (data.censored[i]) {
      const [t1, t2, t3, t4] = truncatedMoments((data.lower[i]! - mu) / sigma, (data.upper[i]! - mu) / sigma)
      m1 = t1; m2 = t2
      varE = t2 - t1 * t1
      covEE2 = t3 - t1 * t2
      varE2 = t4 - t2 * t2
    } else {
      m1 = (data.y[i]! - mu) / sigma
      m2 = m1 * m1
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < p; b++) {
        complete[a * m + b]! += (w * zi[a]! * zi[b]!) / s2
        missing[a * m + b]! += (w * zi[a]! * zi[b]! * varE) / s2
      }
      if (withScale) {
        const c = (2 * w * zi[a]! * m1) / sigma, v = (w * zi[a]! * covEE2) / sigma
        complete[a * m + p]! += c
        complete[p * m + a]! += c
        missing[a * m + p]! += v
        missing[p * m + a]! += v
      }
    }
    if (withScale) {
      complete[p * m + p]! += 2 * w * m2
      missing[p * m + p]! += w * varE2
    }
  }
  return { complete, missing }
}
