/**
 * The Gaussian component as the HMMs' Gaussian emissions use it (hmm/emissions.ts:
 * GaussianEmission; the GMM-HMM's mixtures too): GaussianComponent with the rest of the
 * component interface, which the Gaussian mixture does not run (observations loaded
 * into kernel memory, statistics and the M-step at the parameters' own means, online
 * EM's recentring, Louis's per-row derivatives, Q, one member's draws). Apart from
 * gaussian.ts so that a Gaussian mixture's bundle leaves it out.
 */
import { DegenerateError } from '../../core/errors.js'
import { cholesky } from '../../core/math/dense.js'
import type { Matrix } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { F64Buffer, Kernels } from '../../kernels/types.js'
import type { Component } from './component.js'
import { COVARIANCE } from '../gmm/covariance-table.js'
import type { CovarianceType } from '../gmm/covariance.js'
import { recentreGaussianStats } from './gaussian-recentre.js'
import { GaussianComponent, type GaussianData, type GaussianFitFlags, type GaussianParams } from './gaussian.js'

export class GaussianEmission extends GaussianComponent implements Component<GaussianParams, GaussianData> {
  /** Cholesky factors for sampling, per parameters (parameters are never mutated). */
  private readonly factors = new WeakMap<GaussianParams, Float64Array>()

  /** scikit-learn's four structures, all in the table the HMMs import (a mixture's fit loads all but full on demand). */
  constructor(kernels: Kernels, k: number, d: number, covarianceType: CovarianceType, regCovar: number, fit?: GaussianFitFlags) {
    super(kernels, k, d, COVARIANCE[covarianceType], regCovar, fit)
  }

  /** Rows lo..hi as data of their own (the HMM's passes over blocks). */
  rows(data: GaussianData, lo: number, hi: number): GaussianData {
    return { ...data, x: data.x.subarray(lo * this.d, hi * this.d) }
  }

  /** The rows into kernel memory, unless prepare was lent them there (then x is m's own memory). */
  load(data: GaussianData, m: Matrix): void {
    const x = data.x.view, rows = m.data
    if (x.buffer !== rows.buffer || x.byteOffset !== rows.byteOffset) x.set(rows)
  }

  rowDerivatives(data: GaussianData, params: GaussianParams): (i: number, c: number, score: Float64Array, negHessian: Float64Array) => void {
    const louis = this.louis('per-row derivatives')
    return louis.gaussianRowDerivatives(this.covariance, this.k, this.d, this.fit, data.x.view, params, louis.covarianceFreeEntries(this.covariance, this.k, this.d))
  }

  statistics(data: GaussianData, n: number, weights: F64Buffer, rowWeight: F64Buffer | null, params: GaussianParams, out: Float64Array): void {
    this.statisticsAround(data, n, weights, rowWeight, params.means, out)
  }

  /** Statistics gathered around `from` (k*d means) as gathered around `to` (gaussian-recentre.ts). */
  recentre(stats: Float64Array, from: Float64Array, to: Float64Array): Float64Array {
    return recentreGaussianStats(stats, from, to, this.k, this.d, this.covariance.statsKernel === 'statsFull')
  }

  /** `recentre` between the means of two parameter sets (online EM). */
  recentreParams(stats: Float64Array, from: GaussianParams, to: GaussianParams): Float64Array {
    return this.recentre(stats, from.means, to.means)
  }

  /** Sum over members of N log N(. | mean, covariance) from the statistics around `at`'s means: the mixture's complete log-likelihood with weights of 1. */
  completeLogLik(stats: Float64Array, at: GaussianParams, params: GaussianParams): number {
    return this.louis('complete-data log-likelihood').completeLogLikAround(this, stats.subarray(0, this.statsSize), at.means, { ...params, weights: new Float64Array(this.k).fill(1) })
  }

  fromStats(stats: Float64Array, params: GaussianParams): GaussianParams {
    return this.fromStatsAround(stats, params.means, params)
  }

  /** mean_c + L_c z, z standard normal (d draws of `rng`). */
  sample(params: GaussianParams, c: number, rng: Rng): number[] {
    const { k, d } = this
    let factors = this.factors.get(params)
    if (!factors) {
      const full = this.covariance.expandFull(params.covariances, k, d)
      factors = new Float64Array(k * d * d)
      for (let s = 0; s < k; s++) {
        const l = cholesky(full.subarray(s * d * d, (s + 1) * d * d), d)
        if (!l) throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of component ${s} is not positive definite; refit with a larger regCovar.`, { component: s })
        factors.set(l, s * d * d)
      }
      this.factors.set(params, factors)
    }
    const z = Array.from({ length: d }, () => rng.normal())
    const row = new Array<number>(d)
    for (let j = 0; j < d; j++) {
      let v = params.means[c * d + j]!
      for (let l = 0; l <= j; l++) v += factors[c * d * d + j * d + l]! * z[l]!
      row[j] = v
    }
    return row
  }

}
