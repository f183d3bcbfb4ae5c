/**
 * From an observed information matrix to the covariance of the estimates: its inverse,
 * once it is known to be positive definite. When it is not, the eigenvectors of its
 * non-positive (or numerically null) eigenvalues say which parameters are involved,
 * and the error names them.
 */
import { InformationError } from '../../core/errors.js'
import { inverseSPD } from '../../core/math/inverse-spd.js'
import { symmetricEigen } from '../../core/math/dense-general.js'
import { show } from '../../core/show.js'

/** Eigenvalues at or below this fraction of the largest count as zero (a singular information). */
const RELATIVE_NULL = 1e-12

/** (A + A') / 2: numerical information matrices are symmetric only up to rounding. */
export function symmetrise(a: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m)
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) out[i * m + j] = 0.5 * (a[i * m + j]! + a[j * m + i]!)
  return out
}

/** The inverse of the information `info` (m x m), or an InformationError naming the parameters of its null or negative directions. */
export function covarianceOf(info: Float64Array, names: readonly string[], method: string): Float64Array {
  const m = names.length
  const sym = symmetrise(info, m)
  const { values, vectors } = symmetricEigen(sym, m)
  const largest = Math.max(...Array.from(values, Math.abs), 0)
  const bad: number[] = []
  for (let e = 0; e < m; e++) if (!(values[e]! > RELATIVE_NULL * largest)) bad.push(e)
  // inverseSPD factorises (null if not positive definite) and writes both triangles alike
  const inverse = bad.length === 0 ? inverseSPD(sym, m) : null
  if (inverse) return inverse
  const involved = new Set<string>()
  for (const e of bad.length ? bad : [m - 1]) {
    let norm = 0
    for (let i = 0; i < m; i++) norm = Math.max(norm, Math.abs(vectors[i * m + e]!))
    for (let i = 0; i < m; i++) if (Math.abs(vectors[i * m + e]!) >= 0.1 * norm) involved.add(names[i]!)
  }
  const parameters = [...involved]
  const smallest = values[m - 1]!
  const kind = smallest < -RELATIVE_NULL * largest ? 'not positive definite' : 'singular'
  throw new InformationError(
    `The observed information (method '${method}') is ${kind} at the estimate (smallest eigenvalue ${show(smallest)}, largest ${show(largest)}), in the direction of ${parameters.join(', ')}: ` +
      'the fit is not at a maximum there or those parameters are not identified (a weight near 0, a component with too few points, redundant columns). Refit (a tighter tol, fewer components), or use the bootstrap.',
    { parameters, method, eigenvalues: Array.from(values) },
  )
}
