import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import { type Component, MASS_EPS } from './component.js'

/**
 * k multivariate Bernoulli distributions (independent binary features) over rows of d
 * values in {0, 1}: log p(x | c) = sum_j x_j logit(p_cj) + sum_j log(1 - p_cj), one
 * matrix product plus a bias, which is the dense-layer kernel `denseForward` (x times the
 * d x k matrix of logits, plus the k biases). Statistics: `statsDiag` around the current
 * probabilities, [N (k) | S1 = sum w r (x - p) (k*d) | (its diagonal S2, unused)].
 * The Bernoulli mixture uses it; an HMM with Bernoulli emissions could, unchanged.
 */

export interface BernoulliParams {
  /** k x d success probabilities, row c for member c, within [MIN_PROB, 1 - MIN_PROB]. */
  readonly probs: Float64Array
}

export interface BernoulliData {
  readonly d: number
  readonly x: F64Buffer
  /** d x k logits (input-major, as denseForward reads weights) and the k log(1 - p) sums. */
  readonly logits: F64Buffer
  readonly bias: F64Buffer
  /** The probabilities as statsDiag's reference points (k x d). */
  readonly ref: F64Buffer
  readonly stats: F64Buffer
}

/**
 * Probabilities are kept within [MIN_PROB, 1 - MIN_PROB]: a feature a member never (or
 * always) shows would otherwise get p = 0 (or 1) and a logit of -Infinity, and 0 x
 * -Infinity is NaN in the product for the rows that agree with it. 1e-10 changes a
 * log-likelihood by at most n d 1e-10.
 */
export const MIN_PROB = 1e-10

export class BernoulliComponent implements Component<BernoulliParams, BernoulliData> {
  readonly name = 'bernoulli'
  readonly statsSize: number

  constructor(readonly kernels: Kernels, readonly k: number, readonly d: number) {
    this.statsSize = k + k * d
  }

  prepare(arena: Arena, n: number): BernoulliData {
    const { k, d } = this
    return { d, x: arena.f64(n * d), logits: arena.f64(d * k), bias: arena.f64(k), ref: arena.f64(k * d), stats: arena.f64(k + 2 * k * d) }
  }

  /** Rows already checked to be 0 or 1. */
  load(data: BernoulliData, x: Float64Array): void {
    data.x.view.set(x)
  }

  logDensities(data: BernoulliData, n: number, params: BernoulliParams, out: F64Buffer): void {
    const { k, d } = this
    const L = data.logits.view, B = data.bias.view, p = params.probs
    for (let c = 0; c < k; c++) {
      let b = 0
      for (let j = 0; j < d; j++) {
        const q = p[c * d + j]!, l1 = Math.log1p(-q)
        L[j * k + c] = Math.log(q) - l1
        b += l1
      }
      B[c] = b
    }
    this.kernels.denseForward(data.x, n, d, data.logits, k, data.bias, false, out)
  }

  statistics(data: BernoulliData, n: number, weights: F64Buffer, rowWeight: F64Buffer | null, params: BernoulliParams, out: Float64Array): void {
    data.ref.view.set(params.probs)
    this.kernels.statsDiag(data.x, n, this.d, weights, this.k, rowWeight, data.ref, data.stats)
    out.set(data.stats.view.subarray(0, this.statsSize))
  }

  /** p = (S1 + N p_old) / (N + 10 eps), the weighted mean of the rows, kept within [MIN_PROB, 1 - MIN_PROB]. */
  fromStats(stats: Float64Array, params: BernoulliParams): BernoulliParams {
    const { k, d } = this
    const probs = new Float64Array(k * d)
    for (let c = 0; c < k; c++) {
      const nc = stats[c]!
      for (let j = 0; j < d; j++) probs[c * d + j] = clampProb((stats[k + c * d + j]! + nc * params.probs[c * d + j]!) / (nc + MASS_EPS))
    }
    return { probs }
  }

  nParameters(): number {
    return this.k * this.d
  }

  pack(params: BernoulliParams): Float64Array {
    return Float64Array.from(params.probs)
  }

  unpack(vec: Float64Array): BernoulliParams {
    return { probs: Float64Array.from(vec) }
  }

  isValid(vec: Float64Array): boolean {
    for (let e = 0; e < vec.length; e++) if (!(vec[e]! > 0 && vec[e]! < 1)) return false
    return true
  }

  sample(params: BernoulliParams, c: number, rng: Rng): number[] {
    const { d } = this
    return Array.from({ length: d }, (_, j) => (rng.uniform() < params.probs[c * d + j]! ? 1 : 0))
  }

  dispose(): void {}
}

export function clampProb(p: number): number {
  return p < MIN_PROB ? MIN_PROB : p > 1 - MIN_PROB ? 1 - MIN_PROB : p
}
