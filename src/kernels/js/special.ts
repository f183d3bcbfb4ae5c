/**
 * Twin of assembly/special.ts: the special functions of src/core/math/special.ts,
 * elementwise. Below 1/2 log-gamma steps up by lgamma(x) = lgamma(x + 1) - log(x)
 * instead of reflecting (sin has no bit-exact twin in the wasm builds).
 */
import { digamma as psi, lgamma } from '../../core/math/special.js'
import type { F64Buffer } from '../types.js'

export function digamma(x: F64Buffer, n: number, out: F64Buffer): void {
  const X = x.view, O = out.view
  for (let i = 0; i < n; i++) O[i] = psi(X[i]!)
}

export function logGamma(x: F64Buffer, n: number, out: F64Buffer): void {
  const X = x.view, O = out.view
  for (let i = 0; i < n; i++) O[i] = logGammaStepped(X[i]!)
}

/** log Gamma(x) as the kernels compute it on every backend. */
export function logGammaStepped(x: number): number {
  return x > 0 && x < 0.5 ? lgamma(x + 1) - Math.log(x) : lgamma(x)
}
