/**
 * emkit for browsers (the package's `browser` export condition): the same API as
 * index.ts, no Node built-ins anywhere in its import graph. The wasm builds are inlined
 * (base64), so nothing is fetched; restarts and bootstrap replicates run serially on
 * this thread, with the same results as Node's pool.
 */
export * from './index.js'
