/**
 * mclust's spherical and diagonal models other than scikit-learn's (VII = spherical,
 * VVI = diag): EII (one variance), EEI (one diagonal matrix), VEI (lambda_k B) and EVI
 * (lambda B_k), B diagonal with det 1. They keep the storage and density kernels of
 * the spherical (k variances) and diag (k x d) strategies; only the M-step and the
 * parameter count differ.
 */
import { type CovarianceStrategy, singular } from '../covariance.js'
import { COVARIANCE } from '../covariance-table.js'
import { diagonalScatters, geometricMean, INNER_MAX_ITER, innerConverged, masses, toUnitDeterminant } from './algebra.js'
import { celeuxGovaertChart } from './chart.js'

/** EII: sigma^2 I for all, sigma^2 = sum_k tr W_k / (n d). */
export const EII: CovarianceStrategy = {
  ...COVARIANCE.spherical,
  type: 'EII',
  chart: celeuxGovaertChart({ volume: 'E', shape: 'I', orientation: 'I' }),
  freeParameters: () => 1,
  fromStats(stats, nk, k, d, reg) {
    const w = diagonalScatters(stats, nk, k, d)
    let s = 0
    for (let p = 0; p < k * d; p++) s += w[p]!
    return new Float64Array(k).fill(s / (masses(stats, k).total * d) + reg)
  },
  minPoints: () => 1,
}

/** EEI: one diagonal matrix sum_k diag(W_k) / n. */
export const EEI: CovarianceStrategy = {
  ...COVARIANCE.diag,
  type: 'EEI',
  chart: celeuxGovaertChart({ volume: 'E', shape: 'E', orientation: 'I' }),
  freeParameters: (_k, d) => d,
  fromStats(stats, nk, k, d, reg) {
    const w = diagonalScatters(stats, nk, k, d)
    const { total } = masses(stats, k)
    const out = new Float64Array(k * d)
    for (let j = 0; j < d; j++) {
      let s = 0
      for (let c = 0; c < k; c++) s += w[c * d + j]!
      for (let c = 0; c < k; c++) out[c * d + j] = s / total + reg
    }
    return out
  },
  minPoints: () => 1,
}

/**
 * VEI: Sigma_k = lambda_k B. mclust's alternation (mevei): lambda_k = sum_j W_kj / B_j
 * / (d n_k), then B_j = sum_k W_kj / lambda_k scaled to det 1, until the largest
 * relative change of lambda and B is below sqrt(eps). Warm-started from the previous
 * B (mclust keeps it between EM iterations; its first M-step starts from B = 1).
 */
export const VEI: CovarianceStrategy = {
  ...COVARIANCE.diag,
  type: 'VEI',
  chart: celeuxGovaertChart({ volume: 'V', shape: 'E', orientation: 'I' }),
  freeParameters: (k, d) => k + d - 1,
  fromStats(stats, nk, k, d, reg, previous) {
    const w = diagonalScatters(stats, nk, k, d)
    const { n } = masses(stats, k)
    const shape = new Float64Array(d).fill(1)
    const scale = new Float64Array(k).fill(1)
    if (previous && previous.length === k * d) {
      for (let j = 0; j < d; j++) shape[j] = previous[j]!
      toUnitDeterminant(shape, 0, d)
      if (!shape.every((v) => v > 0 && Number.isFinite(v))) shape.fill(1)
    }
    for (let inner = 1; inner <= INNER_MAX_ITER; inner++) {
      let change = 0
      for (let c = 0; c < k; c++) {
        let s = 0
        for (let j = 0; j < d; j++) s += w[c * d + j]! / shape[j]!
        const next = s / (d * n[c]!)
        if (!(next > 0) || !Number.isFinite(next)) throw singular(c, reg)
        change = Math.max(change, Math.abs(scale[c]! - next) / (1 + next))
        scale[c] = next
      }
      const before = Float64Array.from(shape)
      for (let j = 0; j < d; j++) {
        let s = 0
        for (let c = 0; c < k; c++) s += w[c * d + j]! / scale[c]!
        shape[j] = s
      }
      if (!shape.every((v) => v > 0 && Number.isFinite(v))) throw singular(null, reg)
      toUnitDeterminant(shape, 0, d)
      for (let j = 0; j < d; j++) change = Math.max(change, Math.abs(before[j]! - shape[j]!) / (1 + shape[j]!))
      if (innerConverged(change, () => change)) break
    }
    const out = new Float64Array(k * d)
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) out[c * d + j] = scale[c]! * shape[j]! + reg
    return out
  },
  minPoints: () => 2,
}

/**
 * EVI: Sigma_k = lambda B_k, closed form: B_k = diag(W_k) / det(diag W_k)^(1/d),
 * lambda = sum_k det(diag W_k)^(1/d) / n (the maximiser of mclust's M-step).
 */
export const EVI: CovarianceStrategy = {
  ...COVARIANCE.diag,
  type: 'EVI',
  chart: celeuxGovaertChart({ volume: 'E', shape: 'V', orientation: 'I' }),
  freeParameters: (k, d) => 1 + k * (d - 1),
  fromStats(stats, nk, k, d, reg) {
    const w = diagonalScatters(stats, nk, k, d)
    const { total } = masses(stats, k)
    const g = new Float64Array(k)
    let lambda = 0
    for (let c = 0; c < k; c++) {
      g[c] = geometricMean(w, c * d, d)
      if (!(g[c]! > 0) || !Number.isFinite(g[c]!)) throw singular(c, reg)
      lambda += g[c]!
    }
    lambda /= total
    const out = new Float64Array(k * d)
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) out[c * d + j] = lambda * w[c * d + j]! / g[c]! + reg
    return out
  },
  minPoints: () => 2,
}
