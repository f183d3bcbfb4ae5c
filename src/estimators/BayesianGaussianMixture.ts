import { OptionError, UnsupportedError } from '../core/errors.js'
import type { StreamInput } from './stream.js'
import { type MatrixInput, toRows } from '../core/matrix.js'
import { toMatrix } from '../core/validate.js'
import { Rng } from '../core/rng/xoshiro128.js'
import type { Kernels } from '../kernels/types.js'
import { BGMM_INIT_METHODS, type BgmmInit, initialParams } from '../models/bgmm/init.js'
import { BayesianGaussianMixtureModel, type BgmmData, type BgmmParams } from '../models/bgmm/model.js'
import { type BgmmPriors, type PriorOptions, resolvePriors } from '../models/bgmm/priors.js'
import { WEIGHT_PRIOR_TYPES, type WeightPriorType } from '../models/bgmm/weights.js'
import { COVARIANCE_TYPES, type CovarianceType, publicCovariances, publicMeans } from '../models/gmm/covariance.js'
import { sampleMixture } from '../models/gmm/sample.js'
import type { Dataset } from '../runtime/dataset.js'
import { Estimator, type BaseFitOptions, type Shape } from './base.js'
import { algorithmOption, ENGINE_OPTIONS, type EngineOptions, ONLINE_OPTIONS, type OnlineOptions } from './engine-options.js'
import { checkComponents, drawCount, mostProbable } from './inputs.js'
import type { CovariancesOf } from './GaussianMixture.js'
import { integerAtLeast, numberAtLeast, oneOf, type OptionDef, show, type Resolved } from './schema.js'

export type { BgmmInit, BgmmInitMethod, GivenResponsibilities } from '../models/bgmm/init.js'
export type { WeightPriorType } from '../models/bgmm/weights.js'

/** The covariance prior's shape for each covariance type (scikit-learn's). */
export type CovariancePriorOf<T extends CovarianceType> =
  T extends 'full' | 'tied' ? number[][] : T extends 'diag' ? number[] : T extends 'spherical' ? number : number | number[] | number[][]

/** nu_k per component; one number for 'tied' (scikit-learn's degrees_of_freedom_). */
export type DegreesOfFreedomOf<T extends CovarianceType> = T extends 'tied' ? number : T extends 'full' | 'diag' | 'spherical' ? number[] : number | number[]

/**
 * The Bayesian mixture's options (the engine's too: its `tol` bounds the change of the
 * lower bound's total, not per sample, as scikit-learn's; restarts keep the largest
 * bound; accelerators work on the packed variational parameters; a warm start resolves
 * the priors again).
 */
export interface BayesianGaussianMixtureOptions<T extends CovarianceType = CovarianceType> extends EngineOptions, OnlineOptions {
  /** Largest number of components K (default 1); the fit may leave some with nearly no weight. */
  nComponents?: number
  /** 'full' (default), 'diag', 'spherical' or 'tied'. */
  covarianceType?: T
  /** 'dirichlet_process' (default: stick-breaking, truncated at K) or 'dirichlet_distribution' (a symmetric Dirichlet). */
  weightConcentrationPriorType?: WeightPriorType
  /** gamma of the sticks' Beta(1, gamma), or alpha0 of the Dirichlet; > 0. Default 1 / nComponents. */
  weightConcentrationPrior?: number
  /** beta0, the precision of each mean's Normal prior relative to its component's precision; > 0. Default 1. */
  meanPrecisionPrior?: number
  /** m0, one value per feature. Default: the mean of X. */
  meanPrior?: ArrayLike<number> | null
  /** nu0 of each Wishart prior; > nFeatures - 1. Default: nFeatures. */
  degreesOfFreedomPrior?: number | null
  /**
   * W0^-1 of the Wishart prior: a d x d symmetric positive definite matrix ('full',
   * 'tied'), d variances ('diag'), one variance ('spherical'). Default: from X with
   * ddof 1: its covariance matrix, its column variances, or their mean.
   */
  covariancePrior?: CovariancePriorOf<T> | null
  /** Added to the diagonal of every covariance estimate sk before the Wishart update (default 1e-6). */
  regCovar?: number
  /**
   * 'kmeans' (default), 'kmeans++', 'random', 'random-from-data', or
   * { responsibilities }: one row of K probabilities per sample. Every start is one
   * VM-step from its responsibilities, as scikit-learn's.
   */
  init?: BgmmInit
  /** How the steps are done: 'variational' (the only one). */
  algorithm?: 'variational'
}

