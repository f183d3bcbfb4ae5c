/**
 * The WebAssembly backend: the kernels of assembly/ behind the `Kernels` interface.
 *
 * Buffers live in the instance's linear memory (see heap.ts); a kernel call passes
 * their addresses. Each call checks, in O(1), that its buffers belong to this
 * instance and are long enough, because a wasm kernel writing past a buffer would
 * silently corrupt its neighbours. Optional buffers (`null`) are passed as 0.
 *
 * This file wraps the kernel families every Gaussian fit runs (CORE_FAMILIES: linalg,
 * mixture); the wrappers of the others (sampling.ts: the samplers and the generator's
 * uniforms; classify.ts: classification EM's hardening; regression.ts, dense.ts;
 * families.ts: the HMMs', the t's, special functions, LDA) are imported by
 * `addFamilies` when a model asks for them (loadKernels' `families`), so a bundle's
 * Gaussian mixture fit loads only its own. ../sync.ts imports every family statically
 * (the synchronous loaders, workers' `instantiateWasmKernels`).
 */
import { BackendError, EmkitError } from '../../core/errors.js'
import { type KernelFamily, type SameNames, WASM_EXPORT_NAMES, type WasmExportName } from '../exports.js'
import type { Arena, F64Buffer, I32Buffer, Kernels, OptionalF64 } from '../types.js'
import { WasmArena, WasmF64Buffer, WasmHeap, WasmI32Buffer } from './heap.js'
import { isWasmModule, type WasmBackendName } from './source.js'
import { heaps } from './memory-use.js'
import type { PointerChecks } from './context.js'
import type { RngExports, SamplingExports } from './sampling.js'
import type { RegressionExports } from './regression.js'
import type { ClassifyExports } from './classify.js'
import type { DenseExports } from './dense.js'
import type { HmmExports, LdaExports, SpecialExports, StudentTExports } from './families.js'

export { WasmArena, WasmF64Buffer, WasmHeap, WasmI32Buffer } from './heap.js'
export { isWasmModule } from './source.js'
export { kernelMemoryInUse, reserveKernelMemory } from './memory-use.js'

export type { WasmBackendName } from './source.js'
export type { KernelFamily } from '../exports.js'

/** The exports of the emkit module (listed in ../exports.ts). Pointers and sizes are numbers. */
export interface EmkitWasmExports extends RngExports, SamplingExports, RegressionExports, ClassifyExports, DenseExports, HmmExports, LdaExports, SpecialExports, StudentTExports {
  readonly memory: WebAssembly.Memory
  heapBase(): number
  simdBuild(): number
  cholesky(a: number, count: number, d: number, out: number): number
  invertLower(l: number, count: number, d: number, out: number): void
  logDensityFull(x: number, n: number, d: number, means: number, k: number, prec: number, precStride: number, logDetP: number, out: number, scratch: number): void
  logDensityDiag(x: number, n: number, d: number, means: number, k: number, prec: number, logDetP: number, out: number, scratch: number): void
  responsibilities(lp: number, n: number, k: number, logWeights: number, rowLogLik: number, sampleWeight: number, scratch: number): number
  statsFull(x: number, n: number, d: number, resp: number, k: number, sampleWeight: number, ref: number, out: number, scratch: number): void
  statsDiag(x: number, n: number, d: number, resp: number, k: number, sampleWeight: number, ref: number, out: number): void
  sqDistances(x: number, n: number, d: number, centers: number, k: number, out: number, scratch: number): void
  scratchRowsBytes(d: number): number
  scratchDensityFullBytes(d: number, k: number): number
  scratchRespBytes(k: number): number
  scratchStatsFullBytes(d: number, k: number): number
}

// These typings name exactly the exports of exports.ts (else this fails to compile).
export type WasmExportsMatchList = SameNames<Exclude<WasmExportName, keyof EmkitWasmExports>, Exclude<keyof EmkitWasmExports, WasmExportName>>

