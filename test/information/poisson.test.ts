/**
 * Poisson mixture of Hasselblad's death notices (frequency weights): standard errors of
 * (weight[0], rate[0], rate[1]) by louis, sem and hessian against numDeriv's Hessian at
 * the MLE (test/fixtures/poissmix_se_numderiv.json, from
 * test/fixtures/scripts/poissmix_se_numderiv.R), and the DM rate against EM's empirical
 * rate (EM is slow here: a rate near 1, most information missing).
 */
import { describe, expect, it } from 'vitest'
import { PoissonMixture } from '../../src/index.js'
import ref from '../fixtures/poissmix_se_numderiv.json' with { type: 'json' }

const death = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
const freq = [162, 267, 271, 185, 111, 61, 27, 8, 3, 1]

describe('PoissonMixture.standardErrors (Hasselblad)', () => {
  it('louis, sem and hessian within 1e-4 relative of numDeriv; DM rate = EM empirical rate', async () => {
    const path: number[][] = []
    const est = await new PoissonMixture({ nComponents: 2, tol: 1e-13, criterion: 'parameters', maxIter: 50000, init: { weights: [0.3, 0.7], rates: [1, 2.5] } })
      .fit(death, { sampleWeight: freq, onIteration: (i) => { path.push([i.params.weights[0]!, ...i.params.rates]) } })
    for (const method of ['louis', 'sem', 'hessian'] as const) {
      const se = await est.standardErrors({ method })
      expect(se.names).toEqual(['weight[0]', 'rate[0]', 'rate[1]'])
      for (let j = 0; j < 3; j++) {
        expect(Math.abs(se.estimates[j]! / ref.par[j]! - 1)).toBeLessThan(1e-6)
        expect(Math.abs(se.standardErrors[j]! / ref.se[j]! - 1)).toBeLessThan(1e-4)
      }
      if (method === 'sem') {
        const t = path.findIndex((p, i) => i > 0 && Math.hypot(...p.map((v, j) => v - path[i - 1]![j]!)) < 1e-7)
        const d = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]!))
        const empirical = d(path[t + 1]!, path[t]!) / d(path[t]!, path[t - 1]!)
        expect(Math.abs(empirical - se.rate!)).toBeLessThan(1e-5) // measured 1.2e-7 (rate 0.99567)
      }
    }
  })
})