/** The priors a fit used, defaults resolved from its data (scikit-learn's `*_prior_` attributes). */
export interface UsedPriors<T extends CovarianceType = CovarianceType> {
  readonly weightConcentrationPrior: number
  readonly meanPrecisionPrior: number
  readonly meanPrior: number[]
  readonly degreesOfFreedomPrior: number
  readonly covariancePrior: CovariancePriorOf<T>
}

function positive(value: unknown, name: string): number {
  return numberAtLeast(0, true)(value, name)
}

function finiteArray(value: unknown, name: string, depth: number): void {
  const bad = () => new OptionError(name, `must be ${depth === 1 ? 'an array of finite numbers' : 'a matrix (array of rows) of finite numbers'} or null, got ${show(value)}.`)
  if (!isArrayLike(value)) throw bad()
  for (let i = 0; i < value.length; i++) {
    const v = value[i]
    if (depth > 1) finiteArray(v, name, depth - 1)
    else if (typeof v !== 'number' || !Number.isFinite(v)) throw bad()
  }
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as ArrayLike<unknown>).length === 'number'
}

function nullOr<T>(check: (value: unknown, name: string) => T): (value: unknown, name: string) => T | null {
  return (value, name) => (value === null ? null : check(value, name))
}

/** nu0 must exceed nFeatures - 1 (checked at fit), so nothing <= 0 can serve. */
function checkDegreesOfFreedom(value: unknown, name: string): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new OptionError(name, `must be a number greater than nFeatures - 1 (so > 0 for any data), got ${show(value)}; use at least the number of features, or leave it out (nFeatures).`, { value: show(value) })
  }
  return value
}

/** A covariance prior of one of the three shapes (its shape against covarianceType is checked across options). */
function checkCovariancePrior(value: unknown, name: string): number | ArrayLike<number> | ArrayLike<ArrayLike<number>> {
  if (typeof value === 'number') return positive(value, name)
  finiteArray(value, name, isArrayLike(value) && isArrayLike((value as ArrayLike<unknown>)[0]) ? 2 : 1)
  return value as ArrayLike<number>
}

/** A method name, or { responsibilities }: rows of probabilities (their count is checked against X at fit). */
function checkInit(value: unknown, name: string): BgmmInit {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return oneOf(BGMM_INIT_METHODS)(value, name)
  for (const key of Object.keys(value)) {
    if (key !== 'responsibilities') throw new OptionError(name, `has no entry '${key}'; give a method name or { responsibilities }.`)
  }
  const resp = (value as { responsibilities?: unknown }).responsibilities
  if (!isArrayLike(resp) || resp.length === 0) throw new OptionError(name, `init.responsibilities must be an array of rows (one per sample), got ${show(resp)}.`)
  for (let i = 0; i < resp.length; i++) {
    const row = resp[i]
    if (!isArrayLike(row)) throw new OptionError(name, `init.responsibilities[${i}] is ${show(row)}, not a row of probabilities.`)
    let sum = 0
    for (let c = 0; c < row.length; c++) {
      const r = row[c]
      if (typeof r !== 'number' || !(r >= 0 && r <= 1)) {
        throw new OptionError(name, `init.responsibilities[${i}][${c}] is ${show(r)}; responsibilities are probabilities in [0, 1] (one-hot rows for hard labels).`, { row: i, column: c })
      }
      sum += r
    }
    if (Math.abs(sum - 1) > 1e-8) {
      throw new OptionError(name, `init.responsibilities[${i}] sums to ${sum}; each row must sum to 1: divide it by its sum.`, { row: i, sum })
    }
  }
  return value as BgmmInit
}

