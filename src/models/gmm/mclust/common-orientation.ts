/**
 * mclust's ellipsoidal models with one orientation D for all components (besides EEE =
 * tied): VEE (lambda_k C, det C = 1), EVE (lambda D A_k D^T) and VVE (lambda_k D A_k
 * D^T). All three M-steps iterate (mclust's msvee, mseve, msvve): VEE alternates C and
 * lambda_k; EVE and VVE update D by the two majorisation-minimisation steps of Browne
 * and McNicholas (2014), each the orthogonal factor of a d x d matrix, until the
 * target's relative change is below sqrt(eps). They keep the full strategy's storage.
 */
import { inverseSPD } from '../../../core/math/inverse-spd.js'
import { matMul, transpose } from '../../../core/math/dense-general.js'
import { type CovarianceStrategy, singular } from '../covariance.js'
import { COVARIANCE } from '../covariance-table.js'
import { eigenOf, fromAxes, INNER_MAX_ITER, INNER_TOL, innerConverged, innerTightened, relativeChange, logDet, masses, orthogonalFactor, scatters, toUnitDeterminant } from './algebra.js'
import { celeuxGovaertChart } from './chart.js'

/**
 * VEE: C = sum_k W_k / lambda_k scaled to det 1, lambda_k = tr(C^-1 W_k) / (d n_k),
 * until n d + d sum_k n_k log lambda_k changes by less than sqrt(eps) relative;
 * lambda_k warm-started from the previous covariances (det^(1/d)), else 1 as mclust.
 */
export const VEE: CovarianceStrategy = {
  ...COVARIANCE.full,
  type: 'VEE',
  chart: celeuxGovaertChart({ volume: 'V', shape: 'E', orientation: 'E' }),
  freeParameters: (k, d) => k + (d - 1) + (d * (d - 1)) / 2,
  fromStats(stats, nk, k, d, reg, previous) {
    const w = scatters(stats, nk, k, d)
    const { n, total } = masses(stats, k)
    const dd = d * d
    const scale = new Float64Array(k).fill(1)
    if (previous && previous.length === k * dd) {
      for (let c = 0; c < k; c++) scale[c] = Math.exp(logDet(previous, c * dd, d) / d)
      if (!scale.every((v) => v > 0 && Number.isFinite(v))) scale.fill(1)
    }
    let C = new Float64Array(dd)
    let target = Infinity
    for (let inner = 1; inner <= INNER_MAX_ITER; inner++) {
      const before = innerTightened() ? [C.slice(), scale.slice()] as const : null
      C = new Float64Array(dd)
      for (let c = 0; c < k; c++) for (let p = 0; p < dd; p++) C[p] += w[c * dd + p]! / scale[c]!
      const g = Math.exp(logDet(C, 0, d) / d)
      if (!(g > 0) || !Number.isFinite(g)) throw singular(null, reg)
      for (let p = 0; p < dd; p++) C[p] = C[p]! / g
      const Cinv = inverseSPD(C, d)
      if (!Cinv) throw singular(null, reg)
      let next = total * d
      for (let c = 0; c < k; c++) {
        let tr = 0
        for (let p = 0; p < dd; p++) tr += Cinv[p]! * w[c * dd + p]!
        scale[c] = tr / (d * n[c]!)
        if (!(scale[c]! > 0)) throw singular(c, reg)
        next += d * n[c]! * Math.log(scale[c]!)
      }
      const change = Math.abs(next - target) / (1 + Math.abs(next))
      target = next
      if (innerConverged(change, () => Math.max(relativeChange(before![0], C), relativeChange(before![1], scale)))) break
    }
    const out = new Float64Array(k * dd)
    for (let c = 0; c < k; c++) {
      for (let p = 0; p < dd; p++) out[c * dd + p] = scale[c]! * C[p]!
      for (let j = 0; j < d; j++) out[c * dd + j * d + j] += reg
    }
    return out
  },
}

interface Axes {
  /** d x d, the rows are the common axes. */
  O: Float64Array
  /** k x d, each row with product 1. */
  shape: Float64Array
}

