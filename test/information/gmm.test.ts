/**
 * Standard errors of Gaussian mixtures (faithful, K = 2) in every covariance type:
 * the free coordinates (first K - 1 weights, each covariance entry once), 'hessian'
 * and 'sem' agreeing, and the DM rate against EM's empirical rate (the ratio of
 * successive steps of EM's parameter sequence).
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { fixtureMatrix } from '../helpers/data.js'

const X = fixtureMatrix('faithful.csv')
const free = { full: 2 * 3, tied: 3, diag: 2 * 2, spherical: 2 } as const

describe('GaussianMixture.standardErrors (faithful, K = 2)', () => {
  for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
    it(`${covarianceType}: louis, hessian and sem agree; the DM rate is EM's empirical rate`, async () => {
      const steps: Float64Array[] = []
      const est = await new GaussianMixture({ nComponents: 2, covarianceType, tol: 1e-11, criterion: 'parameters', maxIter: 5000, regCovar: 0, seed: 1 })
      await est.fit(X, { onIteration: (i) => { steps.push(Float64Array.from([...i.params.weights, ...i.params.means, ...i.params.covariances])) } })
      const h = await est.standardErrors({ method: 'hessian' })
      const s = await est.standardErrors({ method: 'sem' })
      expect(h.names.length).toBe(1 + 2 * 2 + free[covarianceType])
      expect(h.names[0]).toBe('weight[0]')
      expect(s.names).toEqual(h.names)
      for (let j = 0; j < h.names.length; j++) expect(Math.abs(s.standardErrors[j]! / h.standardErrors[j]! - 1)).toBeLessThan(1e-4)
      // the weight's SE is near the binomial one, sqrt(w (1 - w) / n), inflated by the overlap
      const w = h.estimates[0]!
      expect(h.standardErrors[0]).toBeGreaterThan(Math.sqrt(w * (1 - w) / X.length))
      expect(h.standardErrors[0]).toBeLessThan(1.5 * Math.sqrt(w * (1 - w) / X.length))
      // EM's empirical rate: |theta_t+1 - theta_t| / |theta_t - theta_t-1| late in the run
      const diff = (a: Float64Array, b: Float64Array) => Math.hypot(...a.map((v, i) => v - b[i]!))
      const t = steps.findIndex((p, i) => i > 0 && diff(p, steps[i - 1]!) < 1e-7)
      const empirical = diff(steps[t + 1]!, steps[t]!) / diff(steps[t]!, steps[t - 1]!)
      // measured: full 6e-7, diag 7e-6, spherical 3e-7; tied 2.5e-3 (EM stops after 10
      // iterations there and the ratio is still settling between two close eigenvalues)
      expect(Math.abs(empirical - s.rate!)).toBeLessThan(covarianceType === 'tied' ? 5e-3 : 1e-4)
      expect(s.dm!.length).toBe(h.names.length)
      const l = await est.standardErrors({ method: 'louis' })
      for (let j = 0; j < h.names.length; j++) expect(Math.abs(l.standardErrors[j]! / h.standardErrors[j]! - 1)).toBeLessThan(1e-4)
    })
  }
})
