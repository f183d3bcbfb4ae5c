/** Frequency weights count rows: a Gaussian mixture fitted with sampleWeight 2 has the standard errors of the data with those rows twice, by every method. */
import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { fixtureMatrix } from '../helpers/data.js'

const X = fixtureMatrix('faithful.csv').slice(0, 120)
const w = X.map((_, i) => (i % 3 === 0 ? 2 : 1))
const doubled = X.flatMap((r, i) => (w[i] === 2 ? [r, r] : [r]))

describe('standardErrors with sampleWeight', () => {
  for (const method of ['louis', 'sem', 'hessian'] as const) {
    it(method, async () => {
      const options = { nComponents: 2, covarianceType: 'diag', tol: 1e-12, maxIter: 5000, regCovar: 0, init: { weights: [0.5, 0.5], means: [[2, 55], [4.3, 80]] } } as const
      const a = await new GaussianMixture(options).fit(X, { sampleWeight: w })
      const b = await new GaussianMixture(options).fit(doubled)
      const sa = await a.standardErrors({ method }), sb = await b.standardErrors({ method })
      for (let j = 0; j < sa.names.length; j++) expect(Math.abs(sa.standardErrors[j]! / sb.standardErrors[j]! - 1)).toBeLessThan(1e-6)
    })
  }
})
