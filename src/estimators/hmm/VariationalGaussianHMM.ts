/**
 * VariationalGaussianHMM: a Gaussian HMM fitted by variational EM (hmmlearn's), with a
 * Normal-Wishart ('full', 'tied') or Normal-Gamma ('diag', 'spherical') posterior on
 * each state's mean and precision.
 */
import { type Matrix, type MatrixInput, toRows } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Kernels } from '../../kernels/types.js'
import { COVARIANCE_TYPES, type CovarianceType } from '../../models/gmm/covariance.js'
import { COVARIANCE } from '../../models/gmm/covariance-table.js'
import { GaussianEmission, type GaussianEmissionData, type GaussianEmissionParams } from '../../models/hmm/emissions.js'
import { type NormalWishartParams, NormalWishartPosterior } from '../../models/hmm/normal-wishart.js'
import { scaleOf } from '../../models/hmm/precision-posterior.js'
import { featuresOf, type GaussianPriorOptions, gaussianPriors } from '../../models/hmm/variational-priors.js'
import { kmeans } from '../../models/init/kmeans-lloyd.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { Shape } from '../base.js'
import type { CovariancesOf } from '../GaussianMixture.js'
import { oneOf, type OptionDef } from '../schema.js'
import { gaussianRows } from './inputs.js'
import { dataCovariance } from './starts.js'
import { type ChainPriors, priorOption, VariationalHmmEstimator, variationalHmmOptions, type VariationalHmmOptions } from './variational.js'

export interface VariationalGaussianHMMOptions<T extends CovarianceType = CovarianceType> extends VariationalHmmOptions {
  /** 'full' (default, hmmlearn's), 'diag', 'spherical' or 'tied' (one precision matrix for all states). */
  covarianceType?: T
  /** m0: nFeatures values for every state, or K rows (hmmlearn's means_prior; default: the mean of X). */
  meansPrior?: ArrayLike<number> | ArrayLike<ArrayLike<number>> | null
  /** beta0 > 0, the prior precision of each mean relative to its state's precision: one, or K (default 1). */
  betaPrior?: number | ArrayLike<number> | null
  /** nu0: > nFeatures - 1 ('full', 'tied': Wishart) or > 0 ('diag', 'spherical': Gamma); one, or K (not 'tied'). Default nFeatures. */
  dofPrior?: number | ArrayLike<number> | null
  /**
   * W0^-1 ('full': a d x d SPD matrix or K of them; 'tied': one d x d; 'diag': d
   * positive numbers or K rows; 'spherical': one positive number or K). Default 1e-3
   * (times the identity).
   */
  scalePrior?: number | ArrayLike<number> | ArrayLike<ArrayLike<number>> | ArrayLike<ArrayLike<ArrayLike<number>>> | null
}

const SCHEMA = {
  ...variationalHmmOptions('VariationalGaussianHMM'),
  /** 'full' (hmmlearn's default), 'diag', 'spherical' or 'tied'. */
  covarianceType: { default: 'full', check: oneOf(COVARIANCE_TYPES) } as OptionDef<CovarianceType>,
  /** m0 of every state (or K rows); hmmlearn's default (null): the mean of X. */
  meansPrior: { default: null, check: priorOption('nFeatures numbers, or K rows of them') } as OptionDef<GaussianPriorOptions['meansPrior']>,
  /** beta0 > 0 (one, or K); hmmlearn's default (null): 1. */
  betaPrior: { default: null, check: priorOption('one number > 0, or K') } as OptionDef<GaussianPriorOptions['betaPrior']>,
  /** nu0, > nFeatures - 1 ('full', 'tied') or > 0 ('diag', 'spherical'); hmmlearn's default (null): nFeatures. */
  dofPrior: { default: null, check: priorOption('one number, or K') } as OptionDef<GaussianPriorOptions['dofPrior']>,
  /** W0^-1 in the covariance type's shape (one for all states, or K); hmmlearn's default (null): 1e-3 (times the identity). */
  scalePrior: { default: null, check: priorOption("a number, an array or matrices in the covariance type's shape") } as OptionDef<GaussianPriorOptions['scalePrior']>,
}

/** The priors a fit used, defaults resolved from its data (hmmlearn's *_prior_ attributes). */
export interface VariationalGaussianPriors<T extends CovarianceType> extends ChainPriors {
  readonly meansPrior: number[][]
  readonly betaPrior: number[]
  readonly dofPrior: T extends 'tied' ? number : number[]
  readonly scalePrior: CovariancesOf<T>
}

export interface VariationalGaussianHMM<T extends CovarianceType = CovarianceType> {
  readonly covarianceType: T
  readonly meansPrior: GaussianPriorOptions['meansPrior']
  readonly betaPrior: GaussianPriorOptions['betaPrior']
  readonly dofPrior: GaussianPriorOptions['dofPrior']
  readonly scalePrior: GaussianPriorOptions['scalePrior']
}

