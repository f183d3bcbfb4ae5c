/**
 * Free coordinates (a chart of the parameter manifold) for mclust's constrained
 * covariance models, the coordinates their standard errors are reported in. With
 * Celeux and Govaert's Sigma_k = lambda_k D_k A_k D_k^T (det A_k = 1, D_k orthogonal):
 *
 * - volume: lambda itself (mclust's `scale`, not its log): `volume` when shared (E),
 *   `volume[c]` per component (V);
 * - shape: the first d - 1 diagonal entries of A (the last is 1 over their product, as
 *   the last mixture weight is 1 minus the others): `shape[j]` (E) or `shape[c][j]` (V);
 *   none for I. Entry j belongs to the j-th principal axis of the estimate's D (axes in
 *   decreasing order of the estimate's variances; for a shared orientation with
 *   varying shapes, of the sum of the components' shapes);
 * - orientation: a local chart at the estimate D_hat, D = D_hat cay(Omega) with the
 *   Cayley map cay(Omega) = (I - Omega/2)^-1 (I + Omega/2) and Omega skew: its entries
 *   Omega[i][j] (i < j) are 0 at the estimate and, to first order, the angle (radians)
 *   of a rotation in the plane of principal axes i and j: `orientation[i][j]` (E) or
 *   `orientation[c][i][j]` (V); none for I (diagonal models).
 *
 * The coordinates are [volumes | shapes | orientations]. A chart is anchored at the
 * estimate (`at`): reading coordinates off other covariances matches their axes to the
 * anchor's (largest |cosine|, sign made positive), so it holds near the estimate, which
 * is where standard errors look. The letters of each strategy (gmm/mclust/) say what
 * is shared; this file turns them into coordinates.
 */
import { DegenerateError } from '../../../core/errors.js'
import { matMul, solveGeneral, symmetricEigen, transpose } from '../../../core/math/dense-general.js'

export type Sharing = 'E' | 'V' | 'I'

/** mclust's three letters: volume, shape, orientation (E equal, V varying, I identity). */
export interface Letters {
  readonly volume: 'E' | 'V'
  readonly shape: Sharing
  readonly orientation: Sharing
}

/** A chart anchored at an estimate: full k x d x d covariances (without regCovar) to coordinates and back. */
export interface AnchoredChart {
  toFree(full: Float64Array): Float64Array
  fromFree(theta: ArrayLike<number>): Float64Array
}

export interface CovarianceChart {
  readonly letters: Letters
  names(k: number, d: number): string[]
  /** The chart whose orientation coordinates are 0 at `full` (k x d x d, without regCovar). */
  at(full: Float64Array, k: number, d: number): AnchoredChart
}

/** The chart of the model with these letters. */
export function celeuxGovaertChart(letters: Letters): CovarianceChart {
  return {
    letters,
    names: (k, d) => chartNames(letters, k, d),
    at: (full, k, d) => anchored(letters, full, k, d),
  }
}

function chartNames(l: Letters, k: number, d: number): string[] {
  const out: string[] = []
  const perComponent = (s: Sharing): string[] => (s === 'V' ? Array.from({ length: k }, (_, c) => `[${c}]`) : [''])
  for (const c of perComponent(l.volume)) out.push(`volume${c}`)
  if (l.shape !== 'I') for (const c of perComponent(l.shape)) for (let j = 0; j < d - 1; j++) out.push(`shape${c}[${j}]`)
  if (l.orientation !== 'I') {
    for (const c of perComponent(l.orientation)) for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out.push(`orientation${c}[${i}][${j}]`)
  }
  return out
}

const identity = (d: number): Float64Array => {
  const out = new Float64Array(d * d)
  for (let j = 0; j < d; j++) out[j * d + j] = 1
  return out
}

/** A^-1 B for d x d matrices; a singular A (a rotation by pi: the Cayley chart's edge) leaves the chart's domain. */
function solve(A: Float64Array, B: Float64Array, d: number): Float64Array {
  const x = solveGeneral(A, B, d, d)
  if (!x) throw new DegenerateError('SINGULAR_COVARIANCE', 'The orientation chart left its domain (a rotation by pi): no coordinates there.', {})
  return x
}

/** cay(Omega) = (I - Omega/2)^-1 (I + Omega/2), Omega skew from its upper entries. */
function cayley(upper: ArrayLike<number>, offset: number, d: number): Float64Array {
  const minus = identity(d), plus = identity(d)
  let e = offset
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const w = upper[e++]! / 2
      plus[i * d + j] += w; plus[j * d + i] -= w
      minus[i * d + j] -= w; minus[j * d + i] += w
    }
  }
  return solve(minus, plus, d)
}

/** The upper entries of Omega = 2 (Q + I)^-1 (Q - I), the inverse of the Cayley map, into out[offset..]. */
function inverseCayley(Q: Float64Array, d: number, out: Float64Array, offset: number): void {
  const plus = Float64Array.from(Q), minus = Float64Array.from(Q)
  for (let j = 0; j < d; j++) { plus[j * d + j] += 1; minus[j * d + j] -= 1 }
  const omega = solve(plus, minus, d)
  let e = offset
  // omega = Omega / 2, skew for an orthogonal Q: Omega_ij = omega_ij - omega_ji takes its skew part
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[e++] = omega[i * d + j]! - omega[j * d + i]!
}

