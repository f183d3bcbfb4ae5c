/**
 * The missing-data normal's standard-error terms, in its packed coordinates [mean (d) |
 * covariance lower triangle, row by row]. Complete data x ~ N(mu, Sigma), P = Sigma^-1,
 * r = x - mu; the score is [P r | (r' P D_j P r - tr(P D_j)) / 2] for the direction D_j
 * of covariance entry j. Given a row's observed coordinates r ~ N(r^, V) (V: the
 * conditional covariance at the missing ones), so with A_j = P D_j P:
 *   E[-H]:  mu,mu P;  mu,j A_j r^;  j,l tr(P D_j P D_l P (V + r^ r^')) - tr(P D_j P D_l) / 2
 *   Var:    mu,mu P V P;  mu,j P V A_j r^;  j,l tr(A_j V A_l V) / 2 + r^' A_j V A_l r^
 * (Isserlis), summed per missingness pattern. Q for SEM from the statistics [S1, S2].
 */
import { DegenerateError } from '../core/errors.js'
import { cholesky, logDetFromCholesky } from '../core/math/dense.js'
import { inverseSPD } from '../core/math/inverse-spd.js'
import { matMul } from '../core/math/dense-general.js'
import type { InformationCapability, LouisTerms } from '../engine/types.js'
import { conditionalNormal } from './common/conditional-normal.js'

interface Params { readonly mean: Float64Array; readonly cov: Float64Array }
interface Pattern { readonly observed: Int32Array; readonly missing: Int32Array; readonly rows: Int32Array }
interface Data { readonly n: number; readonly d: number; readonly x: Float64Array; readonly totalWeight: number; readonly patterns: readonly Pattern[] }

const trace = (a: Float64Array, d: number): number => { let t = 0; for (let i = 0; i < d; i++) t += a[i * d + i]!; return t }
/** tr(A B) for d x d A, B. */
const traceOf = (a: Float64Array, b: Float64Array, d: number): number => { let t = 0; for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) t += a[i * d + k]! * b[k * d + i]!; return t }

function precisionOf(cov: Float64Array, d: number): Float64Array {
  const P = inverseSPD(cov, d)
  if (!P) throw new DegenerateError('SINGULAR_COVARIANCE', 'The covariance is not positive definite: no standard errors.')
  return P
}

/** The directions of the packed covariance entries (lower triangle, row by row). */
function directions(d: number): Float64Array[] {
  const out: Float64Array[] = []
  for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) {
    const D = new Float64Array(d * d)
    D[j * d + k] = 1
    D[k * d + j] = 1
    out.push(D)
  }
  return out
}

export function mvnLouis(data: Data, params: Params): LouisTerms {
  const { d } = data
  const P = precisionOf(params.cov, d)
  const D = directions(d)
  const nc = D.length, m = d + nc
  const PD = D.map((Dj) => matMul(P, Dj, d, d, d))
  const A = PD.map((pd) => matMul(pd, P, d, d, d))
  const complete = new Float64Array(m * m), missing = new Float64Array(m * m)
  const Rt = new Float64Array(d), St = new Float64Array(d * d)
  let N = 0
  for (const pat of data.patterns) {
    const o = pat.observed, mi = pat.missing, q = o.length, r = mi.length
    const cn = conditionalNormal(params.cov, d, o, mi)
    if (!cn) throw new DegenerateError('SINGULAR_COVARIANCE', 'The covariance of the observed coordinates is not positive definite: no standard errors.')
    const V = new Float64Array(d * d)
    for (let a = 0; a < r; a++) for (let c = 0; c < r; c++) V[mi[a]! * d + mi[c]!] = cn.covariance[a * r + c]!
    const R = new Float64Array(d), S = new Float64Array(d * d), rh = new Float64Array(d), resid = new Float64Array(q)
    for (const i of pat.rows) {
      for (let a = 0; a < q; a++) { resid[a] = data.x[i * d + o[a]!]! - params.mean[o[a]!]!; rh[o[a]!] = resid[a]! }
      for (let a = 0; a < r; a++) {
        let s = 0
        for (let c = 0; c < q; c++) s += cn.regression[a * q + c]! * resid[c]!
        rh[mi[a]!] = s
      }
      for (let a = 0; a < d; a++) { R[a]! += rh[a]!; for (let c = 0; c < d; c++) S[a * d + c]! += rh[a]! * rh[c]! }
    }
    const np = pat.rows.length
    N += np
    for (let a = 0; a < d; a++) { Rt[a]! += R[a]!; for (let c = 0; c < d; c++) St[a * d + c]! += S[a * d + c]! + np * V[a * d + c]! }
    if (r === 0) continue
    const PVP = matMul(matMul(P, V, d, d, d), P, d, d, d)
    for (let a = 0; a < d * d; a++) missing[Math.floor(a / d) * m + (a % d)]! += np * PVP[a]!
    const PV = matMul(P, V, d, d, d)
    const AV = A.map((Aj) => matMul(Aj, V, d, d, d))
    for (let j = 0; j < nc; j++) {
      const v = matMul(matMul(PV, A[j]!, d, d, d), R, d, d, 1)
      for (let a = 0; a < d; a++) { missing[a * m + d + j]! += v[a]!; missing[(d + j) * m + a]! += v[a]! }
      for (let l = 0; l < nc; l++) {
        const AVAl = matMul(AV[j]!, A[l]!, d, d, d)
        missing[(d + j) * m + d + l]! += 0.5 * np * traceOf(AV[j]!, AV[l]!, d) + traceOf(AVAl, S, d)
      }
    }
  }
  for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) complete[a * m + c] = N * P[a * d + c]!
  for (let j = 0; j < nc; j++) {
    const v = matMul(A[j]!, Rt, d, d, 1)
    for (let a = 0; a < d; a++) { complete[a * m + d + j] = v[a]!; complete[(d + j) * m + a] = v[a]! }
    for (let l = 0; l < nc; l++) {
      const B = matMul(PD[j]!, A[l]!, d, d, d) // P D_j P D_l P
      complete[(d + j) * m + d + l] = traceOf(B, St, d) - 0.5 * N * trace(matMul(PD[j]!, PD[l]!, d, d, d), d)
    }
  }
  return { complete, missing }
}

/** Q(mu, Sigma) = -n/2 log|Sigma| - tr(P (S2 - S1 mu' - mu S1' + n mu mu')) / 2 from the statistics [S1 (d), S2 (d x d)]. */
export function mvnQ(stats: Float64Array, params: Params, n: number): number {
  const d = params.mean.length
  const L = cholesky(params.cov, d)
  if (!L) return NaN
  const P = precisionOf(params.cov, d)
  const mu = params.mean
  let t = 0
  for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) {
    const s = stats[d + a * d + c]! - stats[a]! * mu[c]! - mu[a]! * stats[c]! + n * mu[a]! * mu[c]!
    t += P[c * d + a]! * s
  }
  return -0.5 * n * logDetFromCholesky(L, d) - 0.5 * t
}

export function mvnInformation(model: { pack(p: Params): Float64Array; unpack(v: Float64Array, like: Params): Params }): InformationCapability<Params, Data> {
  return {
    parameterisation: {
      names: (params) => {
        const d = params.mean.length
        const out = Array.from({ length: d }, (_, j) => `mean[${j}]`)
        for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) out.push(`cov[${j}][${k}]`)
        return out
      },
      toFree: (params) => model.pack(params),
      fromFree: (vec, like) => model.unpack(vec, like),
    },
    louis: (data, params) => mvnLouis(data, params),
    q: (stats, _at, params, data) => mvnQ(stats, params, data.totalWeight),
  }
}
