/**
 * The synchronous kernel loaders. `loadKernelsSync('js')` needs the JS twin at hand, and
 * a wasm backend every wrapper (wasm/all.ts), so this file imports both statically; it is kept apart from index.ts (what every fit
 * reaches) so that a bundle which never loads synchronously does not carry the twin.
 */
import { BackendError } from '../core/errors.js'
import type { BackendName, Kernels } from './types.js'
import { loadWasmKernelsSync } from './index.js'
import { jsKernels } from './js/index.js'
import { completeWasmKernels, instantiateWasmKernels } from './wasm/all.js'

export { jsKernels } from './js/index.js'

/** As loadKernels, synchronously (new WebAssembly.Module / Instance): the wasm builds need a source of bytes (Node's entry provides the inlined ones). */
export function loadKernelsSync(backend: BackendName = 'wasm'): Kernels {
  return backend === 'js' ? jsKernels : loadWasmKernelsSync(backend, instantiateWasmKernels, completeWasmKernels)
}

/**
 * Kernels for a synchronous call that cannot wait (an unfitted HMM given all its
 * parameters: `sample`, `predict`): the backend's when they can be had now, else the JS
 * twin, whose results are bit-identical (a browser that has not fetched its wasm yet).
 */
export function kernelsNow(backend: BackendName): Kernels {
  try {
    return loadKernelsSync(backend)
  } catch (e) {
    if (e instanceof BackendError && (backend === 'wasm' || backend === 'wasm-scalar')) return jsKernels
    throw e
  }
}
