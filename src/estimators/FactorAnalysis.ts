
import { DegenerateError, InputError, OptionError } from '../core/errors.js'
import { cholesky, invertLower, logDetFromCholesky } from '../core/math/dense.js'
import { inverseSPD } from '../core/math/inverse-spd.js'
import { matMul, transpose } from '../core/math/dense-general.js'
import { type Matrix, type MatrixInput, toRows } from '../core/matrix.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { flattenShape } from '../core/shape.js'
import { toMatrix } from '../core/validate.js'
import type { Kernels } from '../kernels/types.js'
import { FACTOR_INIT_METHODS, FactorAnalysisModel, type FactorData, type FactorInitMethod, type FactorParams } from '../models/factor-analysis.js'
import type { Dataset } from '../runtime/dataset.js'
import { Estimator, type Shape, type WeightedFitOptions } from './base.js'
import { algorithmOption, ENGINE_OPTIONS, type EngineOptions } from './engine-options.js'
import { givesAll, initOption, rowsDataset } from './inputs.js'
import { integerAtLeast, oneOf, type OptionDef, type Resolved } from './schema.js'
import { identity, orthomax, promax, type Rotated } from '../core/math/rotation.js'

/**
 * Starting parameters; either may be left out: it then comes from the start of
 * `method` (default 'pca': probabilistic PCA of the weighted covariance), and the
 * given one replaces it.
 */
export interface GivenFactorParams {
  /** d x q */
  readonly loadings?: ArrayLike<ArrayLike<number>>
  /** d uniquenesses (> 0) */
  readonly uniquenesses?: ArrayLike<number>
  readonly method?: FactorInitMethod
}

export type FactorAnalysisInit = FactorInitMethod | GivenFactorParams
export type FactorRotation = 'none' | 'varimax' | 'quartimax' | 'promax'
export type FactorScores = 'regression' | 'bartlett'
export type FactorAnalysisAlgorithm = 'em' | 'ecm' | 'ecme' | 'px-em'

/** The fitted parameters: loadings and uniquenesses as EM iterates them, and the mean (the weighted mean of X, fixed by the data). */
export type FactorFit = FactorParams & { readonly mean?: Float64Array }

export interface FactorAnalysisOptions extends EngineOptions {
  /** Number of factors q (default 1); must be below the number of columns. */
  nComponents?: number
  /** 'pca' (default: probabilistic PCA), 'random' (seeded; nInit restarts), or { loadings?, uniquenesses?, method? }. */
  init?: FactorAnalysisInit
  /** 'em' (default), 'ecm', 'ecme' (Liu & Rubin 1998) or 'px-em'. */
  algorithm?: FactorAnalysisAlgorithm
  /** Rotation of the loadings (and scores): 'none' (default), 'varimax', 'quartimax' (orthogonal) or 'promax' (oblique, power 4), as R's stats. */
  rotation?: FactorRotation
  /** Factor scores of transform: 'regression' (default: Thomson's, the posterior mean) or 'bartlett' (weighted least squares). */
  scores?: FactorScores
}

export type FactorAnalysisFitOptions = WeightedFitOptions<FactorFit>

const PARTS = ['loadings', 'uniquenesses'] as const

