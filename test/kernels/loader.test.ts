/** Loading backends: selection, caching, modules for workers, and the base64 decoder. */
import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { BackendError } from '../../src/core/errors.js'
import {
  isWasmModule, loadKernels, provideWasmSource, simdSupported, wasmBytes, wasmModule, wasmModuleSync,
} from '../../src/kernels/index.js'
import { jsKernels, loadKernelsSync } from '../../src/kernels/sync.js'
import { instantiateWasmKernels } from '../../src/kernels/sync.js'
import { addFamilies, CORE_FAMILIES, hasFamilies, instantiateWasmCore, LAZY_FAMILIES } from '../../src/kernels/wasm/index.js'
import { KERNEL_EXPORTS } from '../../src/kernels/exports.js'
import { inlineWasm } from '../../src/kernels/wasm/inline.js'
import { decodeBase64 } from '../../src/kernels/wasm/base64.js'
import type { BackendName } from '../../src/kernels/types.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

// the synchronous loaders need a source of bytes: Node's entry provides the inlined builds
provideWasmSource(inlineWasm)

describe('loadKernels', () => {
  it('wraps the core kernel families with the backend and adds the others on demand, to the same object', async () => {
    const module = await wasmModule('wasm-scalar')
    const core = instantiateWasmCore(module) as unknown as Record<string, unknown>
    for (const family of CORE_FAMILIES) for (const name of KERNEL_EXPORTS[family]) expect(typeof core[name], name).toBe('function')
    for (const family of LAZY_FAMILIES) for (const name of KERNEL_EXPORTS[family]) expect(core[name], name).toBeUndefined()
    expect(hasFamilies(core, ['hmm'])).toBe(false)
    const withHmm = await addFamilies(core, ['hmm'])
    expect(withHmm).toBe(core)
    expect(hasFamilies(core, ['hmm', 'mixture'])).toBe(true)
    expect(core['ldaEStep']).toBeUndefined()
    // the added wrappers compute what a backend with every family does
    const full = instantiateWasmKernels(module)
    const answers = [withHmm, full].map((k) => {
      const a = k.arena()
      const b = a.f64(6), lengths = a.i32(1), start = a.f64(2), trans = a.f64(4), alpha = a.f64(6), scale = a.f64(3)
      b.view.set([0.5, 0.1, 0.2, 0.7, 0.9, 0.3]); lengths.view[0] = 3; start.view.set([0.6, 0.4]); trans.view.set([0.7, 0.3, 0.2, 0.8])
      const logLik = k.hmmForward(b, lengths, 1, 2, start, trans, alpha, scale, a.f64(2), false)
      a.dispose()
      return logLik
    })
    expect(answers[0]).toBe(answers[1])
    await addFamilies(core)
    for (const name of Object.values(KERNEL_EXPORTS).flat()) expect(typeof core[name], name).toBe('function')
  })

  it('with families, loads those; a later call without them (or the synchronous loader) completes the same backend', async () => {
    const some = await loadKernels('wasm-scalar', ['mixture', 'studentt']) as unknown as Record<string, unknown>
    expect(typeof some['logDensityT']).toBe('function')
    expect(await loadKernels('wasm-scalar', ['mixture'])).toBe(some)
    expect(loadKernelsSync('wasm-scalar')).toBe(some)
    expect(typeof some['ldaEStep']).toBe('function')
    expect(await loadKernels('wasm-scalar')).toBe(some)
  })

  it('gives the SIMD build for "wasm" here (Node 20 validates SIMD), the scalar build and the JS twin', async () => {
    expect(simdSupported()).toBe(true)
    expect((await loadKernels()).name).toBe('wasm')
    expect((await loadKernels('wasm')).name).toBe('wasm')
    expect((await loadKernels('wasm-scalar')).name).toBe('wasm-scalar')
    expect(await loadKernels('js')).toBe(jsKernels)
  })

  it('caches one instance per backend, shared by the async and sync loaders', async () => {
    for (const name of ['wasm', 'wasm-scalar', 'js'] as const) {
      const a = await loadKernels(name)
      expect(await loadKernels(name)).toBe(a)
      expect(loadKernelsSync(name)).toBe(a)
    }
  })

  it('throws a BackendError when WebAssembly is unavailable (the js backend still loads)', async () => {
    vi.resetModules()
    vi.stubGlobal('WebAssembly', undefined)
    try {
      const fresh = { ...await import('../../src/kernels/index.js'), ...await import('../../src/kernels/sync.js') }
      const errors = await import('../../src/core/errors.js')
      expect(fresh.simdSupported()).toBe(false)
      await expect(fresh.loadKernels('wasm')).rejects.toBeInstanceOf(errors.BackendError)
      await expect(fresh.loadKernels('wasm-scalar')).rejects.toBeInstanceOf(errors.BackendError)
      expect(() => fresh.loadKernelsSync('wasm')).toThrow(errors.BackendError)
      expect((await fresh.loadKernels('js')).name).toBe('js')
    } finally {
      vi.unstubAllGlobals()
      vi.resetModules()
    }
  })

  it('rejects unknown backends with a BackendError', async () => {
    await expect(loadKernels('gpu' as BackendName)).rejects.toBeInstanceOf(BackendError)
    expect(() => loadKernelsSync('gpu' as BackendName)).toThrow(BackendError)
  })

  it('hands out the compiled module and the bytes, for workers to instantiate their own copy', async () => {
    const m = await wasmModule('wasm')
    expect(isWasmModule(m)).toBe(true)
    expect(wasmModuleSync('wasm')).toBe(m)
    expect(await wasmModule('wasm-scalar')).not.toBe(m)
    expect(WebAssembly.Module.imports(m)).toEqual([])
    for (const name of ['wasm', 'wasm-scalar'] as const) {
      const bytes = wasmBytes(name)
      expect(WebAssembly.validate(bytes)).toBe(true)
      const fromFile = join(name === 'wasm' ? 'simd' : 'scalar')
      if (existsSync(fromFile)) expect(Buffer.from(bytes).equals(readFileSync(fromFile))).toBe(true)
    }
    // a second, independent instance gives the same results
    const own = instantiateWasmKernels(m)
    expect(own.name).toBe('wasm')
    expect(instantiateWasmKernels(await wasmModule('wasm-scalar')).name).toBe('wasm-scalar')
    const shared = await loadKernels('wasm')
    expect(own).not.toBe(shared)
    const draws = [own, shared].map((k) => {
      const a = k.arena()
      const state = a.i32(4)
      state.view.set(new Rng(5).state)
      const out = a.f64(10)
      k.uniforms(state, out)
      const v = Array.from(out.view)
      a.dispose()
      return v
    })
    expect(draws[0]).toEqual(draws[1])
    expect(() => instantiateWasmKernels({} as WebAssembly.Module)).toThrow(BackendError)
    const notEmkit = new WebAssembly.Module(Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0))
    expect(() => instantiateWasmKernels(notEmkit)).toThrow(BackendError)
  })

  it('the scalar build contains no SIMD instructions (checked in the .wat listing)', () => {
    const wat = new URL('../../build/emkit.scalar.wat', import.meta.url)
    if (!existsSync(wat)) return // listings are written by npm run build:wasm
    const text = readFileSync(wat, 'utf8')
    expect(text).not.toMatch(/\bv128\b|\bf64x2\b|\bi64x2\b/)
    expect(readFileSync(new URL('../../build/emkit.simd.wat', import.meta.url), 'utf8')).toMatch(/f64x2/)
  })
})

function join(kind: string): URL {
  return new URL(`../../build/emkit.${kind}.wasm`, import.meta.url)
}

describe('decodeBase64', () => {
  it('matches Buffer for random bytes of every length mod 3, padded or not, standard or URL-safe', () => {
    const rng = new Rng(2024)
    for (let len = 0; len < 70; len++) {
      const bytes = Uint8Array.from({ length: len }, () => Math.floor(rng.uniform() * 256))
      const b64 = Buffer.from(bytes).toString('base64')
      expect(Array.from(decodeBase64(b64))).toEqual(Array.from(bytes))
      expect(Array.from(decodeBase64(b64.replace(/=+$/, '')))).toEqual(Array.from(bytes))
      expect(Array.from(decodeBase64(Buffer.from(bytes).toString('base64url')))).toEqual(Array.from(bytes))
    }
  })

  it('rejects invalid input', () => {
    expect(() => decodeBase64('ab$d')).toThrow(SyntaxError)
    expect(() => decodeBase64('abcde')).toThrow(SyntaxError)
    expect(() => decodeBase64('é')).toThrow(SyntaxError)
  })
})