const SCHEMA = {
  /** Largest number of components K; the fit may leave some with nearly no weight. */
  nComponents: { default: 1, check: integerAtLeast(1) } as OptionDef<number>,
  /** 'full', 'diag', 'spherical' or 'tied'. */
  covarianceType: { default: 'full', check: oneOf(COVARIANCE_TYPES) } as OptionDef<CovarianceType>,
  /** 'dirichlet_process' (stick-breaking, truncated at K) or 'dirichlet_distribution'. */
  weightConcentrationPriorType: { default: 'dirichlet_process', check: oneOf(WEIGHT_PRIOR_TYPES) } as OptionDef<WeightPriorType>,
  /** gamma (sticks' Beta(1, gamma)) or alpha0 (Dirichlet), > 0; scikit-learn's default 1 / nComponents. */
  weightConcentrationPrior: { default: (given: Readonly<Record<string, unknown>>) => 1 / ((given['nComponents'] as number | undefined) ?? 1), check: positive } as OptionDef<number>,
  /** beta0 of the means' Normal prior, > 0; scikit-learn's default 1. */
  meanPrecisionPrior: { default: 1, check: positive } as OptionDef<number>,
  /** m0, one value per feature; scikit-learn's default (null): the mean of X. */
  meanPrior: { default: null, check: nullOr((v, name) => { finiteArray(v, name, 1); return v as ArrayLike<number> }) } as OptionDef<ArrayLike<number> | null>,
  /** nu0 of the Wishart priors, > nFeatures - 1; scikit-learn's default (null): nFeatures. */
  degreesOfFreedomPrior: { default: null, check: nullOr(checkDegreesOfFreedom) } as OptionDef<number | null>,
  /** W0^-1: a d x d SPD matrix ('full', 'tied'), d variances ('diag') or one ('spherical'); scikit-learn's default (null): from X, ddof 1. */
  covariancePrior: { default: null, check: nullOr(checkCovariancePrior) } as OptionDef<PriorOptions['covariancePrior']>,
  ...ENGINE_OPTIONS,
  ...ONLINE_OPTIONS,
  /** Convergence threshold on the change of the (total) lower bound between iterations, as scikit-learn. */
  tol: ENGINE_OPTIONS.tol,
  /** Added to the diagonal of every covariance estimate before the Wishart update. */
  regCovar: { default: 1e-6, check: numberAtLeast(0) } as OptionDef<number>,
  /** 'kmeans', 'kmeans++', 'random', 'random-from-data', or { responsibilities }. */
  init: { default: 'kmeans', check: checkInit } as OptionDef<BgmmInit>,
  algorithm: algorithmOption('BayesianGaussianMixture', ['variational'] as const),
}

/** The resolved options, from the schema: each a read-only attribute (covarianceType as its literal, the covariance prior in its shape). */
export interface BayesianGaussianMixture<T extends CovarianceType = CovarianceType> extends Omit<Resolved<typeof SCHEMA>, 'covarianceType' | 'covariancePrior'> {
  readonly covarianceType: T
  readonly covariancePrior: CovariancePriorOf<T> | null
}

/**
 * A Gaussian mixture fitted by variational Bayes (variational EM), with scikit-learn
 * 1.9.1's BayesianGaussianMixture semantics: the same priors and defaults, updates,
 * lower bound (constants dropped as scikit-learn drops them, not divided by n) and
 * stopping rule. `elbo` is the bound with its constants.
 */
export class BayesianGaussianMixture<T extends CovarianceType = CovarianceType> extends Estimator<BgmmParams, BayesianGaussianMixtureModel, BgmmData, BayesianGaussianMixtureOptions<T>> {
  static override readonly kind: string = 'BayesianGaussianMixture'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = []
  /** Rows belong to components: ICL applies (selectModel). */
  static override readonly latentClasses = true


  protected override validate(o: Readonly<Record<string, unknown>>): void {
    const type = o['covarianceType'] as CovarianceType
    const prior = o['covariancePrior']
    if (prior !== null) {
      const depth = typeof prior === 'number' ? 0 : isArrayLike((prior as ArrayLike<unknown>)[0]) ? 2 : 1
      const wanted = type === 'spherical' ? 0 : type === 'diag' ? 1 : 2
      if (depth !== wanted) {
        const shape = ['one variance (a number)', 'an array of variances (one per feature)', 'a d x d matrix'][wanted]
        throw new OptionError('covariancePrior', `for covarianceType '${type}' must be ${shape}, got ${show(prior)}; give that, or leave it out (from the covariance of X).`)
      }
    }
    const init = o['init']
    if (typeof init === 'object') {
      const k = o['nComponents'] as number
      const rows = (init as { responsibilities: ArrayLike<ArrayLike<number>> }).responsibilities
      for (let i = 0; i < rows.length; i++) {
        if (rows[i]!.length !== k) throw new OptionError('init', `init.responsibilities[${i}] has ${rows[i]!.length} entries but nComponents = ${k}; give one probability per component.`, { row: i })
      }
    }
  }