/**
 * The starting axes: mclust's first M-step starts from O = I, shape 1; later ones from
 * the previous iteration's, here read back from the previous covariances (the
 * eigenvectors of the most elongated one, which all of them share).
 */
function startingAxes(previous: Float64Array | undefined, k: number, d: number): Axes {
  const dd = d * d
  const O = new Float64Array(dd)
  for (let j = 0; j < d; j++) O[j * d + j] = 1
  const shape = new Float64Array(k * d).fill(1)
  if (!previous || previous.length !== k * dd) return { O, shape }
  let best = 0, bestRatio = -1
  for (let c = 0; c < k; c++) {
    const v = eigenOf(previous, c * dd, d).values
    const ratio = v[0]! / v[d - 1]!
    if (ratio > bestRatio) { bestRatio = ratio; best = c }
  }
  const vectors = eigenOf(previous, best * dd, d).vectors
  const axes = new Float64Array(dd)
  for (let j = 0; j < d; j++) for (let p = 0; p < d; p++) axes[j * d + p] = vectors[p * d + j]!
  const s = new Float64Array(k * d)
  for (let c = 0; c < k; c++) {
    diagonalIn(axes, previous, c * dd, d, s, c * d)
    toUnitDeterminant(s, c * d, d)
  }
  if (!s.every((v) => v > 0 && Number.isFinite(v))) return { O, shape }
  return { O: axes, shape: s }
}

/** out[outOffset + j] = (O M O^T)_jj for the d x d block M at mOffset. */
function diagonalIn(O: Float64Array, m: Float64Array, mOffset: number, d: number, out: Float64Array, outOffset: number): void {
  for (let j = 0; j < d; j++) {
    let s = 0
    for (let p = 0; p < d; p++) {
      let row = 0
      for (let q = 0; q < d; q++) row += m[mOffset + p * d + q]! * O[j * d + q]!
      s += O[j * d + p]! * row
    }
    out[outOffset + j] = s
  }
}

/**
 * The two MM updates of the common axes for the shapes now in `axes` (mclust's
 * mseve/msvve): with Lambda_k = diag(1 / shape_k) and omega_k the largest eigenvalue
 * of W_k, O <- orth(sum_k Lambda_k O W_k - omega_k Lambda_k O)^T, then
 * O <- orth(sum_k W_k O Lambda_k - max(Lambda_k) W_k O)^T.
 */
function updateAxes(axes: Axes, w: Float64Array, omega: Float64Array, k: number, d: number): void {
  const dd = d * d
  let F = new Float64Array(dd)
  for (let c = 0; c < k; c++) {
    const LO = new Float64Array(dd)
    for (let j = 0; j < d; j++) for (let p = 0; p < d; p++) LO[j * d + p] = axes.O[j * d + p]! / axes.shape[c * d + j]!
    const LOW = matMul(LO, w.subarray(c * dd, (c + 1) * dd), d, d, d)
    for (let p = 0; p < dd; p++) F[p] += LOW[p]! - omega[c]! * LO[p]!
  }
  axes.O = transpose(orthogonalFactor(F, d), d, d)
  F = new Float64Array(dd)
  for (let c = 0; c < k; c++) {
    const WO = matMul(w.subarray(c * dd, (c + 1) * dd), axes.O, d, d, d)
    let most = 0
    for (let j = 0; j < d; j++) most = Math.max(most, 1 / axes.shape[c * d + j]!)
    for (let p = 0; p < d; p++) for (let j = 0; j < d; j++) F[p * d + j] += WO[p * d + j]! / axes.shape[c * d + j]! - most * WO[p * d + j]!
  }
  axes.O = transpose(orthogonalFactor(F, d), d, d)
}

