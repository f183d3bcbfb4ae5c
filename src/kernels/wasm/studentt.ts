/** The wasm side of the multivariate t density kernel (assembly/studentt.ts), loaded by the models that need it. */
import type { Kernels } from '../types.js'
import type { PointerChecks } from './context.js'

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