/**
 * Scratch reserved up front: 64 kB covers the small fits a cold start makes (it grows,
 * doubling, when a kernel needs more). It was 1 MB: zero-filling that much fresh
 * memory touched 256 new pages, ~1 ms of every cold start.
 */
const INITIAL_SCRATCH = 64 << 10


/** The families wrapped here, with the backend; the others are imported on demand. */
export const CORE_FAMILIES = ['linalg', 'mixture'] as const satisfies readonly KernelFamily[]
export type LazyFamily = Exclude<KernelFamily, (typeof CORE_FAMILIES)[number]>

/** A family's wrappers over the instance's exports, given the backend's pointer checks. */
export type FamilyWrapper = (wasm: EmkitWasmExports, checks: PointerChecks) => Partial<Kernels>

/** Each other family's module, imported when first asked for (a bundle's chunk). */
const FAMILY_MODULES: Record<LazyFamily, () => Promise<FamilyWrapper>> = {
  studentt: async () => (await import('./families.js')).wasmStudentT,
  hmm: async () => (await import('./families.js')).wasmHmm,
  sampling: async () => (await import('./sampling.js')).wasmSampling,
  rng: async () => (await import('./sampling.js')).wasmRng,
  classify: async () => (await import('./classify.js')).wasmClassify as FamilyWrapper,
  glmm: async () => (await import('./sampling.js')).wasmSampling,
  special: async () => (await import('./families.js')).wasmSpecial,
  regression: async () => (await import('./regression.js')).wasmRegression,
  dense: async () => (await import('./dense.js')).wasmDense,
  lda: async () => (await import('./families.js')).wasmLda,
}
export const LAZY_FAMILIES = Object.keys(FAMILY_MODULES) as LazyFamily[]

/** What a backend made here keeps for the families added later. */
interface Backend {
  readonly wasm: EmkitWasmExports
  readonly checks: PointerChecks
  readonly families: Set<KernelFamily>
}
/** Where a backend keeps it: a registered symbol, so that a second copy of this module (a test's module reset, two bundles) still finds it. */
const BACKEND = Symbol.for('emkit.wasmBackend')

function backendOf(kernels: object): Backend {
  const backend = (kernels as { [BACKEND]?: Backend })[BACKEND]
  if (!backend) throw new BackendError('Not a wasm backend made by emkit (its kernel families cannot be added).')
  return backend
}

/**
 * Add `family`'s wrappers to a wasm backend (the same object: whoever holds it sees
 * them), from a wrapper at hand (../sync.ts, synchronously). Nothing when it has them.
 */
export function addFamily(kernels: object, family: KernelFamily, wrap: FamilyWrapper): void {
  const backend = backendOf(kernels)
  if (backend.families.has(family)) return
  Object.assign(kernels, wrap(backend.wasm, backend.checks))
  backend.families.add(family)
}

/**
 * Add the wrappers of `families` (default: every family) to a wasm backend, importing
 * their modules first: the kernels a model runs are then all there, synchronously.
 */
export async function addFamilies(kernels: object, families: readonly KernelFamily[] = LAZY_FAMILIES): Promise<Kernels> {
  const backend = backendOf(kernels)
  const wanted = families.filter((f): f is LazyFamily => !backend.families.has(f))
  const wrappers = await Promise.all(wanted.map((f) => FAMILY_MODULES[f]()))
  wanted.forEach((f, i) => addFamily(kernels, f, wrappers[i]!))
  return kernels as Kernels
}

/** True when a wasm backend has the wrappers of every family in `families` (default: every family). */
export function hasFamilies(kernels: object, families: readonly KernelFamily[] = LAZY_FAMILIES): boolean {
  const backend = (kernels as { [BACKEND]?: Backend })[BACKEND]
  return backend !== undefined && families.every((f) => backend.families.has(f))
}

