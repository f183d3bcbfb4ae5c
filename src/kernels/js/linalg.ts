import { choleskyStack, invertLowerStack } from '../../core/math/cholesky.js'
import type { F64Buffer } from '../types.js'

export function cholesky(a: F64Buffer, count: number, d: number, out: F64Buffer): number {
  return choleskyStack(a.view, count, d, out.view)
}

export function invertLower(l: F64Buffer, count: number, d: number, out: F64Buffer): void {
  invertLowerStack(l.view, count, d, out.view)
}
