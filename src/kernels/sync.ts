/**
 * The synchronous kernel loaders. `loadKernelsSync('js')` needs the JS twin at hand, and
 * a wasm backend every wrapper (every kernel family's module), so this file imports both
 * statically; it is kept apart from index.ts (what every fit reaches) so that a bundle
 * which never loads synchronously carries neither the twin nor the families a fit does
 * not run (a fit adds those it runs: wasm/index.ts's addFamilies).
 */
import { BackendError } from '../core/errors.js'
import type { BackendName, Kernels } from './types.js'
import { loadWasmKernelsSync } from './index.js'
import { jsKernels } from './js/index.js'
import { addFamily, type FamilyWrapper, instantiateWasmCore, type LazyFamily } from './wasm/index.js'
import { wasmDense } from './wasm/dense.js'
import { wasmHmm, wasmLda, wasmSpecial, wasmStudentT } from './wasm/families.js'
import { wasmRegression } from './wasm/regression.js'
import { wasmRng, wasmSampling } from './wasm/sampling.js'
import { wasmClassify } from './wasm/classify.js'

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

const WRAPPERS: Record<LazyFamily, FamilyWrapper> = {
  studentt: wasmStudentT,
  hmm: wasmHmm,
  sampling: wasmSampling,
  rng: wasmRng,
  classify: wasmClassify as FamilyWrapper,
  glmm: wasmSampling,
  special: wasmSpecial,
  regression: wasmRegression,
  dense: wasmDense,
  lda: wasmLda,
}

/** Add every family a wasm backend lacks, now (the same object). */
export function completeWasmKernels(kernels: object): Kernels {
  for (const [family, wrap] of Object.entries(WRAPPERS) as [LazyFamily, FamilyWrapper][]) addFamily(kernels, family, wrap)
  return kernels as Kernels
}

/**
 * Instantiate a compiled emkit module (it needs no imports) and wrap it as Kernels:
 * how a worker gets its own instance from the module the main thread compiled. The
 * backend name ('wasm' or 'wasm-scalar') is read from the module itself.
 */
export function instantiateWasmKernels(module: WebAssembly.Module): Kernels {
  return completeWasmKernels(instantiateWasmCore(module))
}
