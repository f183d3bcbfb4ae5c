import { describe, expect, it } from 'vitest'
import { TMixture } from '../../src/index.js'
import { tMixtureData } from '../helpers/synthetic.js'

const SEED = 5
const X = tMixtureData(SEED, 500)

describe(`mixture of t distributions (seeded data: seed ${SEED}, n = 500, nu = 3 and 8)`, () => {
  it('ECM (= EM) and ECME reach the same maximum; ECME in fewer iterations', async () => {
    const fits = []
    for (const algorithm of ['em', 'ecm', 'ecme'] as const) {
      const t = new TMixture({ nComponents: 2, algorithm, tol: 1e-9, criterion: 'parameters', maxIter: 100000, seed: 1 })
      await t.fit(X)
      expect(t.status).toBe('converged')
      expect(t.fitResult.decreases).toEqual([])
      fits.push(t)
    }
    const [em, ecm, ecme] = fits as [TMixture, TMixture, TMixture]
    console.log(`t mixture: EM ${em.nIter}, ECM ${ecm.nIter}, ECME ${ecme.nIter} iterations; nu = ${ecme.degreesOfFreedom.map((v) => v.toFixed(3)).join(', ')}`)
    expect(ecm.nIter).toBe(em.nIter)
    expect(ecme.nIter).toBeLessThan(ecm.nIter)
    expect(Math.abs(ecme.logLik - ecm.logLik) / Math.abs(ecm.logLik)).toBeLessThan(1e-8)
    const nu = ecme.degreesOfFreedom.slice().sort((a, b) => a - b)
    expect(nu[0]).toBeGreaterThan(1.5)
    expect(nu[0]).toBeLessThan(6)
    expect(ecme.predict(X).length).toBe(X.length)
    expect(ecme.scoreSamples(X).reduce((a, b) => a + b, 0)).toBeCloseTo(ecme.logLik, 6)
  }, 60_000)

  it('fixed nu: ECME is refused with the supported list', () => {
    expect(() => new TMixture({ nComponents: 2, nu: 4, algorithm: 'ecme' })).toThrow(/supports 'em', 'ecm'/)
    expect(() => new TMixture({ nComponents: 2, algorithm: 'px-em' as never })).toThrow(/supports 'em', 'ecm', 'ecme'/)
  })
})
