/**
 * The one list of wasm exports (src/kernels/exports.ts) against everything that
 * follows from it: both built modules, both backends, the generated assembly/index.ts,
 * and the build script's reading of the list. (That `Kernels` and the raw export
 * typings name exactly the listed kernels is checked by tsc, in types.ts and wasm/index.ts.)
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  HELPER_EXPORTS, HELPER_NAMES, KERNEL_EXPORTS, KERNEL_NAMES, MEMORY_EXPORT, WASM_EXPORT_NAMES,
} from '../../src/kernels/exports.js'
import { loadKernels, provideWasmSource, wasmBytes } from '../../src/kernels/index.js'
import { jsKernels } from '../../src/kernels/sync.js'
import { inlineWasm } from '../../src/kernels/wasm/inline.js'

provideWasmSource(inlineWasm) // as Node's entry does
import { INDEX_FILE, assemblyIndexSource, parseExportGroups, readExportList } from '../../scripts/wasm-exports.mjs'

const root = new URL('../../', import.meta.url)
const listText = readFileSync(new URL('src/kernels/exports.ts', root), 'utf8')
const sorted = (names: readonly string[]): string[] => [...names].sort()

describe('the list of wasm exports', () => {
  it('names each export once', () => {
    expect(new Set(WASM_EXPORT_NAMES).size).toBe(WASM_EXPORT_NAMES.length)
  })

  it('is read by the build script exactly as TypeScript sees it', () => {
    const list = readExportList(listText)
    expect(list.kernels).toEqual(KERNEL_EXPORTS)
    expect(list.helpers).toEqual(HELPER_EXPORTS)
    expect(list.names).toEqual(WASM_EXPORT_NAMES)
  })

  it('makes the build script refuse a shape it does not understand, rather than guess', () => {
    const odd = [
      'export const KERNEL_EXPORTS = { linalg: [...MORE] } as const',
      'export const KERNEL_EXPORTS = { linalg: ["cholesky"] } as const',
      'export const KERNEL_EXPORTS = { linalg: [\'cholesky\'], ...more } as const',
      'export const KERNEL_EXPORTS = { linalg: [\'a\'], linalg: [\'b\'] } as const',
    ]
    for (const text of odd) expect(() => parseExportGroups(text, 'KERNEL_EXPORTS'), text).toThrow()
    expect(parseExportGroups("export const KERNEL_EXPORTS = {\n  // why\n  linalg: ['a', 'b'], /* c */ hmm: ['c']\n} as const", 'KERNEL_EXPORTS'))
      .toEqual({ linalg: ['a', 'b'], hmm: ['c'] })
  })

  it('generated assembly/index.ts, which is up to date (npm run build:wasm rewrites it)', () => {
    const index = readFileSync(new URL(INDEX_FILE, root), 'utf8')
    expect(index.split('\n')[0]).toMatch(/^\/\/ GENERATED .* do not edit/)
    expect(index).toBe(assemblyIndexSource(readExportList(listText)))
  })
})

describe.each(['wasm', 'wasm-scalar'] as const)('the %s build', (build) => {
  it('exports exactly the listed names (memory a memory, the rest functions)', () => {
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasmBytes(build)))
    expect(sorted(exports.map((e) => e.name))).toEqual(sorted(WASM_EXPORT_NAMES))
    for (const e of exports) expect(e.kind, e.name).toBe(e.name === MEMORY_EXPORT ? 'memory' : 'function')
  })

  it('backs a Kernels object with every listed kernel and nothing else', async () => {
    const kernels = await loadKernels(build)
    expect(kernels.name).toBe(build)
    expect(sorted(Object.keys(kernels))).toEqual(sorted([...KERNEL_NAMES, 'name', 'arena']))
    for (const name of KERNEL_NAMES) expect(typeof kernels[name], name).toBe('function')
  })
})

describe('the JS backend', () => {
  it('has every listed kernel and nothing else (helpers are wasm-only)', () => {
    expect(sorted(Object.keys(jsKernels))).toEqual(sorted([...KERNEL_NAMES, 'name', 'arena']))
    for (const name of KERNEL_NAMES) expect(typeof jsKernels[name], name).toBe('function')
    for (const name of HELPER_NAMES) expect(name in jsKernels, name).toBe(false)
  })
})
