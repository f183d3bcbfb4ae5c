import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { selectGaussianMixture } from '../../src/inference/selectGaussianMixture.js'
import { fixtureJson, fixtureMatrix } from '../helpers/data.js'

const X = fixtureMatrix('faithful.csv')

describe('selectGaussianMixture', () => {
  it('fits the 24-cell grid on faithful and picks the smallest BIC, as mclust does (EEE = tied, G = 3)', async () => {
    const mclust = fixtureJson('02_mclust_faithful.json')
    const s = await selectGaussianMixture(X, { nInit: 3, tol: 1e-6, maxIter: 500 })
    expect(s.criterion).toBe('bic')
    expect(s.table).toHaveLength(24)
    // k-major, covariance types in the default order
    expect(s.table.slice(0, 5).map((r) => `${r.k}${r.covarianceType}`)).toEqual(['1full', '1diag', '1spherical', '1tied', '2full'])
    const bics = s.table.map((r) => r.bic!).filter(Number.isFinite)
    expect(bics).toHaveLength(24)
    expect(s.best.bic).toBe(Math.min(...bics))
    expect(s.best.k).toBe(mclust.best.G)
    expect(s.best.covarianceType).toBe('tied')
    // mclust's BIC has the opposite sign; ours may be a little lower (a slightly higher maximum).
    expect(Math.abs(s.best.bic + mclust.best.bic)).toBeLessThan(0.05)
    // Each row is consistent: BIC and AIC from the log-likelihood and parameter count.
    for (const r of s.table) {
      expect(['converged', 'max-iter']).toContain(r.status)
      expect(r.nIter).toBeGreaterThan(0)
      expect(r.bic!).toBeCloseTo(-2 * r.logLik! + r.nParameters! * Math.log(X.length), 6)
      expect(r.aic!).toBeCloseTo(-2 * r.logLik! + 2 * r.nParameters!, 6)
      expect(r.error).toBeUndefined()
    }
    // K = 1: full and tied are the same model.
    expect(s.table[0]!.bic).toBeCloseTo(s.table[3]!.bic!, 6)
    // The returned model is the fitted winner.
    expect(s.best.model).toBeInstanceOf(GaussianMixture)
    expect(s.best.model.nComponents).toBe(3)
    expect(s.best.model.covarianceType).toBe('tied')
    expect(s.best.model.bic(X)).toBeCloseTo(s.best.bic, 8)
    // the command's row shape and key order (emkit fit --json prints it)
    expect(Object.keys(s.table[0]!)).toEqual(['k', 'covarianceType', 'bic', 'aic', 'icl', 'mclustBic', 'mclustIcl', 'logLik', 'nParameters', 'status', 'nIter'])
  })

  it('criterion aic picks the smallest AIC; a fixed grid dimension; progress callback', async () => {
    const seen: number[] = []
    const s = await selectGaussianMixture(X, {
      kValues: [1, 2, 3, 4], covarianceTypes: ['full'], criterion: 'aic', seed: 1,
      onFit: (row, i, total) => { seen.push(i); expect(total).toBe(4); expect(row.k).toBe(i + 1) },
    })
    expect(seen).toEqual([0, 1, 2, 3])
    expect(s.criterion).toBe('aic')
    expect(s.best.aic).toBe(Math.min(...s.table.map((r) => r.aic!)))
    expect(s.table.every((r) => r.covarianceType === 'full')).toBe(true)
  })

  it("criterion 'icl' picks the smallest ICL (BIC plus the classification cost); NaN entries are fitted as missing", async () => {
    const s = await selectGaussianMixture(X, { kValues: [1, 2, 3], covarianceTypes: ['full', 'tied'], criterion: 'icl' })
    expect(s.criterion).toBe('icl')
    expect(s.best.icl).toBe(Math.min(...s.table.map((r) => r.icl!)))
    for (const r of s.table) expect(r.icl!).toBeGreaterThanOrEqual(r.bic! - 1e-9)
    const holes = X.map((r, i) => (i % 10 === 3 ? [r[0]!, NaN] : r))
    const m = await selectGaussianMixture(holes, { kValues: [2], covarianceTypes: ['full'] })
    const direct = await new GaussianMixture({ nComponents: 2 }).fit(holes)
    expect(m.best.model.logLik).toBe(direct.logLik)
  })

  it('accepts a { data, rows, cols } matrix', async () => {
    const m = { rows: X.length, cols: 2, data: Float64Array.from(X.flat()) }
    const s = await selectGaussianMixture(m, { kValues: [2], covarianceTypes: ['full', 'diag'] })
    expect(s.table).toHaveLength(2)
  })

  it('skips k > n and rejects bad grids', async () => {
    const s = await selectGaussianMixture([[0, 1], [1, 0], [2, 2]], { kValues: [1, 5], covarianceTypes: ['spherical'] })
    expect(s.table.map((r) => r.status)).toEqual(['converged', 'skipped'])
    expect(s.table[1]).toMatchObject({ bic: null, aic: null, logLik: null, nParameters: null, nIter: null, error: { code: 'TOO_MANY_COMPONENTS' } })
    const bad: [unknown, string][] = [
      [{ kValues: [] }, 'INVALID_OPTION'],
      [{ kValues: [0] }, 'INVALID_OPTION'],
      [{ kValues: [1.5] }, 'INVALID_OPTION'],
      [{ kValues: [2, 2] }, 'INVALID_OPTION'],
      [{ covarianceTypes: [] }, 'INVALID_OPTION'],
      [{ covarianceTypes: ['banded'] }, 'INVALID_OPTION'],
      [{ covarianceTypes: ['full', 'full'] }, 'INVALID_OPTION'],
      [{ criterion: 'hqc' }, 'INVALID_OPTION'],
      [{ kValues: [3, 4] }, 'TOO_MANY_COMPONENTS'],
      [{ kValues: [1], nInit: 0 }, 'INVALID_OPTION'],
      [{ kValues: [1], bogus: true }, 'INVALID_OPTION'],
    ]
    for (const [opts, code] of bad) {
      await expect(selectGaussianMixture([[1, 2], [3, 4]], opts as any), JSON.stringify(opts)).rejects.toMatchObject({ code })
    }
    await expect(selectGaussianMixture([[1, Infinity]])).rejects.toMatchObject({ code: 'NON_FINITE' })
  })
})
