import { type MatrixInput, toRows } from '../core/matrix.js'
import { Rng } from '../core/rng/xoshiro128.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import type { Kernels } from '../kernels/types.js'
import { BernoulliMixtureModel, type BernoulliMixtureData, type BernoulliMixtureParams, type GivenBernoulliParams } from '../models/bernoulli-mixture.js'
import { drawFrom } from '../models/components/categorical.js'
import type { Dataset } from '../runtime/dataset.js'
import type { Shape, WeightedFitOptions } from './base.js'
import { MixtureEstimator } from './mixture.js'
import { algorithmOption, ENGINE_OPTIONS, type EngineOptions } from './engine-options.js'
import { checkComponents, drawCount, givesAll, initOption, usableRows } from './inputs.js'
import { integerAtLeast, type OptionDef, type Resolved } from './schema.js'

export type { GivenBernoulliParams } from '../models/bernoulli-mixture.js'
export type BernoulliMixtureInit = 'random' | GivenBernoulliParams

export interface BernoulliMixtureOptions extends EngineOptions {
  /** Number of components K (default 2). */
  nComponents?: number
  /** 'random' (default: seeded, probabilities uniform on [0.25, 0.75]; nInit restarts) or { weights, probs }. */
  init?: BernoulliMixtureInit
  algorithm?: 'em'
}

export type BernoulliMixtureFitOptions = WeightedFitOptions<BernoulliMixtureParams>

const PARTS = ['weights', 'probs'] as const

const SCHEMA = {
  /** Number of components K. */
  nComponents: { default: 2, check: integerAtLeast(1) } as OptionDef<number>,
  ...ENGINE_OPTIONS,
  /** 'random' or { weights, probs }. */
  init: { default: 'random', check: initOption(['random'] as const, PARTS) } as OptionDef<BernoulliMixtureInit>,
  algorithm: algorithmOption('BernoulliMixture', ['em'] as const),
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface BernoulliMixture extends Resolved<typeof SCHEMA> {}

/**
 * A mixture of multivariate Bernoulli distributions for binary rows (every entry 0 or
 * 1), fitted by EM (optionally accelerated): the classical latent-class model, and the
 * baseline the Bernoulli variational autoencoder is compared with.
 */
export class BernoulliMixture extends MixtureEstimator<BernoulliMixtureParams, BernoulliMixtureModel, BernoulliMixtureData, MatrixInput, BernoulliMixtureOptions> {
  static override readonly kind: string = 'BernoulliMixture'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames = ['sampleWeight']



  override fit(X: MatrixInput, options: BernoulliMixtureFitOptions = {}): Promise<this> { return super.fit(X, options) }
  override fitPredict(X: MatrixInput, options: BernoulliMixtureFitOptions = {}): Promise<number[]> { return super.fitPredict(X, options) }

  // ---- the base's hooks ----

  protected toDataset(X: unknown, options: Readonly<Record<string, unknown>>): Dataset {
    const m = toMatrix(X as MatrixInput, 'X')
    const weight = toSampleWeight(options['sampleWeight'] as ArrayLike<number> | undefined, m.rows)
    return weight ? { X: m, sampleWeight: weight } : { X: m }
  }

  protected override forFit(data: Dataset): Dataset {
    checkComponents(this.nComponents, usableRows(data.X.rows, data.sampleWeight), 'components', data.sampleWeight ? 'rows with positive weight' : 'rows')
    return data
  }

  /** Binary entries are checked as such (prepare), not as values to square. */
  protected override checkScale(): void {}

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected createModel(kernels: Kernels, shape: Shape): BernoulliMixtureModel {
    return new BernoulliMixtureModel(kernels, this.nComponents, shape['nFeatures']!)
  }

  protected prepareData(model: BernoulliMixtureModel, data: Dataset): BernoulliMixtureData {
    return model.prepare(data.X, data.sampleWeight ?? null)
  }

  protected initialParams(model: BernoulliMixtureModel, _data: BernoulliMixtureData, rng: Rng): BernoulliMixtureParams {
    return model.initialParams(this.init, rng)
  }

  /** Given parameters make every restart the same run. */
  protected override restarts(): number {
    return typeof this.init === 'object' && givesAll(this.init, PARTS) ? 1 : this.nInit
  }

  protected override workOf(data: Dataset): number {
    return data.X.rows * this.nComponents * data.X.cols
  }

  // ---- fitted attributes ----

  get weights(): number[] { return Array.from(this.fitted('weights').params.weights) }
  /** k rows of d success probabilities. */
  get probs(): number[][] { const s = this.fitted('probs'); return toRows(s.params.probs, s.model.k, s.model.d) }
  get nFeatures(): number { return this.fitted('nFeatures').model.d }

  // ---- using the fit ----

  /** n binary rows drawn from the fitted mixture, with the component of each; successive calls continue the stream (or draw from `rng`). */
  sample(n: number, rng: Rng = this.sampler): { X: number[][]; labels: number[] } {
    const { model, params } = this.fitted('sample')
    drawCount(n, model.d + 1)
    const X: number[][] = [], labels: number[] = []
    for (let i = 0; i < n; i++) {
      const c = drawFrom(params.weights, 0, model.k, rng)
      labels.push(c)
      X.push(model.bernoulli.sample(params, c, rng))
    }
    return { X, labels }
  }
}
