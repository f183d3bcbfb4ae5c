/** The wasm side of the dense-layer kernels (assembly/dense.ts) behind `DenseKernels`. */
import type { DenseKernels } from '../dense.js'
import type { F64Buffer, OptionalF64 } from '../types.js'
import type { PointerChecks } from './context.js'

export interface DenseExports {
  denseForward(x: number, n: number, din: number, w: number, dout: number, b: number, relu: number, y: number): void
  denseBackward(x: number, n: number, din: number, w: number, dout: number, y: number, dy: number, relu: number, dw: number, db: number, dx: number, scratch: number): void
  denseLoss(kind: number, out: number, x: number, n: number, d: number, logVar: number, grad: number): number
  latentSample(h: number, n: number, l: number, eps: number, z: number): number
  latentBackward(h: number, n: number, l: number, eps: number, dz: number, dh: number): void
}

/** dx needs W transposed (din x dout doubles) in the backend's scratch block. */
export function wasmDense(wasm: DenseExports, c: PointerChecks): DenseKernels {
  return {
    denseForward(x, n, din, w, dout, b, relu, y) {
      c.sizes(n, din, dout)
      wasm.denseForward(c.ptr(x, n * din, 'x'), n, din, c.ptr(w, din * dout, 'w'), dout, c.optPtr(b, dout, 'b'), relu ? 1 : 0, c.ptr(y, n * dout, 'y'))
    },
    denseBackward(x, n, din, w, dout, y, dy, relu, dw, db, dx) {
      c.sizes(n, din, dout)
      const s = dx === null ? 0 : c.scratch(din * dout * 8)
      wasm.denseBackward(
        c.ptr(x, n * din, 'x'), n, din, c.ptr(w, din * dout, 'w'), dout, c.ptr(y, n * dout, 'y'), c.ptr(dy, n * dout, 'dy'),
        relu ? 1 : 0, c.ptr(dw, din * dout, 'dw'), c.optPtr(db, dout, 'db'), c.optPtr(dx, n * din, 'dx'), s,
      )
    },
    denseLoss(kind, out, x, n, d, logVar, grad) {
      c.sizes(n, d)
      return wasm.denseLoss(kind, c.ptr(out, n * d, 'out'), c.ptr(x, n * d, 'x'), n, d, logVar, c.optPtr(grad, n * d, 'grad'))
    },
    latentSample(h, n, l, eps, z) {
      c.sizes(n, l)
      return wasm.latentSample(c.ptr(h, 2 * n * l, 'h'), n, l, c.ptr(eps, n * l, 'eps'), c.ptr(z, n * l, 'z'))
    },
    latentBackward(h, n, l, eps, dz, dh) {
      c.sizes(n, l)
      wasm.latentBackward(c.ptr(h, 2 * n * l, 'h'), n, l, c.ptr(eps, n * l, 'eps'), c.ptr(dz, n * l, 'dz'), c.ptr(dh, 2 * n * l, 'dh'))
    },
  }
}
