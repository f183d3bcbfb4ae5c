/**
 * loadKernels('wasm') compiles the SIMD build without validating it first; where SIMD
 * is missing the compile fails and it must fall back to the scalar build (simulated
 * here by a WebAssembly that refuses the SIMD bytes).
 */
import { describe, expect, it, vi } from 'vitest'
import { simdWasmBase64 } from '../../build/wasm-inline.js'
import { decodeBase64 } from '../../src/kernels/wasm/base64.js'

const simdLength = decodeBase64(simdWasmBase64).length
const isSimd = (bytes: BufferSource) => (bytes as Uint8Array).byteLength === simdLength

function withoutSimd(real: typeof WebAssembly): typeof WebAssembly {
  const refuse = () => new real.CompileError('SIMD is not supported here (test)')
  const Module = function (bytes: BufferSource) {
    if (isSimd(bytes)) throw refuse()
    return new real.Module(bytes)
  } as unknown as typeof WebAssembly.Module
  return Object.assign(Object.create(real) as typeof WebAssembly, {
    Module,
    validate: (bytes: BufferSource) => !isSimd(bytes) && real.validate(bytes),
    compile: (bytes: BufferSource) => (isSimd(bytes) ? Promise.reject(refuse()) : real.compile(bytes)),
  })
}

describe('a runtime without SIMD', () => {
  for (const mode of ['async', 'sync'] as const) {
    it(`gets the scalar build for backend 'wasm' (${mode})`, async () => {
      vi.resetModules()
      vi.stubGlobal('WebAssembly', withoutSimd(WebAssembly))
      try {
        const fresh = { ...await import('../../src/kernels/index.js'), ...await import('../../src/kernels/sync.js') }
        fresh.provideWasmSource((await import('../../src/kernels/wasm/inline.js')).inlineWasm) // as Node's entry does
        const kernels = mode === 'async' ? await fresh.loadKernels('wasm') : fresh.loadKernelsSync('wasm')
        expect(kernels.name).toBe('wasm-scalar')
        expect(fresh.simdSupported()).toBe(false)
        expect(await fresh.loadKernels('wasm')).toBe(kernels)
        expect(await fresh.loadKernels('wasm-scalar')).toBe(kernels)
      } finally {
        vi.unstubAllGlobals()
        vi.resetModules()
      }
    })
  }
})
