/**
 * Choosing and loading a kernel backend.
 *
 * - 'wasm': the SIMD build when this runtime validates it (WebAssembly.validate),
 *   else the scalar build (its Kernels then report name 'wasm-scalar');
 * - 'wasm-scalar': the build without SIMD;
 * - 'js': the pure-TypeScript twin.
 *
 * The builds come from the source the runtime's entry provides (wasm/source.ts: Node's
 * inlined bytes, the browser's fetched assets, the edge's modules); without one, from
 * the inlined bytes. One compiled module and one instance are cached per build.
 * Workers get the compiled module (wasmModule / wasmModuleSync) or the bytes
 * (wasmBytes) and make their own instance with instantiateWasmKernels.
 *
 * Bundle size: this file imports neither the inlined bytes nor the JS twin statically
 * (dynamic imports, loaded when first needed), so a browser bundle of a fit carries
 * neither; nor the wasm backend's wrappers (wasm/index.ts), imported with the build
 * they wrap (loadKernels is asynchronous: the first fit loads them while the build
 * downloads), and of those only the kernel families the caller names (a Gaussian
 * mixture's fit: the core families; an HMM's adds its own). `loadKernelsSync`, which
 * needs the JS twin and every wrapper at hand, is in sync.ts.
 */
import { BackendError } from '../core/errors.js'
import type { KernelFamily } from './exports.js'
import type { BackendName, Kernels } from './types.js'
import { isWasmModule, SIMD_PROBE, type WasmBackendName, type WasmSource } from './wasm/source.js'

export type { BackendName, Kernels } from './types.js'
// instantiateWasmKernels is sync.ts's (not re-exported: a static import here would keep the backend in bundles' code loaded at start)
export type { WasmBackendName } from './wasm/source.js'
export type { KernelFamily } from './exports.js'
export { kernelMemoryInUse, reserveKernelMemory } from './wasm/memory-use.js'
export { fetchedWasm, isWasmModule, type WasmSource } from './wasm/source.js'

interface BuildCache {
  bytes?: Uint8Array<ArrayBuffer>
  module?: WebAssembly.Module
  compiling?: Promise<WebAssembly.Module>
  /** The build's one backend: the families asked for so far are added to it (wasm/index.ts's addFamilies). */
  kernels?: Kernels
}

const cache: Record<WasmBackendName, BuildCache> = { 'wasm': {}, 'wasm-scalar': {} }
let simd: boolean | undefined
let source: WasmSource | undefined

/** Where the wasm builds come from in this runtime (its entry says; see wasm/source.ts). Builds already loaded keep theirs. */
export function provideWasmSource(provided: WasmSource): void {
  source = provided
}

/**
 * The source of bytes the synchronous loaders need: Node's entry provides the inlined
 * builds; the browser entry fetches (asynchronous only), index.ts alone provides none.
 */
function syncSource(): WasmSource {
  if (source?.bytes) return source
  throw new BackendError("This runtime loads the emkit WebAssembly builds asynchronously: await loadKernels() (or a fit) before the synchronous loaders, or use backend 'js'.")
}

/** The builds inlined as base64, imported when first needed (a dynamic import: bundlers split it off). */
async function inlineBytes(name: WasmBackendName): Promise<Uint8Array<ArrayBuffer>> {
  return (await import('./wasm/inline.js')).inlineWasm.bytes!(name)
}

function wasmApi(): typeof WebAssembly {
  if (typeof WebAssembly === 'undefined' || typeof WebAssembly.Module !== 'function') {
    throw new BackendError("WebAssembly is not available in this runtime: use backend 'js'.")
  }
  return WebAssembly
}

function checkBackend(backend: unknown): asserts backend is BackendName {
  if (backend !== 'wasm' && backend !== 'wasm-scalar' && backend !== 'js') {
    throw new BackendError(`Unknown backend '${String(backend)}': use 'wasm', 'wasm-scalar' or 'js'.`, { backend })
  }
}

/** True when this runtime can run the SIMD (f64x2) build. */
export function simdSupported(): boolean {
  if (simd === undefined) {
    try {
      simd = wasmApi().validate(wasmBytes('wasm'))
    } catch {
      simd = false
    }
  }
  return simd
}

/**
 * Which build backs `backend`: 'wasm' is the SIMD build unless this runtime is known
 * to lack SIMD. Not knowing yet means trying SIMD: compiling validates, so a runtime
 * without it fails the compile and falls back (wasmModule), and a cold start does not
 * decode and validate the SIMD bytes once more just to ask.
 */
function build(backend: WasmBackendName): WasmBackendName {
  return backend === 'wasm' && simd === false ? 'wasm-scalar' : backend
}

/** After a failed compile of the SIMD build: true (and simd = false) when the reason is that SIMD is missing here. */
function lacksSimd(api: typeof WebAssembly, name: WasmBackendName): boolean {
  if (name !== 'wasm' || simd !== undefined) return false
  // the build itself when its bytes are at hand, else a one-instruction SIMD module (a fetched build)
  simd = api.validate(cache.wasm.bytes ?? source?.bytes?.('wasm') ?? SIMD_PROBE)
  return !simd
}

