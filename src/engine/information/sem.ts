/**
 * Supplemented EM (Meng & Rubin 1991). EM's map M has Jacobian DM at the MLE equal to
 * the fraction of missing information, I_oc^-1 I_mis, so the observed information is
 * I_o = I_oc (I - DM') (DM' = dM/dtheta, the transpose of Meng & Rubin's DM). DM is
 * found here by Richardson-extrapolated central differences of the EM map in the
 * free coordinates (one E- and M-step per evaluation) rather than Meng & Rubin's
 * forward ratios along EM's own path: the same derivative, to ~1e-9 instead of ~1e-4.
 * I_oc = -d2 Q(theta | theta_hat) / d theta2 at theta_hat, from Q of the E-step's
 * statistics. The largest eigenvalue of DM is EM's rate of convergence.
 */
import { cholesky, invertLower } from '../../core/math/dense.js'
import { matMul, symmetricEigen, transpose } from '../../core/math/dense-general.js'
import { curvatureSteps, richardsonHessian, richardsonJacobian } from '../../core/math/derivatives.js'
import type { EMModel, Parameterisation, PreparedData } from '../types.js'
import { symmetrise } from './covariance.js'
import { inFreeCoordinates, probeSteps } from './parameterisation.js'

type QFunction<P, D> = (stats: Float64Array, at: P, params: P, data: D) => number

/** Q(params | at) from the statistics of the E-step at `at`, by what the model offers; null when it offers nothing. */
export function qFunctionOf<P, D extends PreparedData>(model: EMModel<P, D>): QFunction<P, D> | null {
  const own = model.information?.q
  if (own) return own
  const inc = model.incremental
  if (inc) return (stats, at, params, data) => inc.completeLogLik(inc.recentre(stats, at, params), params, data)
  const mc = model.monteCarlo
  // The Monte Carlo completeLogLik is Q only when it is linear in the statistics (so the
  // E-step's expected statistics stand for the mean over draws); a model that needs
  // mStepFromDraws is not of that kind.
  if (mc && !mc.mStepFromDraws && !model.variational) return (stats, _at, params, data) => mc.completeLogLik(stats, params, data)
  return null
}

export interface SemResult {
  readonly info: Float64Array
  /** Meng & Rubin's DM: dm[i][j] = d M_j / d theta_i. */
  readonly dm: Float64Array
  readonly complete: Float64Array
  readonly rate: number
}

export function semInformation<P, D extends PreparedData>(model: EMModel<P, D>, data: D, params: P, par: Parameterisation<P>, q: QFunction<P, D>, names: readonly string[]): SemResult {
  const x = par.toFree(params)
  const m = x.length
  const stats = model.eStep(data, params).stats
  const qOf = inFreeCoordinates(par, params, (p) => q(stats, params, p, data))
  // steps scaled by Q's curvature (cheap: Q needs no pass over the data)
  const steps = curvatureSteps(qOf, x)
  const step = model.information?.emMap?.bind(model.information) ?? ((d: D, at: P) => model.mStep(model.eStep(d, at).stats, at, d))
  const emMap = inFreeCoordinates(par, params, (at) => par.toFree(step(data, at)))
  probeSteps(x, steps, names, 'the EM map', emMap)
  const J = richardsonJacobian(emMap, x, { steps }).jacobian
  const complete = richardsonHessian(qOf, x, { steps })
  for (let i = 0; i < complete.length; i++) complete[i] = -complete[i]!
  // I_o = I_oc - I_oc J (J = dM/dtheta)
  const ocJ = matMul(complete, J, m, m, m)
  const info = new Float64Array(m * m)
  for (let i = 0; i < info.length; i++) info[i] = complete[i]! - ocJ[i]!
  return { info, dm: transpose(J, m, m), complete, rate: largestRate(complete, ocJ, J, m) }
}

/**
 * The largest eigenvalue of J = I_oc^-1 I_mis: that of the symmetric L^-1 I_mis L^-T
 * (I_oc = L L'), whose eigenvalues are J's and real; if I_oc is not positive definite,
 * power iteration on J.
 */
function largestRate(complete: Float64Array, missing: Float64Array, J: Float64Array, m: number): number {
  const L = cholesky(symmetrise(complete, m), m)
  if (L) {
    const Li = invertLower(L, m)
    const S = matMul(matMul(Li, symmetrise(missing, m), m, m, m), transpose(Li, m, m), m, m, m)
    return symmetricEigen(symmetrise(S, m), m).values[0]!
  }
  let v = new Float64Array(m).fill(1 / Math.sqrt(m))
  let lambda = 0
  for (let it = 0; it < 1000; it++) {
    const w = matMul(J, v, m, m, 1)
    const norm = Math.hypot(...w)
    if (norm === 0) return 0
    lambda = norm
    v = w.map((e) => e / norm)
  }
  return lambda
}
