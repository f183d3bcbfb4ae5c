/** The wasm side of the sampling kernels (assembly/sampling.ts) behind `SamplingKernels`. */
import type { F64Buffer, I32Buffer } from '../types.js'
import type { SamplingKernels } from '../sampling.js'

export interface SamplingExports {
  sampleNormals(state: number, out: number, n: number): void
  sampleGammas(state: number, shape: number, out: number, n: number): number
  sampleTruncatedNormals(state: number, mean: number, sd: number, lower: number, upper: number, n: number, out: number): number
  sampleCategorical(state: number, prob: number, n: number, k: number, labels: number): number
}

export const SAMPLING_EXPORTS = ['sampleNormals', 'sampleGammas', 'sampleTruncatedNormals', 'sampleCategorical'] as const

/** The checked pointer helpers of the backend (ownership, disposal, length). */
export interface PointerChecks {
  ptr(buffer: F64Buffer, minLength: number, what: string): number
  i32Ptr(buffer: I32Buffer, minLength: number, what: string): number
  sizes(...values: number[]): void
}

export function wasmSampling(wasm: SamplingExports, c: PointerChecks): SamplingKernels {
  return {
    sampleNormals(state, out, n) {
      c.sizes(n)
      wasm.sampleNormals(c.i32Ptr(state, 4, 'state'), c.ptr(out, n, 'out'), n)
    },
    sampleGammas(state, shape, out, n) {
      c.sizes(n)
      return wasm.sampleGammas(c.i32Ptr(state, 4, 'state'), c.ptr(shape, n, 'shape'), c.ptr(out, n, 'out'), n)
    },
    sampleTruncatedNormals(state, mean, sd, lower, upper, n, out) {
      c.sizes(n)
      return wasm.sampleTruncatedNormals(
        c.i32Ptr(state, 4, 'state'), c.ptr(mean, n, 'mean'), c.ptr(sd, n, 'sd'), c.ptr(lower, n, 'lower'),
        c.ptr(upper, n, 'upper'), n, c.ptr(out, n, 'out'),
      )
    },
    sampleCategorical(state, prob, n, k, labels) {
      c.sizes(n, k)
      return wasm.sampleCategorical(c.i32Ptr(state, 4, 'state'), c.ptr(prob, n * k, 'prob'), n, k, c.i32Ptr(labels, n, 'labels'))
    },
  }
}
