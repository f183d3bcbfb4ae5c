/** The wasm side of the special-function kernels (assembly/special.ts), loaded by the models that need them. */
import type { Kernels } from '../types.js'
import type { PointerChecks } from './context.js'

export interface SpecialExports {
  digamma(x: number, n: number, out: number): void
  logGamma(x: number, n: number, out: number): void
}

export function wasmSpecial(wasm: SpecialExports, c: PointerChecks): Pick<Kernels, 'digamma' | 'logGamma'> {
  return {
    digamma(x, n, out) {
      c.sizes(n)
      wasm.digamma(c.ptr(x, n, 'x'), n, c.ptr(out, n, 'out'))
    },
    logGamma(x, n, out) {
      c.sizes(n)
      wasm.logGamma(c.ptr(x, n, 'x'), n, c.ptr(out, n, 'out'))
    },
  }
}