/** The raw bytes of a build ('wasm' = the SIMD build itself, whether or not it validates here): from a source that gives bytes. */
export function wasmBytes(backend: WasmBackendName): Uint8Array<ArrayBuffer> {
  const entry = cache[backend]
  if (!entry) throw new BackendError(`No wasm build named '${String(backend)}': use 'wasm' or 'wasm-scalar'.`)
  entry.bytes ??= syncSource().bytes!(backend)
  return entry.bytes
}

function compileError(name: WasmBackendName, cause: unknown): BackendError {
  return new BackendError(`The emkit WebAssembly module (${name}) could not be compiled here: ${String(cause)}. Use backend 'js'.`, { backend: name, cause })
}

/**
 * The compiled module of the build that backs `backend` (for workers: pass it in
 * workerData and call instantiateWasmKernels there). Compiled once and cached.
 */
export async function wasmModule(backend: WasmBackendName = 'wasm'): Promise<WebAssembly.Module> {
  const api = wasmApi()
  const name = build(backend)
  const entry = cache[name]
  if (entry.module) return entry.module
  entry.compiling ??= compileBuild(api, name).then(
    (module) => {
      if (name === 'wasm') simd = true
      return (entry.module = module)
    },
    (cause: unknown) => {
      entry.compiling = undefined
      if (lacksSimd(api, name)) return wasmModule('wasm-scalar')
      throw compileError(name, cause)
    },
  )
  return entry.compiling
}

/**
 * Compile a build from where this runtime gets it: bytes already decoded, the
 * provided source, else the inlined bytes. A source that cannot deliver (an asset not
 * found, a bundler that did not copy it, a file: URL in Node) falls back to the
 * inlined bytes; a CompileError (SIMD missing) goes on to the caller.
 */
async function compileBuild(api: typeof WebAssembly, name: WasmBackendName): Promise<WebAssembly.Module> {
  const entry = cache[name]
  if (!entry.bytes && source?.compile) {
    try {
      return await source.compile(name)
    } catch (cause) {
      if (cause instanceof api.CompileError) throw cause
    }
  }
  entry.bytes ??= source?.bytes?.(name) ?? await inlineBytes(name)
  return api.compile(entry.bytes)
}

/** As wasmModule, compiling synchronously (browsers may refuse synchronous compiles on the main thread: prefer wasmModule there). */
export function wasmModuleSync(backend: WasmBackendName = 'wasm'): WebAssembly.Module {
  const api = wasmApi()
  const name = build(backend)
  const entry = cache[name]
  if (!entry.module) {
    try {
      entry.module = new api.Module(wasmBytes(name))
      if (name === 'wasm') simd = true
    } catch (cause) {
      if (lacksSimd(api, name)) return wasmModuleSync('wasm-scalar')
      throw compileError(name, cause)
    }
  }
  return entry.module
}

/**
 * The kernels of `backend` (default 'wasm'); one cached instance per build. A wasm
 * backend has the kernels of `families` (default: every family) and of the core
 * families (wasm/index.ts's CORE_FAMILIES); a later call that names others adds them to
 * the same object. A model names the families it runs (its estimator's
 * `kernelFamilies`), so that a bundle loads only their wrappers.
 */
export async function loadKernels(backend: BackendName = 'wasm', families?: readonly KernelFamily[]): Promise<Kernels> {
  checkBackend(backend)
  if (backend === 'js') return (await import('./js/index.js')).jsKernels
  // the wrappers imported while the build compiles (a bundle's chunk, fetched in parallel)
  const [module, wasm] = await Promise.all([wasmModule(backend), import('./wasm/index.js')])
  // build() again: compiling may have just found that SIMD is missing
  const entry = cache[build(backend)]
  entry.kernels ??= wasm.instantiateWasmCore(module) as Kernels
  return wasm.addFamilies(entry.kernels, families)
}

/**
 * As loadKernels for a wasm backend (every family), synchronously (new
 * WebAssembly.Module / Instance), wrapping the instance with `instantiate` and
 * completing a backend loaded with fewer families with `complete` (sync.ts's
 * `loadKernelsSync` passes its own, which import every family statically).
 */
export function loadWasmKernelsSync(backend: WasmBackendName, instantiate: (module: WebAssembly.Module) => Kernels, complete: (kernels: Kernels) => Kernels): Kernels {
  checkBackend(backend)
  const module = cache[build(backend)].kernels ? null : wasmModuleSync(backend)
  const entry = cache[build(backend)]
  entry.kernels = entry.kernels ? complete(entry.kernels) : instantiate(module!)
  return entry.kernels
}

/**
 * Hand emkit a module compiled elsewhere: a worker's copy of the main thread's module,
 * or an edge runtime's `.wasm` import (workerd forbids compiling from bytes).
 * `loadKernels(backend)` then instantiates this module and never compiles the
 * inlined bytes. `name` says which build it is ('wasm' = the SIMD build). A build
 * already loaded keeps its module.
 */
export function provideWasmModule(module: WebAssembly.Module, name: WasmBackendName): void {
  if (!isWasmModule(module)) throw new BackendError('provideWasmModule needs a compiled WebAssembly.Module.')
  const entry = cache[name]
  if (!entry) throw new BackendError(`No wasm build named '${String(name)}': use 'wasm' or 'wasm-scalar'.`)
  entry.module ??= module
  if (name === 'wasm') simd = true
}
