/**
 * The Gaussian mixture's complete-data log-likelihood log p(x, z | params) from
 * statistics: SEM/MCEM's change in Q over draws (gmm/monte-carlo.ts) and incremental
 * EM's free energy (gmm/blocks.ts) evaluate it. With it, for incremental EM's blocks,
 * the statistics moved to other means (components/gaussian-recentre.ts), loaded together.
 */
import { DegenerateError } from '../../core/errors.js'
import { inverseSPD } from '../../core/math/inverse-spd.js'
import type { GaussianShapes } from './covariance.js'

export { recentreGaussianStats } from '../components/gaussian-recentre.js'
/** What the complete-data log-likelihood reads of the parameters (a GmmParams; a component's with weights of 1). */
interface CompleteParams {
  readonly weights: Float64Array
  readonly means: Float64Array
  readonly covariances: Float64Array
  readonly logDetP: Float64Array
}

const LOG_2PI = 1.8378770664093453

/** What log p(x, z | params) needs of params, whatever the draw: the inverse covariances and N's coefficients. */
interface CompleteTerms {
  /** One d x d inverse per covariance block (one when shared). */
  readonly inv: readonly Float64Array[]
  /** log w_c + log det P_c - d/2 log 2 pi per component. */
  readonly perRow: Float64Array
}

function completeTerms(model: GaussianShapes, params: CompleteParams): CompleteTerms {
  const { k, d, covariance } = model
  const full = covariance.expandFull(params.covariances, k, d)
  const inv: Float64Array[] = []
  for (let c = 0; c < (covariance.shared ? 1 : k); c++) {
    const block = inverseSPD(full.subarray(c * d * d, (c + 1) * d * d), d)
    if (!block) throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of component ${c} is not positive definite.`, { component: c })
    inv.push(block)
  }
  const perRow = new Float64Array(k)
  for (let c = 0; c < k; c++) perRow[c] = Math.log(params.weights[c]!) + params.logDetP[c]! - 0.5 * d * LOG_2PI
  return { inv, perRow }
}

/** log p(x, z | params) of one set of statistics gathered around the means `ref` (a draw whose reference is `ref`). */
export function completeLogLikAround(model: GaussianShapes, stats: Float64Array, ref: Float64Array, params: CompleteParams): number {
  const draw = new Float64Array(stats.length + ref.length)
  draw.set(stats)
  draw.set(ref, stats.length)
  return completeLogLiks(model, draw, 1, params)[0]!
}

/**
 * log p(x, z | params) of each of m draws' statistics (rows back to back; constants
 * kept): per component N log w + N log N(. | mu, Sigma) summed over its rows, the
 * quadratic part from the scatter about mu rebuilt from the statistics around the
 * draw's reference. Diagonal statistics pair with diagonal covariances, so their trace
 * uses the diagonal only. What depends on params alone is computed once per call.
 */
export function completeLogLiks(model: GaussianShapes, draws: Float64Array, m: number, params: CompleteParams): Float64Array {
  const { k, d, covariance } = model
  const s2 = covariance.statsKernel === 'statsFull' ? d * d : d
  const diagonal = covariance.statsKernel === 'statsDiag'
  const size = k + k * d + k * s2
  const width = draws.length / m
  const { inv, perRow } = completeTerms(model, params)
  const out = new Float64Array(m)
  for (let r = 0; r < m; r++) {
    const stats = draws.subarray(r * width, (r + 1) * width)
    const ref = stats.subarray(size, size + k * d)
    let ll = 0
    for (let c = 0; c < k; c++) {
      const nc = stats[c]!
      if (nc === 0) continue
      const ic = inv[covariance.shared ? 0 : c]!
      ll += nc * perRow[c]!
      const s1 = k + c * d, s2At = k + k * d + c * s2
      let quad = 0
      for (let j = 0; j < d; j++) {
        const dj = params.means[c * d + j]! - ref[c * d + j]!
        const from = diagonal ? j : 0, to = diagonal ? j + 1 : d
        for (let l = from; l < to; l++) {
          const dl = params.means[c * d + l]! - ref[c * d + l]!
          const moment = diagonal ? stats[s2At + j]! : stats[s2At + j * d + l]!
          quad += ic[j * d + l]! * (moment - stats[s1 + j]! * dl - dj * stats[s1 + l]! + nc * dj * dl)
        }
      }
      ll -= 0.5 * quad
    }
    out[r] = ll
  }
  return out
}
