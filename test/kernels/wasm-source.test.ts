/**
 * Where the wasm builds come from (src/kernels/wasm/source.ts): a provided source that
 * compiles them (the browser's fetched assets), its fallbacks (a build that cannot be
 * fetched: the inlined bytes; SIMD missing: the scalar build, fetched), and fetchedWasm
 * itself against a stubbed fetch (compiled while streaming only for application/wasm).
 */
import { describe, expect, it, vi } from 'vitest'
import { scalarWasmBase64, simdWasmBase64 } from '../../build/wasm-inline.js'
import { decodeBase64 } from '../../src/kernels/wasm/base64.js'
import type { WasmBackendName } from '../../src/kernels/wasm/index.js'

const bytes = { 'wasm': decodeBase64(simdWasmBase64), 'wasm-scalar': decodeBase64(scalarWasmBase64) }

async function freshLoader() {
  vi.resetModules()
  return import('../../src/kernels/index.js')
}

describe('a provided source of wasm builds', () => {
  it('compiles the SIMD build from the source, never touching the inlined bytes', async () => {
    const k = await freshLoader()
    const asked: WasmBackendName[] = []
    k.provideWasmSource({ compile: (name) => { asked.push(name); return WebAssembly.compile(bytes[name]) } })
    expect((await k.loadKernels('wasm')).name).toBe('wasm')
    expect(asked).toEqual(['wasm'])
    // the synchronous loaders need bytes: this source has none (load asynchronously first)
    expect(() => k.wasmBytes('wasm-scalar')).toThrow(/asynchronously/)
  })

  it('falls back to the inlined builds when the source cannot deliver (not found, not copied by a bundler)', async () => {
    const k = await freshLoader()
    k.provideWasmSource({ compile: () => Promise.reject(new TypeError('fetch failed')) })
    const kernels = await k.loadKernels('wasm')
    expect(kernels.name).toBe('wasm')
    expect(k.wasmBytes('wasm')).toEqual(bytes.wasm) // decoded from the inlined base64
  })

  it('where SIMD is missing (the SIMD build fails to compile), fetches and runs the scalar build', async () => {
    const k = await freshLoader()
    const asked: WasmBackendName[] = []
    k.provideWasmSource({
      compile: (name) => {
        asked.push(name)
        return name === 'wasm' ? Promise.reject(new WebAssembly.CompileError('SIMD is not supported here (test)')) : WebAssembly.compile(bytes[name])
      },
    })
    const real = WebAssembly
    // the SIMD probe must fail too: a runtime without SIMD
    vi.stubGlobal('WebAssembly', Object.assign(Object.create(real) as typeof WebAssembly, { validate: () => false }))
    try {
      expect((await k.loadKernels('wasm')).name).toBe('wasm-scalar')
      expect(asked).toEqual(['wasm', 'wasm-scalar'])
      expect(k.simdSupported()).toBe(false)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})

describe('the SIMD probe', () => {
  it('validates where the SIMD build does (Node has SIMD) and is not the scalar build', async () => {
    const { SIMD_PROBE } = await import('../../src/kernels/wasm/source.js')
    expect(WebAssembly.validate(SIMD_PROBE)).toBe(WebAssembly.validate(bytes.wasm))
    expect(WebAssembly.validate(SIMD_PROBE)).toBe(true)
  })
})

describe('fetchedWasm', () => {
  const urls = { 'wasm': new URL('https://example.test/emkit.simd.wasm'), 'wasm-scalar': new URL('https://example.test/emkit.scalar.wasm') }

  for (const type of ['application/wasm', 'application/octet-stream']) {
    it(`compiles a build served as ${type}`, async () => {
      const { fetchedWasm } = await import('../../src/kernels/wasm/source.js')
      const fetched: string[] = []
      vi.stubGlobal('fetch', async (url: URL) => {
        fetched.push(url.href)
        return new Response(bytes['wasm-scalar'], { headers: { 'content-type': type } })
      })
      try {
        const module = await fetchedWasm(urls).compile!('wasm-scalar')
        expect(WebAssembly.Module.exports(module).length).toBeGreaterThan(10)
        expect(fetched).toEqual([urls['wasm-scalar'].href])
      } finally {
        vi.unstubAllGlobals()
      }
    })
  }

  it('refuses an HTTP error with a BackendError (the loader then uses the inlined builds)', async () => {
    const { fetchedWasm } = await import('../../src/kernels/wasm/source.js')
    vi.stubGlobal('fetch', async () => new Response('not found', { status: 404 }))
    try {
      await expect(fetchedWasm(urls).compile!('wasm')).rejects.toThrow(/could not be fetched \(HTTP 404\)/)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
