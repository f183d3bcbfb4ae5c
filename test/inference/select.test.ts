import { describe, expect, it } from 'vitest'
import { selectGaussianMixture } from '../../src/inference/select.js'
import { fixtureJson, fixtureMatrix } from '../helpers/data.js'

describe('selectGaussianMixture', () => {
  it('fits the 24-cell grid on faithful and picks the smallest BIC, as mclust does (EEE = tied, G = 3)', async () => {
    const X = fixtureMatrix('faithful.csv')
    const mclust = fixtureJson('02_mclust_faithful.json')
    const s = await selectGaussianMixture(X, { nInit: 3, tol: 1e-6, maxIter: 500 })
    expect(s.table).toHaveLength(24)
    const bics = s.table.map((r) => r.bic!).filter(Number.isFinite)
    expect(s.best.bic).toBe(Math.min(...bics))
    expect(s.best.k).toBe(mclust.best.G)
    expect(s.best.covarianceType).toBe('tied')
    // mclust's BIC has the opposite sign; ours may be a little lower (a slightly higher maximum).
    expect(Math.abs(s.best.bic + mclust.best.bic)).toBeLessThan(0.05)
  })
  it('skips k > n and rejects bad grids', async () => {
    const s = await selectGaussianMixture([[0, 1], [1, 0], [2, 2]], { kValues: [1, 5], covarianceTypes: ['spherical'] })
    expect(s.table.map((r) => r.status)).toEqual(['converged', 'skipped'])
    await expect(selectGaussianMixture([[1]], { kValues: [] })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})
