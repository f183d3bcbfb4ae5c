/**
 * GMMHMM: an HMM whose states each emit a mixture of `nMix` Gaussians (hmmlearn's
 * GMMHMM). The model and its differences from hmmlearn are in
 * src/models/components/gaussian-mixture-emission.ts.
 */
import { ONLINE_OPTIONS, type OnlineOptions } from '../engine-options.js'
import { type Matrix, type MatrixInput, toRows } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { flattenShape } from '../../core/shape.js'
import type { Kernels } from '../../kernels/types.js'
import {
  GaussianMixtureEmission, type GaussianMixtureEmissionData, type GaussianMixtureEmissionParams, mixtureCovariancesFromPublic,
} from '../../models/components/gaussian-mixture-emission.js'
import type { CovarianceType } from '../../models/gmm/covariance.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { Shape } from '../base.js'
import { integerAtLeast, type OptionDef } from '../schema.js'
import { HmmEstimator } from './base.js'
import { gaussianRows } from './inputs.js'
import { asOption, type FitFlags, GAUSSIAN_EMISSION_OPTIONS, type GaussianEmissionOptions, type HmmInit, hmmOptions, type HmmOptions, parameterOptions, probabilityRows, shapedOption } from './options.js'

export interface GMMHMMInit extends HmmInit {
  /** K x nMix, each row summing to 1 (default 1 / nMix). */
  weights?: ArrayLike<ArrayLike<number>>
  /** K x nMix x d */
  means?: ArrayLike<ArrayLike<ArrayLike<number>>>
  /** Per state, the type's shape for nMix Gaussians: full K x nMix x d x d, diag K x nMix x d, spherical K x nMix, tied K x d x d. */
  covariances?: ArrayLike<unknown>
}

type Name = 'startProb' | 'transMat' | 'weights' | 'means' | 'covariances'
export type GMMHMMFitParams = Partial<FitFlags<Name>>

/** hmmlearn's covars_ shapes: full K x nMix x d x d, diag K x nMix x d, spherical K x nMix, tied K x d x d (one per state). */
export type GMMHMMCovariancesOf<T extends CovarianceType> = T extends 'full' ? number[][][][] : T extends 'spherical' ? number[][] : number[][][]

export interface GMMHMMOptions<T extends CovarianceType = CovarianceType> extends HmmOptions, GaussianEmissionOptions<T>, OnlineOptions {
  /** Gaussians in each state's mixture (default 1: GaussianHMM's model). */
  nMix?: number
  /** Parameters to start from (any subset; the others come from the data). */
  init?: GMMHMMInit
  /** Which parameters Baum-Welch updates (default: all). */
  fitParams?: GMMHMMFitParams
}

const NAMES: readonly Name[] = ['startProb', 'transMat', 'weights', 'means', 'covariances']

const SCHEMA = {
  ...hmmOptions('GMMHMM'),
  /** Gaussians in each state's mixture. */
  nMix: { default: 1, check: integerAtLeast(1) } as OptionDef<number>,
  ...GAUSSIAN_EMISSION_OPTIONS,
  ...ONLINE_OPTIONS,
  ...parameterOptions<GMMHMMInit, Name>('GMMHMM', NAMES),
}

/** Columns of init.means (the length of its first mean). */
function meansWidth(means: unknown): number {
  return (means as ArrayLike<ArrayLike<ArrayLike<number>> | undefined> | undefined)?.[0]?.[0]?.length ?? 0
}

export interface GMMHMM<T extends CovarianceType = CovarianceType> {
  readonly nMix: number
  readonly covarianceType: T
  readonly regCovar: number
  readonly init: GMMHMMInit
  readonly fitParams: FitFlags<Name>
}

