/**
 * The WebAssembly backend: the kernels of assembly/ behind the `Kernels` interface.
 *
 * Buffers live in the instance's linear memory (see heap.ts); a kernel call passes
 * their addresses. Each call checks, in O(1), that its buffers belong to this
 * instance and are long enough, because a wasm kernel writing past a buffer would
 * silently corrupt its neighbours. Optional buffers (`null`) are passed as 0.
 */
import { BackendError, EmkitError } from '../../core/errors.js'
import { type SameNames, WASM_EXPORT_NAMES, type WasmExportName } from '../exports.js'
import type { Arena, F64Buffer, I32Buffer, Kernels, OptionalF64 } from '../types.js'
import { WasmArena, WasmF64Buffer, WasmHeap, WasmI32Buffer } from './heap.js'
import { isWasmModule, type WasmBackendName } from './source.js'
import { heaps } from './memory-use.js'
import { type SamplingExports, wasmSampling } from './sampling.js'
import { type RegressionExports, wasmRegression } from './regression.js'
import { type ClassifyExports, wasmClassify } from './classify.js'
import { type DenseExports, wasmDense } from './dense.js'

export { WasmArena, WasmF64Buffer, WasmHeap, WasmI32Buffer } from './heap.js'
export { isWasmModule } from './source.js'
export { kernelMemoryInUse, reserveKernelMemory } from './memory-use.js'

export type { WasmBackendName } from './source.js'

/** The exports of the emkit module (listed in ../exports.ts). Pointers and sizes are numbers. */
export interface EmkitWasmExports extends SamplingExports, RegressionExports, ClassifyExports, DenseExports {
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
  uniforms(state: number, out: number, count: number): void
  logDensityT(x: number, n: number, d: number, means: number, k: number, prec: number, precStride: number, nu: number, logNorm: number, out: number, tau: number, logTau: number, scratch: number): void
  scratchRowsBytes(d: number): number
  scratchDensityFullBytes(d: number, k: number): number
  scratchRespBytes(k: number): number
  scratchStatsFullBytes(d: number, k: number): number
  hmmForward(b: number, lengths: number, nSeq: number, k: number, startProb: number, transMat: number, alpha: number, scale: number): number
  hmmBackward(b: number, lengths: number, nSeq: number, k: number, transMat: number, scale: number, beta: number, scratch: number): void
  hmmPosteriors(alpha: number, beta: number, n: number, k: number, out: number): void
  hmmTransitionCounts(alpha: number, beta: number, b: number, scale: number, lengths: number, nSeq: number, k: number, transMat: number, out: number, scratch: number): void
  hmmForwardLog(logB: number, lengths: number, nSeq: number, k: number, logStart: number, logTrans: number, logAlpha: number, scratch: number): number
  hmmBackwardLog(logB: number, lengths: number, nSeq: number, k: number, logTrans: number, logBeta: number, scratch: number): void
  hmmPosteriorsLog(logAlpha: number, logBeta: number, n: number, k: number, out: number): void
  hmmViterbi(logB: number, lengths: number, nSeq: number, k: number, logStart: number, logTrans: number, psi: number, path: number, scratch: number): number
  hmmCategoricalLogB(symbols: number, n: number, logEmission: number, k: number, nSymbols: number, out: number): void
  hmmCategoricalCounts(symbols: number, n: number, gamma: number, k: number, nSymbols: number, out: number): void
  logDensityPoisson(y: number, n: number, rates: number, logRates: number, k: number, logFactorial: number, out: number): void
  scratchHmmBytes(k: number): number
  digamma(x: number, n: number, out: number): void
  logGamma(x: number, n: number, out: number): void
  ldaEStep(indptr: number, indices: number, counts: number, docBegin: number, docEnd: number, k: number, ebT: number, alpha: number, maxIter: number, tol: number, gamma: number, sstats: number, wordBound: number, fromGamma: number, scratch: number): number
}

