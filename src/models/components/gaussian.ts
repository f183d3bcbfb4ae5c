import { notLoaded } from '../../core/errors.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import { type CovarianceStrategy, FactorWorkspace } from '../gmm/covariance.js'
import { type Component, MASS_EPS } from './component.js'
import type { Parameterisation } from '../../engine/types.js'
import { gaussianFarRows, type PrecisionLayout } from '../common/far.js'

/**
 * k Gaussians in d dimensions, every covariance structure through the strategy table
 * (gmm/covariance.ts): the density kernels (logDensityFull / logDensityDiag) for the
 * log-densities, statsFull / statsDiag for the statistics, the strategy's fromStats
 * for the covariances. The Gaussian mixture and the Gaussian HMM both use it, and the
 * GMM-HMM runs one per state.
 *
 * Statistics are [N (k) | S1 (k*d) | S2 (k*d*d full, or k*d diagonal)] gathered
 * around reference points (the current means), not raw moments, so they keep their
 * digits when the data sit far from 0. The M-step follows scikit-learn: masses plus
 * 10 eps, means (S1 + N ref) / nk, covariances the scatter about the new means over
 * nk, plus regCovar on the diagonal.
 */

/** gaussian-louis.ts once a component's loadDerivatives has imported it (one module for every component). */
let louis: typeof import('./gaussian-louis.js') | null = null

export interface GaussianParams {
  readonly means: Float64Array
  /** Layout of the covariance strategy (full: k*d*d, tied: d*d, diag: k*d, spherical: k). */
  readonly covariances: Float64Array
  /** Derived for the density kernels (see CovarianceStrategy.precisions). */
  readonly precision: Float64Array
  readonly logDetP: Float64Array
}

export interface GaussianData {
  /** The rows, n x d. */
  readonly x: F64Buffer
  readonly means: F64Buffer
  readonly precision: F64Buffer
  readonly logDetP: F64Buffer
  readonly stats: F64Buffer
}

/** Which parameters the M-step updates (the others stay as they are). */
export interface GaussianFitFlags {
  readonly means: boolean
  readonly covariances: boolean
}

const FIT_ALL: GaussianFitFlags = { means: true, covariances: true }

/**
 * What the Gaussian mixture runs of the component (gmm/model.ts). The rest of the
 * component interface (loading observations, statistics and the M-step at the
 * parameters' own means, online EM's recentring, Louis's per-row derivatives, Q, one
 * member's draws) is what the HMMs' Gaussian emissions add: GaussianEmission
 * (gaussian-emission.ts), so a mixture's bundle carries none of it.
 */
export type GaussianEmissionParts = 'load' | 'statistics' | 'fromStats' | 'recentreParams' | 'rowDerivatives' | 'completeLogLik' | 'sample'

export class GaussianComponent implements Omit<Component<GaussianParams, GaussianData>, GaussianEmissionParts> {
  readonly name = 'gaussian'
  readonly statsSize: number
  private readonly workspace: FactorWorkspace

  constructor(
    readonly kernels: Kernels, readonly k: number, readonly d: number, readonly covariance: CovarianceStrategy,
    readonly regCovar: number, readonly fit: GaussianFitFlags = FIT_ALL,
  ) {
    this.statsSize = k + k * d + (this.covariance.statsKernel === 'statsFull' ? k * d * d : k * d)
    this.workspace = new FactorWorkspace(kernels, k, d)
  }


  /** Buffers for n rows; `rows`: the rows already in kernel memory (Arena.lend), used in place of a copy. */
  prepare(arena: Arena, n: number, rows: F64Buffer | null = null): GaussianData {
    const { k, d } = this
    return {
      x: rows ?? arena.f64(n * d),
      means: arena.f64(k * d),
      precision: arena.f64(this.covariance.precisionSize(k, d)),
      logDetP: arena.f64(k),
      stats: arena.f64(this.statsSize),
    }
  }

  /**
   * Standard-error coordinates: mean[c][j] and each fitted covariance entry once
   * (gaussian-louis.ts's gaussianFree, imported with the derivatives: await
   * loadDerivatives(), as the models' loadInformation does, first).
   */
  get free(): Parameterisation<GaussianParams> {
    return this.louis('standard-error coordinates').gaussianFree(this)
  }

  /** Import the per-row derivatives and the standard-error coordinates (gaussian-louis.ts: only standard errors use them, so bundles leave them out until then). */
  async loadDerivatives(): Promise<void> {
    louis ??= await import('./gaussian-louis.js')
  }

