import { digamma, lgamma } from '../../core/math/special.js'

/** Degrees of freedom are kept in [NU_MIN, NU_MAX]; NU_MAX stands for "Gaussian". */
export const NU_MIN = 1e-3
export const NU_MAX = 1e6

/**
 * Root of a decreasing function on [lo, hi] by bisection in log scale (clamped to the
 * ends when it has no sign change there). 100 halvings of a log-range of 21 reach
 * machine precision.
 */
export function rootDecreasing(f: (x: number) => number, lo = NU_MIN, hi = NU_MAX): number {
  if (!(f(lo) > 0)) return lo
  if (!(f(hi) < 0)) return hi
  let a = Math.log(lo), b = Math.log(hi)
  for (let it = 0; it < 100 && b - a > 1e-15 * Math.max(1, Math.abs(a)); it++) {
    const m = 0.5 * (a + b)
    if (f(Math.exp(m)) > 0) a = m
    else b = m
  }
  return Math.exp(0.5 * (a + b))
}

/**
 * ECM / EM step for nu: maximise Q over nu given meanLogTauMinusTau = mean of
 * E[log tau] - E[tau] (per unit of weight): log(nu/2) + 1 - psi(nu/2) + c = 0.
 */
export function nuFromQ(meanLogTauMinusTau: number): number {
  const c = meanLogTauMinusTau
  return rootDecreasing((nu) => Math.log(nu / 2) + 1 - digamma(nu / 2) + c)
}

/**
 * PX-EM step for nu: the expanded model's gamma(shape a, rate b) mixing distribution
 * fitted by maximum likelihood from E[tau] and E[log tau]: log a - psi(a) =
 * log(mean tau) - mean log tau, nu = 2a.
 */
export function nuFromExpanded(meanTau: number, meanLogTau: number): number {
  const b = Math.log(meanTau) - meanLogTau
  return rootDecreasing((nu) => Math.log(nu / 2) - digamma(nu / 2) - b)
}

/** log Gamma((nu + p)/2) - log Gamma(nu/2) - (p/2) log(nu pi): the t density's constant without |Sigma|. */
export function tConstant(nu: number, p: number): number {
  return lgamma((nu + p) / 2) - lgamma(nu / 2) - (p / 2) * Math.log(nu * Math.PI)
}

/**
 * d/dnu of sum_i w_i log t_nu(x_i) for fixed location and scatter, from the squared
 * Mahalanobis distances delta_i of rows with p_i observed values (groups of rows
 * sharing p): the ECME step for nu finds its root.
 */
export function nuScore(nu: number, groups: readonly { p: number; delta: Float64Array; weight: Float64Array | null }[]): number {
  let s = 0
  for (const g of groups) {
    const { p, delta, weight } = g
    const a = 0.5 * (digamma((nu + p) / 2) - digamma(nu / 2) - p / nu)
    for (let i = 0; i < delta.length; i++) {
      const w = weight ? weight[i]! : 1
      const r = delta[i]! / nu
      s += w * (a - 0.5 * Math.log(1 + r) + 0.5 * (nu + p) * r / (nu + delta[i]!))
    }
  }
  return s
}
