/**
 * Genetic linkage (Dempster, Laird & Rubin 1977; Meng & Rubin 1991's SEM example),
 * the example model of docs/fitEM.md with the complete-data terms added: theta's SE
 * 0.0514673 by all three methods (R numDeriv / exact Hessian, fixture 18), the SEM
 * rate 0.1328 and Louis's complete and missing information (published.json).
 */
import { describe, expect, it } from 'vitest'
import { type EMModel, fitEM, standardErrorsOf } from '../../src/index.js'
import { type Linkage, linkage as emLinkage } from '../variants/genetic-linkage.example.js'
import reference from '../fixtures/18_standard_errors_public.json' with { type: 'json' }
import published from '../fixtures/published.json' with { type: 'json' }

const pub = published.genetic_linkage

// The hidden count x of cell 1 is Binomial(y1, p), p = (t/4) / (1/2 + t/4); the
// complete-data log-likelihood (x + y4) log t + (y2 + y3) log(1 - t).
const linkage: EMModel<number, Linkage> = {
  ...emLinkage,
  information: {
    parameterisation: { names: () => ['theta'], toFree: (t) => Float64Array.of(t), fromFree: (v) => v[0]! },
    q: (s, _at, t) => s[0]! * Math.log(t) + s[1]! * Math.log(1 - t),
    louis(data, t) {
      const [y1, y2, y3, y4] = data.counts
      const p = (t / 4) / (0.5 + t / 4)
      const complete = (y1 * p + y4) / (t * t) + (y2 + y3) / ((1 - t) ** 2)
      const missing = (y1 * p * (1 - p)) / (t * t) // Var(score | y) = Var(x) / t^2
      return { complete: Float64Array.of(complete), missing: Float64Array.of(missing) }
    },
  },
}

const data: Linkage = { counts: [125, 18, 20, 34], totalWeight: 197 }
const path: number[] = []
const fit = await fitEM(linkage, data, 0.5, { tol: 1e-14, criterion: 'parameters', maxIter: 1000, onIteration: (i) => { path.push(i.params) } })
const SE = reference.summary.genetic_linkage.se

describe('genetic linkage: standard errors of theta', () => {
  it('reaches the MLE', () => {
    expect(fit.params).toBeCloseTo(reference.summary.genetic_linkage.theta_hat, 12)
  })
  for (const method of ['louis', 'sem', 'hessian'] as const) {
    it(`${method}: SE within 1e-4 relative of ${SE}`, () => {
      const se = standardErrorsOf(linkage, data, fit.params, method)
      expect(se.names).toEqual(['theta'])
      expect(se.estimates[0]).toBe(fit.params)
      expect(Math.abs(se.standardErrors[0]! / SE - 1)).toBeLessThan(1e-4)
      expect(se.covariance[0]![0]).toBeCloseTo(se.standardErrors[0]! ** 2, 15)
      expect(Math.abs(se.information[0]![0]! / pub.observed_information - 1)).toBeLessThan(1e-5)
    })
  }
  it("sem: DM rate within 1e-3 of Meng & Rubin's 0.1328 and of EM's empirical rate", () => {
    const se = standardErrorsOf(linkage, data, fit.params, 'sem')
    expect(Math.abs(se.rate! - pub.em_rate_DM)).toBeLessThan(1e-3)
    expect(se.dm![0]![0]).toBe(se.rate)
    // the empirical rate: successive differences of EM's sequence shrink by the rate
    const ratios: number[] = []
    for (let t = 2; t < 8; t++) ratios.push((path[t]! - path[t - 1]!) / (path[t - 1]! - path[t - 2]!))
    for (const r of ratios.slice(-3)) expect(Math.abs(r - se.rate!)).toBeLessThan(1e-4)
    expect(se.rate!).toBeCloseTo(pub.missing_information / pub.complete_information, 5)
  })
  it("louis: complete and missing information as published (435.318, 57.801)", () => {
    const { complete, missing } = linkage.information!.louis!(data, fit.params)
    expect(complete[0]).toBeCloseTo(pub.complete_information, 3)
    expect(missing[0]).toBeCloseTo(pub.missing_information, 3)
  })
})
