/**
 * The dense-layer kernels (assembly/dense.ts; twin src/kernels/js/dense.ts): matrix
 * products with a bias and ReLU and their gradients, the decoder's loss, and the
 * reparameterised latent draw of a variational autoencoder (src/models/vae/). The
 * Bernoulli component's log-densities are `denseForward` too (a product plus a bias).
 * Matrices are row-major; a layer's weights W are din x dout (y = x W + b).
 */
import type { F64Buffer, OptionalF64 } from './buffers.js'

/** The decoder's observation model in `denseLoss`. */
export const DENSE_LOSS = { gaussian: 0, bernoulli: 1 } as const

export interface DenseKernels {
  /** y = x W + b (b null: no bias), then max(y, 0) when `relu`; each y[i,o] is b[o] plus x[i,j] W[j,o] added in order j = 0.. */
  denseForward(x: F64Buffer, n: number, din: number, w: F64Buffer, dout: number, b: OptionalF64, relu: boolean, y: F64Buffer): void
  /**
   * Back through y = act(x W + b) given dy = dL/dy (n x dout). With `relu`, dy is set to
   * 0 in place where y <= 0. Then dw = x^T dy (din x dout, sums in row order), db =
   * column sums of dy (null: skipped), dx = dy W^T (n x din; null: skipped).
   */
  denseBackward(
    x: F64Buffer, n: number, din: number, w: F64Buffer, dout: number, y: F64Buffer, dy: F64Buffer, relu: boolean,
    dw: F64Buffer, db: OptionalF64, dx: OptionalF64,
  ): void
  /**
   * L = -log p(x | out) summed over the n x d elements (returned), dL/dout into `grad`
   * (null: skipped). kind DENSE_LOSS.gaussian: N(out, e^logVar) per element;
   * DENSE_LOSS.bernoulli: Bernoulli with logits `out` (logVar unused).
   */
  denseLoss(kind: number, out: F64Buffer, x: F64Buffer, n: number, d: number, logVar: number, grad: OptionalF64): number
  /**
   * z = mu + e^(logVar/2) eps (n x l) from h (n x 2l: mu, then logVar, per row) and
   * standard normals eps (n x l). Returns sum KL(N(mu, e^logVar) || N(0, 1)).
   */
  latentSample(h: F64Buffer, n: number, l: number, eps: F64Buffer, z: F64Buffer): number
  /** dh (n x 2l) = d(loss + KL)/dh given dz = dloss/dz: [dz + mu | dz eps s / 2 + (s^2 - 1) / 2]. */
  latentBackward(h: F64Buffer, n: number, l: number, eps: F64Buffer, dz: F64Buffer, dh: F64Buffer): void
}