/** The kernels of the core families (see CORE_FAMILIES), with the backend's name and arenas. */
export type CoreKernels = Pick<Kernels, 'name' | 'arena' | 'cholesky' | 'invertLower' | 'logDensityFull' | 'logDensityDiag' | 'responsibilities' | 'statsFull' | 'statsDiag' | 'sqDistances'>

/**
 * Instantiate a compiled emkit module (it needs no imports) and wrap its core families
 * (addFamilies adds the others; ../sync.ts's instantiateWasmKernels wraps every family).
 * The backend name ('wasm' or 'wasm-scalar') is read from the module itself.
 */
export function instantiateWasmCore(module: WebAssembly.Module): CoreKernels {
  if (!isWasmModule(module)) throw new BackendError('instantiateWasmKernels needs a compiled WebAssembly.Module.')
  let instance: WebAssembly.Instance
  try {
    instance = new WebAssembly.Instance(module, {})
  } catch (cause) {
    throw new BackendError(`The emkit WebAssembly module could not be instantiated: ${String(cause)}. Use backend 'js'.`, { cause })
  }
  return wasmCoreFromExports(instance.exports as unknown as EmkitWasmExports)
}

/**
 * Wrap the exports of an emkit instance: its core families. No warm-up: running every
 * kernel once at instantiation cost ~12 ms of a cold start and did not make the first
 * fit, nor a large one, faster (V8 tiers hot wasm functions up by itself).
 */
