/**
 * The wasm side of the kernel families a Gaussian mixture does not run and that had no
 * module of their own (hmm with the Poisson density, studentt, special, lda): one module,
 * which index.ts's addFamilies imports when a model asks for any of them (an HMM's, a t
 * mixture's, LDA's fit), so a Gaussian mixture's bundle leaves it out. One module, not
 * four: Node loads every family at import (the synchronous loaders), a file each.
 */
import { EmkitError } from '../../core/errors.js'
import type { I32Buffer, Kernels } from '../types.js'
import type { PointerChecks } from './context.js'

// ---- the hidden Markov models' kernels (assembly/hmm.ts): `lengths` and symbols are checked here (O(n)) ----
export interface HmmExports {
  hmmForward(b: number, lengths: number, nSeq: number, k: number, startProb: number, transMat: number, alpha: number, scale: number, carry: number, continues: number): number
  hmmSmooth(b: number, lengths: number, nSeq: number, k: number, transMat: number, scale: number, alpha: number, out: number, tail: number, continues: number, scratch: number): void
  hmmForwardLog(logB: number, lengths: number, nSeq: number, k: number, logStart: number, logTrans: number, logAlpha: number, scratch: number): number
  hmmBackwardLog(logB: number, lengths: number, nSeq: number, k: number, logTrans: number, logBeta: number, scratch: number): void
  hmmPosteriorsLog(logAlpha: number, logBeta: number, n: number, k: number, out: number): void
  hmmViterbi(logB: number, lengths: number, nSeq: number, k: number, logStart: number, logTrans: number, psi: number, path: number, carry: number, continuesIn: number, continuesOut: number, endState: number, scratch: number): number
  hmmCategoricalLogB(symbols: number, n: number, logEmission: number, k: number, nSymbols: number, out: number): void
  hmmCategoricalCounts(symbols: number, n: number, gamma: number, k: number, nSymbols: number, out: number): void
  logDensityPoisson(y: number, n: number, rates: number, logRates: number, k: number, logFactorial: number, out: number): void
  scratchHmmBytes(k: number): number
}

type HmmKernels = Pick<Kernels, 'hmmForward' | 'hmmSmooth' | 'hmmForwardLog' | 'hmmBackwardLog' | 'hmmPosteriorsLog' | 'hmmViterbi' | 'hmmCategoricalLogB' | 'hmmCategoricalCounts' | 'logDensityPoisson'>