// These typings name exactly the exports of exports.ts (else this fails to compile).
export type WasmExportsMatchList = SameNames<Exclude<WasmExportName, keyof EmkitWasmExports>, Exclude<keyof EmkitWasmExports, WasmExportName>>

/**
 * Scratch reserved up front: 64 kB covers the small fits a cold start makes (it grows,
 * doubling, when a kernel needs more). It was 1 MB: zero-filling that much fresh
 * memory touched 256 new pages, ~1 ms of every cold start.
 */
const INITIAL_SCRATCH = 64 << 10


/**
 * Instantiate a compiled emkit module (it needs no imports) and wrap it as Kernels:
 * how a worker gets its own instance from the module the main thread compiled. The
 * backend name ('wasm' or 'wasm-scalar') is read from the module itself.
 */
export function instantiateWasmKernels(module: WebAssembly.Module): Kernels {
  if (!isWasmModule(module)) throw new BackendError('instantiateWasmKernels needs a compiled WebAssembly.Module.')
  let instance: WebAssembly.Instance
  try {
    instance = new WebAssembly.Instance(module, {})
  } catch (cause) {
    throw new BackendError(`The emkit WebAssembly module could not be instantiated: ${String(cause)}. Use backend 'js'.`, { cause })
  }
  return wasmKernelsFromExports(instance.exports as unknown as EmkitWasmExports)
}

/**
 * Wrap the exports of an emkit instance as Kernels. No warm-up: running every kernel
 * once at instantiation cost ~12 ms of a cold start and did not make the first fit,
 * nor a large one, faster (V8 tiers hot wasm functions up by itself).
 */
