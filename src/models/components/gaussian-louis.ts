/**
 * The Gaussian component's complete-data terms for Louis's method, in the free
 * coordinates [means (k x d) | covariance entries, each free one once]. Every free
 * covariance entry j is a direction D_j in the full matrices (the strategy's
 * expandFull of a unit change: one entry, a symmetric pair, a diagonal, or a shared
 * matrix for every component), so no covariance type is named here. With r = x - mu,
 * P = Sigma^-1, u = P r:
 *   score: d/dmu = u;  d/dSigma_j = (u' D_j u - tr(P D_j)) / 2
 *   -Hessian: mu,mu: P;  mu,j: P D_j u;  j,l: u' D_j P D_l u - tr(P D_j P D_l) / 2
 * summed over rows with the responsibilities through N_c, U_c = sum r u and
 * W_c = sum r u u'.
 */
import { DegenerateError } from '../../core/errors.js'
import { inverseSPD } from '../../core/math/inverse-spd.js'
import { matMul } from '../../core/math/dense-general.js'
import type { ComponentLouis } from '../common/louis-mixture.js'
import { covarianceFreeEntries, type CovarianceFreeEntries } from '../common/free-coordinates.js'
import type { Parameterisation } from '../../engine/types.js'
import type { CovarianceStrategy } from '../gmm/covariance.js'
import { covarianceEntryNames } from '../gmm/covariance-names.js'
/** The Gaussian parameters these terms read (GaussianParams has them; gaussian.ts imports this file). */
interface GaussianParams { readonly means: Float64Array; readonly covariances: Float64Array }

export { covarianceFreeEntries } from '../common/free-coordinates.js'
// the component's completeLogLik (standard errors by SEM) comes with these terms
export { completeLogLikAround } from '../gmm/complete-loglik.js'

/** What gaussianFree reads of a Gaussian component (GaussianComponent has it). */
interface FreeOf<P> {
  readonly k: number
  readonly d: number
  readonly covariance: CovarianceStrategy
  readonly fit: { readonly means: boolean; readonly covariances: boolean }
  makeParams(means: Float64Array, covariances: Float64Array): P
}

/** The Gaussian component's standard-error coordinates: mean[c][j] and each fitted covariance entry once (models/common/free-coordinates.ts). */
export function gaussianFree<P extends GaussianParams>(g: FreeOf<P>): Parameterisation<P> {
  const { k, d } = g
  const entries = covarianceFreeEntries(g.covariance, k, d)
  const names = covarianceEntryNames(g.covariance, k, d)
  const fm = g.fit.means, fc = g.fit.covariances
  const nm = fm ? k * d : 0
  return {
    names: () => [
      ...(fm ? Array.from({ length: k * d }, (_, e) => `mean[${Math.floor(e / d)}][${e % d}]`) : []),
      ...(fc ? Array.from(entries.free, (s) => names[s]!) : []),
    ],
    toFree: (params) => {
      const out = new Float64Array(nm + (fc ? entries.free.length : 0))
      if (fm) out.set(params.means)
      if (fc) entries.free.forEach((s, j) => { out[nm + j] = params.covariances[s]! })
      return out
    },
    fromFree: (vec, like) => {
      const means = fm ? vec.slice(0, nm) : like.means
      let covariances = like.covariances
      if (fc) {
        covariances = new Float64Array(entries.source.length)
        for (let s = 0; s < covariances.length; s++) covariances[s] = vec[nm + entries.source[s]!]!
      }
      return g.makeParams(means, covariances)
    },
  }
}

