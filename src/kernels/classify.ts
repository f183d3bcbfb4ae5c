/** Classification EM's kernel (assembly/classify.ts), part of every backend's `Kernels`. */
import type { F64Buffer, OptionalF64 } from './buffers.js'

export interface ClassifyKernels {
  /**
   * Classification EM's C-step on any mixture: each row of resp (n x k) becomes the
   * indicator of its most probable component (the first on ties); returns the
   * classification log-likelihood sum_i w_i (rowLogLik[i] + log max_c resp[i, c]).
   */
  hardenResponsibilities(resp: F64Buffer, n: number, k: number, rowLogLik: F64Buffer, sampleWeight: OptionalF64): number
}
