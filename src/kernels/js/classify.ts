/** The JS twin of assembly/classify.ts: the same operations in the same order. */
import type { F64Buffer, OptionalF64 } from '../buffers.js'
import type { ClassifyKernels } from '../classify.js'

function hardenResponsibilities(respB: F64Buffer, n: number, k: number, rowLogLikB: F64Buffer, swB: OptionalF64): number {
  const resp = respB.view, rows = rowLogLikB.view, sw = swB?.view
  let total = 0
  for (let i = 0; i < n; i++) {
    const o = i * k
    let best = 0
    let top = resp[o]!
    for (let c = 1; c < k; c++) {
      const r = resp[o + c]!
      if (r > top) { top = r; best = c }
    }
    for (let c = 0; c < k; c++) resp[o + c] = c === best ? 1 : 0
    const term = rows[i]! + Math.log(top)
    total += sw ? sw[i]! * term : term
  }
  return total
}

export const jsClassify: ClassifyKernels = { hardenResponsibilities }
