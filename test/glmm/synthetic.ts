/** Seeded data from the logistic random-intercept model with known truth. */
import { Rng } from '../../src/core/rng/xoshiro128.js'

export interface GlmmTruth { intercept: number; coefficients: number[]; sigma: number }

export function glmmData(seed: number, nGroups: number, perGroup: number, truth: GlmmTruth, maxTrials = 1) {
  const rng = new Rng(seed)
  const X: number[][] = [], y: number[] = [], trials: number[] = [], groups: string[] = [], b: number[] = []
  for (let g = 0; g < nGroups; g++) {
    const bg = truth.sigma * rng.normal()
    b.push(bg)
    for (let j = 0; j < perGroup; j++) {
      const x = truth.coefficients.map(() => rng.normal())
      const eta = truth.intercept + x.reduce((s, v, k) => s + v * truth.coefficients[k]!, 0) + bg
      const t = 1 + rng.integer(maxTrials)
      let yy = 0
      for (let k = 0; k < t; k++) if (rng.uniform() < 1 / (1 + Math.exp(-eta))) yy++
      X.push(x); y.push(yy); trials.push(t); groups.push(`g${g}`)
    }
  }
  return { X, y, trials, groups, b }
}
