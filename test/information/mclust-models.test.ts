/**
 * Standard errors of mclust's models: where the stored covariance entries are the free
 * parameters (EII, VII, EEI, VVI, EEE, VVV...) they are given; where a constraint ties
 * them (VEV's common shape, EVE's common orientation) the coordinates would be wrong,
 * so every method refuses with UNSUPPORTED instead of returning wrong numbers.
 */
import { describe, expect, it } from 'vitest'
import { faithfulRows, GaussianMixture } from '../../src/index.js'

describe('standard errors and mclust models', () => {
  const X = faithfulRows()
  it('VVV (full) gives the same standard errors as full', async () => {
    const a = await new GaussianMixture({ nComponents: 2, covarianceType: 'VVV', seed: 1, tol: 1e-10 }).fit(X)
    const b = await new GaussianMixture({ nComponents: 2, covarianceType: 'full', seed: 1, tol: 1e-10 }).fit(X)
    const sa = await a.standardErrors({ method: 'louis' }), sb = await b.standardErrors({ method: 'louis' })
    expect(Array.from(sa.standardErrors)).toEqual(Array.from(sb.standardErrors))
  })
  for (const covarianceType of ['VEV', 'EVE', 'VEI'] as const) {
    it(`${covarianceType} is refused by every method with UNSUPPORTED`, async () => {
      const gm = await new GaussianMixture({ nComponents: 2, covarianceType, seed: 1 }).fit(X)
      for (const method of ['louis', 'sem', 'hessian'] as const) {
        await expect(gm.standardErrors({ method }), method).rejects.toMatchObject({ code: 'UNSUPPORTED' })
      }
    })
  }
})