export function wasmKernelsFromExports(exports: EmkitWasmExports): Kernels {
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

  /** Rows of nSeq back-to-back sequences (a wasm kernel must not read past a buffer). */
  function seqRows(lengths: I32Buffer, nSeq: number, k: number): number {
    sizes(nSeq, k)
    if (lengths.length < nSeq) throw tooShort('lengths', lengths.length, nSeq)
    const L = lengths.view
    let n = 0
    for (let s = 0; s < nSeq; s++) {
      if (!(L[s]! >= 0)) throw new EmkitError('INVALID_DATA', `Kernel argument 'lengths[${s}]' is ${L[s]}; sequence lengths must be >= 0.`, { index: s })
      n += L[s]!
    }
    return n
  }

  /** A symbol outside [0, nSymbols) would make the gather read outside its buffer. */
  function checkSymbols(symbols: I32Buffer, n: number, nSymbols: number): void {
    if (symbols.length < n) throw tooShort('symbols', symbols.length, n)
    const S = symbols.view
    for (let t = 0; t < n; t++) {
      const v = S[t]!
      if (v < 0 || v >= nSymbols) throw new EmkitError('INVALID_DATA', `Kernel argument 'symbols[${t}]' is ${v}; symbols must lie in [0, ${nSymbols}).`, { index: t, value: v })
    }
  }

  /** CSR rows docBegin..docEnd-1 must stay inside their buffers (a wasm gather would read anywhere): returns the entries they need. */
  function checkCsr(indptr: I32Buffer, indices: I32Buffer, docBegin: number, docEnd: number, nTerms: number): number {
    if (docBegin > docEnd) throw new EmkitError('INVALID_DATA', `Kernel ldaEStep needs docBegin <= docEnd, got ${docBegin} > ${docEnd}.`, { docBegin, docEnd })
    if (indptr.length < docEnd + 1) throw tooShort('indptr', indptr.length, docEnd + 1)
    const P = indptr.view, W = indices.view
    for (let d = docBegin; d < docEnd; d++) {
      if (!(P[d]! >= 0 && P[d]! <= P[d + 1]! && P[d + 1]! <= W.length)) throw new EmkitError('INVALID_DATA', `Kernel argument 'indptr' is not non-decreasing within [0, ${W.length}] at ${d}.`, { index: d })
    }
    for (let j = P[docBegin]!; j < P[docEnd]!; j++) {
      const w = W[j]!
      if (w < 0 || w >= nTerms) throw new EmkitError('INVALID_DATA', `Kernel argument 'indices[${j}]' is ${w}; term indices must lie in [0, ${nTerms}).`, { index: j, value: w })
    }
    return P[docEnd]!
  }

  const kernels: Kernels = {
    name,
    ...wasmSampling(wasm, { ptr, i32Ptr, sizes }),
    ...wasmRegression(wasm, { ptr, i32Ptr, sizes }),
    ...wasmClassify(wasm, { ptr, i32Ptr, sizes }),
    ...wasmDense(wasm, { ptr, i32Ptr, sizes }, scratch),
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

    logDensityT(x, n, d, means, k, prec, precStride, nu, logNorm, out, tau, logTau) {
      sizes(n, d, k, precStride)
      const precLength = k === 0 ? 0 : (k - 1) * precStride + d * d
      wasm.logDensityT(
        ptr(x, n * d, 'x'), n, d, ptr(means, k * d, 'means'), k,
        ptr(prec, precLength, 'prec'), precStride, ptr(nu, k, 'nu'), ptr(logNorm, k, 'logNorm'),
        ptr(out, n * k, 'out'), ptr(tau, n * k, 'tau'), optPtr(logTau, n * k, 'logTau'),
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

    digamma(x, n, out) {
      sizes(n)
      wasm.digamma(ptr(x, n, 'x'), n, ptr(out, n, 'out'))
    },

    logGamma(x, n, out) {
      sizes(n)
      wasm.logGamma(ptr(x, n, 'x'), n, ptr(out, n, 'out'))
    },

    ldaEStep(indptr, indices, counts, docBegin, docEnd, k, ebT, alpha, maxIter, tol, gamma, sstats, wordBound, fromGamma = false) {
      sizes(docBegin, docEnd, k, maxIter)
      const kp = (k + 1) & ~1
      const nTerms = Math.floor(ebT.length / Math.max(kp, 1))
      const nnz = checkCsr(indptr, indices, docBegin, docEnd, nTerms)
      const at = i32Ptr(indptr, docEnd + 1, 'indptr')
      return wasm.ldaEStep(
        at, i32Ptr(indices, nnz, 'indices'), ptr(counts, nnz, 'counts'), docBegin, docEnd,
        k, ptr(ebT, nTerms * kp, 'ebT'), alpha, maxIter, tol,
        ptr(gamma, docEnd * k, 'gamma'), optPtr(sstats, nTerms * kp, 'sstats'), ptr(wordBound, docEnd, 'wordBound'), fromGamma ? 1 : 0,
        scratch(4 * kp * 8 + 16),
      )
    },

    uniforms(state: I32Buffer, out: F64Buffer) {
      if (!(state instanceof WasmI32Buffer) || state.arena.heap !== heap) throw foreign('state')
      if (state.arena.isDisposed) throw disposed('state')
      if (state.length < 4) throw tooShort('state', state.length, 4)
      wasm.uniforms(state.ptr, ptr(out, 0, 'out'), out.length)
    },

    logDensityPoisson(y, n, rates, logRates, k, logFactorial, out) {
      sizes(n, k)
      wasm.logDensityPoisson(
        ptr(y, n, 'y'), n, ptr(rates, k, 'rates'), ptr(logRates, k, 'logRates'), k,
        ptr(logFactorial, n, 'logFactorial'), ptr(out, n * k, 'out'),
      )
    },

    // ---- hidden Markov models: `lengths` is checked and summed here (O(nSeq)) ----

    hmmForward(b, lengths, nSeq, k, startProb, transMat, alpha, scale) {
      const n = seqRows(lengths, nSeq, k)
      return wasm.hmmForward(
        ptr(b, n * k, 'b'), i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, ptr(startProb, k, 'startProb'),
        ptr(transMat, k * k, 'transMat'), ptr(alpha, n * k, 'alpha'), ptr(scale, n, 'scale'),
      )
    },

    hmmBackward(b, lengths, nSeq, k, transMat, scale, beta) {
      const n = seqRows(lengths, nSeq, k)
      wasm.hmmBackward(
        ptr(b, n * k, 'b'), i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, ptr(transMat, k * k, 'transMat'),
        ptr(scale, n, 'scale'), ptr(beta, n * k, 'beta'), scratch(wasm.scratchHmmBytes(k)),
      )
    },

    hmmPosteriors(alpha, beta, n, k, out) {
      sizes(n, k)
      wasm.hmmPosteriors(ptr(alpha, n * k, 'alpha'), ptr(beta, n * k, 'beta'), n, k, ptr(out, n * k, 'out'))
    },

    hmmTransitionCounts(alpha, beta, b, scale, lengths, nSeq, k, transMat, out) {
      const n = seqRows(lengths, nSeq, k)
      wasm.hmmTransitionCounts(
        ptr(alpha, n * k, 'alpha'), ptr(beta, n * k, 'beta'), ptr(b, n * k, 'b'), ptr(scale, n, 'scale'),
        i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, ptr(transMat, k * k, 'transMat'), ptr(out, k * k, 'out'),
        scratch(wasm.scratchHmmBytes(k)),
      )
    },

    hmmForwardLog(logB, lengths, nSeq, k, logStart, logTrans, logAlpha) {
      const n = seqRows(lengths, nSeq, k)
      return wasm.hmmForwardLog(
        ptr(logB, n * k, 'logB'), i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, ptr(logStart, k, 'logStart'),
        ptr(logTrans, k * k, 'logTrans'), ptr(logAlpha, n * k, 'logAlpha'), scratch(wasm.scratchHmmBytes(k)),
      )
    },

    hmmBackwardLog(logB, lengths, nSeq, k, logTrans, logBeta) {
      const n = seqRows(lengths, nSeq, k)
      wasm.hmmBackwardLog(
        ptr(logB, n * k, 'logB'), i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, ptr(logTrans, k * k, 'logTrans'),
        ptr(logBeta, n * k, 'logBeta'), scratch(wasm.scratchHmmBytes(k)),
      )
    },

    hmmPosteriorsLog(logAlpha, logBeta, n, k, out) {
      sizes(n, k)
      wasm.hmmPosteriorsLog(ptr(logAlpha, n * k, 'logAlpha'), ptr(logBeta, n * k, 'logBeta'), n, k, ptr(out, n * k, 'out'))
    },

    hmmViterbi(logB, lengths, nSeq, k, logStart, logTrans, psi, path) {
      const n = seqRows(lengths, nSeq, k)
      return wasm.hmmViterbi(
        ptr(logB, n * k, 'logB'), i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, ptr(logStart, k, 'logStart'),
        ptr(logTrans, k * k, 'logTrans'), i32Ptr(psi, n * k, 'psi'), i32Ptr(path, n, 'path'),
        scratch(wasm.scratchHmmBytes(k)),
      )
    },

    hmmCategoricalLogB(symbols, n, logEmission, k, nSymbols, out) {
      sizes(n, k, nSymbols)
      checkSymbols(symbols, n, nSymbols)
      wasm.hmmCategoricalLogB(
        i32Ptr(symbols, n, 'symbols'), n, ptr(logEmission, k * nSymbols, 'logEmission'), k, nSymbols, ptr(out, n * k, 'out'),
      )
    },

    hmmCategoricalCounts(symbols, n, gamma, k, nSymbols, out) {
      sizes(n, k, nSymbols)
      checkSymbols(symbols, n, nSymbols)
      wasm.hmmCategoricalCounts(
        i32Ptr(symbols, n, 'symbols'), n, ptr(gamma, n * k, 'gamma'), k, nSymbols, ptr(out, k * nSymbols, 'out'),
      )
    },
  }
  heaps.set(kernels, heap)
  return kernels
}
