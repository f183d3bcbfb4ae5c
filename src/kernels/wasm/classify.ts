/** The wasm side of the classification kernel (assembly/classify.ts) behind `ClassifyKernels`. */
import type { ClassifyKernels } from '../classify.js'
import type { PointerChecks } from './context.js'

export interface ClassifyExports {
  hardenResponsibilities(resp: number, n: number, k: number, rowLogLik: number, sampleWeight: number): number
}

export function wasmClassify(wasm: ClassifyExports, c: PointerChecks): ClassifyKernels {
  return {
    hardenResponsibilities(resp, n, k, rowLogLik, sampleWeight) {
      c.sizes(n, k)
      return wasm.hardenResponsibilities(c.ptr(resp, n * k, 'resp'), n, k, c.ptr(rowLogLik, n, 'rowLogLik'), sampleWeight ? c.ptr(sampleWeight, n, 'sampleWeight') : 0)
    },
  }
}
