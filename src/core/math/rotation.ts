/**
 * Rotations of a d x q loading matrix (row-major), as R's stats::varimax and
 * stats::promax compute them, so that the numbers agree with R's to rounding:
 * Kaiser normalisation of the rows, then the orthomax iteration T <- polar(B) with
 * B = L'(Z^3 - gamma Z diag(colSums(Z^2)) / d), Z = L T, stopping when the sum of
 * B's singular values grows by less than a factor 1 + eps (R's eps = 1e-5).
 * gamma = 1 is varimax, gamma = 0 quartimax. Promax (Hendrickson and White) raises the
 * varimax loadings to the power m (sign kept) and fits them by least squares,
 * rescaled so the factors keep unit variance: an oblique rotation.
 */
import { DegenerateError } from '../errors.js'
import { cholesky, solveCholesky } from './dense.js'
import { inverseSPD } from './inverse-spd.js'
import { matMul, symmetricEigen, transpose } from './dense-general.js'

export interface Rotated {
  /** L T (d x q). */
  readonly loadings: Float64Array
  /** T (q x q): orthogonal for varimax and quartimax, not for promax. */
  readonly rotation: Float64Array
}

/** The q x q identity: the rotation of a fit left unrotated. */
export function identity(q: number): Float64Array {
  const t = new Float64Array(q * q)
  for (let i = 0; i < q; i++) t[i * q + i] = 1
  return t
}

/** The orthogonal polar factor U V' of B = U S V' (q x q) and the sum of its singular values, from B'B = V S^2 V'. */
function polar(b: Float64Array, q: number): { factor: Float64Array; sum: number } {
  const { values, vectors: v } = symmetricEigen(matMul(transpose(b, q, q), b, q, q, q), q)
  // V S^-1 V'
  const inner = new Float64Array(q * q)
  let sum = 0
  for (let k = 0; k < q; k++) {
    const s = Math.sqrt(Math.max(values[k]!, 0))
    sum += s
    for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) inner[i * q + j] = inner[i * q + j]! + v[i * q + k]! * v[j * q + k]! / s
  }
  return { factor: matMul(b, inner, q, q, q), sum }
}

/** Orthomax rotation (gamma 1: varimax, 0: quartimax) with Kaiser normalisation, as stats::varimax. */
export function orthomax(loadings: Float64Array, d: number, q: number, gamma: number, eps = 1e-5, maxIter = 1000): Rotated {
  if (q < 2) return { loadings: Float64Array.from(loadings), rotation: identity(q) }
  const scale = new Float64Array(d)
  const x = new Float64Array(d * q)
  for (let i = 0; i < d; i++) {
    let s = 0
    for (let k = 0; k < q; k++) s += loadings[i * q + k]! ** 2
    scale[i] = Math.sqrt(s)
    for (let k = 0; k < q; k++) x[i * q + k] = loadings[i * q + k]! / scale[i]!
  }
  const xt = transpose(x, d, q)
  let t = identity(q)
  let sum = 0
  const g = new Float64Array(d * q)
  for (let iter = 0; iter < maxIter; iter++) {
    const z = matMul(x, t, d, q, q)
    const colSq = new Float64Array(q)
    for (let i = 0; i < d; i++) for (let k = 0; k < q; k++) colSq[k] = colSq[k]! + z[i * q + k]! ** 2
    for (let i = 0; i < d; i++) {
      for (let k = 0; k < q; k++) {
        const v = z[i * q + k]!
        g[i * q + k] = v * v * v - (gamma * v * colSq[k]!) / d
      }
    }
    const step = polar(matMul(xt, g, q, d, q), q)
    t = step.factor
    const past = sum
    sum = step.sum
    if (sum < past * (1 + eps)) break
  }
  const z = matMul(x, t, d, q, q)
  for (let i = 0; i < d; i++) for (let k = 0; k < q; k++) z[i * q + k] = z[i * q + k]! * scale[i]!
  return { loadings: z, rotation: t }
}

/** Promax with power m (R's default 4), from the varimax solution, as stats::promax. */
export function promax(loadings: Float64Array, d: number, q: number, m = 4): Rotated {
  if (q < 2) return { loadings: Float64Array.from(loadings), rotation: identity(q) }
  const vm = orthomax(loadings, d, q, 1)
  const x = vm.loadings
  const target = Float64Array.from(x, (v) => v * Math.abs(v) ** (m - 1))
  // least squares U = (X'X)^-1 X'Q, column by column
  const xt = transpose(x, d, q)
  const chol = cholesky(matMul(xt, x, q, d, q), q)
  if (!chol) throw new DegenerateError('DEGENERATE', 'promax: the varimax loadings are rank deficient (a factor loads on nothing); fit fewer factors.')
  const xq = matMul(xt, target, q, d, q)
  const u = new Float64Array(q * q)
  for (let k = 0; k < q; k++) {
    const col = solveCholesky(chol, q, Array.from({ length: q }, (_, i) => xq[i * q + k]!))
    for (let i = 0; i < q; i++) u[i * q + k] = col[i]!
  }
  const inv = inverseSPD(matMul(transpose(u, q, q), u, q, q, q), q)
  if (!inv) throw new DegenerateError('DEGENERATE', 'promax: the least-squares fit of the target is singular; fit fewer factors or use varimax.')
  for (let k = 0; k < q; k++) {
    const s = Math.sqrt(inv[k * q + k]!)
    for (let i = 0; i < q; i++) u[i * q + k] = u[i * q + k]! * s
  }
  return { loadings: matMul(x, u, d, q, q), rotation: matMul(vm.rotation, u, q, q, q) }
}
