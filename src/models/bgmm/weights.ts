/**
 * The two priors on the mixing weights, as a strategy table: the stick-breaking
 * (truncated Dirichlet process, Blei & Jordan 2006) and the symmetric Dirichlet
 * distribution. Each knows its variational posterior q(pi) from the component masses,
 * E[log pi_k] under it, the point weights scikit-learn reports, and its terms of the
 * bound: scikit-learn's `log_norm_weight`, the constant scikit-learn drops, and
 * KL(q || p).
 */
import type { Special } from '../common/special.js'

export type WeightPriorType = 'dirichlet_process' | 'dirichlet_distribution'
export const WEIGHT_PRIOR_TYPES: readonly WeightPriorType[] = ['dirichlet_process', 'dirichlet_distribution']

export interface WeightPrior {
  readonly type: WeightPriorType
  /** Length of the concentration vector: 2K (the sticks' Beta a, then b) or K. */
  size(k: number): number
  /** q(pi) from the masses nk (scikit-learn's `_estimate_weights`). */
  posterior(nk: Float64Array, prior: number): Float64Array
  /** E[log pi_k] under q(pi). */
  expectedLogWeights(conc: Float64Array, k: number, special: Special): Float64Array
  /** The expected weights, normalised (scikit-learn's weights_). */
  pointWeights(conc: Float64Array, k: number): Float64Array
  /** What scikit-learn's lower bound subtracts for q(pi) (`log_norm_weight`). */
  logNorm(conc: Float64Array, k: number, special: Special): number
  /** The prior's normalising term scikit-learn drops from its bound. */
  priorConstant(prior: number, k: number, special: Special): number
  /** KL(q(pi) || p(pi)). */
  kl(conc: Float64Array, prior: number, k: number, special: Special): number
  /** scikit-learn's public shape: [a, b] for the sticks, the vector for the Dirichlet. */
  toPublic(conc: Float64Array, k: number): number[] | [number[], number[]]
}

/** Sticks v_k ~ Beta(1, gamma), pi_k = v_k prod_{j<k} (1 - v_j); q(v_k) = Beta(a_k, b_k). */
const dirichletProcess: WeightPrior = {
  type: 'dirichlet_process',
  size: (k) => 2 * k,
  posterior(nk, gamma) {
    const k = nk.length
    const out = new Float64Array(2 * k)
    // b_k = gamma + sum_{j>k} nk_j, summed from the last component as numpy's reversed cumsum
    let tail = 0
    for (let c = k - 1; c >= 0; c--) {
      out[c] = 1 + nk[c]!
      out[k + c] = gamma + tail
      tail += nk[c]!
    }
    return out
  },
  expectedLogWeights(conc, k, special) {
    const sums = new Float64Array(k)
    for (let c = 0; c < k; c++) sums[c] = conc[c]! + conc[k + c]!
    const psi = special.psi(concat(conc, sums))
    const out = new Float64Array(k)
    let before = 0
    for (let c = 0; c < k; c++) {
      const psiSum = psi[2 * k + c]!
      out[c] = psi[c]! - psiSum + before
      before += psi[k + c]! - psiSum
    }
    return out
  },
  pointWeights(conc, k) {
    const out = new Float64Array(k)
    let rest = 1
    let total = 0
    for (let c = 0; c < k; c++) {
      const s = conc[c]! + conc[k + c]!
      out[c] = (conc[c]! / s) * rest
      rest *= conc[k + c]! / s
      total += out[c]!
    }
    for (let c = 0; c < k; c++) out[c] = out[c]! / total
    return out
  },
  logNorm(conc, k, special) {
    const lg = special.lnGamma(concat(conc, sums(conc, k)))
    let s = 0
    for (let c = 0; c < k; c++) s += lg[c]! + lg[k + c]! - lg[2 * k + c]!
    return -s
  },
  // each stick's prior Beta(1, gamma) has log B(1, gamma) = -log gamma
  priorConstant: (gamma, k) => k * Math.log(gamma),
  kl(conc, gamma, k, special) {
    const all = concat(conc, sums(conc, k))
    const psi = special.psi(all)
    const lg = special.lnGamma(all)
    let s = 0
    for (let c = 0; c < k; c++) {
      const a = conc[c]!, b = conc[k + c]!
      const logBeta = lg[c]! + lg[k + c]! - lg[2 * k + c]!
      s += -logBeta - Math.log(gamma) + (a - 1) * psi[c]! + (b - gamma) * psi[k + c]! - (a + b - 1 - gamma) * psi[2 * k + c]!
    }
    return s
  },
  toPublic: (conc, k) => [Array.from(conc.subarray(0, k)), Array.from(conc.subarray(k, 2 * k))],
}

/** pi ~ Dirichlet(alpha0, ..., alpha0); q(pi) = Dirichlet(alpha). */
const dirichletDistribution: WeightPrior = {
  type: 'dirichlet_distribution',
  size: (k) => k,
  posterior(nk, alpha0) {
    return Float64Array.from(nk, (v) => alpha0 + v)
  },
  expectedLogWeights(conc, k, special) {
    const psi = special.psi(concat(conc, Float64Array.of(total(conc))))
    return Float64Array.from({ length: k }, (_, c) => psi[c]! - psi[k]!)
  },
  pointWeights(conc) {
    const t = total(conc)
    return Float64Array.from(conc, (v) => v / t)
  },
  logNorm(conc, k, special) {
    const lg = special.lnGamma(concat(conc, Float64Array.of(total(conc))))
    let s = 0
    for (let c = 0; c < k; c++) s += lg[c]!
    return lg[k]! - s
  },
  priorConstant(alpha0, k, special) {
    const [lgSum, lgOne] = special.lnGamma(Float64Array.of(k * alpha0, alpha0)) as unknown as [number, number]
    return lgSum - k * lgOne
  },
  kl(conc, alpha0, k, special) {
    const t = total(conc)
    const psi = special.psi(concat(conc, Float64Array.of(t)))
    const lg = special.lnGamma(concat(conc, Float64Array.of(t, k * alpha0, alpha0)))
    let s = lg[k]! - lg[k + 1]! + k * lg[k + 2]!
    for (let c = 0; c < k; c++) s += -lg[c]! + (conc[c]! - alpha0) * (psi[c]! - psi[k]!)
    return s
  },
  toPublic: (conc) => Array.from(conc),
}

export const WEIGHT_PRIORS: Readonly<Record<WeightPriorType, WeightPrior>> = {
  dirichlet_process: dirichletProcess,
  dirichlet_distribution: dirichletDistribution,
}

function total(v: Float64Array): number {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i]!
  return s
}

function sums(conc: Float64Array, k: number): Float64Array {
  return Float64Array.from({ length: k }, (_, c) => conc[c]! + conc[k + c]!)
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