export function gaussianLouis(strategy: CovarianceStrategy, k: number, d: number, x: Float64Array, n: number, params: GaussianParams, entries: CovarianceFreeEntries): ComponentLouis {
  const dd = d * d, nf = entries.free.length, m = k * d + nf
  const { P, D, active, PD, trPD, trPDPD } = louisTerms(strategy, k, d, params, entries, nf, 'component')
  const u = new Float64Array(d)
  const rowU = precisionTimesResidual(P, x, params.means, d, u)
  return {
    m,
    score(i, c, out) {
      rowU(i, c)
      for (let a = 0; a < d; a++) out[c * d + a] = u[a]!
      for (const j of active[c]!) {
        const Dc = D[j]!.subarray(c * dd, (c + 1) * dd)
        let q = 0
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) q += u[a]! * Dc[a * d + b]! * u[b]!
        out[k * d + j] = 0.5 * (q - trPD.get(c * nf + j)!)
      }
    },
    complete(resp, rowWeight) {
      const out = new Float64Array(m * m)
      for (let c = 0; c < k; c++) {
        let N = 0
        const U = new Float64Array(d), W = new Float64Array(dd)
        for (let i = 0; i < n; i++) {
          const r = rowWeight(i) * resp[i * k + c]!
          if (r === 0) continue
          rowU(i, c)
          N += r
          for (let a = 0; a < d; a++) {
            U[a]! += r * u[a]!
            for (let b = 0; b < d; b++) W[a * d + b]! += r * u[a]! * u[b]!
          }
        }
        const Pc = P.subarray(c * dd, (c + 1) * dd)
        for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out[(c * d + a) * m + c * d + b] = N * Pc[a * d + b]!
        for (const j of active[c]!) {
          const pd = PD.get(c * nf + j)!
          const col = k * d + j
          for (let a = 0; a < d; a++) {
            let v = 0
            for (let b = 0; b < d; b++) v += pd[a * d + b]! * U[b]!
            out[(c * d + a) * m + col]! += v
            out[col * m + c * d + a]! += v
          }
          const Dj = D[j]!.subarray(c * dd, (c + 1) * dd)
          for (const l of active[c]!) {
            // tr(D_j P D_l W)
            const djpdl = matMul(Dj, PD.get(c * nf + l)!, d, d, d)
            let tw = 0
            for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) tw += djpdl[a * d + b]! * W[b * d + a]!
            out[col * m + k * d + l]! += tw - 0.5 * N * trPDPD.get((c * nf + j) * nf + l)!
          }
        }
      }
      return out
    },
  }
}

/**
 * Observation i's complete-data score and -Hessian of log N(x_i | mu_c, Sigma_c) in the
 * component's free coordinates [means if fitted | free covariance entries if fitted]
 * (HMM emissions; the formulas of the file's comment, per row).
 */
export function gaussianRowDerivatives(
  strategy: CovarianceStrategy, k: number, d: number, fit: { readonly means: boolean; readonly covariances: boolean },
  x: Float64Array, params: GaussianParams, entries: CovarianceFreeEntries,
): (i: number, c: number, score: Float64Array, negHessian: Float64Array) => void {
  const dd = d * d, nf = fit.covariances ? entries.free.length : 0, nm = fit.means ? k * d : 0, m = nm + nf
  const { P, D, active, trPD, trPDPD } = louisTerms(strategy, k, d, params, entries, nf, 'state')
  const u = new Float64Array(d)
  const rowU = precisionTimesResidual(P, x, params.means, d, u)
  // D_j u for every free coordinate j of the row's component, made once per row (each is read by every j, l pair)
  const Du: Float64Array[] = new Array(nf)
  return (i, c, score, negHessian) => {
    rowU(i, c)
    const Pc = P.subarray(c * dd, (c + 1) * dd)
    if (fit.means) {
      for (let a = 0; a < d; a++) {
        score[c * d + a]! += u[a]!
        for (let b = 0; b < d; b++) negHessian[(c * d + a) * m + c * d + b]! += Pc[a * d + b]!
      }
    }
    for (const j of active[c]!) Du[j] = matMul(D[j]!.subarray(c * dd, (c + 1) * dd), u, d, d, 1)
    for (const j of active[c]!) {
      const du = Du[j]!, col = nm + j
      let q = 0
      for (let a = 0; a < d; a++) q += u[a]! * du[a]! // u' D_j u
      score[col]! += 0.5 * (q - trPD.get(c * nf + j)!)
      const pdu = matMul(Pc, du, d, d, 1) // P D_j u
      if (fit.means) {
        for (let a = 0; a < d; a++) { negHessian[(c * d + a) * m + col]! += pdu[a]!; negHessian[col * m + c * d + a]! += pdu[a]! }
      }
      for (const l of active[c]!) {
        const dl = Du[l]!
        let v = 0
        for (let a = 0; a < d; a++) v += pdu[a]! * dl[a]! // u' D_j P D_l u
        negHessian[col * m + nm + l]! += v - 0.5 * trPDPD.get((c * nf + j) * nf + l)!
      }
    }
  }
}

