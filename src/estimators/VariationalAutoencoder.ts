import { OptionError } from '../core/errors.js'
import { type MatrixInput, toRows } from '../core/matrix.js'
import { Rng } from '../core/rng/xoshiro128.js'
import { show } from '../core/show.js'
import { toMatrix } from '../core/validate.js'
import type { Kernels } from '../kernels/types.js'
import { type Likelihood, makeLayout } from '../models/vae/network.js'
import { VaeModel, type VaeData, type VaeParams } from '../models/vae/model.js'
import type { Dataset } from '../runtime/dataset.js'
import { Estimator, type BaseFitOptions, type Shape } from './base.js'
import type { EngineRun } from './engine-call.js'
import { ENGINE_OPTIONS } from './engine-options.js'
import { drawCount } from './inputs.js'
import { integerAtLeast, numberAtLeast, oneOf, type OptionDef, type Resolved } from './schema.js'

export type { Likelihood as VaeLikelihood } from '../models/vae/network.js'

export interface VariationalAutoencoderOptions {
  /** Dimension L of the latent space (default 2). */
  latentDim?: number
  /** Widths of the hidden layers of the encoder (the decoder mirrors them); [] (default): linear networks. */
  hidden?: readonly number[]
  /** 'gaussian' (default: one learned observation noise variance) or 'bernoulli' (data in [0, 1], logits decoded). */
  likelihood?: Likelihood
  /** Passes over the data (default 100): the engine's iterations. */
  epochs?: number
  /** Rows per mini-batch (default 64). */
  batchSize?: number
  /** Adam's step size (default 1e-3). */
  learningRate?: number
  /** Step-size decay: Adam's step at update t is learningRate / (1 + learningRateDecay t) (default 0: constant). */
  learningRateDecay?: number
  /** Stop early when the mean bound per row over the last 10 epochs moved less than tol from the 10 before (default 0: run every epoch). */
  tol?: number
  /** Seed of the weights, the shuffles and the draws (default 0). */
  seed?: number
  /** Compute backend (default 'wasm'). */
  backend?: 'wasm' | 'wasm-scalar' | 'js'
}

/** Epochs per window of the stopping rule. */
const WINDOW = 10

function checkHidden(value: unknown, name: string): readonly number[] {
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && v >= 1)) {
    throw new OptionError(name, `must be an array of layer widths (integers >= 1), [] for linear networks, got ${show(value)}.`)
  }
  return Object.freeze([...value as number[]])
}