export function wasmHmm(wasm: HmmExports, c: PointerChecks): HmmKernels {
  /** Rows of nSeq back-to-back sequences (a wasm kernel must not read past a buffer). */
  function seqRows(lengths: I32Buffer, nSeq: number, k: number): number {
    c.sizes(nSeq, k)
    if (lengths.length < nSeq) throw c.tooShort('lengths', lengths.length, nSeq)
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
    if (symbols.length < n) throw c.tooShort('symbols', symbols.length, n)
    const S = symbols.view
    for (let t = 0; t < n; t++) {
      const v = S[t]!
      if (v < 0 || v >= nSymbols) throw new EmkitError('INVALID_DATA', `Kernel argument 'symbols[${t}]' is ${v}; symbols must lie in [0, ${nSymbols}).`, { index: t, value: v })
    }
  }

  return {
    hmmForward(b, lengths, nSeq, k, startProb, transMat, alpha, scale, carry, continues) {
      const n = seqRows(lengths, nSeq, k)
      return wasm.hmmForward(
        c.ptr(b, n * k, 'b'), c.i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, c.ptr(startProb, k, 'startProb'),
        c.ptr(transMat, k * k, 'transMat'), c.ptr(alpha, n * k, 'alpha'), c.ptr(scale, n, 'scale'), c.ptr(carry, k, 'carry'), continues ? 1 : 0,
      )
    },
    hmmSmooth(b, lengths, nSeq, k, transMat, scale, alpha, out, tail, continues) {
      const n = seqRows(lengths, nSeq, k)
      wasm.hmmSmooth(
        c.ptr(b, n * k, 'b'), c.i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, c.ptr(transMat, k * k, 'transMat'),
        c.ptr(scale, n, 'scale'), c.ptr(alpha, n * k, 'alpha'), c.ptr(out, k * k, 'out'), c.ptr(tail, 2 * k + 1, 'tail'), continues ? 1 : 0,
        c.scratch(wasm.scratchHmmBytes(k)),
      )
    },
    hmmForwardLog(logB, lengths, nSeq, k, logStart, logTrans, logAlpha) {
      const n = seqRows(lengths, nSeq, k)
      return wasm.hmmForwardLog(
        c.ptr(logB, n * k, 'logB'), c.i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, c.ptr(logStart, k, 'logStart'),
        c.ptr(logTrans, k * k, 'logTrans'), c.ptr(logAlpha, n * k, 'logAlpha'), c.scratch(wasm.scratchHmmBytes(k)),
      )
    },
    hmmBackwardLog(logB, lengths, nSeq, k, logTrans, logBeta) {
      const n = seqRows(lengths, nSeq, k)
      wasm.hmmBackwardLog(
        c.ptr(logB, n * k, 'logB'), c.i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, c.ptr(logTrans, k * k, 'logTrans'),
        c.ptr(logBeta, n * k, 'logBeta'), c.scratch(wasm.scratchHmmBytes(k)),
      )
    },
    hmmPosteriorsLog(logAlpha, logBeta, n, k, out) {
      c.sizes(n, k)
      wasm.hmmPosteriorsLog(c.ptr(logAlpha, n * k, 'logAlpha'), c.ptr(logBeta, n * k, 'logBeta'), n, k, c.ptr(out, n * k, 'out'))
    },
    hmmViterbi(logB, lengths, nSeq, k, logStart, logTrans, psi, path, carry, continuesIn, continuesOut, endState) {
      const n = seqRows(lengths, nSeq, k)
      if (continuesOut && endState >= k) throw new EmkitError('INVALID_DATA', `Kernel argument 'endState' is ${endState}; states lie in [0, ${k}).`, { endState })
      return wasm.hmmViterbi(
        c.ptr(logB, n * k, 'logB'), c.i32Ptr(lengths, nSeq, 'lengths'), nSeq, k, c.ptr(logStart, k, 'logStart'),
        c.ptr(logTrans, k * k, 'logTrans'), c.i32Ptr(psi, n * k, 'psi'), c.i32Ptr(path, n, 'path'),
        c.ptr(carry, k, 'carry'), continuesIn ? 1 : 0, continuesOut ? 1 : 0, endState | 0, c.scratch(wasm.scratchHmmBytes(k)),
      )
    },
    hmmCategoricalLogB(symbols, n, logEmission, k, nSymbols, out) {
      c.sizes(n, k, nSymbols)
      checkSymbols(symbols, n, nSymbols)
      wasm.hmmCategoricalLogB(
        c.i32Ptr(symbols, n, 'symbols'), n, c.ptr(logEmission, k * nSymbols, 'logEmission'), k, nSymbols, c.ptr(out, n * k, 'out'),
      )
    },
    hmmCategoricalCounts(symbols, n, gamma, k, nSymbols, out) {
      c.sizes(n, k, nSymbols)
      checkSymbols(symbols, n, nSymbols)
      wasm.hmmCategoricalCounts(
        c.i32Ptr(symbols, n, 'symbols'), n, c.ptr(gamma, n * k, 'gamma'), k, nSymbols, c.ptr(out, k * nSymbols, 'out'),
      )
    },
    logDensityPoisson(y, n, rates, logRates, k, logFactorial, out) {
      c.sizes(n, k)
      wasm.logDensityPoisson(
        c.ptr(y, n, 'y'), n, c.ptr(rates, k, 'rates'), c.ptr(logRates, k, 'logRates'), k,
        c.ptr(logFactorial, n, 'logFactorial'), c.ptr(out, n * k, 'out'),
      )
    },
  }
}

