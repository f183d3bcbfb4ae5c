/**
 * The emkit WebAssembly module: kernels over pointers and sizes into linear memory.
 * Built twice from this one source (scripts/build-wasm.mjs): with SIMD (f64x2) and
 * without (ASC_FEATURE_SIMD false: no v128 anywhere in the binary). Compiled with
 * `--runtime stub --use abort=`: no imports, and nothing here allocates. The
 * TypeScript side (src/kernels/wasm/) owns the memory from heapBase() upwards.
 */
export { cholesky, invertLower } from './linalg'
export { logDensityFull, logDensityDiag, responsibilities, statsFull, statsDiag, sqDistances } from './mixture'
export { scratchRowsBytes, scratchDensityFullBytes, scratchRespBytes, scratchStatsFullBytes } from './common'
export { uniforms } from './rng'
export {
  hmmForward, hmmBackward, hmmPosteriors, hmmTransitionCounts, hmmForwardLog, hmmBackwardLog, hmmPosteriorsLog,
  hmmViterbi, hmmCategoricalLogB, hmmCategoricalCounts, logDensityPoisson, scratchHmmBytes,
} from './hmm'
export { logDensityT } from './studentt'
export { sampleNormals, sampleGammas, sampleTruncatedNormals, sampleCategorical } from './sampling'
export { glmmSampleIntercepts, glmmLogisticSums } from './glmm'

/** First byte of linear memory after the static data (the caller aligns it). */
export function heapBase(): usize {
  return __heap_base
}

/** 1 for the SIMD build, 0 for the scalar one. */
export function simdBuild(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0
}
