/**
 * GammaPoisson on the pump failures (published.json): supplemented EM (Q from the
 * Monte Carlo capability's complete-data log-likelihood, linear in E[theta] and
 * E[log theta]) agrees with the numerical Hessian of the negative-binomial marginal
 * log-likelihood.
 */
import { describe, expect, it } from 'vitest'
import { GammaPoisson } from '../../src/index.js'
import published from '../fixtures/published.json' with { type: 'json' }

const pump = published.pump_failures

describe('GammaPoisson.standardErrors', () => {
  it('sem = hessian within 1e-5 relative; louis UNSUPPORTED', async () => {
    const gp = await new GammaPoisson({ tol: 1e-13, maxIter: 100000 }).fit(pump.x, { exposure: pump.t })
    const h = await gp.standardErrors({ method: 'hessian' })
    const s = await gp.standardErrors({ method: 'sem' })
    for (let j = 0; j < h.names.length; j++) expect(Math.abs(s.standardErrors[j]! / h.standardErrors[j]! - 1)).toBeLessThan(1e-5)
    expect(s.rate!).toBeGreaterThan(0)
    expect(s.rate!).toBeLessThan(1)
    await expect(gp.standardErrors({ method: 'louis' })).rejects.toMatchObject({ code: 'UNSUPPORTED' })
  })
})
