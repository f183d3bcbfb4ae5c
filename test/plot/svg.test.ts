import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { gmmSvg } from '../../src/plot/svg.js'
import { fixtureMatrix } from '../helpers/data.js'

describe('gmmSvg', () => {
  it('draws points, two ellipses per component, means and the trace', async () => {
    const X = fixtureMatrix('faithful.csv')
    for (const covarianceType of ['full', 'spherical'] as const) {
      const gm = await new GaussianMixture({ nComponents: 3, covarianceType }).fit(X)
      const svg = gmmSvg({ points: X, labels: gm.predict(X), weights: gm.weights, means: gm.means, covariances: gm.fullCovariances, history: gm.history, columns: ['eruptions', 'waiting'] })
      expect(svg.startsWith('<svg')).toBe(true)
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
      expect((svg.match(/<ellipse/g) ?? []).length).toBe(6)
      expect((svg.match(/<circle/g) ?? []).length).toBeGreaterThanOrEqual(X.length)
      expect(svg).toMatch(/<polyline|<path/)
      expect(svg).toContain('eruptions')
      // balanced tags: every opened element is closed
      const opens = (svg.match(/<(g|svg|text|title)[\s>]/g) ?? []).length
      const closes = (svg.match(/<\/(g|svg|text|title)>/g) ?? []).length
      expect(opens).toBe(closes)
    }
  })
  it('rejects covariances not in full form', () => {
    expect(() => gmmSvg({ points: [[1, 2]], weights: [1], means: [[1, 2]], covariances: [[[1]]] as any })).toThrow(/covariance/)
  })
})
