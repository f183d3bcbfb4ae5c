/**
 * Dense layers of a neural network over n rows (the variational autoencoder's encoder
 * and decoder, src/models/vae/), and the Bernoulli component's log-densities (a matrix
 * product plus a bias). Twin: src/kernels/js/dense.ts, the same operations in the same
 * order per output element, so every backend agrees bit for bit.
 *
 * Layout: rows are row-major (x: n x din); a layer's weights W are din x dout
 * ("input-major", y = x W + b as numpy writes it), so that two adjacent outputs of a
 * row are adjacent in W and one f64x2 load feeds both. Every output element is
 * b[o] (or 0) plus its products added in input order j = 0, 1, ...: the SIMD build
 * (dense_simd.ts) puts two adjacent outputs in one v128 and never splits one sum over
 * lanes; its register tile is 2 rows x 4 outputs.
 */
import { LOG_2PI, at, ld, st } from './common'
import { expFlush, logF } from './math'
import { matmulSimd, gramSimd } from './dense_simd'

/** Element (i, o) of y = x W (+ b), scalar: the order every backend keeps. */
// @ts-ignore: decorator
@inline function dotScalar(x: usize, din: i32, w: usize, dout: i32, b: usize, i: i32, o: i32): f64 {
  let acc: f64 = b == 0 ? 0.0 : ld(b, o)
  const xi = at(x, i * din)
  for (let j = 0; j < din; j++) acc += ld(xi, j) * ld(w, j * dout + o)
  return acc
}

/** y = x W + b (b = 0: no bias), then max(y, 0) when relu != 0. */
export function denseForward(x: usize, n: i32, din: i32, w: usize, dout: i32, b: usize, relu: i32, y: usize): void {
  matmul(x, n, din, w, dout, b, y)
  if (relu != 0) {
    const m = n * dout
    for (let e = 0; e < m; e++) { const v = ld(y, e); st(y, e, v > 0.0 ? v : 0.0) }
  }
}

function matmul(x: usize, n: i32, din: i32, w: usize, dout: i32, b: usize, y: usize): void {
  if (ASC_FEATURE_SIMD) {
    matmulSimd(x, n, din, w, dout, b, y)
    return
  }
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < dout; o++) st(y, i * dout + o, dotScalar(x, din, w, dout, b, i, o))
  }
}

/**
 * Back through y = act(x W + b), given dy = dL/dy (n x dout):
 *   relu != 0: dy[i,o] is set to 0 in place where y[i,o] <= 0 (dy becomes dL/d(xW + b));
 *   dw = x^T dy (din x dout, sums in row order), db = column sums of dy (db = 0: none);
 *   dx = dy W^T (n x din; dx = 0: not wanted), from the transpose of W in `scratch`
 *   (din*dout doubles), so that it is the forward product again.
 */
export function denseBackward(
  x: usize, n: i32, din: i32, w: usize, dout: i32, y: usize, dy: usize, relu: i32,
  dw: usize, db: usize, dx: usize, scratch: usize,
): void {
  if (relu != 0) {
    const m = n * dout
    for (let e = 0; e < m; e++) if (!(ld(y, e) > 0.0)) st(dy, e, 0.0)
  }
  gram(x, n, din, dy, dout, dw)
  if (db != 0) {
    for (let o = 0; o < dout; o++) st(db, o, 0.0)
    for (let i = 0; i < n; i++) for (let o = 0; o < dout; o++) st(db, o, ld(db, o) + ld(dy, i * dout + o))
  }
  if (dx != 0) {
    for (let j = 0; j < din; j++) for (let o = 0; o < dout; o++) st(scratch, o * din + j, ld(w, j * dout + o))
    matmul(dy, n, dout, scratch, din, 0, dx)
  }
}

/** out[j, o] = sum_i a[i, j] c[i, o] (a: n x p, c: n x q, out: p x q), i in order. */
function gram(a: usize, n: i32, p: i32, c: usize, q: i32, out: usize): void {
  if (ASC_FEATURE_SIMD) {
    gramSimd(a, n, p, c, q, out)
    return
  }
  for (let j = 0; j < p; j++) {
    for (let o = 0; o < q; o++) {
      let acc: f64 = 0.0
      for (let i = 0; i < n; i++) acc += ld(a, i * p + j) * ld(c, i * q + o)
      st(out, j * q + o, acc)
    }
  }
}

/**
 * The decoder's loss L = -log p(x | out) summed over n x d elements (returned) and,
 * when grad != 0, dL/dout into grad:
 *   kind 0, Gaussian with one variance e^logVar: 0.5 (r^2 e^-logVar + logVar + log 2pi)
 *     with r = x - out; dL/dout = -r e^-logVar;
 *   kind 1, Bernoulli with logits out: softplus(out) - x out; dL/dout = sigmoid(out) - x.
 */
export function denseLoss(kind: i32, out: usize, x: usize, n: i32, d: i32, logVar: f64, grad: usize): f64 {
  const m = n * d
  let total: f64 = 0.0
  if (kind == 0) {
    const inv = expFlush(-logVar)
    const c = logVar + LOG_2PI
    for (let e = 0; e < m; e++) {
      const r = ld(x, e) - ld(out, e)
      total += 0.5 * (r * r * inv + c)
      if (grad != 0) st(grad, e, -r * inv)
    }
  } else {
    for (let e = 0; e < m; e++) {
      const l = ld(out, e)
      const t = expFlush(-Math.abs(l))
      const s = 1.0 + t
      total += ((l > 0.0 ? l : 0.0) + logF(s)) - ld(x, e) * l
      if (grad != 0) st(grad, e, (l >= 0.0 ? 1.0 / s : t / s) - ld(x, e))
    }
  }
  return total
}

/**
 * The reparameterised latent draw: h is n x 2L (row i: mu_i, then logVar_i), eps n x L
 * standard normals; z = mu + e^(logVar/2) eps (n x L). Returns the KL divergence of
 * N(mu, diag e^logVar) from N(0, I) summed over rows: 0.5 sum (mu^2 + s^2 - logVar - 1),
 * s = e^(logVar/2).
 */
export function latentSample(h: usize, n: i32, l: i32, eps: usize, z: usize): f64 {
  let kl: f64 = 0.0
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < l; a++) {
      const mu = ld(h, i * 2 * l + a), lv = ld(h, i * 2 * l + l + a)
      const s = expFlush(0.5 * lv)
      st(z, i * l + a, mu + s * ld(eps, i * l + a))
      kl += 0.5 * (mu * mu + s * s - lv - 1.0)
    }
  }
  return kl
}

/**
 * dL/dh of L = (decoder loss through z) + KL, given dz = dL/dz (n x L):
 *   dL/dmu = dz + mu,  dL/dlogVar = 0.5 dz eps s + 0.5 (s^2 - 1).
 */
export function latentBackward(h: usize, n: i32, l: i32, eps: usize, dz: usize, dh: usize): void {
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < l; a++) {
      const mu = ld(h, i * 2 * l + a), lv = ld(h, i * 2 * l + l + a)
      const s = expFlush(0.5 * lv)
      const g = ld(dz, i * l + a)
      st(dh, i * 2 * l + a, g + mu)
      st(dh, i * 2 * l + l + a, 0.5 * g * ld(eps, i * l + a) * s + 0.5 * (s * s - 1.0))
    }
  }
}
