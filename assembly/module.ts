/**
 * Facts about the module itself, for the TypeScript side (src/kernels/wasm/): where its
 * heap starts and which build it is. Exported through the generated index.ts.
 */

/** First byte of linear memory after the static data (the caller aligns it). */
export function heapBase(): usize {
  return __heap_base
}

/** 1 for the SIMD build, 0 for the scalar one. */
export function simdBuild(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0
}
