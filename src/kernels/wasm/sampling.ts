/** The wasm side of the sampling kernels (assembly/sampling.ts and glmm.ts) behind `SamplingKernels`, loaded by the models that need them. */
import type { SamplingKernels } from '../sampling.js'
import type { Kernels } from '../types.js'
import type { PointerChecks } from './context.js'

export interface SamplingExports {
  sampleNormals(state: number, out: number, n: number): void
  sampleGammas(state: number, shape: number, out: number, n: number): number
  sampleTruncatedNormals(state: number, mean: number, sd: number, lower: number, upper: number, n: number, out: number): number
  sampleCategorical(state: number, prob: number, n: number, k: number, labels: number): number
  glmmSampleIntercepts(
    state: number, offset: number, y: number, trials: number, groupStart: number, nGroups: number, sigma: number,
    b: number, scale: number, current: number, burnIn: number, thin: number, m: number, draws: number, accept: number,
  ): number
  glmmLogisticSums(offset: number, y: number, trials: number, group: number, n: number, draws: number, m: number, nGroups: number, s: number, h: number, q: number): number
}

export interface RngExports {
  uniforms(state: number, out: number, count: number): void
}

/** The generator's uniforms (assembly/rng.ts), a family of its own that no fit runs (loaded with the samplers' chunk). */
export function wasmRng(wasm: RngExports, c: PointerChecks): Pick<Kernels, 'uniforms'> {
  return {
    uniforms(state, out) {
      wasm.uniforms(c.i32Ptr(state, 4, 'state'), c.ptr(out, 0, 'out'), out.length)
    },
  }
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
    glmmSampleIntercepts(state, offset, y, trials, groupStart, nGroups, sigma, b, scale, current, burnIn, thin, m, draws, accept) {
      c.sizes(nGroups, burnIn, thin, m)
      const starts = c.i32Ptr(groupStart, nGroups + 1, 'groupStart')
      // rows of the last group end the data: every row buffer must reach that far
      const n = groupStart.view[nGroups]!
      c.sizes(n)
      return wasm.glmmSampleIntercepts(
        c.i32Ptr(state, 4, 'state'), c.ptr(offset, n, 'offset'), c.ptr(y, n, 'y'), c.ptr(trials, n, 'trials'),
        starts, nGroups, sigma, c.ptr(b, nGroups, 'b'), c.ptr(scale, nGroups, 'scale'),
        c.ptr(current, nGroups, 'current'), burnIn, thin, m, c.ptr(draws, m * nGroups, 'draws'), c.ptr(accept, nGroups, 'accept'),
      )
    },
    glmmLogisticSums(offset, y, trials, group, n, draws, m, nGroups, s, h, q) {
      c.sizes(n, m, nGroups)
      return wasm.glmmLogisticSums(
        c.ptr(offset, n, 'offset'), c.ptr(y, n, 'y'), c.ptr(trials, n, 'trials'), c.i32Ptr(group, n, 'group'), n,
        c.ptr(draws, m * nGroups, 'draws'), m, nGroups, c.ptr(s, n, 's'), c.ptr(h, n, 'h'), q === null ? 0 : c.ptr(q, m, 'q'),
      )
    },
  }
}