/**
 * What both forms read, made once per call: the precisions P_c, the directions D_j of
 * the first `count` free coordinates, and per active (c, j) the products P_c D_j with
 * tr(P_c D_j) and tr(P_c D_j P_c D_l) (keys c * count + j and (c * count + j) * count + l).
 */
function louisTerms(strategy: CovarianceStrategy, k: number, d: number, params: GaussianParams, entries: CovarianceFreeEntries, count: number, unit: 'component' | 'state') {
  const dd = d * d
  const full = strategy.expandFull(params.covariances, k, d)
  const P = new Float64Array(k * dd)
  for (let c = 0; c < k; c++) {
    const inv = inverseSPD(full.subarray(c * dd, (c + 1) * dd), d)
    if (!inv) throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of ${unit} ${c} is not positive definite: no standard errors.${unit === 'component' ? ' Use a larger regCovar or fewer components.' : ''}`, { component: c })
    P.set(inv, c * dd)
  }
  const { D, active } = covarianceDirections(strategy, entries, count, k, d)
  const PD = new Map<number, Float64Array>(), trPD = new Map<number, number>(), trPDPD = new Map<number, number>()
  for (let c = 0; c < k; c++) {
    for (const j of active[c]!) PD.set(c * count + j, matMul(P.subarray(c * dd, (c + 1) * dd), D[j]!.subarray(c * dd, (c + 1) * dd), d, d, d))
    for (const j of active[c]!) {
      const pd = PD.get(c * count + j)!
      trPD.set(c * count + j, trace(pd, d))
      for (const l of active[c]!) trPDPD.set((c * count + j) * count + l, trace(matMul(pd, PD.get(c * count + l)!, d, d, d), d))
    }
  }
  return { P, D, active, PD, trPD, trPDPD }
}

function trace(a: Float64Array, d: number): number {
  let t = 0
  for (let i = 0; i < d; i++) t += a[i * d + i]!
  return t
}

/** u = P_c (x_i - mu_c), written into `u` (the row's precision-weighted residual both forms start from). */
function precisionTimesResidual(P: Float64Array, x: Float64Array, means: Float64Array, d: number, u: Float64Array): (i: number, c: number) => void {
  const dd = d * d
  return (i, c) => {
    const Pc = P.subarray(c * dd, (c + 1) * dd)
    for (let a = 0; a < d; a++) {
      let s = 0
      for (let b = 0; b < d; b++) s += Pc[a * d + b]! * (x[i * d + b]! - means[c * d + b]!)
      u[a] = s
    }
  }
}

/**
 * The covariance's free coordinates as directions in full storage: D[j] (k x d x d) is
 * the change of every Sigma_c per unit of free coordinate j (the first `count`); active[c]
 * lists the coordinates that move component c.
 */
function covarianceDirections(strategy: CovarianceStrategy, entries: CovarianceFreeEntries, count: number, k: number, d: number): { D: Float64Array[]; active: number[][] } {
  const dd = d * d
  const D: Float64Array[] = [], active: number[][] = Array.from({ length: k }, () => [])
  for (let j = 0; j < count; j++) {
    const unit = new Float64Array(entries.source.length)
    for (let s = 0; s < unit.length; s++) if (entries.source[s] === j) unit[s] = 1
    const dir = strategy.expandFull(unit, k, d)
    D.push(dir)
    for (let c = 0; c < k; c++) if (dir.subarray(c * dd, (c + 1) * dd).some((v) => v !== 0)) active[c]!.push(j)
  }
  return { D, active }
}
