/**
 * scikit-learn's four covariance structures as one table: full (covariance.ts, which
 * every Gaussian mixture carries) and tied, diag and spherical, which a mixture's fit
 * imports only when it uses them (mclust/index.ts: loadCovarianceStrategy); the HMMs,
 * the Bayesian mixture and mclust's models import the table itself.
 */
import type { Kernels } from '../../kernels/types.js'
import { type CovarianceStrategy, type CovarianceType, type DensityBuffers, FULL, lowerFactors, matrixRows, mirrorAndRegularise, type Precisions, PUBLIC_FORMS, repeat, scatterAboutMean, singular } from './covariance.js'

function diagonalVariances(stats: Float64Array, nk: Float64Array, k: number, d: number, regCovar: number): Float64Array {
  const out = new Float64Array(k * d)
  for (let c = 0; c < k; c++) {
    const n = stats[c]!
    for (let j = 0; j < d; j++) {
      const s1 = stats[k + c * d + j]!
      const s2 = stats[k + k * d + c * d + j]!
      const delta = s1 / nk[c]!
      out[c * d + j] = (s2 - 2 * s1 * delta + n * delta * delta) / nk[c]! + regCovar
    }
  }
  return out
}

function diagonalPrecisions(variances: Float64Array, k: number, d: number, regCovar: number, perComponent: number): Precisions {
  const precision = new Float64Array(k * d)
  const logDetP = new Float64Array(k)
  for (let c = 0; c < k; c++) {
    let s = 0
    for (let j = 0; j < d; j++) {
      const v = variances[perComponent === 1 ? c : c * d + j]!
      if (!(v > 0) || !Number.isFinite(v)) throw singular(c, regCovar)
      precision[c * d + j] = 1 / v
      s -= Math.log(v)
    }
    logDetP[c] = 0.5 * s
  }
  return { precision, logDetP }
}

function diagonalDensity(kernels: Kernels, b: DensityBuffers, k: number, d: number): void {
  kernels.logDensityDiag(b.x, b.n, d, b.means, k, b.precision, b.logDetP, b.out)
}

const tied: CovarianceStrategy = {
  ...PUBLIC_FORMS.tied,
  statsKernel: 'statsFull',
  storageSize: (_k, d) => d * d,
  precisionSize: (_k, d) => d * d,
  freeParameters: (_k, d) => (d * (d + 1)) / 2,
  precisions(cov, k, d, scratch, reg) {
    const one = lowerFactors(cov, 1, d, scratch, reg, true)
    return { precision: one.precision, logDetP: new Float64Array(k).fill(one.logDetP[0]!) }
  },
  logDensity: (kernels, b, k, d) => kernels.logDensityFull(b.x, b.n, d, b.means, k, b.precision, 0, b.logDetP, b.out),
  fromStats(stats, nk, k, d, reg) {
    const out = new Float64Array(d * d)
    let total = 0
    for (let c = 0; c < k; c++) total += nk[c]!
    for (let c = 0; c < k; c++) scatterAboutMean(stats, nk, c, k, d, out, 0, 1)
    for (let p = 0; p < d * d; p++) out[p] = out[p]! / total
    mirrorAndRegularise(out, 0, d, reg)
    return out
  },
  toPublic: (cov, _k, d) => matrixRows(cov, 0, d),
  fromDataCovariance: (s) => Float64Array.from(s),
  shared: true,
  // the pooled scatter is estimated from every row; a component needs only its mean
  minPoints: () => 1,
}

const diag: CovarianceStrategy = {
  ...PUBLIC_FORMS.diag,
  statsKernel: 'statsDiag',
  storageSize: (k, d) => k * d,
  precisionSize: (k, d) => k * d,
  freeParameters: (k, d) => k * d,
  precisions: (cov, k, d, _s, reg) => diagonalPrecisions(cov, k, d, reg, d),
  logDensity: diagonalDensity,
  fromStats: diagonalVariances,
  toPublic: (cov, k, d) => matrixRows(cov, 0, k, d),
  fromDataCovariance: (s, k, d) => repeat(Float64Array.from({ length: d }, (_, j) => s[j * d + j]!), k, d),
  shared: false,
  minPoints: () => 2,
}

const spherical: CovarianceStrategy = {
  ...PUBLIC_FORMS.spherical,
  statsKernel: 'statsDiag',
  storageSize: (k) => k,
  precisionSize: (k, d) => k * d,
  freeParameters: (k) => k,
  precisions: (cov, k, d, _s, reg) => diagonalPrecisions(cov, k, d, reg, 1),
  logDensity: diagonalDensity,
  fromStats(stats, nk, k, d, reg) {
    const v = diagonalVariances(stats, nk, k, d, reg)
    const out = new Float64Array(k)
    for (let c = 0; c < k; c++) {
      let s = 0
      for (let j = 0; j < d; j++) s += v[c * d + j]!
      out[c] = s / d
    }
    return out
  },
  toPublic: (cov) => Array.from(cov),
  fromDataCovariance(s, k, d) {
    let trace = 0
    for (let j = 0; j < d; j++) trace += s[j * d + j]!
    return new Float64Array(k).fill(trace / d)
  },
  shared: false,
  minPoints: () => 2,
}


export const COVARIANCE: Readonly<Record<CovarianceType, CovarianceStrategy>> = { full: FULL, diag, spherical, tied }

