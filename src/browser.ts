/**
 * emkit for browsers (the package's `browser` export condition): the same API as
 * index.ts, no Node built-ins anywhere in its import graph. The wasm builds are inlined
 * (base64), so nothing is fetched; restarts and bootstrap replicates run serially on
 * this thread, with the same results as Node's pool. Also exported: the SVG plot, the
 * CSV reader and the Old Faithful data, which the demo page uses.
 */
export * from './index.js'
export { closePool } from './parallel/noop.js'
export { gmmSvg } from './plot/svg.js'
export type { GmmSvgInput } from './plot/svg.js'
export { parseCsv } from './io/csv.js'
export type { CsvOptions, CsvResult } from './io/csv.js'
export { faithful, faithfulRows } from './data/faithful.js'
export type { Dataset } from './data/faithful.js'
