/**
 * emkit for browsers (the package's `browser` export condition): the same API as
 * index.ts, no Node built-ins anywhere in its import graph. The wasm builds are fetched
 * as assets: bundlers (rolldown, vite, webpack) see `new URL('…wasm', import.meta.url)`
 * and emit the files, and the SIMD build compiles while it downloads (the scalar one
 * is fetched only where SIMD is missing). Where the asset cannot be fetched (a bundler
 * that does not copy it, a file: URL) the inlined builds are imported instead.
 * Restarts and bootstrap replicates run serially on this thread, with the same
 * results as Node's pool.
 */
import { fetchedWasm, provideWasmSource } from './kernels/index.js'

provideWasmSource(fetchedWasm({
  'wasm': new URL('../build/emkit.simd.wasm', import.meta.url),
  'wasm-scalar': new URL('../build/emkit.scalar.wasm', import.meta.url),
}))

export * from './index.js'