// ---- the multivariate t density (assembly/studentt.ts) ----
export interface StudentTExports {
  logDensityT(x: number, n: number, d: number, means: number, k: number, prec: number, precStride: number, nu: number, logNorm: number, out: number, tau: number, logTau: number, scratch: number): void
  scratchDensityFullBytes(d: number, k: number): number
}

export function wasmStudentT(wasm: StudentTExports, c: PointerChecks): Pick<Kernels, 'logDensityT'> {
  return {
    logDensityT(x, n, d, means, k, prec, precStride, nu, logNorm, out, tau, logTau) {
      c.sizes(n, d, k, precStride)
      const precLength = k === 0 ? 0 : (k - 1) * precStride + d * d
      wasm.logDensityT(
        c.ptr(x, n * d, 'x'), n, d, c.ptr(means, k * d, 'means'), k,
        c.ptr(prec, precLength, 'prec'), precStride, c.ptr(nu, k, 'nu'), c.ptr(logNorm, k, 'logNorm'),
        c.ptr(out, n * k, 'out'), c.ptr(tau, n * k, 'tau'), c.optPtr(logTau, n * k, 'logTau'),
        c.scratch(wasm.scratchDensityFullBytes(d, k)),
      )
    },
  }
}

// ---- the special functions (assembly/special.ts) ----
export interface SpecialExports {
  digamma(x: number, n: number, out: number): void
  logGamma(x: number, n: number, out: number): void
}

export function wasmSpecial(wasm: SpecialExports, c: PointerChecks): Pick<Kernels, 'digamma' | 'logGamma'> {
  return {
    digamma(x, n, out) {
      c.sizes(n)
      wasm.digamma(c.ptr(x, n, 'x'), n, c.ptr(out, n, 'out'))
    },
    logGamma(x, n, out) {
      c.sizes(n)
      wasm.logGamma(c.ptr(x, n, 'x'), n, c.ptr(out, n, 'out'))
    },
  }
}

// ---- LDA's E-step (assembly/lda.ts) ----
export interface LdaExports {
  ldaEStep(indptr: number, indices: number, counts: number, docBegin: number, docEnd: number, k: number, ebT: number, alpha: number, maxIter: number, tol: number, gamma: number, sstats: number, wordBound: number, fromGamma: number, scratch: number): number
}

export function wasmLda(wasm: LdaExports, c: PointerChecks): Pick<Kernels, 'ldaEStep'> {
  /** CSR rows docBegin..docEnd-1 must stay inside their buffers (a wasm gather would read anywhere): returns the entries they need. */
  function checkCsr(indptr: I32Buffer, indices: I32Buffer, docBegin: number, docEnd: number, nTerms: number): number {
    if (docBegin > docEnd) throw new EmkitError('INVALID_DATA', `Kernel ldaEStep needs docBegin <= docEnd, got ${docBegin} > ${docEnd}.`, { docBegin, docEnd })
    if (indptr.length < docEnd + 1) throw c.tooShort('indptr', indptr.length, docEnd + 1)
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

  return {
    ldaEStep(indptr, indices, counts, docBegin, docEnd, k, ebT, alpha, maxIter, tol, gamma, sstats, wordBound, fromGamma = false) {
      c.sizes(docBegin, docEnd, k, maxIter)
      const kp = (k + 1) & ~1
      const nTerms = Math.floor(ebT.length / Math.max(kp, 1))
      const nnz = checkCsr(indptr, indices, docBegin, docEnd, nTerms)
      const at = c.i32Ptr(indptr, docEnd + 1, 'indptr')
      return wasm.ldaEStep(
        at, c.i32Ptr(indices, nnz, 'indices'), c.ptr(counts, nnz, 'counts'), docBegin, docEnd,
        k, c.ptr(ebT, nTerms * kp, 'ebT'), alpha, maxIter, tol,
        c.ptr(gamma, docEnd * k, 'gamma'), c.optPtr(sstats, nTerms * kp, 'sstats'), c.ptr(wordBound, docEnd, 'wordBound'), fromGamma ? 1 : 0,
        c.scratch(4 * kp * 8 + 16),
      )
    },
  }
}
