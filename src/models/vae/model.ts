import type { EMModel, EStepResult, PreparedData, StochasticCapability } from '../../engine/types.js'
import { InputError } from '../../core/errors.js'
import type { Matrix } from '../../core/matrix.js'
import { Rng } from '../../core/rng/xoshiro128.js'
import { DENSE_LOSS } from '../../kernels/dense.js'
import type { Arena, F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import { adamStep, initialWeights, type Layer, type Layout } from './network.js'

/**
 * The variational autoencoder as an EMModel: amortized variational EM. The E-step is
 * the encoder, q(z|x) = N(mu(x), diag e^logVar(x)) for every row at once, with one
 * reparameterised draw z = mu + sigma eps per row; the "statistics" are the gradient of
 * the negative bound -ELBO = -log p(x|z) + KL(q || N(0, I)) with respect to every weight
 * (encoder and decoder), summed over the rows (additive, as every E-step's), and the
 * row count; the M-step is one Adam step on their mean. The objective is the bound
 * (one draw per row). Fitted by the engine's 'stochastic' algorithm: an epoch is a pass
 * over shuffled mini-batches (`stochastic.batches`).
 *
 * All arithmetic over rows is in the dense kernels; each E-step copies the weights into
 * kernel memory once and the gradient out once.
 */
export interface VaeParams {
  /** The weights (layout: network.ts). */
  readonly theta: Float64Array
  /** Adam's moment estimates and its step count. */
  readonly m: Float64Array
  readonly v: Float64Array
  readonly step: number
  /** Seed of the mini-batch shuffles (drawn at the start). */
  readonly shuffleSeed: number
  /**
   * The training data's column means, which the encoder's first layer is centred on:
   * its weights act on x - center (its bias b stands for b - center W in the kernels'
   * x W + b), which decouples W from b when the data sit far from 0. Fixed at the start.
   */
  readonly center: Float64Array
}

export interface VaeData extends PreparedData {
  readonly n: number
  readonly x: F64Buffer
  /** The rows of a mini-batch (indices into x), or null: all rows in order. */
  readonly rows: Int32Array | null
  /** Seed of the standard normal draws of this pass. */
  readonly noiseSeed: number
  readonly work: Work
  readonly arena: Arena
}

/** Buffers for a chunk of at most `chunk` rows. */
export interface Work {
  readonly chunk: number
  readonly xb: F64Buffer
  readonly theta: F64Buffer
  readonly grad: F64Buffer
  readonly state: I32Buffer
  readonly eps: F64Buffer
  readonly z: F64Buffer
  readonly gz: F64Buffer
  /** Outputs and their gradients, per layer. */
  readonly enc: readonly F64Buffer[]
  readonly genc: readonly F64Buffer[]
  readonly dec: readonly F64Buffer[]
  readonly gdec: readonly F64Buffer[]
}

export class VaeModel implements EMModel<VaeParams, VaeData> {
  readonly name = 'VariationalAutoencoder'
  readonly stochastic: StochasticCapability<VaeParams, VaeData>

  constructor(readonly kernels: Kernels, readonly layout: Layout, readonly batchSize: number, readonly learningRate: number, window = 10, readonly learningRateDecay = 0) {
    this.stochastic = {
      window,
      batches: (data, params) => this.batches(data, params),
    }
  }

  /** The rows into kernel memory once per fit (checked: Bernoulli rows in [0, 1]), with the work space of one mini-batch. */
  prepare(X: Matrix, noiseSeed: number): VaeData {
    const { layout } = this
    if (X.cols !== layout.d) throw new InputError('SHAPE_MISMATCH', `X has ${X.cols} columns; the model was made for ${layout.d}.`, { cols: X.cols })
    if (layout.likelihood === 'bernoulli') {
      for (let e = 0; e < X.data.length; e++) {
        const v = X.data[e]!
        if (!(v >= 0 && v <= 1)) {
          const row = Math.floor(e / X.cols), col = e % X.cols
          throw new InputError('INVALID_DATA', `X[${row}][${col}] is ${v}; the Bernoulli likelihood needs values in [0, 1] (binary data): rescale, or use likelihood 'gaussian'.`, { row, col, value: v })
        }
      }
    }
    const arena = this.kernels.arena()
    const x = arena.f64From(X.data)
    const chunk = Math.min(this.batchSize, X.rows)
    return { n: X.rows, totalWeight: X.rows, x, rows: null, noiseSeed, work: this.work(arena, chunk), arena }
  }

  private work(arena: Arena, chunk: number): Work {
    const { layout } = this
    const L = layout.latentDim
    const outs = (layers: readonly Layer[]) => layers.map((l) => arena.f64(chunk * l.dout))
    const state = arena.i32(4)
    return {
      chunk, state,
      xb: arena.f64(chunk * layout.d), theta: arena.f64(layout.size), grad: arena.f64(layout.size),
      eps: arena.f64(chunk * L), z: arena.f64(chunk * L), gz: arena.f64(chunk * L),
      enc: outs(layout.encoder), genc: outs(layout.encoder), dec: outs(layout.decoder), gdec: outs(layout.decoder),
    }
  }

  release(data: VaeData): void {
    data.arena.dispose()
  }

  /** The mini-batches of the next epoch: a seeded shuffle of the rows (a function of the Adam step count and the shuffle seed). */
  batches(data: VaeData, params: VaeParams): VaeData[] {
    const rng = new Rng((params.shuffleSeed + Math.imul(params.step, 0x9e3779b1)) | 0)
    const order = new Int32Array(data.n)
    for (let i = 0; i < data.n; i++) order[i] = i
    for (let i = data.n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1))
      const t = order[i]!; order[i] = order[j]!; order[j] = t
    }
    const out: VaeData[] = []
    for (let lo = 0; lo < data.n; lo += this.batchSize) {
      const rows = order.subarray(lo, Math.min(data.n, lo + this.batchSize))
      out.push({ ...data, rows, totalWeight: rows.length, noiseSeed: (rng.uniform() * 2 ** 31) | 0 })
    }
    return out
  }

  eStep(data: VaeData, params: VaeParams): EStepResult {
    return this.pass(data, params, true)
  }

  mStep(stats: Float64Array, params: VaeParams): VaeParams {
    const rows = stats[this.layout.size]!
    // Robbins-Monro: a step size decaying as 1 / (1 + decay t) lets the noisy iterates settle
    const rate = this.learningRate / (1 + this.learningRateDecay * params.step)
    return { ...adamStep(params.theta, params.m, params.v, params.step, stats, 1 / rows, rate), step: params.step + 1, shuffleSeed: params.shuffleSeed, center: params.center }
  }

  /** The bound (one reparameterised draw per row, from the data's noise seed). */
  logLik(data: VaeData, params: VaeParams): number {
    return this.pass(data, params, false).logLik
  }

  /** Per-row bounds (one draw each). */
  rowBounds(data: VaeData, params: VaeParams): Float64Array {
    const out = new Float64Array(data.n)
    this.pass(data, params, false, out)
    return out
  }

  /** Posterior means mu(x) (n x L). */
  encode(data: VaeData, params: VaeParams): Float64Array {
    const L = this.layout.latentDim
    const out = new Float64Array(data.n * L)
    this.forEachChunk(data, params, (m, lo) => {
      const h = this.encoder(data.work, m).view
      for (let i = 0; i < m; i++) for (let a = 0; a < L; a++) out[(lo + i) * L + a] = h[i * 2 * L + a]!
    })
    return out
  }

  /** Decoder outputs (means or logits, n x d) at latent points z (n x L), in chunks of the work space. */
  decode(z: Float64Array, n: number, params: VaeParams, work: Work): Float64Array {
    const { layout } = this
    const d = layout.d, L = layout.latentDim
    work.theta.view.set(params.theta)
    const out = new Float64Array(n * d)
    for (let lo = 0; lo < n; lo += work.chunk) {
      const m = Math.min(work.chunk, n - lo)
      work.z.view.set(z.subarray(lo * L, (lo + m) * L))
      const y = this.decoder(work, m)
      out.set(y.view.subarray(0, m * d), lo * d)
    }
    return out
  }

  /** Work space for `rows` rows (sample, transform), in `arena`. */
  workFor(arena: Arena, rows: number): Work {
    return this.work(arena, Math.min(this.batchSize, rows))
  }

  nParameters(): number {
    return this.layout.size
  }

  pack(params: VaeParams): Float64Array {
    return Float64Array.from(params.theta)
  }

  unpack(vec: Float64Array, like: VaeParams): VaeParams {
    return { theta: Float64Array.from(vec), m: new Float64Array(vec.length), v: new Float64Array(vec.length), step: like.step, shuffleSeed: like.shuffleSeed, center: like.center }
  }

  isValid(vec: Float64Array): boolean {
    for (let e = 0; e < vec.length; e++) if (!Number.isFinite(vec[e]!)) return false
    return true
  }

  /** Starting weights (network.ts), Adam at rest, a shuffle seed. */
  initialParams(data: VaeData, rng: Rng): VaeParams {
    const { d } = this.layout
    const x = data.x.view, n = data.n
    const mean = new Float64Array(d)
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j]! / n
    let variance = 0
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) variance += (x[i * d + j]! - mean[j]!) ** 2 / (n * d)
    const theta = initialWeights(this.layout, mean, variance, rng)
    return { theta, m: new Float64Array(theta.length), v: new Float64Array(theta.length), step: 0, shuffleSeed: (rng.uniform() * 2 ** 31) | 0, center: mean }
  }

  // ---- one pass over the rows ----

  private forEachChunk(data: VaeData, params: VaeParams, each: (m: number, lo: number) => void): void {
    const { work } = data
    const d = this.layout.d
    this.loadWeights(work, params)
    work.state.view.set(new Rng(data.noiseSeed).state)
    const total = data.rows ? data.rows.length : data.n
    for (let lo = 0; lo < total; lo += work.chunk) {
      const m = Math.min(work.chunk, total - lo)
      const xb = work.xb.view, x = data.x.view
      if (data.rows) {
        for (let i = 0; i < m; i++) { const r = data.rows[lo + i]!; xb.set(x.subarray(r * d, r * d + d), i * d) }
      } else {
        xb.set(x.subarray(lo * d, (lo + m) * d))
      }
      each(m, lo)
    }
  }

  /** The bound over the data's rows and, with `withGrad`, the statistics [gradient of -bound (P) | rows]. */
  private pass(data: VaeData, params: VaeParams, withGrad: boolean, perRow?: Float64Array): EStepResult {
    const { layout, kernels } = this
    const P = layout.size, d = layout.d, L = layout.latentDim
    const stats = new Float64Array(withGrad ? P + 1 : 0)
    const logVar = layout.logVar >= 0 ? params.theta[layout.logVar]! : 0
    const kind = layout.likelihood === 'gaussian' ? DENSE_LOSS.gaussian : DENSE_LOSS.bernoulli
    let bound = 0, rows = 0
    this.forEachChunk(data, params, (m, lo) => {
      const w = data.work
      const h = this.encoder(w, m)
      kernels.sampleNormals(w.state, w.eps, m * L)
      if (perRow) {
        // scoring: the draws and the decoder for the whole chunk, then the loss and KL of each row
        const out = this.decodeDraws(w, h, m)
        for (let i = 0; i < m; i++) perRow[lo + i] = -this.rowLoss(w, h, out, i, kind, logVar)
        return
      }
      const kl = kernels.latentSample(h, m, L, w.eps, w.z)
      const out = this.decoder(w, m)
      const gOut = w.gdec[w.gdec.length - 1]!
      const loss = kernels.denseLoss(kind, out, w.xb, m, d, logVar, withGrad ? gOut : null)
      bound -= loss + kl
      rows += m
      if (!withGrad) return
      this.backward(w, m)
      const g = w.grad.view
      for (let e = 0; e < P; e++) stats[e] += g[e]!
      // d(loss)/d(logVar) = m d (1 + logVar + log 2 pi) / 2 - loss (from the loss's own sum of squares)
      if (layout.logVar >= 0) stats[layout.logVar] += (m * d * (1 + logVar + LOG_2PI)) / 2 - loss
    })
    if (withGrad) {
      stats[P] = rows
      // back to the centred coordinates of the first layer: dL/dW = x^T dy - center db^T
      const first = layout.encoder[0]!, c = params.center, b = first.offset + first.din * first.dout
      for (let j = 0; j < first.din; j++) for (let o = 0; o < first.dout; o++) stats[first.offset + j * first.dout + o] -= c[j]! * stats[b + o]!
    }
    return { stats, logLik: bound }
  }

  /** The weights as the kernels read them: the first layer's bias b - center W. */
  private loadWeights(work: Work, params: VaeParams): void {
    const t = work.theta.view
    t.set(params.theta)
    const first = this.layout.encoder[0]!, c = params.center, b = first.offset + first.din * first.dout
    for (let o = 0; o < first.dout; o++) {
      let s = params.theta[b + o]!
      for (let j = 0; j < first.din; j++) s -= c[j]! * params.theta[first.offset + j * first.dout + o]!
      t[b + o] = s
    }
  }

  /** z from the chunk's draws, then the decoder's output. */
  private decodeDraws(w: Work, h: F64Buffer, m: number): F64Buffer {
    this.kernels.latentSample(h, m, this.layout.latentDim, w.eps, w.z)
    return this.decoder(w, m)
  }

  /** -bound of row i of the chunk: its KL (from h and its draws) plus its decoder loss. */
  private rowLoss(w: Work, h: F64Buffer, out: F64Buffer, i: number, kind: number, logVar: number): number {
    const { kernels, layout } = this
    const d = layout.d, L = layout.latentDim
    const kl = kernels.latentSample(h.subarray(i * 2 * L, (i + 1) * 2 * L), 1, L, w.eps.subarray(i * L, (i + 1) * L), w.z.subarray(i * L, (i + 1) * L))
    return kernels.denseLoss(kind, out.subarray(i * d, (i + 1) * d), w.xb.subarray(i * d, (i + 1) * d), 1, d, logVar, null) + kl
  }

  private encoder(w: Work, m: number): F64Buffer {
    return this.forward(this.layout.encoder, w.xb, w.enc, w.theta, m)
  }

  private decoder(w: Work, m: number): F64Buffer {
    return this.forward(this.layout.decoder, w.z, w.dec, w.theta, m)
  }

  /** The m rows of `input` through `layers`, layer l writing outs[l]; returns the last output. */
  private forward(layers: readonly Layer[], input: F64Buffer, outs: readonly F64Buffer[], theta: F64Buffer, m: number): F64Buffer {
    layers.forEach((layer, l) => {
      this.kernels.denseForward(input, m, layer.din, weights(theta, layer), layer.dout, bias(theta, layer), layer.relu, outs[l]!)
      input = outs[l]!
    })
    return input
  }

  /** Gradients of loss + KL into w.grad, from the decoder's output gradient (in gdec's last buffer). */
  private backward(w: Work, m: number): void {
    const { kernels, layout } = this
    const L = layout.latentDim
    const dec = layout.decoder, enc = layout.encoder
    for (let l = dec.length - 1; l >= 0; l--) {
      const layer = dec[l]!
      kernels.denseBackward(l === 0 ? w.z : w.dec[l - 1]!, m, layer.din, weights(w.theta, layer), layer.dout, w.dec[l]!, w.gdec[l]!, layer.relu,
        weights(w.grad, layer), bias(w.grad, layer), l === 0 ? w.gz : w.gdec[l - 1]!)
    }
    kernels.latentBackward(w.enc[enc.length - 1]!, m, L, w.eps, w.gz, w.genc[enc.length - 1]!)
    for (let l = enc.length - 1; l >= 0; l--) {
      const layer = enc[l]!
      kernels.denseBackward(l === 0 ? w.xb : w.enc[l - 1]!, m, layer.din, weights(w.theta, layer), layer.dout, w.enc[l]!, w.genc[l]!, layer.relu,
        weights(w.grad, layer), bias(w.grad, layer), l === 0 ? null : w.genc[l - 1]!)
    }
  }
}

const LOG_2PI = 1.8378770664093453

function weights(buffer: F64Buffer, layer: Layer): F64Buffer {
  return buffer.subarray(layer.offset, layer.offset + layer.din * layer.dout)
}

function bias(buffer: F64Buffer, layer: Layer): F64Buffer {
  const at = layer.offset + layer.din * layer.dout
  return buffer.subarray(at, at + layer.dout)
}