/** The common-axes iteration of EVE (equalScale) and VVE; returns the axes, shapes and per-component scales. */
function commonAxes(stats: Float64Array, nk: Float64Array, k: number, d: number, reg: number, previous: Float64Array | undefined, equalScale: boolean): { axes: Axes; scale: Float64Array } {
  const w = scatters(stats, nk, k, d)
  const { n, total } = masses(stats, k)
  const dd = d * d
  const omega = new Float64Array(k)
  for (let c = 0; c < k; c++) {
    const v = eigenOf(w, c * dd, d).values
    // mclust refuses an absolute sqrt(eps) here, which depends on the data's units: only a singular W_k is refused
    if (!(v[d - 1]! > 0)) throw singular(c, reg)
    omega[c] = v[0]!
  }
  const axes = startingAxes(previous, k, d)
  const scale = new Float64Array(k)
  let before = Infinity
  let target = 0
  for (let inner = 1; inner <= INNER_MAX_ITER; inner++) {
    const was = innerTightened() ? shapedAxes(axes, k, d) : null
    updateAxes(axes, w, omega, k, d)
    target = 0
    for (let c = 0; c < k; c++) {
      const diag = new Float64Array(d)
      diagonalIn(axes.O, w, c * dd, d, diag, 0)
      if (!equalScale) for (let j = 0; j < d; j++) diag[j] = diag[j]! / n[c]!
      scale[c] = toUnitDeterminant(diag, 0, d)
      axes.shape.set(diag, c * d)
      for (let j = 0; j < d; j++) if (!(diag[j]! >= INNER_TOL)) throw singular(c, reg)
      // the target mclust monitors: sum_k tr(O W_k O^T diag(1 / shape_k))
      const raw = new Float64Array(d)
      diagonalIn(axes.O, w, c * dd, d, raw, 0)
      for (let j = 0; j < d; j++) target += raw[j]! / diag[j]!
    }
    const change = Math.abs(target - before) / (1 + Math.abs(target))
    before = target
    if (innerConverged(change, () => relativeChange(was!, shapedAxes(axes, k, d)))) break
  }
  if (equalScale) scale.fill(target / (total * d))
  return { axes, scale }
}

/** O^T diag(shape_k) O for every component: the axes and shapes without the sign ambiguity of the axes. */
function shapedAxes(axes: Axes, k: number, d: number): Float64Array {
  const out = new Float64Array(k * d * d)
  for (let c = 0; c < k; c++) fromAxes(axes.O, axes.shape, c * d, 1, d, out, c * d * d, 0)
  return out
}

function fromCommonAxes(axes: Axes, scale: Float64Array, k: number, d: number, reg: number): Float64Array {
  const out = new Float64Array(k * d * d)
  for (let c = 0; c < k; c++) fromAxes(axes.O, axes.shape, c * d, scale[c]!, d, out, c * d * d, reg)
  return out
}

/** EVE: lambda D A_k D^T, lambda = target / (n d). */
export const EVE: CovarianceStrategy = {
  ...COVARIANCE.full,
  type: 'EVE',
  chart: celeuxGovaertChart({ volume: 'E', shape: 'V', orientation: 'E' }),
  freeParameters: (k, d) => 1 + k * (d - 1) + (d * (d - 1)) / 2,
  fromStats(stats, nk, k, d, reg, previous) {
    const { axes, scale } = commonAxes(stats, nk, k, d, reg, previous, true)
    return fromCommonAxes(axes, scale, k, d, reg)
  },
}

/**
 * VVE: lambda_k D A_k D^T, lambda_k A_k = diag(D^T W_k D) / n_k. The axes' MM updates
 * weigh W_k by 1 / A_k without 1 / lambda_k, as mclust's do, so for unequal volumes the
 * M-step does not maximise Q over D and EM's fixed point is not a stationary point of
 * the likelihood (faithful, G = 2: turning mclust's own estimate's axes by 1.3 mrad
 * raises its log-likelihood by 0.072, checked in R). Kept for mclust's BIC table; SEM's
 * standard errors, which assume an exact M-step, differ there (test/information/mclust-models).
 */
export const VVE: CovarianceStrategy = {
  ...COVARIANCE.full,
  type: 'VVE',
  chart: celeuxGovaertChart({ volume: 'V', shape: 'V', orientation: 'E' }),
  freeParameters: (k, d) => k + k * (d - 1) + (d * (d - 1)) / 2,
  fromStats(stats, nk, k, d, reg, previous) {
    const { axes, scale } = commonAxes(stats, nk, k, d, reg, previous, false)
    return fromCommonAxes(axes, scale, k, d, reg)
  },
}