export function wasmCoreFromExports(exports: EmkitWasmExports): CoreKernels {
  const missing = WASM_EXPORT_NAMES.filter((key) => !(key in exports))
  if (missing.length > 0) {
    throw new BackendError(`Not an emkit WebAssembly module (missing exports: ${missing.join(', ')}).`, { missing })
  }
  const name: WasmBackendName = exports.simdBuild() === 1 ? 'wasm' : 'wasm-scalar'
  const wasm = exports
  const heap = new WasmHeap(wasm.memory, wasm.heapBase())
  let scratchBytes = INITIAL_SCRATCH
  let scratchPtr = heap.alloc(scratchBytes)

  /** Address of a scratch block of at least `bytes` (grows it, rarely: large d or k). */
  function scratch(bytes: number): number {
    if (bytes > scratchBytes) {
      heap.release(scratchPtr, scratchBytes)
      scratchBytes = Math.max(bytes, 2 * scratchBytes)
      scratchPtr = heap.alloc(scratchBytes)
    }
    return scratchPtr
  }

  function ptr(buffer: F64Buffer, minLength: number, what: string): number {
    return checkedPtr(buffer instanceof WasmF64Buffer ? buffer : null, minLength, what)
  }

  /** The address of a buffer of this backend's heap, live and long enough (else a typed error). */
  function checkedPtr(buffer: WasmF64Buffer | WasmI32Buffer | null, minLength: number, what: string): number {
    if (buffer === null || buffer.arena.heap !== heap) throw foreign(what)
    if (buffer.arena.isDisposed) throw disposed(what)
    if (buffer.length < minLength) throw tooShort(what, buffer.length, minLength)
    return buffer.ptr
  }

  function optPtr(buffer: OptionalF64, minLength: number, what: string): number {
    return buffer === null ? 0 : ptr(buffer, minLength, what)
  }

  function foreign(what: string): BackendError {
    return new BackendError(`Kernel argument '${what}' was not allocated from this ${name} backend's arena: allocate buffers from kernels.arena() of the backend that runs the kernel.`, { argument: what, backend: name })
  }
  function disposed(what: string): BackendError {
    return new BackendError(`Kernel argument '${what}' belongs to a disposed arena.`, { argument: what, backend: name })
  }
  function tooShort(what: string, length: number, needed: number): EmkitError {
    return new EmkitError('SHAPE_MISMATCH', `Kernel argument '${what}' has length ${length}, needs at least ${needed}.`, { argument: what, length, needed })
  }
  function sizes(...values: number[]): void {
    for (const v of values) {
      if (!Number.isInteger(v) || v < 0) throw new EmkitError('INVALID_DATA', `Kernel sizes must be non-negative integers, got ${values.join(', ')}.`, { sizes: values })
    }
  }

  function i32Ptr(buffer: I32Buffer, minLength: number, what: string): number {
    return checkedPtr(buffer instanceof WasmI32Buffer ? buffer : null, minLength, what)
  }

  const checks: PointerChecks = { ptr, i32Ptr, optPtr, sizes, scratch, tooShort }
  const kernels: CoreKernels = {
    name,
    arena: (): Arena => new WasmArena(heap),

    cholesky(a, count, d, out) {
      sizes(count, d)
      const len = count * d * d
      return wasm.cholesky(ptr(a, len, 'a'), count, d, ptr(out, len, 'out'))
    },

    invertLower(l, count, d, out) {
      sizes(count, d)
      const len = count * d * d
      wasm.invertLower(ptr(l, len, 'l'), count, d, ptr(out, len, 'out'))
    },

    logDensityFull(x, n, d, means, k, prec, precStride, logDetP, out) {
      sizes(n, d, k, precStride)
      const precLength = k === 0 ? 0 : (k - 1) * precStride + d * d
      wasm.logDensityFull(
        ptr(x, n * d, 'x'), n, d, ptr(means, k * d, 'means'), k,
        ptr(prec, precLength, 'prec'), precStride, ptr(logDetP, k, 'logDetP'), ptr(out, n * k, 'out'),
        scratch(wasm.scratchDensityFullBytes(d, k)),
      )
    },

    logDensityDiag(x, n, d, means, k, prec, logDetP, out) {
      sizes(n, d, k)
      wasm.logDensityDiag(
        ptr(x, n * d, 'x'), n, d, ptr(means, k * d, 'means'), k,
        ptr(prec, k * d, 'prec'), ptr(logDetP, k, 'logDetP'), ptr(out, n * k, 'out'),
        scratch(wasm.scratchRowsBytes(d)),
      )
    },

    responsibilities(lp, n, k, logWeights, rowLogLik, sampleWeight) {
      sizes(n, k)
      return wasm.responsibilities(
        ptr(lp, n * k, 'lp'), n, k, ptr(logWeights, k, 'logWeights'),
        optPtr(rowLogLik, n, 'rowLogLik'), optPtr(sampleWeight, n, 'sampleWeight'),
        scratch(wasm.scratchRespBytes(k)),
      )
    },

    statsFull(x, n, d, resp, k, sampleWeight, ref, out) {
      sizes(n, d, k)
      wasm.statsFull(
        ptr(x, n * d, 'x'), n, d, ptr(resp, n * k, 'resp'), k, optPtr(sampleWeight, n, 'sampleWeight'),
        ptr(ref, k * d, 'ref'), ptr(out, k + k * d + k * d * d, 'out'),
        scratch(wasm.scratchStatsFullBytes(d, k)),
      )
    },

    statsDiag(x, n, d, resp, k, sampleWeight, ref, out) {
      sizes(n, d, k)
      wasm.statsDiag(
        ptr(x, n * d, 'x'), n, d, ptr(resp, n * k, 'resp'), k, optPtr(sampleWeight, n, 'sampleWeight'),
        ptr(ref, k * d, 'ref'), ptr(out, k + 2 * k * d, 'out'),
      )
    },

    sqDistances(x, n, d, centers, k, out) {
      sizes(n, d, k)
      wasm.sqDistances(
        ptr(x, n * d, 'x'), n, d, ptr(centers, k * d, 'centers'), k, ptr(out, n * k, 'out'),
        scratch(wasm.scratchRowsBytes(d)),
      )
    },
  }
  heaps.set(kernels, heap)
  Object.defineProperty(kernels, BACKEND, { value: { wasm, checks, families: new Set<KernelFamily>(CORE_FAMILIES) } })
  return kernels
}
