import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'

describe('GaussianMixture getParams / setParams', () => {
  it('getParams gives every option; setParams changes some, checked like the constructor', () => {
    const gm = new GaussianMixture({ nComponents: 2, seed: 3 })
    expect(gm.getParams()).toMatchObject({ nComponents: 2, covarianceType: 'full', seed: 3, tol: 1e-3 })
    expect(gm.setParams({ nComponents: 4, covarianceType: 'diag' })).toBe(gm)
    expect(gm.nComponents).toBe(4)
    expect(gm.covarianceType).toBe('diag')
    expect(gm.seed).toBe(3)
    expect(gm.toSpec().options).toMatchObject({ nComponents: 4, covarianceType: 'diag' })
  })

  it('a bad value or an unknown name is an OptionError and changes nothing', () => {
    const gm = new GaussianMixture({ nComponents: 2 })
    expect(() => gm.setParams({ nComponents: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => gm.setParams({ bogus: 1 } as never)).toThrow(/has no option 'bogus'/)
    expect(gm.nComponents).toBe(2)
  })

  it('a new seed restarts the sampler as a fresh estimator with that seed would', async () => {
    const X = [[0, 0], [1, 1], [0, 1], [5, 5], [6, 5], [5, 6]]
    const a = await new GaussianMixture({ nComponents: 2, seed: 1 }).setParams({ seed: 9 }).fit(X)
    const b = await new GaussianMixture({ nComponents: 2, seed: 9 }).fit(X)
    expect(a.means).toEqual(b.means)
    expect(a.sample(3)).toEqual(b.sample(3))
  })
})
