/**
 * Where the wasm builds come from. A runtime entry provides one source
 * (`provideWasmSource`): Node's entry the inlined bytes (no file read, no await: the
 * fastest cold start), the browser entry the `.wasm` files fetched as assets (so a
 * bundle carries ~91 kB less), the edge entry compiled modules (provideWasmModule).
 * With none provided, the inlined bytes are imported on first use.
 */
import { BackendError } from '../../core/errors.js'

/** The two wasm builds: 'wasm' (SIMD) and 'wasm-scalar'. */
export type WasmBackendName = 'wasm' | 'wasm-scalar'

export interface WasmSource {
  /** The bytes of a build, synchronously (what the synchronous loaders and `wasmBytes` need). */
  bytes?(name: WasmBackendName): Uint8Array<ArrayBuffer>
  /** The compiled module of a build. Rejects with a `WebAssembly.CompileError` when this runtime cannot compile it (SIMD missing), with anything else when the build cannot be had. */
  compile?(name: WasmBackendName): Promise<WebAssembly.Module>
}

/** Cross-realm safe check (instanceof fails across realms, e.g. edge-runtime). */
export function isWasmModule(value: unknown): value is WebAssembly.Module {
  return Object.prototype.toString.call(value) === '[object WebAssembly.Module]'
}

/**
 * A module with one SIMD instruction (i8x16.splat): it validates exactly where the
 * SIMD build can run, so a fetched SIMD build that failed to compile can be told from
 * one that could not be fetched without fetching it again.
 */
export const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11])

/**
 * A source that fetches each build from its URL (new URL('…wasm', import.meta.url) in
 * the entry, which bundlers emit as an asset) and compiles it while it downloads when
 * the server says `application/wasm`.
 */
export function fetchedWasm(urls: Record<WasmBackendName, URL>): WasmSource {
  return {
    async compile(name) {
      const api = WebAssembly
      const response = await fetch(urls[name])
      if (!response.ok) throw new BackendError(`The emkit WebAssembly build ${urls[name].href} could not be fetched (HTTP ${response.status}).`, { backend: name })
      if (typeof api.compileStreaming === 'function' && response.headers.get('content-type')?.split(';')[0]?.trim() === 'application/wasm') {
        return api.compileStreaming(response)
      }
      return api.compile(await response.arrayBuffer())
    },
  }
}