const SCHEMA = {
  /** Number of factors q (below the number of columns). */
  nComponents: { default: 1, check: integerAtLeast(1) } as OptionDef<number>,
  ...ENGINE_OPTIONS,
  /** 'pca', 'random', or { loadings?, uniquenesses?, method? }. */
  init: { default: 'pca', check: initOption(FACTOR_INIT_METHODS, PARTS) } as OptionDef<FactorAnalysisInit>,
  algorithm: algorithmOption('FactorAnalysis', ['em', 'ecm', 'ecme', 'px-em'] as const),
  /** Rotation of the loadings and scores: 'none', 'varimax', 'quartimax' or 'promax'. */
  rotation: { default: 'none', check: oneOf(['none', 'varimax', 'quartimax', 'promax'] as const) } as OptionDef<FactorRotation>,
  /** Factor scores of transform: 'regression' (posterior mean) or 'bartlett'. */
  scores: { default: 'regression', check: oneOf(['regression', 'bartlett'] as const) } as OptionDef<FactorScores>,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface FactorAnalysis extends Resolved<typeof SCHEMA> {}

/**
 * Maximum-likelihood factor analysis, x = mean + W z + e with z ~ N(0, I_q) and
 * e ~ N(0, Psi) diagonal, by EM, ECM, ECME (Liu & Rubin 1998) or PX-EM; scoring,
 * factor scores and the implied covariance follow scikit-learn's FactorAnalysis.
 */
export class FactorAnalysis extends Estimator<FactorFit, FactorAnalysisModel, FactorData, FactorAnalysisOptions> {
  static override readonly kind: string = 'FactorAnalysis'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight']

  override fit(X: MatrixInput, options: FactorAnalysisFitOptions = {}): Promise<this> { return super.fit(X, options) }

  // ---- the base's hooks ----

  protected toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    return rowsDataset(X, options)
  }

  protected override forFit(data: Dataset): Dataset {
    const q = this.nComponents, d = data.X.cols
    if (q >= d) throw new OptionError('nComponents', `must be below the number of columns (${d}), got ${q}; use fewer factors.`)
    if (data.X.rows < 2) throw new InputError('EMPTY_DATA', 'Factor analysis needs at least 2 rows.')
    return data
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected createModel(kernels: Kernels, shape: Shape): FactorAnalysisModel {
    return new FactorAnalysisModel(kernels, shape['nFeatures']!, this.nComponents)
  }

  protected prepareData(model: FactorAnalysisModel, data: Dataset): FactorData {
    return model.prepare(data.X, data.sampleWeight ?? null)
  }

  protected initialParams(model: FactorAnalysisModel, data: FactorData, rng: Rng): FactorParams {
    const init = this.init
    if (typeof init === 'string') return model.initialParams(data, init, rng)
    const { d, q } = model
    const fromData = givesAll(init, PARTS) ? null : model.initialParams(data, init.method ?? 'pca', rng)
    const loadings = init.loadings !== undefined ? flattenShape(init.loadings, [d, q], 'init.loadings') : fromData!.loadings
    const psi = init.uniquenesses !== undefined ? flattenShape(init.uniquenesses, [d], 'init.uniquenesses') : fromData!.psi
    for (let j = 0; j < d; j++) if (!(psi[j]! > 0)) throw new InputError('INVALID_DATA', `init.uniquenesses[${j}] is ${psi[j]}; uniquenesses must be > 0.`)
    return { loadings, psi }
  }

  /** Only a random start differs between restarts. */
  protected override restarts(): number {
    const init = this.init
    const random = typeof init === 'string' ? init === 'random' : !givesAll(init, PARTS) && init.method === 'random'
    return random ? this.nInit : 1
  }

  /** The mean is the weighted mean of X whatever EM does: it joins the fitted parameters (and so the saved model). */
  protected override completeParams(params: FactorFit, data: FactorData): FactorFit {
    return { loadings: params.loadings, psi: params.psi, mean: data.mean }
  }

  /** One pass over the rows at prepare, then iterations of dense d x d work. */
  protected override workOf(data: Dataset): number {
    const d = data.X.cols
    return data.X.rows * d * d + this.maxIter * d * d * d
  }

  // ---- fitted attributes ----

  get mean(): number[] { return Array.from(this.fitted('mean').params.mean!) }
  /** d x q loadings W (identified up to a rotation): rotated by `rotation`, W T. */
  get loadings(): number[][] {
    const { model } = this.fitted('loadings')
    return toRows(this.rotated('loadings').loadings, model.d, model.q)
  }
  /** d x q loadings as EM left them, before `rotation`. */
  get unrotatedLoadings(): number[][] {
    const { params, model } = this.fitted('unrotatedLoadings')
    return toRows(params.loadings, model.d, model.q)
  }
  /** The q x q rotation T (loadings = unrotatedLoadings T): the identity without rotation, orthogonal but for promax (R's rotmat). */
  get rotationMatrix(): number[][] {
    const { model } = this.fitted('rotationMatrix')
    return toRows(this.rotated('rotationMatrix').rotation, model.q, model.q)
  }
  /** Correlations of the rotated factors, (T'T)^-1: the identity but for promax. */
  get factorCorrelation(): number[][] {
    const { model } = this.fitted('factorCorrelation')
    const q = model.q, t = this.rotated('factorCorrelation').rotation
    const phi = inverseSPD(matMul(transpose(t, q, q), t, q, q, q), q)
    if (!phi) throw singular()
    return toRows(phi, q, q)
  }
  /** The d noise variances Psi (scikit-learn's noise_variance_). */
  get uniquenesses(): number[] { return Array.from(this.fitted('uniquenesses').params.psi) }
  /** The implied covariance W W^T + Psi (as getCovariance()). */
  get covariance(): number[][] { return this.getCovariance() }

  /** The implied covariance W W^T + Psi, d x d (rotation-free; scikit-learn's get_covariance). */
  getCovariance(): number[][] {
    const { params, model } = this.fitted('getCovariance')
    return toRows(model.covariance(params), model.d, model.d)
  }

  /** The inverse of W W^T + Psi, d x d (scikit-learn's get_precision). */
  getPrecision(): number[][] {
    const { params, model } = this.fitted('getPrecision')
    const precision = inverseSPD(model.covariance(params), model.d)
    if (!precision) throw singular()
    return toRows(precision, model.d, model.d)
  }

  // ---- using the fit ----

  /**
   * Factor scores, n x q: `scores` 'regression' gives the posterior means
   * E[z | x] = (I + W^T Psi^-1 W)^-1 W^T Psi^-1 (x - mean) (scikit-learn's transform),
   * 'bartlett' (W^T Psi^-1 W)^-1 W^T Psi^-1 (x - mean); with a rotation T the scores of
   * the rotated factors, T^-1 z (W z = (W T)(T^-1 z)).
   */
  transform(X: MatrixInput): number[][] {
    const { m, params, model } = this.rowsFor(X, 'transform')
    const { d, q } = model
    const unrotated = this.scores === 'bartlett' ? model.bartlett(params) : model.posterior(params).beta
    const beta = this.rotation === 'none' ? unrotated : matMul(inverseOf(this.rotated('transform').rotation, q), unrotated, q, q, d)
    const mean = params.mean!
    const centred = new Float64Array(d)
    return Array.from({ length: m.rows }, (_, i) => {
      for (let j = 0; j < d; j++) centred[j] = m.data[i * d + j]! - mean[j]!
      return Array.from({ length: q }, (_, k) => {
        let s = 0
        for (let j = 0; j < d; j++) s += beta[k * d + j]! * centred[j]!
        return s
      })
    })
  }

  /** Log-density of each row of X under N(mean, W W^T + Psi) (scikit-learn's score_samples). */
  scoreSamples(X: MatrixInput): number[] {
    const { m, params, model, kernels } = this.rowsFor(X, 'scoreSamples')
    const d = model.d
    const l = cholesky(model.covariance(params), d)
    if (!l) throw singular()
    const arena = kernels.arena()
    try {
      const out = arena.f64(m.rows)
      // the mixtures' Gaussian density kernel with one component: precision factor L^-1, log det of it
      kernels.logDensityFull(arena.f64From(m.data), m.rows, d, arena.f64From(params.mean!), 1, arena.f64From(invertLower(l, d)), d * d, arena.f64From([-0.5 * logDetFromCholesky(l, d)]), out)
      return Array.from(out.view)
    } finally {
      arena.dispose()
    }
  }

  /** Mean log-likelihood per row of X (default: the training data, per unit of weight). */
  override score(X?: MatrixInput): number { return super.score(X) }
  /** BIC on X (default: the training data). */
  override bic(X?: MatrixInput): number { return super.bic(X) }
  /** AIC on X (default: the training data). */
  override aic(X?: MatrixInput): number { return super.aic(X) }

  /** The fitted loadings rotated by `rotation` (computed from the unrotated ones on each call: q x q work). */
  private rotated(what: string): Rotated {
    const { params, model } = this.fitted(what)
    const { d, q } = model
    switch (this.rotation) {
      case 'varimax': return orthomax(params.loadings, d, q, 1)
      case 'quartimax': return orthomax(params.loadings, d, q, 0)
      case 'promax': return promax(params.loadings, d, q)
      default: return { loadings: Float64Array.from(params.loadings), rotation: identity(q) }
    }
  }

  /** X checked against the fit, without the fit's preparation (which needs every column to vary). */
  private rowsFor(X: MatrixInput, what: string): { m: Matrix; params: FactorFit; model: FactorAnalysisModel; kernels: Kernels } {
    const s = this.fitted(what)
    const m = toMatrix(X, 'X')
    this.checkShape(s.shape, { nFeatures: m.cols })
    return { m, params: s.params, model: s.model, kernels: s.kernels }
  }
}

/** T^-1 = (T'T)^-1 T' of a nonsingular q x q rotation. */
function inverseOf(t: Float64Array, q: number): Float64Array {
  const tt = transpose(t, q, q)
  const inv = inverseSPD(matMul(tt, t, q, q, q), q)
  if (!inv) throw singular()
  return matMul(inv, tt, q, q, q)
}

function singular(): DegenerateError {
  return new DegenerateError('SINGULAR_COVARIANCE', 'The fitted covariance W W^T + Psi is not positive definite; refit with fewer factors or rescaled data.')
}
