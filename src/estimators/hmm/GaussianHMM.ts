/** GaussianHMM: an HMM with Gaussian emissions, each state's covariance in the structure of `covarianceType`. */
import { ONLINE_OPTIONS, type OnlineOptions } from '../engine-options.js'
import { type Matrix, type MatrixInput, toRows } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { flattenShape } from '../../core/shape.js'
import type { Kernels } from '../../kernels/types.js'
import { type CovarianceType, publicCovariances, publicMeans } from '../../models/gmm/covariance.js'
import { COVARIANCE } from '../../models/gmm/covariance-table.js'
import { GaussianEmission, type GaussianEmissionData, type GaussianEmissionParams } from '../../models/hmm/emissions.js'
import { kmeansCenters } from '../../models/init/kmeans-lloyd.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { Shape } from '../base.js'
import type { CovariancesOf } from '../GaussianMixture.js'
import { HmmEstimator } from './base.js'
import { gaussianRows } from './inputs.js'
import { asOption, type FitFlags, GAUSSIAN_EMISSION_OPTIONS, type GaussianEmissionOptions, type HmmInit, hmmOptions, type HmmOptions, parameterOptions, shapedOption } from './options.js'
import { dataCovariance } from './starts.js'

export interface GaussianHMMInit extends HmmInit {
  /** K x d */
  means?: ArrayLike<ArrayLike<number>>
  /** In the shape of the covariance type (as GaussianMixture's). */
  covariances?: ArrayLike<number> | ArrayLike<ArrayLike<number>> | ArrayLike<ArrayLike<ArrayLike<number>>>
}

type Name = 'startProb' | 'transMat' | 'means' | 'covariances'
export type GaussianHMMFitParams = Partial<FitFlags<Name>>

export interface GaussianHMMOptions<T extends CovarianceType = CovarianceType> extends HmmOptions, GaussianEmissionOptions<T>, OnlineOptions {
  /** Parameters to start from (any subset; the others come from the data). */
  init?: GaussianHMMInit
  /** Which parameters Baum-Welch updates (default: all). */
  fitParams?: GaussianHMMFitParams
}

const NAMES: readonly Name[] = ['startProb', 'transMat', 'means', 'covariances']

const SCHEMA = {
  ...hmmOptions('GaussianHMM'),
  ...ONLINE_OPTIONS,
  ...GAUSSIAN_EMISSION_OPTIONS,
  ...parameterOptions<GaussianHMMInit, Name>('GaussianHMM', NAMES),
}

/** Columns of init.means (its first row's length). */
function meansWidth(means: ArrayLike<ArrayLike<number>>): number {
  return means && means.length > 0 && means[0] ? means[0].length : 0
}

export interface GaussianHMM<T extends CovarianceType = CovarianceType> {
  readonly covarianceType: T
  readonly regCovar: number
  readonly init: GaussianHMMInit
  readonly fitParams: FitFlags<Name>
}

/** An HMM with Gaussian emissions; X is number[][] (rows = time steps), a { data, rows, cols } matrix, or number[] for d = 1. */
export class GaussianHMM<T extends CovarianceType = CovarianceType> extends HmmEstimator<GaussianEmissionParams, GaussianEmissionData, GaussianEmission, MatrixInput | ArrayLike<number>, GaussianHMMOptions<T>> {
  static override readonly kind: string = 'GaussianHMM'
  static override readonly schema = SCHEMA

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    super.validate(o)
    const init = o['init'] as GaussianHMMInit, k = o['nComponents'] as number
    if (init.means === undefined) return
    const d = meansWidth(init.means)
    shapedOption(init.means, [k, d], 'init.means')
    if (init.covariances !== undefined) asOption('init.covariances', () => COVARIANCE[o['covarianceType'] as CovarianceType].fromPublic(init.covariances, k, d))
  }

  protected observations(X: unknown): Matrix {
    return gaussianRows(X, this.init.means === undefined ? null : meansWidth(this.init.means))
  }

  protected createEmission(kernels: Kernels, shape: Shape): GaussianEmission {
    return new GaussianEmission(kernels, this.nComponents, shape['nFeatures']!, this.covarianceType, this.regCovar, { means: this.fitParams.means, covariances: this.fitParams.covariances })
  }

  protected loadEmission(emission: GaussianEmission, data: GaussianEmissionData, X: Matrix): void {
    emission.load(data, X)
  }

  protected startEmission(emission: GaussianEmission, data: GaussianEmissionData, dataset: Dataset, rng: Rng): GaussianEmissionParams {
    const { k, d } = emission
    const means = this.init.means !== undefined
      ? flattenShape(this.init.means, [k, d], 'init.means')
      : kmeansCenters({ kernels: emission.kernels, x: data.x, n: dataset.X.rows, d, weight: null }, k, rng)
    const covariances = this.init.covariances !== undefined
      ? asOption('init.covariances', () => emission.covariance.fromPublic(this.init.covariances, k, d))
      : emission.covariance.fromDataCovariance(dataCovariance(dataset.X, this.regCovar), k, d)
    return emission.makeParams(means, covariances)
  }

  protected givenShape(): Shape | null {
    const { means, covariances } = this.init
    return means !== undefined && covariances !== undefined ? { nFeatures: meansWidth(means) } : null
  }

  protected givenEmission(emission: GaussianEmission): GaussianEmissionParams {
    const { k, d } = emission
    return emission.makeParams(flattenShape(this.init.means, [k, d], 'init.means'), emission.covariance.fromPublic(this.init.covariances, k, d))
  }

  // ---- parameters (hmmlearn's means_ and covars_, the latter in the covariance type's shape as GaussianMixture's) ----

  get means(): number[][] { const s = this.emissionState('means'); return publicMeans(s.emission, s.params.means) }

  get covariances(): CovariancesOf<T> { const s = this.emissionState('covariances'); return publicCovariances(s.emission, s.params.covariances) as CovariancesOf<T> }

  /** Every state's covariance in full form, K x d x d, whatever the covariance type (as GaussianMixture's). */
  get fullCovariances(): number[][][] {
    const { emission: { k, d, covariance }, params } = this.emissionState('fullCovariances')
    const full = covariance.expandFull(params.covariances, k, d)
    return Array.from({ length: k }, (_, c) => toRows(full.subarray(c * d * d), d, d))
  }

  /** n steps of one sequence: { X (n x d), states }; successive calls continue the stream. */
  sample(n: number): { X: number[][]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[][], states }
  }
}