/** A Gaussian HMM fitted by variational EM; X is number[][] (rows = time steps), a { data, rows, cols } matrix, or number[] for d = 1. */
export class VariationalGaussianHMM<T extends CovarianceType = CovarianceType>
  extends VariationalHmmEstimator<NormalWishartParams, GaussianEmissionParams, GaussianEmissionData, GaussianEmission, MatrixInput | ArrayLike<number>, VariationalGaussianHMMOptions<T>> {
  static override readonly kind: string = 'VariationalGaussianHMM'
  static override readonly schema = SCHEMA

  /** Everything the options alone can be checked for (with the number of features they fix, if any). */
  protected override validate(o: Readonly<Record<string, unknown>>): void {
    super.validate(o)
    const options = o as unknown as GaussianPriorOptions & { covarianceType: CovarianceType; nComponents: number }
    gaussianPriors(options, options.covarianceType, options.nComponents, featuresOf(options, options.covarianceType), () => new Float64Array(0))
  }

  private get priorOptions(): GaussianPriorOptions {
    return { meansPrior: this.meansPrior, betaPrior: this.betaPrior, dofPrior: this.dofPrior, scalePrior: this.scalePrior }
  }

  /** Rows of X; a prior of another number of features is refused when the fit resolves the priors (naming the option). */
  protected observations(X: unknown): Matrix {
    return gaussianRows(X, null)
  }

  protected createEmission(kernels: Kernels, shape: Shape): GaussianEmission {
    return new GaussianEmission(kernels, this.nComponents, shape['nFeatures']!, this.covarianceType, 0)
  }

  protected loadEmission(emission: GaussianEmission, data: GaussianEmissionData, X: Matrix): void {
    emission.load(data, X)
  }

  protected createPosterior(emission: GaussianEmission): NormalWishartPosterior {
    return new NormalWishartPosterior(emission, this.covarianceType)
  }

  /**
   * hmmlearn's start: k-means centres as the means, the data covariance (plus 1e-3 on
   * the diagonal) as every state's covariance, and each cluster's size added to the
   * priors' beta and nu (all rows to the shared nu of 'tied').
   */
  protected startPosterior(posterior: NormalWishartPosterior, emission: GaussianEmission, data: GaussianEmissionData, dataset: Dataset, rng: Rng): NormalWishartParams {
    const { k, d } = emission
    const n = dataset.X.rows
    const priors = this.priorsOf(dataset, k, d)
    const { centers, labels } = kmeans({ kernels: emission.kernels, x: data.x, n, d, weight: null }, k, rng)
    const counts = new Float64Array(k)
    for (let i = 0; i < n; i++) counts[labels[i]!] += 1
    const beta = Float64Array.from(counts, (v, c) => priors.beta[c]! + v)
    const dof = COVARIANCE[this.covarianceType].shared ? new Float64Array(k).fill(priors.dof[0]! + n) : Float64Array.from(counts, (v, c) => priors.dof[c]! + v)
    const covariances = emission.covariance.fromDataCovariance(dataCovariance(dataset.X, 1e-3), k, d)
    return posterior.make(centers, beta, dof, covariances, priors)
  }

  protected withPriors(q: NormalWishartParams, dataset: Dataset): NormalWishartParams {
    return { ...q, priors: this.priorsOf(dataset, q.beta.length, dataset.X.cols) }
  }

  private priorsOf(dataset: Dataset, k: number, d: number) {
    return gaussianPriors(this.priorOptions, this.covarianceType, k, d, () => columnMeans(dataset.X))
  }

  // ---- the fit (hmmlearn's attribute names) ----

  private posterior(what: string): { q: NormalWishartParams; k: number; d: number } {
    const { params, model, shape } = this.fitted(what)
    return { q: params.emission, k: model.k, d: shape['nFeatures']! }
  }

  /** Number of features seen in fit (also `nFeaturesIn`). */
  get nFeatures(): number { return this.posterior('nFeatures').d }
  /** m_c, the posterior means of the state means (hmmlearn's means_ and means_posterior_). */
  get means(): number[][] {
    const { params, emission } = this.emissionState('means')
    return toRows(params.means, emission.k, emission.d)
  }
  /** E[Lambda_c]^-1 = scale / dof in the covariance type's shape (hmmlearn's covars_, as GaussianHMM's covariances). */
  get covariances(): CovariancesOf<T> {
    const { params, emission } = this.emissionState('covariances')
    return emission.covariance.toPublic(params.covariances, emission.k, emission.d) as CovariancesOf<T>
  }
  /** The same as `means` (hmmlearn's means_posterior_). */
  get meansPosterior(): number[][] { return this.means }
  /** beta_c (hmmlearn's beta_posterior_). */
  get betaPosterior(): number[] { return Array.from(this.posterior('betaPosterior').q.beta) }
  /** nu_c (hmmlearn's dof_posterior_; one number for 'tied'). */
  get dofPosterior(): T extends 'tied' ? number : number[] {
    const dof = this.posterior('dofPosterior').q.dof
    return (COVARIANCE[this.covarianceType].shared ? dof[0]! : Array.from(dof)) as T extends 'tied' ? number : number[]
  }
  /** W_c^-1 = covariances * dof in the covariance type's shape (hmmlearn's scale_posterior_). */
  get scalePosterior(): CovariancesOf<T> {
    const { q, k, d } = this.posterior('scalePosterior')
    return COVARIANCE[this.covarianceType].toPublic(scaleOf(this.covarianceType, q.point.covariances, q.dof, d), k, d) as CovariancesOf<T>
  }
  /** The priors the fit used, defaults resolved from the training data. */
  get priors(): VariationalGaussianPriors<T> {
    const { q, k, d } = this.posterior('priors')
    const p = q.priors
    const strategy = COVARIANCE[this.covarianceType]
    return {
      ...this.chainPriorsUsed,
      meansPrior: toRows(p.means, k, d),
      betaPrior: Array.from(p.beta),
      dofPrior: (strategy.shared ? p.dof[0]! : Array.from(p.dof)) as T extends 'tied' ? number : number[],
      scalePrior: strategy.toPublic(p.scale, k, d) as CovariancesOf<T>,
    }
  }

  /** n steps of one sequence drawn from the posterior means: { X (n x d), states }; successive calls continue the stream. */
  sample(n: number): { X: number[][]; states: number[] } {
    const { obs, states } = this.sampleStates(n)
    return { X: obs as number[][], states }
  }
}

function columnMeans(m: Matrix): Float64Array {
  const { rows: n, cols: d, data } = m
  const out = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j] += data[i * d + j]!
  return out.map((v) => v / n)
}
