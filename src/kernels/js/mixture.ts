import type { F64Buffer, OptionalF64 } from '../types.js'
import { expFlush } from './math.js'

const LOG_2PI = 1.8378770664093453
/** statsFull's share of a component's mass below which rows are left out of S1 and S2 (assembly/common.ts). */
const NEGLIGIBLE = 2 ** -100
/** responsibilities' floor on t_c - max (assembly/common.ts): -100 ln 2, terms whose exp is below 2^-100 are 0. */
const RESP_FLOOR = -69.31471805599453

export function logDensityFull(
  x: F64Buffer, n: number, d: number,
  means: F64Buffer, k: number,
  prec: F64Buffer, precStride: number, logDetP: F64Buffer,
  out: F64Buffer,
): void {
  const X = x.view, M = means.view, P = prec.view, LD = logDetP.view, O = out.view
  const constant = d * LOG_2PI
  for (let i = 0; i < n; i++) {
    const xo = i * d
    for (let c = 0; c < k; c++) {
      const mo = c * d
      const po = c * precStride
      // each sum starts from its first term (not 0 + term: one addition less, and
      // the same value up to the sign of a zero, which the square drops)
      let acc = 0
      for (let j = 0; j < d; j++) {
        let y = P[po + j * d]! * (X[xo]! - M[mo]!)
        for (let l = 1; l <= j; l++) y += P[po + j * d + l]! * (X[xo + l]! - M[mo + l]!)
        acc = j === 0 ? y * y : acc + y * y
      }
      O[i * k + c] = -0.5 * (constant + acc) + LD[c]!
    }
  }
}

export function logDensityDiag(
  x: F64Buffer, n: number, d: number,
  means: F64Buffer, k: number,
  prec: F64Buffer, logDetP: F64Buffer,
  out: F64Buffer,
): void {
  const X = x.view, M = means.view, P = prec.view, LD = logDetP.view, O = out.view
  const constant = d * LOG_2PI
  for (let i = 0; i < n; i++) {
    const xo = i * d
    for (let c = 0; c < k; c++) {
      const mo = c * d
      let acc = 0
      for (let j = 0; j < d; j++) {
        const z = X[xo + j]! - M[mo + j]!
        acc += z * z * P[mo + j]!
      }
      O[i * k + c] = -0.5 * (constant + acc) + LD[c]!
    }
  }
}

export function responsibilities(
  lp: F64Buffer, n: number, k: number,
  logWeights: F64Buffer, rowLogLik: OptionalF64, sampleWeight: OptionalF64,
): number {
  const R = lp.view, LW = logWeights.view
  const RL = rowLogLik ? rowLogLik.view : null
  const W = sampleWeight ? sampleWeight.view : null
  let total = 0
  for (let i = 0; i < n; i++) {
    const o = i * k
    let max = -Infinity
    for (let c = 0; c < k; c++) {
      const v = R[o + c]! + LW[c]!
      R[o + c] = v
      if (v > max) max = v
    }
    let s = 0
    for (let c = 0; c < k; c++) {
      // a term below RESP_FLOOR (exp below 2^-100 of the row's largest) is 0
      const v = R[o + c]! - max
      const e = v < RESP_FLOOR ? 0 : expFlush(v)
      R[o + c] = e
      s += e
    }
    const lse = max + Math.log(s)
    // e_c / s rather than exp(lp_c - lse): one exp per element, and no rounding
    // error of lse (large when |lse| is large) in the responsibilities; as e_c
    // times 1 / s, one division per row (the wasm kernels' divisions cost about
    // as much as their exps)
    const inv = 1 / s
    for (let c = 0; c < k; c++) R[o + c] = R[o + c]! * inv
    if (RL) RL[i] = lse
    total += W ? W[i]! * lse : lse
  }
  return total
}

