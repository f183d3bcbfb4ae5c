/**
 * Tobin's durable-goods Tobit (left-censored at 0): standard errors of (intercept, age,
 * quant, log(scale)) against survreg's (fixture 18: 16.07945, 0.218584, 0.058254,
 * 0.310323) within 1e-4 relative, through TobitRegression.standardErrors.
 */
import { describe, expect, it } from 'vitest'
import { TobitRegression } from '../../src/index.js'
import { tobinData } from '../helpers/data.js'
import reference from '../fixtures/18_standard_errors_public.json' with { type: 'json' }

const ref = reference.tobin_tobit
const { X, y } = tobinData()
const est = await new TobitRegression({ left: 0, tol: 1e-12 }).fit(X, y)

describe("Tobin's Tobit: standard errors against survreg", () => {
  it('reaches survreg’s estimates', () => {
    const coef = [est.intercept, ...est.coefficients]
    for (let j = 0; j < 3; j++) expect(Math.abs(coef[j]! / ref.estimates[j]! - 1)).toBeLessThan(1e-6)
  })
  for (const method of ['louis', 'hessian', 'sem'] as const) {
    it(`${method}: SEs and covariance within 1e-4 relative (measured 3e-9 hessian, 1e-8 sem)`, async () => {
      const se = await est.standardErrors({ method })
      expect(se.method).toBe(method)
      expect(se.names).toEqual(['coef[0]', 'coef[1]', 'coef[2]', 'log(scale)'])
      expect(se.estimates[3]).toBeCloseTo(ref.estimates[3]!, 6)
      for (let j = 0; j < 4; j++) expect(Math.abs(se.standardErrors[j]! / ref.se_survreg[j]! - 1)).toBeLessThan(1e-4)
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) expect(Math.abs(se.covariance[i]![j]! - ref.vcov_survreg[i]![j]!)).toBeLessThan(1e-4 * Math.sqrt(ref.vcov_survreg[i]![i]! * ref.vcov_survreg[j]![j]!))
      }
    })
  }
})
