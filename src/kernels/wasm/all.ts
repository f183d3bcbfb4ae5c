/**
 * The wasm backend with every kernel family, synchronously: index.ts's core and each
 * family's module imported statically. What the synchronous loaders (../sync.ts) and a
 * caller that instantiates a module itself use; a fit's asynchronous loader adds only
 * the families its model asks for (index.ts's addFamilies).
 */
import type { Kernels } from '../types.js'
import { addFamily, type FamilyWrapper, instantiateWasmCore, type LazyFamily } from './index.js'
import { wasmDense } from './dense.js'
import { wasmHmm } from './hmm.js'
import { wasmLda } from './lda.js'
import { wasmRegression } from './regression.js'
import { wasmSampling } from './sampling.js'
import { wasmSpecial } from './special.js'
import { wasmStudentT } from './studentt.js'

const WRAPPERS: Record<LazyFamily, FamilyWrapper> = {
  studentt: wasmStudentT,
  hmm: wasmHmm,
  sampling: wasmSampling,
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