/** An HMM with a Gaussian mixture per state; X is number[][] (rows = time steps), a { data, rows, cols } matrix, or number[] for d = 1. */
export class GMMHMM<T extends CovarianceType = CovarianceType> extends HmmEstimator<GaussianMixtureEmissionParams, GaussianMixtureEmissionData, GaussianMixtureEmission, MatrixInput | ArrayLike<number>, GMMHMMOptions<T>> {
  static override readonly kind: string = 'GMMHMM'
  static override readonly schema = SCHEMA

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    super.validate(o)
    const init = o['init'] as GMMHMMInit, k = o['nComponents'] as number, M = o['nMix'] as number
    if (init.weights !== undefined) probabilityRows(init.weights, [k, M], 'init.weights')
    if (init.means === undefined) return
    const d = meansWidth(init.means)
    shapedOption(init.means, [k, M, d], 'init.means')
    if (init.covariances !== undefined) asOption('init.covariances', () => mixtureCovariancesFromPublic(init.covariances, o['covarianceType'] as CovarianceType, k, M, d))
  }

  protected observations(X: unknown): Matrix {
    return gaussianRows(X, this.init.means === undefined ? null : meansWidth(this.init.means))
  }

  /** Forward-backward is n K^2, the emission n K nMix d^2 at most. */
  protected override workOf({ X }: Dataset): number { return X.rows * this.nComponents * (this.nComponents + this.nMix * X.cols * X.cols) }

  protected createEmission(kernels: Kernels, shape: Shape): GaussianMixtureEmission {
    const { weights, means, covariances } = this.fitParams
    return new GaussianMixtureEmission(kernels, this.nComponents, this.nMix, shape['nFeatures']!, this.covarianceType, this.regCovar, { weights, means, covariances })
  }

  protected loadEmission(emission: GaussianMixtureEmission, data: GaussianMixtureEmissionData, X: Matrix): void {
    emission.load(data, X)
  }

  /** hmmlearn's start from the data (the model's `start`) unless init gives the means and covariances; given parts replace it. */
  protected startEmission(emission: GaussianMixtureEmission, data: GaussianMixtureEmissionData, dataset: Dataset, rng: Rng): GaussianMixtureEmissionParams {
    const { weights, means, covariances } = this.init
    const start = means !== undefined && covariances !== undefined ? null : emission.start(data, dataset.X.rows, rng)
    return start && weights === undefined && means === undefined && covariances === undefined ? start : this.withGiven(emission, start)
  }

  protected givenShape(): Shape | null {
    const { means, covariances } = this.init
    return means !== undefined && covariances !== undefined ? { nFeatures: meansWidth(means) } : null
  }

  protected givenEmission(emission: GaussianMixtureEmission): GaussianMixtureEmissionParams {
    return this.withGiven(emission, null)
  }

  /** The parameters `init` gives; means and covariances it lacks from `start`, weights 1 / nMix. */
  private withGiven(emission: GaussianMixtureEmission, start: GaussianMixtureEmissionParams | null): GaussianMixtureEmissionParams {
    const { k, nMix: M, d } = emission
    const { weights, means, covariances } = this.init
    const stacked = (part: 'means' | 'covariances') => Float64Array.from(start!.states.flatMap((p) => Array.from(p[part])))
    return emission.makeParams(
      weights !== undefined ? probabilityRows(weights, [k, M], 'init.weights') : new Float64Array(k * M).fill(1 / M),
      means !== undefined ? flattenShape(means, [k, M, d], 'init.means') : stacked('means'),
      covariances !== undefined ? asOption('init.covariances', () => mixtureCovariancesFromPublic(covariances, this.covarianceType, k, M, d)) : stacked('covariances'),
    )
  }

  // ---- parameters (hmmlearn's weights_, means_ and covars_) ----

  /** K x nMix: P(mixture component | state). */
  get weights(): number[][] {
    const { params, emission } = this.emissionState('weights')
    return toRows(params.weights, emission.k, emission.nMix)
  }

  /** K x nMix x d */
  get means(): number[][][] {
    const { params, emission } = this.emissionState('means')
    return params.states.map((p) => toRows(p.means, emission.nMix, emission.d))
  }

  get covariances(): GMMHMMCovariancesOf<T> {
    const { params, emission } = this.emissionState('covariances')
    return emission.publicCovariances(params) as GMMHMMCovariancesOf<T>
  }

  /** n steps of one sequence: { X (n x d), states }; successive calls continue the stream. */
  sample(n: number): { X: number[][]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[][], states }
  }
}
