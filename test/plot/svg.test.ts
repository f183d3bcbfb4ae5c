import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { gmmSvg } from '../../src/plot/svg.js'
import { eig2, formatNumber, niceTicks } from '../../src/plot/kit.js'
import { all, byClass, byName, checkSvg, parseXml, textOf } from './xml.js'
import { fixtureMatrix } from '../helpers/data.js'

describe('parseXml (the checker itself)', () => {
  it('rejects what is not well-formed', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow()
    expect(() => parseXml('<svg><text>a < b</text></svg>')).toThrow()
    expect(() => parseXml('<svg a="1" a="2"/>')).toThrow()
    expect(() => parseXml('<svg a=1/>')).toThrow()
    expect(() => parseXml('<svg/><svg/>')).toThrow()
    expect(parseXml('<svg><text>a &lt; b &amp; c</text></svg>').name).toBe('svg')
  })
})

describe('gmmSvg on Old Faithful fits', () => {
  const X = fixtureMatrix('faithful.csv')

  for (const covarianceType of ['full', 'diag', 'spherical', 'tied'] as const) {
    it(`${covarianceType}: well-formed, K ellipses per sigma level, means, points and the trace`, async () => {
      const K = 3
      const gm = await new GaussianMixture({ nComponents: K, covarianceType }).fit(X)
      const labels = gm.predict(X)
      const svg = gmmSvg({
        points: X, labels, weights: gm.weights, means: gm.means, covariances: gm.fullCovariances,
        history: gm.history, columns: ['eruptions', 'waiting'], title: 'Old Faithful', notes: ['BIC 1 < 2 & so on'],
      })
      const { doc } = checkSvg(svg)
      expect(doc.name).toBe('svg')
      expect(doc.attrs.xmlns).toBe('http://www.w3.org/2000/svg')
      expect(doc.attrs.viewBox).toBe('0 0 1000 560')

      const ellipses = byName(doc, 'ellipse')
      expect(ellipses).toHaveLength(2 * K)
      for (const s of ['1', '2']) {
        const level = ellipses.filter((e) => e.attrs['data-sigma'] === s)
        expect(level.map((e) => e.attrs['data-component']).sort()).toEqual(['0', '1', '2'])
      }
      for (let k = 0; k < K; k++) {
        const [one, two] = ['1', '2'].map((s) => ellipses.find((e) => e.attrs['data-component'] === String(k) && e.attrs['data-sigma'] === s)!)
        // The 2-sigma ellipse is the 1-sigma one scaled by two about the same centre.
        expect(Number(two!.attrs.rx)).toBeCloseTo(2 * Number(one!.attrs.rx), 1)
        expect(Number(two!.attrs.ry)).toBeCloseTo(2 * Number(one!.attrs.ry), 1)
        expect(two!.attrs.cx).toBe(one!.attrs.cx)
        expect(two!.attrs.transform).toBe(one!.attrs.transform)
        expect(Number(one!.attrs.rx)).toBeGreaterThan(0)
      }
      expect(byClass(doc, 'mean')).toHaveLength(K)

      // Every point is drawn, in its component's group.
      const groups = byClass(doc, 'points')
      expect(groups.map((g) => g.children.length).reduce((a, b) => a + b, 0)).toBe(X.length)
      for (const g of groups) {
        const k = Number(g.attrs['data-component'])
        expect(g.children).toHaveLength(labels.filter((l) => l === k).length)
      }

      // The trace: one vertex per history entry.
      const trace = byClass(doc, 'trace')
      expect(trace).toHaveLength(1)
      expect(trace[0]!.name).toBe('polyline')
      expect(trace[0]!.attrs.points!.trim().split(/\s+/)).toHaveLength(gm.history.length)

      const text = textOf(doc)
      for (const s of ['eruptions', 'waiting', 'iteration', 'log-likelihood', 'Old Faithful', 'Components', 'BIC 1 < 2 & so on']) expect(text).toContain(s)
      expect(byClass(doc, 'legend-item')).toHaveLength(K)
    })
  }

  it('axis-aligned covariances give unrotated ellipses, wider along the larger variance', () => {
    const svg = gmmSvg({ points: [[0, 0], [10, 10]], weights: [1], means: [[5, 5]], covariances: [[[4, 0], [0, 1]]], history: [1, 2] })
    const e = byName(parseXml(svg), 'ellipse').find((x) => x.attrs['data-sigma'] === '1')!
    const angle = Number(/rotate\(([-\d.]+)/.exec(e.attrs.transform!)![1])
    expect(Math.abs(angle) % 180).toBeCloseTo(0, 6)
    expect(Number(e.attrs.rx)).toBeGreaterThan(Number(e.attrs.ry))
  })

  it('a flat trace (K = 1 converges at once) and identical points still get finite axes', () => {
    const svg = gmmSvg({ points: [[1, 2], [1, 2]], weights: [1], means: [[1, 2]], covariances: [[[0, 0], [0, 0]]], history: [-1289.796745053762, -1289.7967450537622, -1289.7967450537622] })
    const { doc } = checkSvg(svg)
    expect(svg).not.toMatch(/NaN|Infinity/)
    expect(byClass(doc, 'trace')[0]!.attrs.points!.split(' ')).toHaveLength(3)
    expect(niceTicks(-1289.7967450537622 - 1e-13, -1289.7967450537622 + 1e-13, 4).ticks.length).toBeLessThanOrEqual(101)
  })

  it('without labels the points are grey; without a history the trace panel says so', () => {
    const doc = parseXml(gmmSvg({ points: X.slice(0, 20), weights: [1], means: [[3, 70]], covariances: [[[1, 0], [0, 100]]] }))
    const groups = byClass(doc, 'points')
    expect(groups).toHaveLength(1)
    expect(groups[0]!.attrs['data-component']).toBe('none')
    expect(textOf(doc)).toContain('no iteration history')
  })

  it('draws an evenly spaced subset beyond maxPoints and says so', () => {
    const doc = parseXml(gmmSvg({ points: X, weights: [1], means: [[3, 70]], covariances: [[[1, 0], [0, 100]]], maxPoints: 100 }))
    const drawn = byClass(doc, 'points').map((g) => g.children.length).reduce((a, b) => a + b, 0)
    expect(drawn).toBe(100)
    expect(textOf(doc)).toContain('showing 100 of 272 points')
  })

  it('more than two columns: the first two, with a note; one column: a density histogram', async () => {
    const iris = fixtureMatrix('iris.csv')
    const gm = await new GaussianMixture({ nComponents: 3 }).fit(iris)
    const doc = parseXml(gmmSvg({ points: iris, labels: gm.predict(iris), weights: gm.weights, means: gm.means, covariances: gm.fullCovariances, history: gm.history }))
    expect(byName(doc, 'ellipse')).toHaveLength(6)
    expect(textOf(doc)).toContain('first two of 4 columns')

    const w = X.map((r) => [r[1]!])
    const g1 = await new GaussianMixture({ nComponents: 2 }).fit(w)
    const one = parseXml(gmmSvg({ points: w, columns: ['waiting'], weights: g1.weights, means: g1.means, covariances: g1.fullCovariances, history: g1.history }))
    expect(byName(one, 'ellipse')).toHaveLength(0)
    expect(byClass(one, 'component-density')).toHaveLength(2)
    expect(byClass(one, 'mixture-density')).toHaveLength(1)
    expect(byClass(one, 'histogram')[0]!.children.length).toBeGreaterThan(5)
    expect(textOf(one)).toContain('density')
  })

  it('escapes text: titles and column names with markup characters stay well-formed', () => {
    const svg = gmmSvg({ points: [[1, 2]], columns: ['a<b', 'c&d'], weights: [1], means: [[1, 2]], covariances: [[[1, 0], [0, 1]]], title: '<script>"x" & \'y\'</script>' })
    const doc = parseXml(svg)
    expect(byName(doc, 'script')).toHaveLength(0)
    expect(svg).toContain('&lt;script&gt;')
    expect(svg).toContain('a&lt;b')
  })

  it('long notes wrap inside the picture instead of running off its right edge', () => {
    const notes = ['log-likelihood -123456.7 · BIC 246913.4567 · AIC 246800.1234', 'converged after 12 iterations · 62 parameters']
    const { doc } = checkSvg(gmmSvg({ points: X, weights: [1], means: [[3, 70]], covariances: [[[1, 0], [0, 100]]], notes }))
    const lines = byClass(doc, 'notes')[0]!.children.map(textOf)
    expect(lines.length).toBeGreaterThan(2)
    expect(lines.join(' · ')).toBe(notes.join(' · ').replace(/ · /g, ' · '))
  })

  it('many points and columns: one caption line that fits, not two captions over each other', () => {
    const big = Array.from({ length: 12000 }, (_, i) => [i % 7, (i * 13) % 11, i % 3, i % 5])
    const { doc } = checkSvg(gmmSvg({ points: big, weights: [1], means: [[3, 5, 1, 2]], covariances: [[[4, 0, 0, 0], [0, 10, 0, 0], [0, 0, 1, 0], [0, 0, 0, 2]]] }))
    const captions = byClass(doc, 'caption')
    expect(captions).toHaveLength(1)
    expect(textOf(captions[0]!)).toMatch(/first two of 4 columns.*showing 5,000 of 12,000 points/)
  })

  it('a flat trace at -2.3e6 gets distinct tick labels (offsets from a value shown once)', () => {
    const { doc } = checkSvg(gmmSvg({ points: X, weights: [1], means: [[3, 70]], covariances: [[[1, 0], [0, 100]]], history: [-2345678.91234, -2345678.91234, -2345678.91234] }))
    const trace = byClass(doc, 'trace-panel')[0]!
    const ticks = byClass(trace, 'y-ticks').flatMap((g) => g.children.filter((c) => c.name === 'text').map(textOf))
    const yTicks = ticks.filter((t) => !t.startsWith('offset'))
    expect(yTicks.length).toBeGreaterThan(2)
    expect(new Set(yTicks).size).toBe(yTicks.length)
    expect(ticks.some((t) => /^offset −2,345,6\d\d/.test(t))).toBe(true)
    expect(textOf(byClass(trace, 'final')[0]!)).toBe('−2,345,678.91')
  })

  it('ellipses are drawn above the points, and the points are translucent without outlines', async () => {
    const gm = await new GaussianMixture({ nComponents: 2 }).fit(X)
    const doc = parseXml(gmmSvg({ points: X, labels: gm.predict(X), weights: gm.weights, means: gm.means, covariances: gm.fullCovariances }))
    const order = all(doc, (e) => e.attrs.class === 'points' || (e.attrs.class ?? '').startsWith('ellipse'))
    const lastPoints = order.map((e) => e.attrs.class).lastIndexOf('points')
    const firstEllipse = order.findIndex((e) => e.attrs.class !== 'points')
    expect(lastPoints).toBeLessThan(firstEllipse)
    for (const g of byClass(doc, 'points')) {
      expect(Number(g.attrs['fill-opacity'])).toBeLessThan(1)
      expect(g.attrs.stroke).toBeUndefined()
    }
    // each ellipse has a white halo under it, so it reads on a dense cloud of any colour
    expect(byClass(doc, 'halo')).toHaveLength(byClass(doc, 'ellipse').length)
  })

  it('rejects inconsistent shapes with InputErrors', () => {
    expect(() => gmmSvg({ points: [[1, 2]], weights: [1], means: [[1, 2]], covariances: [[[1]]] as any })).toThrow(/covariance/)
    expect(() => gmmSvg({ points: [[1, 2]], weights: [0.5, 0.5], means: [[1, 2]], covariances: [[[1, 0], [0, 1]]] })).toThrow(/K = 2/)
    expect(() => gmmSvg({ points: [[1, 2]], weights: [], means: [], covariances: [] })).toThrow(/at least one/)
    expect(() => gmmSvg({ points: [[1, 2], [3, 4]], labels: [0], weights: [1], means: [[1, 2]], covariances: [[[1, 0], [0, 1]]] })).toThrow(/label/)
  })
})

describe('svg helpers', () => {
  it('eig2: eigenvalues and the angle of the leading eigenvector', () => {
    const { l1, l2, angle } = eig2(2, 1, 2)
    expect(l1).toBeCloseTo(3, 12)
    expect(l2).toBeCloseTo(1, 12)
    expect(angle).toBeCloseTo(Math.PI / 4, 12)
    const v = [Math.cos(angle), Math.sin(angle)]
    expect(2 * v[0]! + 1 * v[1]!).toBeCloseTo(l1 * v[0]!, 12)
    expect(eig2(1, 0, 5).angle).toBeCloseTo(Math.PI / 2, 12)
  })
  it('niceTicks: 1-2-2.5-5 steps inside the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual({ ticks: [0, 2, 4, 6, 8, 10], step: 2 })
    const t = niceTicks(-1160.3, -1126.3, 4)
    expect(t.step).toBe(10)
    expect(t.ticks).toEqual([-1160, -1150, -1140, -1130])
    expect(niceTicks(5, 5).ticks.length).toBeGreaterThan(0)
  })
  it('formatNumber: significant digits, typographic minus, exponents only at extremes', () => {
    expect(formatNumber(54.4786)).toBe('54.48')
    expect(formatNumber(-1126.3167, 6)).toBe('\u22121126.32')
    expect(formatNumber(0.000012)).toMatch(/e/)
    expect(formatNumber(0)).toBe('0')
  })
  it('the plots and csv.ts use no Node built-ins (they run in browsers)', () => {
    const plots = readdirSync(new URL('../../src/plot/', import.meta.url)).map((f) => `../../src/plot/${f}`)
    expect(plots.length).toBeGreaterThan(5)
    for (const f of [...plots, '../../src/io/csv.ts']) {
      const text = readFileSync(new URL(f, import.meta.url), 'utf8')
      const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!)
      expect(imports.every((s) => s.startsWith('.')), `${f}: ${imports.join(', ')}`).toBe(true)
    }
  })
})
