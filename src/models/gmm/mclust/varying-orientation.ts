/**
 * mclust's ellipsoidal models whose orientation varies by component (besides VVV =
 * full): EEV (lambda D_k A D_k^T), VEV (lambda_k D_k A D_k^T) and EVV (lambda C_k, det
 * C_k = 1). D_k are the eigenvectors of W_k; they keep the full strategy's storage and
 * kernels (one d x d covariance per component).
 */
import { type CovarianceStrategy, singular } from '../covariance.js'
import { COVARIANCE } from '../covariance-table.js'
import { eigenOf, fromColumns, INNER_MAX_ITER, innerConverged, logDet, masses, scatters, toUnitDeterminant } from './algebra.js'
import { celeuxGovaertChart } from './chart.js'

interface Eigen { readonly values: Float64Array; readonly vectors: Float64Array }

function eigenOfScatters(w: Float64Array, k: number, d: number, reg: number): Eigen[] {
  return Array.from({ length: k }, (_, c) => {
    const e = eigenOf(w, c * d * d, d)
    if (!(e.values[d - 1]! > 0)) throw singular(c, reg)
    return e
  })
}

/** EEV: A = sum_k Omega_k / det(sum_k Omega_k)^(1/d), lambda = det(sum_k Omega_k)^(1/d) / n (closed form). */
export const EEV: CovarianceStrategy = {
  ...COVARIANCE.full,
  type: 'EEV',
  chart: celeuxGovaertChart({ volume: 'E', shape: 'E', orientation: 'V' }),
  freeParameters: (k, d) => 1 + (d - 1) + (k * d * (d - 1)) / 2,
  fromStats(stats, nk, k, d, reg) {
    const eig = eigenOfScatters(scatters(stats, nk, k, d), k, d, reg)
    const shape = new Float64Array(d)
    for (const e of eig) for (let j = 0; j < d; j++) shape[j] += e.values[j]!
    const lambda = toUnitDeterminant(shape, 0, d) / masses(stats, k).total
    const out = new Float64Array(k * d * d)
    eig.forEach((e, c) => fromColumns(e.vectors, shape, 0, lambda, d, out, c * d * d, reg))
    return out
  },
}

/**
 * VEV: mclust's alternation (mevev): lambda_k = sum_j Omega_kj / A_j / (d n_k), then
 * A = sum_k Omega_k / lambda_k scaled to det 1, until the largest relative change is
 * below sqrt(eps); warm-started from the previous A (mclust keeps it between EM
 * iterations; its first M-step starts from A = 1).
 */
export const VEV: CovarianceStrategy = {
  ...COVARIANCE.full,
  type: 'VEV',
  chart: celeuxGovaertChart({ volume: 'V', shape: 'E', orientation: 'V' }),
  freeParameters: (k, d) => k + (d - 1) + (k * d * (d - 1)) / 2,
  fromStats(stats, nk, k, d, reg, previous) {
    const eig = eigenOfScatters(scatters(stats, nk, k, d), k, d, reg)
    const { n } = masses(stats, k)
    const shape = new Float64Array(d).fill(1)
    if (previous && previous.length === k * d * d) {
      const values = eigenOf(previous, 0, d).values
      if (values[d - 1]! > 0) { shape.set(values); toUnitDeterminant(shape, 0, d) }
    }
    const scale = new Float64Array(k).fill(1)
    for (let inner = 1; inner <= INNER_MAX_ITER; inner++) {
      let change = 0
      for (let c = 0; c < k; c++) {
        let s = 0
        for (let j = 0; j < d; j++) s += eig[c]!.values[j]! / shape[j]!
        const next = s / (d * n[c]!)
        change = Math.max(change, Math.abs(scale[c]! - next) / (1 + next))
        scale[c] = next
      }
      const before = Float64Array.from(shape)
      shape.fill(0)
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) shape[j] += eig[c]!.values[j]! / scale[c]!
      if (!shape.every((v) => v > 0 && Number.isFinite(v))) throw singular(null, reg)
      toUnitDeterminant(shape, 0, d)
      for (let j = 0; j < d; j++) change = Math.max(change, Math.abs(before[j]! - shape[j]!) / (1 + shape[j]!))
      if (innerConverged(change, () => change)) break
    }
    const out = new Float64Array(k * d * d)
    eig.forEach((e, c) => fromColumns(e.vectors, shape, 0, scale[c]!, d, out, c * d * d, reg))
    return out
  },
}

/** EVV: C_k = W_k / det(W_k)^(1/d), lambda = sum_k det(W_k)^(1/d) / n (closed form, as mclust's msevv). */
export const EVV: CovarianceStrategy = {
  ...COVARIANCE.full,
  type: 'EVV',
  chart: celeuxGovaertChart({ volume: 'E', shape: 'V', orientation: 'V' }),
  freeParameters: (k, d) => 1 - k + (k * d * (d + 1)) / 2,
  fromStats(stats, nk, k, d, reg) {
    const w = scatters(stats, nk, k, d)
    const g = new Float64Array(k)
    let lambda = 0
    for (let c = 0; c < k; c++) {
      g[c] = Math.exp(logDet(w, c * d * d, d) / d)
      if (!(g[c]! > 0)) throw singular(c, reg)
      lambda += g[c]!
    }
    lambda /= masses(stats, k).total
    const out = new Float64Array(k * d * d)
    for (let c = 0; c < k; c++) {
      const o = c * d * d
      for (let p = 0; p < d * d; p++) out[o + p] = (w[o + p]! * lambda) / g[c]!
      for (let j = 0; j < d; j++) out[o + j * d + j] += reg
    }
    return out
  },
}
