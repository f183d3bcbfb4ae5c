/**
 * The Baum-Welch HMM estimators, over the shared HMM layer (chain.ts): the start and
 * transition probabilities (given in `init`, kept fixed by `fitParams`, smoothed by
 * `pseudoCounts`), and bic/aic. One HmmModel (src/models/hmm/model.ts) over an
 * emission does the arithmetic.
 *
 * Parameters not given in `init` start from the data: uniform start and transition
 * probabilities, and what each emission says (k-means means with the data
 * covariance, random emission probabilities, k-means rates, k-means within k-means
 * for a mixture per state). An HMM whose parameters are all given scores, predicts,
 * decodes and samples before fit.
 *
 * `score` is the total log-likelihood of all sequences (hmmlearn's), and bic/aic use
 * it with n = rows, as hmmlearn does.
 *
 * A new emission is one small file over this class (GMMHMM.ts, a Gaussian mixture
 * per state, is the latest): its schema (`hmmOptions` + `parameterOptions` over its
 * parameter names + its own options), `observations` (inputs.ts), `shapeOf`,
 * `createEmission`, `loadEmission`, `startEmission`, `givenShape`/`givenEmission`,
 * getters for its parameters, and a kind in src/registry/kinds/hmm.ts.
 */
import { NotFittedError } from '../../core/errors.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { kernelsNow } from '../../kernels/sync.js'
import type { Kernels } from '../../kernels/types.js'
import { type Emission, type HmmData, HmmModel, type HmmParams } from '../../models/hmm/model.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { BaseFitOptions, Scoring, Shape } from '../base.js'
import type { EngineAttributes } from '../engine-options.js'
import { ChainEstimator, type HmmDataOptions } from './chain.js'
import { type FitFlags, givenChain, type HmmInit, type HmmPseudoCounts, pseudoCountArrays } from './options.js'

export type { Decoded, DecodeOptions, HmmDataOptions, HmmFitOptions, HmmScoreSamples } from './chain.js'

/** The resolved options every Baum-Welch HMM has: read-only attributes. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface HmmEstimator<E, ED, Em extends Emission<E, ED>, In, O extends object = object> extends EngineAttributes {
  readonly init: HmmInit
  readonly fitParams: FitFlags<'startProb' | 'transMat'>
  readonly pseudoCounts: HmmPseudoCounts
  readonly algorithm: 'em'
}

/** E = emission parameters, ED = emission data, Em = the emission, In = what fit and scoring calls take as X. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class HmmEstimator<E, ED, Em extends Emission<E, ED>, In, O extends object = object>
  extends ChainEstimator<HmmParams<E>, E, ED, Em, In, HmmModel<E, ED>, O> {
  /** The model and parameters of a fully given `init`, built on first use before fit. */
  private givenModel: Scoring<HmmParams<E>, HmmModel<E, ED>> | null = null

  // ---- what each emission supplies besides chain.ts's hooks ----

  /** Starting emission parameters: the given ones, the rest from the data (drawing only from `rng`). */
  protected abstract startEmission(emission: Em, data: ED, dataset: Dataset, rng: Rng): E
  /** The shape `init` fixes when it gives every emission parameter, else null. */
  protected abstract givenShape(): Shape | null
  /** The emission parameters of `init` (called only when givenShape() is not null). */
  protected abstract givenEmission(emission: Em): E

  protected override validate(o: Readonly<Record<string, unknown>>): void {
    const k = o['nComponents'] as number
    givenChain(o['init'] as HmmInit, k)
    pseudoCountArrays(o['pseudoCounts'] as HmmPseudoCounts, k)
  }

  // ---- the base's hooks ----

  protected createModel(kernels: Kernels, shape: Shape): HmmModel<E, ED> {
    const { start, trans } = pseudoCountArrays(this.pseudoCounts, this.nComponents)
    return new HmmModel({
      kernels, k: this.nComponents, emission: this.createEmission(kernels, shape),
      fit: { startProb: this.fitParams.startProb, transMat: this.fitParams.transMat },
      startPseudoCounts: start, transPseudoCounts: trans,
    })
  }

  protected initialParams(model: HmmModel<E, ED>, data: HmmData<ED>, rng: Rng, dataset: Dataset): HmmParams<E> {
    const k = this.nComponents
    const given = givenChain(this.init, k)
    return {
      startProb: given.startProb ?? new Float64Array(k).fill(1 / k),
      transMat: given.transMat ?? new Float64Array(k * k).fill(1 / k),
      emission: this.startEmission(model.emission as Em, data.emission, dataset, rng),
    }
  }

  /** A fully given start makes every restart identical: run one. */
  protected override restarts(): number {
    return this.allGiven() ? 1 : this.nInit
  }

  protected override scoringState(what: string): Scoring<HmmParams<E>, HmmModel<E, ED>> {
    if (this.state) return this.state
    this.givenModel ??= this.fromInit(what)
    return this.givenModel
  }

  private allGiven(): boolean {
    return this.init.startProb !== undefined && this.init.transMat !== undefined && this.givenShape() !== null
  }

  private fromInit(what: string): Scoring<HmmParams<E>, HmmModel<E, ED>> {
    const shape = this.givenShape()
    const { startProb, transMat } = givenChain(this.init, this.nComponents)
    if (!shape || !startProb || !transMat) throw new NotFittedError(this.kind, what, "or give all parameters in 'init'")
    const model = this.createModel(kernelsNow(this.backend), shape)
    try {
      return { model, shape, params: { startProb, transMat, emission: this.givenEmission(model.emission as Em) } }
    } catch (e) {
      model.dispose()
      throw e
    }
  }

  private dropGiven(): void {
    this.givenModel?.model.dispose()
    this.givenModel = null
  }

  override setParams(options: Readonly<Record<string, unknown>>): this {
    super.setParams(options)
    this.dropGiven()
    return this
  }

  override async fitDataset(given: Dataset, options: BaseFitOptions<HmmParams<E>> = {}): Promise<this> {
    await super.fitDataset(given, options)
    this.dropGiven()
    return this
  }

  /** Free the kernel memory of the fitted (or given) model now; the estimator is unfitted afterwards. */
  override dispose(): void {
    super.dispose()
    this.dropGiven()
  }

  /** Baum-Welch's objective adds the pseudo-counts' log prior; the score is the log-likelihood alone. */
  protected override trainingScore(s: { readonly result: { readonly logLik: number }; readonly params: HmmParams<E>; readonly model: HmmModel<E, ED> }): number {
    return s.result.logLik - s.model.logPrior(s.params)
  }

  /** -2 log L + p log n with n = rows (hmmlearn's); no arguments: on the training data. */
  override bic(X?: In, options: HmmDataOptions = {}): number { return super.bic(X, options) }
  /** -2 log L + 2 p; no arguments: on the training data. */
  override aic(X?: In, options: HmmDataOptions = {}): number { return super.aic(X, options) }
}