export function statsFull(
  x: F64Buffer, n: number, d: number,
  resp: F64Buffer, k: number, sampleWeight: OptionalF64,
  ref: F64Buffer, out: F64Buffer,
): void {
  const X = x.view, R = resp.view, M = ref.view, O = out.view
  const W = sampleWeight ? sampleWeight.view : null
  const dd = d * d
  const s1 = k, s2 = k + k * d
  O.fill(0, 0, k + k * d + k * dd)
  // the masses over every row; S1 and S2 leave out the rows that weigh at most
  // NEGLIGIBLE N_c / n (together at most 2^-100 of N_c: with separated components
  // most weights are ~1e-80, and skipping them is most of the kernel's speed)
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) O[c] = O[c]! + (W ? R[i * k + c]! * W[i]! : R[i * k + c]!)
  }
  const thr = new Float64Array(k)
  for (let c = 0; c < k; c++) thr[c] = O[c]! * NEGLIGIBLE / n
  for (let i = 0; i < n; i++) {
    const xo = i * d
    for (let c = 0; c < k; c++) {
      const w = W ? R[i * k + c]! * W[i]! : R[i * k + c]!
      if (!(w > thr[c]!)) continue
      const mo = c * d
      for (let j = 0; j < d; j++) {
        const a = w * (X[xo + j]! - M[mo + j]!)
        O[s1 + mo + j] = O[s1 + mo + j]! + a
        const ro = s2 + c * dd + j * d
        for (let l = 0; l <= j; l++) O[ro + l] = O[ro + l]! + a * (X[xo + l]! - M[mo + l]!)
      }
    }
  }
  for (let c = 0; c < k; c++) {
    const o = s2 + c * dd
    for (let j = 0; j < d; j++) for (let l = j + 1; l < d; l++) O[o + j * d + l] = O[o + l * d + j]!
  }
}

export function statsDiag(
  x: F64Buffer, n: number, d: number,
  resp: F64Buffer, k: number, sampleWeight: OptionalF64,
  ref: F64Buffer, out: F64Buffer,
): void {
  const X = x.view, R = resp.view, M = ref.view, O = out.view
  const W = sampleWeight ? sampleWeight.view : null
  const s1 = k, s2 = k + k * d
  O.fill(0, 0, k + 2 * k * d)
  for (let i = 0; i < n; i++) {
    const xo = i * d
    for (let c = 0; c < k; c++) {
      const w = W ? R[i * k + c]! * W[i]! : R[i * k + c]!
      if (w === 0) continue
      O[c] = O[c]! + w
      const mo = c * d
      for (let j = 0; j < d; j++) {
        const z = X[xo + j]! - M[mo + j]!
        const a = w * z
        O[s1 + mo + j] = O[s1 + mo + j]! + a
        O[s2 + mo + j] = O[s2 + mo + j]! + a * z
      }
    }
  }
}

export function sqDistances(x: F64Buffer, n: number, d: number, centers: F64Buffer, k: number, out: F64Buffer): void {
  const X = x.view, C = centers.view, O = out.view
  for (let i = 0; i < n; i++) {
    const xo = i * d
    for (let c = 0; c < k; c++) {
      const co = c * d
      let s = 0
      for (let j = 0; j < d; j++) {
        const z = X[xo + j]! - C[co + j]!
        s += z * z
      }
      O[i * k + c] = s
    }
  }
}

export function logDensityT(
  x: F64Buffer, n: number, d: number,
  means: F64Buffer, k: number,
  prec: F64Buffer, precStride: number,
  nu: F64Buffer, logNorm: F64Buffer,
  out: F64Buffer, tau: F64Buffer, logTau: OptionalF64,
): void {
  // The Mahalanobis distances come from the Gaussian density kernel (logNorm in
  // place of its log-determinant), so that one kernel computes them on every backend.
  logDensityFull(x, n, d, means, k, prec, precStride, logNorm, out)
  studentTFromGaussian(out, n, k, d, nu, logNorm, tau, logTau)
}

/** Turn logDensityFull's output (with logNorm as log-determinant) into t log-densities and weights. */
function studentTFromGaussian(
  out: F64Buffer, n: number, k: number, d: number,
  nu: F64Buffer, logNorm: F64Buffer, tau: F64Buffer, logTau: OptionalF64,
): void {
  const O = out.view, NU = nu.view, LN = logNorm.view, T = tau.view
  const LT = logTau ? logTau.view : null
  const constant = d * LOG_2PI
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const p = i * k + c
      let acc = -2 * (O[p]! - LN[c]!) - constant
      if (acc < 0) acc = 0
      const v = NU[c]!
      const l = Math.log(1 + acc / v)
      O[p] = LN[c]! - 0.5 * (v + d) * l
      T[p] = (v + d) / (v + acc)
      if (LT) LT[p] = Math.log((v + d) / v) - l
    }
  }
}

export function logDensityPoisson(
  y: F64Buffer, n: number,
  rates: F64Buffer, logRates: F64Buffer, k: number,
  logFactorial: F64Buffer, out: F64Buffer,
): void {
  const Y = y.view, R = rates.view, LR = logRates.view, LF = logFactorial.view, O = out.view
  for (let i = 0; i < n; i++) {
    const yi = Y[i]!
    for (let c = 0; c < k; c++) O[i * k + c] = (yi * LR[c]! - R[c]!) - LF[i]!
  }
}
