/**
 * THE list of the emkit WebAssembly module's exports, by assembly/ module. Everything
 * else follows from it: scripts/build-wasm.mjs generates assembly/index.ts from it and
 * checks both builds against it, the wasm loader requires exactly these exports, and
 * types.ts fails to compile unless `Kernels` has exactly the kernels listed here.
 *
 * The build script reads this file as text (plain Node cannot import TypeScript), so
 * keep each list in this shape: `module: ['name', ...],` entries, comments allowed,
 * nothing else (scripts/wasm-exports.mjs refuses anything it does not understand, and
 * test/kernels/exports.test.ts checks that it reads what TypeScript sees).
 */

/** The kernels: one wasm function and one `Kernels` method each (the JS twin has them all). */
export const KERNEL_EXPORTS = {
  linalg: ['cholesky', 'invertLower'],
  mixture: ['logDensityFull', 'logDensityDiag', 'responsibilities', 'statsFull', 'statsDiag', 'sqDistances'],
  studentt: ['logDensityT'],
  rng: ['uniforms'],
  hmm: [
    'hmmForward', 'hmmSmooth', 'hmmForwardLog', 'hmmBackwardLog',
    'hmmPosteriorsLog', 'hmmViterbi', 'hmmCategoricalLogB', 'hmmCategoricalCounts', 'logDensityPoisson',
  ],
  sampling: ['sampleNormals', 'sampleGammas', 'sampleTruncatedNormals', 'sampleCategorical'],
  glmm: ['glmmSampleIntercepts', 'glmmLogisticSums'],
  special: ['digamma', 'logGamma'],
  regression: ['regressionEta', 'glmRowTerms', 'weightedCrossProducts'],
  classify: ['hardenResponsibilities'],
  dense: ['denseForward', 'denseBackward', 'denseLoss', 'latentSample', 'latentBackward'],
  lda: ['ldaEStep'],
} as const

/** Wasm-only functions the backend calls itself (heap start, build flag, scratch sizes): not kernels. */
export const HELPER_EXPORTS = {
  module: ['heapBase', 'simdBuild'],
  common: ['scratchRowsBytes', 'scratchDensityFullBytes', 'scratchRespBytes', 'scratchStatsFullBytes'],
  hmm: ['scratchHmmBytes'],
} as const

/** Exported by the compiler itself, not by a module. */
export const MEMORY_EXPORT = 'memory'

export type KernelName = (typeof KERNEL_EXPORTS)[keyof typeof KERNEL_EXPORTS][number]
/** A kernel family: the kernels of one assembly/ module (the wasm backend wraps each family apart, see wasm/index.ts). */
export type KernelFamily = keyof typeof KERNEL_EXPORTS
export type HelperName = (typeof HELPER_EXPORTS)[keyof typeof HELPER_EXPORTS][number]
export type WasmExportName = typeof MEMORY_EXPORT | KernelName | HelperName

export const KERNEL_NAMES: readonly KernelName[] = Object.values(KERNEL_EXPORTS).flat()
export const HELPER_NAMES: readonly HelperName[] = Object.values(HELPER_EXPORTS).flat()
/** Every export of both builds, no more and no less. */
export const WASM_EXPORT_NAMES: readonly WasmExportName[] = [MEMORY_EXPORT, ...KERNEL_NAMES, ...HELPER_NAMES]

/**
 * Compile-time equality of two sets of names: `SameNames<Exclude<A, B>, Exclude<B, A>>`
 * compiles only when both differences are empty, and otherwise tsc's error names the
 * member that one side has and the other lacks.
 */
export type SameNames<Missing extends never, Extra extends never> = [Missing, Extra]

// @ts-expect-error: the check must reject a difference (guards against it going slack)
type _SameNamesRejects = SameNames<'onlyOnOneSide', never>