const SCHEMA = {
  /** Dimension of the latent space. */
  latentDim: { default: 2, check: integerAtLeast(1) } as OptionDef<number>,
  /** Hidden layer widths ([]: linear). */
  hidden: { default: () => Object.freeze([]) as readonly number[], check: checkHidden } as OptionDef<readonly number[]>,
  /** 'gaussian' or 'bernoulli'. */
  likelihood: { default: 'gaussian', check: oneOf(['gaussian', 'bernoulli'] as const) } as OptionDef<Likelihood>,
  /** Passes over the data. */
  epochs: { default: 100, check: integerAtLeast(0) } as OptionDef<number>,
  /** Rows per mini-batch. */
  batchSize: { default: 64, check: integerAtLeast(1) } as OptionDef<number>,
  /** Adam's step size. */
  learningRate: { default: 1e-3, check: numberAtLeast(0, true) } as OptionDef<number>,
  /** Step size at update t: learningRate / (1 + learningRateDecay t). */
  learningRateDecay: { default: 0, check: numberAtLeast(0) } as OptionDef<number>,
  /** Moving-window stopping rule on the mean bound per row (0: every epoch runs). */
  tol: { ...ENGINE_OPTIONS.tol, default: 0 } as OptionDef<number>,
  seed: ENGINE_OPTIONS.seed,
  backend: ENGINE_OPTIONS.backend,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface VariationalAutoencoder extends Resolved<typeof SCHEMA> {}

/**
 * A variational autoencoder (Kingma & Welling) trained by amortized variational EM on
 * the one engine: the encoder's q(z|x) = N(mu(x), diag sigma^2(x)) is the E-step, a
 * gradient (reparameterisation) step of Adam on encoder and decoder the M-step, over
 * shuffled mini-batches (the engine's 'stochastic' algorithm: `history` is the bound
 * summed along each epoch, and the closing entry the bound at the result).
 */
export class VariationalAutoencoder extends Estimator<VaeParams, VaeModel, VaeData, VariationalAutoencoderOptions> {
  static override readonly kind: string = 'VariationalAutoencoder'
  static override readonly schema = SCHEMA



  override fit(X: MatrixInput, options: BaseFitOptions<VaeParams> = {}): Promise<this> { return super.fit(X, options) }

  /** Epochs are the engine's iterations; always the stochastic (mini-batch) algorithm, never accelerated. */
  protected override get settings(): EngineRun & { seed: number; backend: 'wasm' | 'wasm-scalar' | 'js'; warmStart: boolean } {
    return { maxIter: this.epochs, tol: this.tol, criterion: 'objective', algorithm: 'stochastic', accelerate: 'none', seed: this.seed, backend: this.backend, warmStart: false }
  }

  // ---- the base's hooks ----

  protected toDataset(X: unknown): Dataset {
    return { X: toMatrix(X as MatrixInput, 'X') }
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  protected createModel(kernels: Kernels, shape: Shape): VaeModel {
    const layout = makeLayout(shape['nFeatures']!, this.latentDim, this.hidden, this.likelihood)
    return new VaeModel(kernels, layout, this.batchSize, this.learningRate, WINDOW, this.learningRateDecay)
  }

  protected prepareData(model: VaeModel, data: Dataset): VaeData {
    return model.prepare(data.X, this.seed)
  }

  protected initialParams(model: VaeModel, data: VaeData, rng: Rng): VaeParams {
    return model.initialParams(data, rng)
  }

  // ---- using the fit ----

  /** The bound (ELBO) of each row of X, one reparameterised draw each (seeded by `seed`). */
  scoreSamples(X: MatrixInput): number[] {
    return this.withData(X, {}, 'scoreSamples', (model, data, params) => Array.from(model.rowBounds(data, params)))
  }

  /**
   * The evidence lower bound of X, summed over rows: E_q[log p(x|z)] - KL(q(z|x) || p(z)),
   * estimated with `samples` reparameterised draws per row (default 1), averaged.
   */
  elbo(X: MatrixInput, options: { samples?: number } = {}): number {
    const o = this.callOptions(options, 'elbo', ['samples'])
    const samples = o['samples'] === undefined ? 1 : integerAtLeast(1)(o['samples'], 'samples')
    return this.withData(X, {}, 'elbo', (model, data, params) => {
      let total = 0
      for (let s = 0; s < samples; s++) total += model.logLik({ ...data, noiseSeed: (this.seed + s) | 0 }, params)
      return total / samples
    })
  }

  /** Posterior means mu(x) of the latent variables (n x latentDim). */
  transform(X: MatrixInput): number[][] {
    return this.withData(X, {}, 'transform', (model, data, params) => toRows(model.encode(data, params), data.n, model.layout.latentDim))
  }

  /**
   * n draws from the model: z ~ N(0, I), then x ~ p(x|z) (Gaussian: the decoded mean plus
   * noise of the learned variance; Bernoulli: 0/1 with the decoded probabilities).
   * Successive calls continue the stream (or draw from `rng`).
   */
  sample(n: number, rng: Rng = this.sampler): number[][] {
    const { model, params } = this.fitted('sample')
    const { d, latentDim: L, logVar, likelihood } = model.layout
    drawCount(n, d + L)
    const z = new Float64Array(n * L)
    rng.normals(z)
    const arena = model.kernels.arena()
    let out: Float64Array
    try {
      out = model.decode(z, n, params, model.workFor(arena, n))
    } finally {
      arena.dispose()
    }
    const sd = logVar >= 0 ? Math.exp(0.5 * params.theta[logVar]!) : 0
    for (let e = 0; e < n * d; e++) {
      const o = out[e]!
      out[e] = likelihood === 'gaussian' ? o + sd * rng.normal() : rng.uniform() < 1 / (1 + Math.exp(-o)) ? 1 : 0
    }
    return toRows(out, n, d)
  }

  /** Every weight as one flat vector: the encoder's layers, then the decoder's (each W, din x dout, then b), then the log noise variance (Gaussian). */
  get weights(): Float64Array { return Float64Array.from(this.fitted('weights').params.theta) }

  /** The learned observation noise variance (Gaussian likelihood), else undefined. */
  get noiseVariance(): number | undefined {
    const { model, params } = this.fitted('noiseVariance')
    return model.layout.logVar >= 0 ? Math.exp(params.theta[model.layout.logVar]!) : undefined
  }
}
