/**
 * The JS twin of assembly/dense.ts (see its file comment): every output element gets
 * the same operations in the same order (bias or 0 first, then the products added in
 * input order; the gradient sums in row order), so all backends agree bit for bit.
 * The loops run in the order that is fastest in JS (row of W innermost), which does
 * not change any element's order of operations.
 */
import type { DenseKernels } from '../dense.js'
import { expFlush } from './math.js'

const LOG_2PI = 1.8378770664093453

function matmul(x: Float64Array, n: number, din: number, w: Float64Array, dout: number, b: Float64Array | null, y: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const yo = i * dout, xo = i * din
    for (let o = 0; o < dout; o++) y[yo + o] = b ? b[o]! : 0
    for (let j = 0; j < din; j++) {
      const xv = x[xo + j]!, wo = j * dout
      for (let o = 0; o < dout; o++) y[yo + o] += xv * w[wo + o]!
    }
  }
}

export const denseForward: DenseKernels['denseForward'] = (x, n, din, w, dout, b, relu, y) => {
  const Y = y.view
  matmul(x.view, n, din, w.view, dout, b ? b.view : null, Y)
  if (relu) for (let e = 0; e < n * dout; e++) { const v = Y[e]!; Y[e] = v > 0 ? v : 0 }
}

export const denseBackward: DenseKernels['denseBackward'] = (x, n, din, w, dout, y, dy, relu, dw, db, dx) => {
  const DY = dy.view, Y = y.view, X = x.view, W = w.view, DW = dw.view
  if (relu) for (let e = 0; e < n * dout; e++) if (!(Y[e]! > 0)) DY[e] = 0
  DW.fill(0, 0, din * dout)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < din; j++) {
      const xv = X[i * din + j]!, wo = j * dout
      for (let o = 0; o < dout; o++) DW[wo + o] += xv * DY[i * dout + o]!
    }
  }
  if (db) {
    const DB = db.view
    DB.fill(0, 0, dout)
    for (let i = 0; i < n; i++) for (let o = 0; o < dout; o++) DB[o] += DY[i * dout + o]!
  }
  if (dx) {
    // dx[i,j] = 0 + sum_o dy[i,o] W[j,o] in order o = 0..: the kernel's product with W transposed
    const DX = dx.view
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < din; j++) {
        let acc = 0
        for (let o = 0; o < dout; o++) acc += DY[i * dout + o]! * W[j * dout + o]!
        DX[i * din + j] = acc
      }
    }
  }
}

export const denseLoss: DenseKernels['denseLoss'] = (kind, out, x, n, d, logVar, grad) => {
  const O = out.view, X = x.view, G = grad ? grad.view : null
  const m = n * d
  let total = 0
  if (kind === 0) {
    const inv = expFlush(-logVar)
    const c = logVar + LOG_2PI
    for (let e = 0; e < m; e++) {
      const r = X[e]! - O[e]!
      total += 0.5 * (r * r * inv + c)
      if (G) G[e] = -r * inv
    }
  } else {
    for (let e = 0; e < m; e++) {
      const l = O[e]!
      const t = expFlush(-Math.abs(l))
      const s = 1 + t
      total += ((l > 0 ? l : 0) + Math.log(s)) - X[e]! * l
      if (G) G[e] = (l >= 0 ? 1 / s : t / s) - X[e]!
    }
  }
  return total
}

export const latentSample: DenseKernels['latentSample'] = (h, n, l, eps, z) => {
  const H = h.view, E = eps.view, Z = z.view
  let kl = 0
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < l; a++) {
      const mu = H[i * 2 * l + a]!, lv = H[i * 2 * l + l + a]!
      const s = expFlush(0.5 * lv)
      Z[i * l + a] = mu + s * E[i * l + a]!
      kl += 0.5 * (mu * mu + s * s - lv - 1)
    }
  }
  return kl
}

export const latentBackward: DenseKernels['latentBackward'] = (h, n, l, eps, dz, dh) => {
  const H = h.view, E = eps.view, DZ = dz.view, DH = dh.view
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < l; a++) {
      const mu = H[i * 2 * l + a]!, lv = H[i * 2 * l + l + a]!
      const s = expFlush(0.5 * lv)
      const g = DZ[i * l + a]!
      DH[i * 2 * l + a] = g + mu
      DH[i * 2 * l + l + a] = 0.5 * g * E[i * l + a]! * s + 0.5 * (s * s - 1)
    }
  }
}

export const jsDense: DenseKernels = { denseForward, denseBackward, denseLoss, latentSample, latentBackward }
