/**
 * The variational autoencoder's two networks as one flat parameter vector: the encoder
 * d -> hidden... -> 2L (mu and log-variance of q(z|x)), the decoder L -> reversed
 * hidden... -> d (the mean, or the logits), ReLU between layers, linear outputs; for the
 * Gaussian likelihood one more entry, the log of the observation noise variance (one
 * variance for every feature: with `hidden: []` the model is then probabilistic PCA's,
 * whose optimum the linear VAE reaches). Each layer is W (din x dout, as the dense
 * kernels read it) then b (dout). Also the Adam update (parameter-sized arithmetic).
 */
import type { Rng } from '../../core/rng/xoshiro128.js'

export type Likelihood = 'gaussian' | 'bernoulli'

export interface Layer {
  readonly din: number
  readonly dout: number
  /** Offset of W in the vector; b follows at offset + din * dout. */
  readonly offset: number
  readonly relu: boolean
}

export interface Layout {
  readonly d: number
  readonly latentDim: number
  readonly encoder: readonly Layer[]
  readonly decoder: readonly Layer[]
  /** Offset of the log noise variance (Gaussian), or -1. */
  readonly logVar: number
  readonly size: number
  readonly likelihood: Likelihood
}

export function makeLayout(d: number, latentDim: number, hidden: readonly number[], likelihood: Likelihood): Layout {
  let offset = 0
  const layers = (sizes: number[]): Layer[] => sizes.slice(0, -1).map((din, l) => {
    const layer = { din, dout: sizes[l + 1]!, offset, relu: l < sizes.length - 2 }
    offset += din * layer.dout + layer.dout
    return layer
  })
  const encoder = layers([d, ...hidden, 2 * latentDim])
  const decoder = layers([latentDim, ...[...hidden].reverse(), d])
  const logVar = likelihood === 'gaussian' ? offset++ : -1
  return { d, latentDim, encoder, decoder, logVar, size: offset, likelihood }
}

/**
 * Starting weights: normal with variance 1/din (2/din before a ReLU), biases 0, except
 * the decoder's output bias at the data's column means (their logits, for Bernoulli)
 * and the log noise variance at the log of the mean column variance: the start is the
 * independent model of the columns.
 */
export function initialWeights(layout: Layout, mean: Float64Array, variance: number, rng: Rng): Float64Array {
  const theta = new Float64Array(layout.size)
  for (const layer of [...layout.encoder, ...layout.decoder]) {
    const sd = Math.sqrt((layer.relu ? 2 : 1) / layer.din)
    for (let e = 0; e < layer.din * layer.dout; e++) theta[layer.offset + e] = sd * rng.normal()
  }
  const out = layout.decoder[layout.decoder.length - 1]!
  const bias = out.offset + out.din * out.dout
  for (let j = 0; j < layout.d; j++) {
    const m = mean[j]!
    if (layout.likelihood === 'gaussian') theta[bias + j] = m
    else { const p = Math.min(Math.max(m, 1e-3), 1 - 1e-3); theta[bias + j] = Math.log(p / (1 - p)) }
  }
  if (layout.logVar >= 0) theta[layout.logVar] = Math.log(Math.max(variance, 1e-12))
  return theta
}

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const

/** One Adam step (Kingma & Ba, with bias correction) on the mean gradient g * scale (g: summed over rows, scale 1 / rows): new arrays. */
export function adamStep(theta: Float64Array, m: Float64Array, v: Float64Array, step: number, g: Float64Array, scale: number, learningRate: number): { theta: Float64Array; m: Float64Array; v: Float64Array } {
  const { beta1, beta2, epsilon } = ADAM
  const t = step + 1
  const c1 = 1 - beta1 ** t, c2 = 1 - beta2 ** t
  const nt = new Float64Array(theta.length), nm = new Float64Array(theta.length), nv = new Float64Array(theta.length)
  for (let e = 0; e < theta.length; e++) {
    const ge = g[e]! * scale
    const me = beta1 * m[e]! + (1 - beta1) * ge
    const ve = beta2 * v[e]! + (1 - beta2) * ge * ge
    nm[e] = me
    nv[e] = ve
    nt[e] = theta[e]! - learningRate * (me / c1) / (Math.sqrt(ve / c2) + epsilon)
  }
  return { theta: nt, m: nm, v: nv }
}