  /** gaussian-louis.ts, once loadDerivatives has run (else the error naming `part`, which needs it). */
  protected louis(part: string): typeof import('./gaussian-louis.js') {
    if (!louis) throw notLoaded(`The ${this.name} component's ${part}`, "loadDerivatives() (the model's loadInformation)")
    return louis
  }

  /** Parameters from means and covariances; derives the precision factors (may throw DegenerateError). */
  makeParams(means: Float64Array, covariances: Float64Array): GaussianParams {
    const { precision, logDetP } = this.covariance.precisions(covariances, this.k, this.d, this.workspace.scratch, this.regCovar)
    return { means, covariances, precision, logDetP }
  }

  /**
   * out[i*k + c] = log N(x_i | member c). With `far` (n values, -Infinity on entry),
   * rows too far from every member to be represented are given relative to an offset
   * e^{far[i]} instead (common/far.ts): the true log-density is out - e^{far[i]}.
   */
  logDensities(data: GaussianData, n: number, params: GaussianParams, out: F64Buffer, far?: Float64Array): void {
    data.means.view.set(params.means)
    data.precision.view.set(params.precision)
    data.logDetP.view.set(params.logDetP)
    this.covariance.logDensity(this.kernels, { x: data.x, n, means: data.means, precision: data.precision, logDetP: data.logDetP, out }, this.k, this.d)
    if (far) gaussianFarRows(data.x.view, n, this.d, params.means, this.k, params.precision, precisionLayout(this.covariance, this.d), params.logDetP, out.view, far)
  }

  /** Statistics around any reference points `ref` (k*d), e.g. k-means centers at the start. */
  statisticsAround(data: GaussianData, n: number, weights: F64Buffer, rowWeight: F64Buffer | null, ref: Float64Array, out: Float64Array): void {
    data.means.view.set(ref)
    this.kernels[this.covariance.statsKernel](data.x, n, this.d, weights, this.k, rowWeight, data.means, data.stats)
    out.set(data.stats.view.subarray(0, this.statsSize))
  }

  /**
   * The M-step from statistics gathered around `ref`. Means not fitted stay at `ref`
   * (the covariances are then the scatter about them: the statistics with S1 = 0);
   * covariances not fitted are kept from `keep`.
   */
  fromStatsAround(stats: Float64Array, ref: Float64Array, keep?: GaussianParams): GaussianParams {
    const { k, d } = this
    const nk = new Float64Array(k)
    for (let c = 0; c < k; c++) nk[c] = stats[c]! + MASS_EPS
    let means = ref
    let forCov = stats
    if (this.fit.means) {
      means = new Float64Array(k * d)
      for (let c = 0; c < k; c++) {
        // (S1 + N ref) / nk is sum_i r x_i / nk, as scikit-learn computes the mean.
        for (let j = 0; j < d; j++) means[c * d + j] = (stats[k + c * d + j]! + stats[c]! * ref[c * d + j]!) / nk[c]!
      }
    } else {
      forCov = Float64Array.from(stats)
      forCov.fill(0, k, k + k * d)
    }
    let covariances: Float64Array
    if (this.fit.covariances) covariances = this.covariance.fromStats(forCov, nk, k, d, this.regCovar, keep?.covariances)
    else if (keep) covariances = keep.covariances
    else throw new Error('emkit: fixed covariances need the parameters they are kept from')
    return this.makeParams(means, covariances)
  }

  nParameters(): number {
    return (this.fit.means ? this.k * this.d : 0) + (this.fit.covariances ? this.covariance.freeParameters(this.k, this.d) : 0)
  }

  /** [means | covariances]. */
  pack(params: GaussianParams): Float64Array {
    const out = new Float64Array(params.means.length + params.covariances.length)
    out.set(params.means, 0)
    out.set(params.covariances, params.means.length)
    return out
  }

  unpack(vec: Float64Array, like: GaussianParams): GaussianParams {
    const m = like.means.length
    return this.makeParams(vec.slice(0, m), vec.slice(m, m + like.covariances.length))
  }

  /** Finite, and every covariance positive definite. */
  isValid(vec: Float64Array, like: GaussianParams): boolean {
    for (let p = 0; p < vec.length; p++) if (!Number.isFinite(vec[p]!)) return false
    try {
      this.unpack(Float64Array.from(vec), like)
      return true
    } catch {
      return false
    }
  }

  /** Free the work space (the component stays usable: it is made again when needed). */
  dispose(): void {
    this.workspace.dispose()
  }
}

/** How a covariance strategy lays out its precision factors (for common/far.ts). */
export function precisionLayout(covariance: CovarianceStrategy, d: number): PrecisionLayout {
  return covariance.statsKernel === 'statsDiag' ? 'diag' : covariance.shared ? 0 : d * d
}