/** The columns of `vectors` reordered and signed to match the columns of `reference` (largest |cosine| first). */
function matchAxes(vectors: Float64Array, reference: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d)
  const taken = new Array<boolean>(d).fill(false)
  for (let j = 0; j < d; j++) {
    let best = -1, bestDot = 0
    for (let v = 0; v < d; v++) {
      if (taken[v]) continue
      let dot = 0
      for (let p = 0; p < d; p++) dot += vectors[p * d + v]! * reference[p * d + j]!
      if (best < 0 || Math.abs(dot) > Math.abs(bestDot)) { best = v; bestDot = dot }
    }
    taken[best] = true
    const sign = bestDot < 0 ? -1 : 1
    for (let p = 0; p < d; p++) out[p * d + j] = sign * vectors[p * d + best]!
  }
  return out
}

/** The axes (columns) each component's orientation is read from: its own eigenvectors (V) or those of the sum of the volume-free covariances (E). */
function axesOf(l: Letters, full: Float64Array, k: number, d: number): Float64Array[] {
  const dd = d * d
  if (l.orientation === 'I') return Array.from({ length: k }, () => identity(d))
  if (l.orientation === 'V') return Array.from({ length: k }, (_, c) => symmetricEigen(full.subarray(c * dd, (c + 1) * dd), d).vectors)
  const sum = new Float64Array(dd)
  for (let c = 0; c < k; c++) {
    const block = full.subarray(c * dd, (c + 1) * dd)
    const values = symmetricEigen(block, d).values
    let logDet = 0
    for (let j = 0; j < d; j++) logDet += Math.log(values[j]!)
    const scale = Math.exp(-logDet / d)
    for (let p = 0; p < dd; p++) sum[p] += scale * block[p]!
  }
  const common = symmetricEigen(sum, d).vectors
  return Array.from({ length: k }, () => common)
}

function anchored(l: Letters, anchorFull: Float64Array, k: number, d: number): AnchoredChart {
  const dd = d * d
  const anchor = axesOf(l, anchorFull, k, d)
  const nVol = l.volume === 'V' ? k : 1
  const nShapeSets = l.shape === 'V' ? k : l.shape === 'E' ? 1 : 0
  const nPlanes = (d * (d - 1)) / 2
  const nOrient = l.orientation === 'V' ? k : l.orientation === 'E' ? 1 : 0
  const shapeAt = nVol, orientAt = nVol + nShapeSets * (d - 1)
  const size = orientAt + nOrient * nPlanes
  return {
    toFree(full) {
      const out = new Float64Array(size)
      const axes = l.orientation === 'I' ? anchor : axesOf(l, full, k, d).map((v, c) => matchAxes(v, anchor[c]!, d))
      // the diagonal of D_k^T Sigma_k D_k: lambda_k A_k
      const logDiag = new Float64Array(k * d)
      const logVolume = new Float64Array(k)
      for (let c = 0; c < k; c++) {
        const D = axes[c]!
        const inner = matMul(matMul(transpose(D, d, d), full.subarray(c * dd, (c + 1) * dd), d, d, d), D, d, d, d)
        for (let j = 0; j < d; j++) {
          logDiag[c * d + j] = Math.log(inner[j * d + j]!)
          logVolume[c] += logDiag[c * d + j]! / d
        }
      }
      if (l.volume === 'V') for (let c = 0; c < k; c++) out[c] = Math.exp(logVolume[c]!)
      else out[0] = Math.exp(logVolume.reduce((s, v) => s + v, 0) / k)
      for (let s = 0; s < nShapeSets; s++) {
        for (let j = 0; j < d - 1; j++) {
          // the shared shape: the geometric mean over components (all equal on the model)
          let v = 0
          if (l.shape === 'V') v = logDiag[s * d + j]! - logVolume[s]!
          else { for (let c = 0; c < k; c++) v += logDiag[c * d + j]! - logVolume[c]!; v /= k }
          out[shapeAt + s * (d - 1) + j] = Math.exp(v)
        }
      }
      for (let s = 0; s < nOrient; s++) inverseCayley(matMul(transpose(anchor[s]!, d, d), axes[s]!, d, d, d), d, out, orientAt + s * nPlanes)
      return out
    },
    fromFree(theta) {
      const out = new Float64Array(k * dd)
      const rotations = Array.from({ length: nOrient }, (_, s) => matMul(anchor[s]!, cayley(theta, orientAt + s * nPlanes, d), d, d, d))
      const a = new Float64Array(d)
      for (let c = 0; c < k; c++) {
        const lambda = theta[l.volume === 'V' ? c : 0]!
        if (!(lambda > 0)) throw new DegenerateError('SINGULAR_COVARIANCE', `The volume of component ${c} is not positive (${lambda}).`, { component: c })
        a.fill(1)
        if (nShapeSets > 0) {
          const s = l.shape === 'V' ? c : 0
          let product = 1
          for (let j = 0; j < d - 1; j++) { a[j] = theta[shapeAt + s * (d - 1) + j]!; product *= a[j]! }
          a[d - 1] = 1 / product
          if (!a.every((v) => v > 0 && Number.isFinite(v))) throw new DegenerateError('SINGULAR_COVARIANCE', `A shape entry of component ${c} is not positive.`, { component: c })
        }
        const D = nOrient === 0 ? anchor[c]! : rotations[l.orientation === 'V' ? c : 0]!
        for (let p = 0; p < d; p++) {
          for (let q = 0; q <= p; q++) {
            let v = 0
            for (let j = 0; j < d; j++) v += D[p * d + j]! * a[j]! * D[q * d + j]!
            out[c * dd + p * d + q] = lambda * v
            out[c * dd + q * d + p] = lambda * v // exactly symmetric
          }
        }
      }
      return out
    },
  }
}
