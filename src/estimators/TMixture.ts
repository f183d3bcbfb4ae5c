
import { InputError } from '../core/errors.js'
import { type MatrixInput, toRows } from '../core/matrix.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { flattenShape } from '../core/shape.js'
import type { Kernels } from '../kernels/types.js'
import { TMixtureModel, type TMixtureData, type TMixtureParams } from '../models/t-mixture.js'
import type { Dataset } from '../runtime/dataset.js'
import type { Shape, WeightedFitOptions } from './base.js'
import { MixtureEstimator } from './mixture.js'
import { algorithmOption, ENGINE_OPTIONS, type EngineOptions } from './engine-options.js'
import { checkComponents, checkTAlgorithm, degreesOfFreedom, givesAll, initOption, rowsDataset, usableRows } from './inputs.js'
import { integerAtLeast, type OptionDef, type Resolved } from './schema.js'

/**
 * Starting parameters; any of weights, means, scatters may be left out: they then
 * come from the k-means++ start (hard assignment to the seeded centres, then the
 * component M-step with tau = 1), and the given ones replace theirs.
 */
export interface GivenTMixtureParams {
  readonly weights?: ArrayLike<number>
  /** K x d */
  readonly means?: ArrayLike<ArrayLike<number>>
  /** K x d x d */
  readonly scatters?: ArrayLike<ArrayLike<ArrayLike<number>>>
  /** K starting degrees of freedom (ignored when `nu` is fixed; default 10 each). */
  readonly nu?: ArrayLike<number>
  readonly method?: 'kmeans++'
}

export type TMixtureInit = 'kmeans++' | GivenTMixtureParams
export type TMixtureAlgorithm = 'em' | 'ecm' | 'ecme' | 'cem'

export interface TMixtureOptions extends EngineOptions {
  /** Number of components K (default 1). */
  nComponents?: number
  /** Degrees of freedom shared by every component, fixed at this value; estimated per component when omitted. */
  nu?: number
  /** 'kmeans++' (default; seeded, nInit restarts) or { weights?, means?, scatters?, nu? }. */
  init?: TMixtureInit
  /** 'em' (default), 'ecm', 'ecme' (each nu by the observed likelihood; needs an estimated nu) or 'cem' (classification EM: hard assignments). */
  algorithm?: TMixtureAlgorithm
}

export type TMixtureFitOptions = WeightedFitOptions<TMixtureParams>

const PARTS = ['weights', 'means', 'scatters'] as const
/** Starting degrees of freedom when neither `nu` nor init.nu gives them. */
const DEFAULT_NU0 = 10

const SCHEMA = {
  /** Number of components K. */
  nComponents: { default: 1, check: integerAtLeast(1) } as OptionDef<number>,
  /** Degrees of freedom shared by every component, fixed; estimated per component when left out. */
  nu: { default: undefined, check: degreesOfFreedom } as OptionDef<number | undefined>,
  ...ENGINE_OPTIONS,
  /** 'kmeans++' or { weights?, means?, scatters?, nu? }. */
  init: { default: 'kmeans++', check: initOption(['kmeans++'] as const, [...PARTS, 'nu']) } as OptionDef<TMixtureInit>,
  algorithm: algorithmOption('TMixture', TMixtureModel.algorithms(false)),
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface TMixture extends Resolved<typeof SCHEMA> {}

/** A mixture of multivariate t distributions fitted by EM, ECM or ECME (McLachlan & Peel 1998; Liu & Rubin 1995). */
export class TMixture extends MixtureEstimator<TMixtureParams, TMixtureModel, TMixtureData, MatrixInput, TMixtureOptions> {
  static override readonly kind: string = 'TMixture'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight']

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    checkTAlgorithm('TMixture', o, TMixtureModel.algorithms)
  }

  override fit(X: MatrixInput, options: TMixtureFitOptions = {}): Promise<this> { return super.fit(X, options) }
  override fitPredict(X: MatrixInput, options: TMixtureFitOptions = {}): Promise<number[]> { return super.fitPredict(X, options) }

  // ---- the base's hooks ----

  protected toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    return rowsDataset(X, options)
  }

  protected override forFit(data: Dataset): Dataset {
    checkComponents(this.nComponents, usableRows(data.X.rows, data.sampleWeight), 'components', data.sampleWeight ? 'rows with positive weight' : 'rows')
    return data
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected createModel(kernels: Kernels, shape: Shape): TMixtureModel {
    return new TMixtureModel(kernels, this.nComponents, shape['nFeatures']!, this.nu)
  }

  protected prepareData(model: TMixtureModel, data: Dataset): TMixtureData {
    return model.prepare(data.X, data.sampleWeight ?? null)
  }

  protected initialParams(model: TMixtureModel, data: TMixtureData, rng: Rng): TMixtureParams {
    const init = this.init
    if (typeof init === 'string') return model.initialParams(data, this.nu ?? DEFAULT_NU0, rng)
    const { k, d } = model
    const fromData = givesAll(init, PARTS) ? null : model.initialParams(data, DEFAULT_NU0, rng)
    const weights = init.weights !== undefined ? givenWeights(init.weights, k) : fromData!.weights
    const means = init.means !== undefined ? flattenShape(init.means, [k, d], 'init.means') : fromData!.means
    const scatters = init.scatters !== undefined ? flattenShape(init.scatters, [k, d, d], 'init.scatters') : fromData!.scatters
    const nu = this.nu !== undefined ? new Float64Array(k).fill(this.nu) : init.nu !== undefined ? flattenShape(init.nu, [k], 'init.nu') : new Float64Array(k).fill(DEFAULT_NU0)
    for (let c = 0; c < k; c++) degreesOfFreedom(nu[c], `init.nu[${c}]`)
    return { weights, means, scatters, nu }
  }

  /** Fully given locations, scatters and weights make every restart identical: run one. */
  protected override restarts(): number {
    return typeof this.init === 'object' && givesAll(this.init, PARTS) ? 1 : this.nInit
  }

  protected override workOf(data: Dataset): number {
    return data.X.rows * this.nComponents * data.X.cols * data.X.cols
  }

  // ---- fitted attributes ----

  get weights(): number[] { return Array.from(this.fitted('weights').params.weights) }
  get means(): number[][] {
    const { params, model } = this.fitted('means')
    return toRows(params.means, model.k, model.d)
  }
  get scatters(): number[][][] {
    const { params, model } = this.fitted('scatters')
    const d = model.d
    return Array.from({ length: model.k }, (_, c) => toRows(params.scatters.subarray(c * d * d), d, d))
  }
  /** Degrees of freedom per component. */
  get degreesOfFreedom(): number[] { return Array.from(this.fitted('degreesOfFreedom').params.nu) }

  // ---- using the fit ----

}

function givenWeights(value: ArrayLike<number>, k: number): Float64Array {
  const weights = flattenShape(value, [k], 'init.weights')
  let s = 0
  for (let c = 0; c < k; c++) s += weights[c]!
  if (Math.abs(s - 1) > 1e-6) throw new InputError('INVALID_DATA', `init.weights sum to ${s}; they must sum to 1.`)
  return weights
}