  override fit(X: MatrixInput | StreamInput, options: BaseFitOptions<BgmmParams> = {}): Promise<this> { return super.fit(X, options) }
  /** Stochastic variational EM on one chunk of rows, or on each chunk of an async iterable (see Estimator.partialFit). */
  override partialFit(X: MatrixInput | AsyncIterable<unknown>, options: BaseFitOptions<BgmmParams> = {}): Promise<this> { return super.partialFit(X, options) }
  override fitPredict(X: MatrixInput, options: BaseFitOptions<BgmmParams> = {}): Promise<number[]> { return super.fitPredict(X, options) }

  // ---- the base's hooks ----

  protected toDataset(X: unknown): Dataset {
    return { X: toMatrix(X as MatrixInput, 'X') }
  }

  protected override forFit(data: Dataset): Dataset {
    const n = data.X.rows, k = this.nComponents
    checkComponents(k, n, 'components')
    const init = this.init
    if (typeof init === 'object' && init.responsibilities.length !== n) {
      throw new OptionError('init', `init.responsibilities has ${init.responsibilities.length} rows but X has ${n}; give one row of responsibilities per sample.`, { rows: init.responsibilities.length, samples: n })
    }
    return data
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected createModel(kernels: Kernels, shape: Shape): BayesianGaussianMixtureModel {
    return new BayesianGaussianMixtureModel({
      kernels, k: this.nComponents, d: shape['nFeatures']!, covarianceType: this.covarianceType,
      weightConcentrationPriorType: this.weightConcentrationPriorType, regCovar: this.regCovar,
    })
  }

  protected prepareData(model: BayesianGaussianMixtureModel, data: Dataset): BgmmData {
    return model.prepare(data.X)
  }

  protected initialParams(model: BayesianGaussianMixtureModel, data: BgmmData, rng: Rng, dataset: Dataset): BgmmParams {
    return initialParams(model, data, this.init, this.priorsFor(dataset), rng)
  }

  /** scikit-learn resolves the priors at every fit, a warm one included. */
  protected override warmStartParams(previous: BgmmParams, dataset: Dataset): BgmmParams {
    return { ...previous, priors: this.priorsFor(dataset) }
  }

  /** Given responsibilities make every restart identical: run one. */
  protected override restarts(): number {
    return typeof this.init === 'object' ? 1 : this.nInit
  }

  protected override workOf(data: Dataset): number {
    return data.X.rows * this.nComponents * data.X.cols * data.X.cols
  }

  private priorsFor(dataset: Dataset): BgmmPriors {
    const options: PriorOptions = {
      weightConcentrationPrior: this.weightConcentrationPrior, meanPrecisionPrior: this.meanPrecisionPrior, meanPrior: this.meanPrior,
      degreesOfFreedomPrior: this.degreesOfFreedomPrior, covariancePrior: this.covariancePrior,
    }
    return resolvePriors(options, dataset.X, this.covarianceType)
  }

  /** Free the fitted model's kernel memory now (the estimator is unfitted afterwards). */
  dispose(): void {
    this.state?.model.dispose()
    this.state = null
  }

  // ---- fitted attributes (scikit-learn's shapes) ----

  private get model(): BayesianGaussianMixtureModel { return this.fitted('model').model }

  /** The expected weights under q(pi), normalised (scikit-learn's weights_). */
  get weights(): number[] {
    const { params, model } = this.fitted('weights')
    return Array.from(model.weightPrior.pointWeights(params.weightConcentration, model.k))
  }
  /** m_k, the means of q(mu_k). */
  get means(): number[][] { const s = this.fitted('means'); return publicMeans(s.model, s.params.means) }
  /** W_k^-1 / nu_k, the covariance q(Lambda_k) expects (scikit-learn's covariances_). */
  get covariances(): CovariancesOf<T> { const s = this.fitted('covariances'); return publicCovariances(s.model, s.params.covariances) as CovariancesOf<T> }
  /** q(pi): [a, b] of the sticks' Beta distributions, or the Dirichlet's alpha. */
  get weightConcentration(): number[] | [number[], number[]] {
    const { params, model } = this.fitted('weightConcentration')
    return model.weightPrior.toPublic(params.weightConcentration, model.k)
  }
  /** beta_k of q(mu_k | Lambda_k). */
  get meanPrecision(): number[] { return Array.from(this.fitted('meanPrecision').params.meanPrecision) }
  /** nu_k of q(Lambda_k) (one number for 'tied'). */
  get degreesOfFreedom(): DegreesOfFreedomOf<T> {
    const { params, model } = this.fitted('degreesOfFreedom')
    const dof = params.degreesOfFreedom
    return (model.covariance.shared ? dof[0]! : Array.from(dof)) as DegreesOfFreedomOf<T>
  }
  /** The priors the fit used, defaults resolved from the training data. */
  get priors(): UsedPriors<T> {
    const { params, model } = this.fitted('priors')
    const p = params.priors
    const cov = this.covarianceType === 'spherical' ? p.covariance[0]! : this.covarianceType === 'diag' ? Array.from(p.covariance) : toRows(p.covariance, model.d, model.d)
    return {
      weightConcentrationPrior: p.weightConcentration, meanPrecisionPrior: p.meanPrecision, meanPrior: Array.from(p.mean),
      degreesOfFreedomPrior: p.degreesOfFreedom, covariancePrior: cov as CovariancePriorOf<T>,
    }
  }
  /**
   * scikit-learn's lower_bound_: the bound of the last iteration (after its VM-step,
   * constant terms dropped, not divided by n); -Infinity when no iteration ran.
   * `history` holds the bound of every iteration, then, as every emkit fit's, the
   * closing evaluation (the bound one VE/VM sweep from the fitted q(theta)).
   */
  override get lowerBound(): number {
    const { result } = this.fitted('lowerBound')
    return result.nIter >= 1 ? result.history[result.nIter - 1]! : -Infinity
  }
  /**
   * The evidence lower bound with every constant: lowerBound plus the prior
   * normalisers and -N d/2 log 2 pi that scikit-learn drops. For 'full' (and
   * regCovar 0) it bounds log p(X) of the Normal-Wishart mixture; the other types
   * restrict q(Lambda_k) (diagonal, spherical, shared scale) and bound the same model.
   */
  get elbo(): number {
    const { params, model, totalWeight } = this.fitted('elbo')
    return this.lowerBound + model.elboConstant(params.priors, totalWeight)
  }
  /** Number of features seen in fit (also `nFeaturesIn`). */
  get nFeatures(): number { return this.model.d }

  /** A variational fit has a bound, not a likelihood of its own: use lowerBound or elbo. */
  override get logLik(): number {
    throw new UnsupportedError('BayesianGaussianMixture has no fitted log-likelihood: its objective is the variational bound (lowerBound, as scikit-learn reports it, or elbo with the constants); scoreSamples(X) gives log-densities.')
  }

  // ---- using the fit ----

  /** The component of largest q(z) for each row. */
  predict(X: MatrixInput): number[] {
    return this.withExpectation(X, 'predict', false, (data, k) => mostProbable(data.resp.view, data.n, k))
  }

  /** q(z) of each row. */
  predictProba(X: MatrixInput): number[][] {
    return this.withExpectation(X, 'predictProba', false, (data, k) => toRows(data.resp.view, data.n, k))
  }

  /** log sum_k exp(E[log pi_k] + E[log N(x | mu_k, Lambda_k)]) per row (scikit-learn's score_samples). */
  scoreSamples(X: MatrixInput): number[] {
    return this.withExpectation(X, 'scoreSamples', true, (data) => Array.from(data.rowLogLik.view.subarray(0, data.n)))
  }

  /** The mean of scoreSamples(X). */
  override score(X: MatrixInput): number {
    const s = this.scoreSamples(X)
    let total = 0
    for (const v of s) total += v
    return total / s.length
  }

  override bic(): number { throw noCriterion('bic') }
  override aic(): number { throw noCriterion('aic') }

  /** n draws from the mixture at the point estimates (weights, means, covariances), with each one's component. */
  sample(n: number, rng: Rng = this.sampler): { X: number[][]; labels: number[] } {
    const { model, params } = this.fitted('sample')
    const { k, d } = model
    drawCount(n, d + 1)
    const fullCovariances = model.covariance.expandFull(params.covariances, k, d)
    const weights = model.weightPrior.pointWeights(params.weightConcentration, k)
    const { data, labels } = sampleMixture(model.kernels, { k, d, weights, means: params.means, fullCovariances }, n, rng)
    return { X: toRows(data, n, d), labels: Array.from(labels) }
  }

  private withExpectation<R>(X: MatrixInput, method: string, perRow: boolean, read: (data: BgmmData, k: number) => R): R {
    return this.withData(X, {}, method, (model, data, params) => {
      model.expectation(data, params, perRow)
      return read(data, model.k)
    })
  }
}

function noCriterion(name: string): UnsupportedError {
  return new UnsupportedError(`BayesianGaussianMixture has no ${name}(): a variational fit is compared by its bound (elbo), or fit GaussianMixture for ${name.toUpperCase()}.`)
}
