/** The wasm side of the dense-layer kernels (assembly/dense.ts) behind `DenseKernels`. */
import type { DenseKernels } from '../dense.js'
import type { F64Buffer, OptionalF64 } from '../types.js'
import type { PointerChecks } from './sampling.js'

export interface DenseExports {
  denseForward(x: number, n: number, din: number, w: number, dout: number, b: number, relu: number, y: number): void
  denseBackward(x: number, n: number, din: number, w: number, dout: number, y: number, dy: number, relu: number, dw: number, db: number, dx: number, scratch: number): void
  denseLoss(kind: number, out: number, x: number, n: number, d: number, logVar: number, grad: number): number
  latentSample(h: number, n: number, l: number, eps: number, z: number): number
  latentBackward(h: number, n: number, l: number, eps: number, dz: number, dh: number): void
}

/** `scratch(bytes)`: the backend's scratch block (dx needs W transposed: din x dout doubles). */
export function wasmDense(wasm: DenseExports, c: PointerChecks, scratch: (bytes: number) => number): DenseKernels {
  const opt = (b: OptionalF64, len: number, what: string) => (b === null ? 0 : c.ptr(b as F64Buffer, len, what))
  return {
    denseForward(x, n, din, w, dout, b, relu, y) {
      c.sizes(n, din, dout)
      wasm.denseForward(c.ptr(x, n * din, 'x'), n, din, c.ptr(w, din * dout, 'w'), dout, opt(b, dout, 'b'), relu ? 1 : 0, c.ptr(y, n * dout, 'y'))
    },
    denseBackward(x, n, din, w, dout, y, dy, relu, dw, db, dx) {
      c.sizes(n, din, dout)
      const s = dx === null ? 0 : scratch(din * dout * 8)
      wasm.denseBackward(
        c.ptr(x, n * din, 'x'), n, din, c.ptr(w, din * dout, 'w'), dout, c.ptr(y, n * dout, 'y'), c.ptr(dy, n * dout, 'dy'),
        relu ? 1 : 0, c.ptr(dw, din * dout, 'dw'), opt(db, dout, 'db'), opt(dx, n * din, 'dx'), s,
      )
    },
    denseLoss(kind, out, x, n, d, logVar, grad) {
      c.sizes(n, d)
      return wasm.denseLoss(kind, c.ptr(out, n * d, 'out'), c.ptr(x, n * d, 'x'), n, d, logVar, opt(grad, n * d, 'grad'))
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
