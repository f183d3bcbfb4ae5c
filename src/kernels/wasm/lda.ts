/** The wasm side of LDA's E-step kernel (assembly/lda.ts), loaded by the model that needs it. */
import { EmkitError } from '../../core/errors.js'
import type { I32Buffer, Kernels } from '../types.js'
import type { PointerChecks } from './context.js'

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
