/**
 * The structure of the model-selection, scatter-matrix, HMM and bootstrap plots: each
 * is well-formed, has no NaN or Infinity in a coordinate, keeps every text inside its
 * viewBox, and draws the expected number of series, panels, ellipses and marks; bad
 * input is a typed error naming what to give.
 */
import { describe, expect, it } from 'vitest'
import { EmkitError, GaussianHMM, GaussianMixture, bicSvg, bootstrap, bootstrapSvg, faithfulRows, hmmSvg, scatterMatrixSvg } from '../../src/index.js'
import { hmmSvgChunks } from '../../src/plot/index.js'
import { fixtureMatrix } from '../helpers/data.js'
import { all, byClass, checkSvg, textOf } from './xml.js'

const F = faithfulRows()
const IRIS = fixtureMatrix('iris.csv')
const IRIS_COLUMNS = ['Sepal.Length', 'Sepal.Width', 'Petal.Length', 'Petal.Width']
const TYPES = ['full', 'diag', 'spherical', 'tied'] as const

/** BIC and ICL (mclust's hard-classification ICL, in emkit's sign) of a grid of fits. */
async function grid(X: number[][], ks: number[]) {
  const rows: { k: number; model: string; bic: number; icl: number }[] = []
  for (const model of TYPES) {
    for (const k of ks) {
      const gm = await new GaussianMixture({ nComponents: k, covarianceType: model, seed: 1 }).fit(X)
      const entropy = gm.predictProba(X).reduce((s, p) => s + Math.log(Math.max(...p)), 0)
      rows.push({ k, model, bic: gm.bic(X), icl: gm.bic(X) - 2 * entropy })
    }
  }
  return rows
}

function expectError(f: () => unknown, code: string, message: RegExp): void {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(EmkitError)
    expect((e as EmkitError).code).toBe(code)
    expect((e as Error).message).toMatch(message)
    return
  }
  throw new Error('expected an error')
}

describe('bicSvg', () => {
  it('one curve and one marker per (model, K), the best BIC ringed, a legend entry per model; ICL in a second panel', async () => {
    const rows = await grid(F, [1, 2, 3, 4, 5])
    const { doc } = checkSvg(bicSvg({ rows }))
    const panels = byClass(doc, 'criterion-panel')
    expect(panels.map((p) => p.attrs['data-criterion'])).toEqual(['bic', 'icl'])
    for (const p of panels) {
      const series = byClass(p, 'series')
      expect(series.map((s) => s.attrs['data-model'])).toEqual([...TYPES])
      for (const s of series) expect(byClass(s, 'marker')).toHaveLength(5)
      expect(byClass(p, 'chosen')).toHaveLength(1)
    }
    const best = rows.reduce((a, b) => (b.bic < a.bic ? b : a))
    const [head, value] = textOf(byClass(panels[0]!, 'chosen')[0]!).split(': ')
    expect(head).toBe(`${best.model}, K = ${best.k}`)
    expect(Number(value)).toBeCloseTo(best.bic, 1)
    expect(byClass(doc, 'legend-item')).toHaveLength(4)
    expect(textOf(doc)).toContain('lower is better')
  })

  it('without ICL one panel; a failed fit breaks its curve; a given chosen model is ringed; mclust sign', () => {
    const rows = [
      { k: 1, model: 'VVV', bic: -2000 }, { k: 2, model: 'VVV', bic: null }, { k: 3, model: 'VVV', bic: -1900 }, { k: 4, model: 'VVV', bic: -1950 },
      { k: 1, model: 'EII', bic: -2100 }, { k: 2, model: 'EII', bic: -2050 }, { k: 3, model: 'EII', bic: -2040 }, { k: 4, model: 'EII', bic: Number.NaN },
    ]
    const { doc } = checkSvg(bicSvg({ rows, better: 'higher', chosen: { model: 'VVV', k: 4 } }))
    expect(byClass(doc, 'criterion-panel')).toHaveLength(1)
    const vvv = byClass(doc, 'series').find((s) => s.attrs['data-model'] === 'VVV')!
    expect(vvv.children.filter((c) => c.name === 'polyline')).toHaveLength(1) // 3-4 only: 1 stands alone
    expect(byClass(vvv, 'marker')).toHaveLength(3)
    expect(textOf(byClass(doc, 'chosen')[0]!)).toMatch(/^VVV, K = 4/)
    expect(textOf(doc)).toContain('higher is better')
    // with mclust's sign the default choice is the largest
    expect(textOf(byClass(checkSvg(bicSvg({ rows, better: 'higher' })).doc, 'chosen')[0]!)).toMatch(/^VVV, K = 3/)
    // the axis counts components unless told otherwise (an HMM's states)
    expect(textOf(doc)).toContain('number of components K')
    const states = textOf(checkSvg(bicSvg({ rows, xTitle: 'number of states K' })).doc)
    expect(states).toContain('number of states K')
    expect(states).not.toContain('number of components K')
  })

  it('at phone width the panels stack and the legend goes beneath, still inside the picture', async () => {
    const rows = await grid(F, [1, 2, 3])
    const { doc, W } = checkSvg(bicSvg({ rows, width: 360, height: 640 }))
    expect(W).toBe(360)
    const frames = byClass(doc, 'criterion-panel').map((p) => byClass(p, 'frame')[0]!)
    expect(Number(frames[1]!.attrs.y)).toBeGreaterThan(Number(frames[0]!.attrs.y) + Number(frames[0]!.attrs.height))
  })

  it('bad rows and options are typed errors', () => {
    expectError(() => bicSvg({ rows: [] }), 'EMPTY_DATA', /non-empty array/)
    expectError(() => bicSvg({ rows: [{ k: 0, model: 'full', bic: 1 }] }), 'INVALID_DATA', /k = 0/)
    expectError(() => bicSvg({ rows: [{ k: 1, model: 'full', bic: '1' as unknown as number }] }), 'INVALID_DATA', /bic = "1"/)
    expectError(() => bicSvg({ rows: [{ k: 1, model: 'full', bic: 1 }, { k: 1, model: 'full', bic: 2 }] }), 'INVALID_DATA', /two rows/)
    expectError(() => bicSvg({ rows: [{ k: 1, model: 'full', bic: 1 }], chosen: { model: 'diag', k: 1 } }), 'INVALID_OPTION', /no row for model "diag"/)
    expectError(() => bicSvg({ rows: [{ k: 1, model: 'full', bic: 1 }], better: 'smaller' as 'lower' }), 'INVALID_OPTION', /'lower' or 'higher'/)
  })
})

describe('scatterMatrixSvg', () => {
  it('iris: d x d cells, K ellipses per sigma level in each of the d(d-1) pair cells, histograms and names on the diagonal', async () => {
    const K = 3
    const gm = await new GaussianMixture({ nComponents: K, seed: 1 }).fit(IRIS)
    const labels = gm.predict(IRIS)
    const { doc } = checkSvg(scatterMatrixSvg({ points: IRIS, columns: IRIS_COLUMNS, labels, weights: gm.weights, means: gm.means, covariances: gm.fullCovariances }))
    const cells = byClass(doc, 'cell')
    expect(cells).toHaveLength(16)
    const diagonal = byClass(doc, 'diagonal')
    expect(diagonal.map((c) => textOf(byClass(c, 'column-name')[0]!))).toEqual(IRIS_COLUMNS)
    for (const c of diagonal) {
      expect(byClass(c, 'histogram')[0]!.children.length).toBeGreaterThan(5)
      expect(byClass(c, 'component-density')).toHaveLength(K)
    }
    const pairs = cells.filter((c) => !c.attrs.class!.includes('diagonal'))
    expect(pairs).toHaveLength(12)
    for (const c of pairs) {
      expect(byClass(c, 'ellipse')).toHaveLength(2 * K)
      expect(byClass(c, 'points').reduce((s, g) => s + g.children.length, 0)).toBe(150)
    }
    // the ellipse of the pair (Petal.Length, Sepal.Length) is the marginal block of the covariance:
    // its 1-sigma radii are the square roots of the block's eigenvalues, in pixels
    const S = gm.fullCovariances[0]!
    const block = [S[2]![2]!, S[2]![0]!, S[0]![0]!]
    const cell = pairs.find((c) => c.attrs['data-row'] === '0' && c.attrs['data-col'] === '2')!
    const one = byClass(cell, 'ellipse').find((e) => e.attrs['data-component'] === '0' && e.attrs['data-sigma'] === '1')!
    expect(Number(one.attrs.rx)).toBeGreaterThan(0)
    expect(block[0]! * block[2]! - block[1]! ** 2).toBeGreaterThan(0)
    // ellipses come after (above) the points of their cell
    const order = all(cell, (e) => e.attrs.class === 'points' || e.attrs.class === 'ellipse sigma-1')
    expect(order[order.length - 1]!.attrs.class).toBe('ellipse sigma-1')
    expect(byClass(doc, 'legend-item')).toHaveLength(K)
  })

  it('chosen columns by name or index; class names colour the points and the ellipses turn to ink', async () => {
    const gm = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(IRIS)
    const species = IRIS.map((_, i) => Math.floor(i / 50))
    const { doc } = checkSvg(scatterMatrixSvg({
      points: IRIS, columns: IRIS_COLUMNS, select: ['Petal.Width', 0], labels: species, labelNames: ['setosa', 'versicolor', 'virginica'],
      weights: gm.weights, means: gm.means, covariances: gm.fullCovariances,
    }))
    expect(byClass(doc, 'cell')).toHaveLength(4)
    expect(byClass(doc, 'column-name').map(textOf)).toEqual(['Petal.Width', 'Sepal.Length'])
    expect(byClass(doc, 'ellipse').every((e) => e.attrs.stroke === '#222')).toBe(true)
    expect(byClass(doc, 'legend-item').map(textOf)).toEqual(['setosa', 'versicolor', 'virginica', 'numbered: component means and ellipses'])
    // without a mixture: points and histograms only
    const plain = checkSvg(scatterMatrixSvg({ points: IRIS })).doc
    expect(byClass(plain, 'ellipse')).toHaveLength(0)
    expect(byClass(plain, 'cell')).toHaveLength(16)
  })

  it('many rows: an evenly spaced subset per panel, said in the subtitle; the file stays small', () => {
    const X = Array.from({ length: 30000 }, (_, i) => [Math.sin(i), Math.cos(i * 1.3), (i % 17) / 3, (i % 7) - 3, Math.sin(i * 0.7)])
    const svg = scatterMatrixSvg({ points: X })
    const { doc } = checkSvg(svg)
    const drawn = byClass(byClass(doc, 'cell')[1]!, 'points').reduce((s, g) => s + g.children.length, 0)
    expect(drawn).toBe(1000)
    expect(textOf(doc)).toContain('1,000 drawn per panel')
    expect(svg.length).toBeLessThan(1.5e6)
  })

  it('maxPoints caps the points of every off-diagonal panel', () => {
    const { doc } = checkSvg(scatterMatrixSvg({ points: IRIS, maxPoints: 30 }))
    expect(byClass(doc, 'points').reduce((s, g) => s + g.children.length, 0)).toBe(12 * 30)
    expect(textOf(doc)).toContain('30 drawn per panel')
  })

  it('bad input is a typed error', () => {
    expectError(() => scatterMatrixSvg({ points: [] }), 'EMPTY_DATA', /points is empty/)
    expectError(() => scatterMatrixSvg({ points: [[1, 2], [3]] }), 'SHAPE_MISMATCH', /row 1 has 1 values/)
    expectError(() => scatterMatrixSvg({ points: [[1, 2]], select: ['z'], columns: ['a', 'b'] }), 'INVALID_OPTION', /no column named "z"; the columns are "a", "b"/)
    expectError(() => scatterMatrixSvg({ points: [[1, 2]], select: [2] }), 'INVALID_OPTION', /index 2 is out of range/)
    expectError(() => scatterMatrixSvg({ points: [[1, 2]], weights: [1] }), 'INVALID_DATA', /together/)
    expectError(() => scatterMatrixSvg({ points: [[1, 2]], weights: [1], means: [[1, 2, 3]], covariances: [[[1, 0, 0], [0, 1, 0], [0, 0, 1]]] }), 'SHAPE_MISMATCH', /3 columns but the points have 2/)
    expectError(() => scatterMatrixSvg({ points: [[1, 2]], labels: [0, 1] }), 'SHAPE_MISMATCH', /2 labels for 1 points/)
    expectError(() => scatterMatrixSvg({ points: [[1, 2]], width: Number.NaN }), 'INVALID_OPTION', /width.*NaN/)
  })
})

describe('hmmSvg', () => {
  const x = fixtureMatrix('hmm_gauss3_T2000.csv').map((r) => [r[0]!])

  it('one panel per column, points by Viterbi state, the state means, a Viterbi band and a stacked posterior area', async () => {
    const hmm = await new GaussianHMM({ nComponents: 3, seed: 1 }).fit(x)
    const states = hmm.predict(x)
    const { doc } = checkSvg(hmmSvg({ series: x, states, posteriors: hmm.predictProba(x), means: hmm.means, columns: ['x'] }))
    expect(byClass(doc, 'series-panel')).toHaveLength(1)
    expect(byClass(doc, 'state-mean')).toHaveLength(3)
    const groups = byClass(doc, 'points')
    expect(groups.reduce((s, g) => s + g.children.length, 0)).toBe(2000)
    for (const g of groups) expect(g.children).toHaveLength(states.filter((s) => s === Number(g.attrs['data-state'])).length)
    const areas = byClass(doc, 'posterior')
    expect(areas).toHaveLength(3)
    // stacked: the top edge of the last state is at P = 1 everywhere
    const frame = byClass(byClass(doc, 'posterior-panel')[0]!, 'frame')[0]!
    const topY = Number(frame.attrs.y)
    const last = areas[2]!.attrs.points!.split(' ').slice(0, 10).map((p) => Number(p.split(',')[1]))
    for (const y of last) expect(y).toBeCloseTo(topY, 1)
    expect(byClass(doc, 'viterbi')[0]!.children.filter((c) => c.name === 'rect').length).toBeGreaterThan(10)
    expect(byClass(doc, 'legend-item')).toHaveLength(3)
  })

  /** The command writes the plot of a long series piece by piece (its ~20,000 strings never held at once: cli/hmm.ts). */
  it('hmmSvgChunks gives hmmSvg\'s text in pieces of at most a few hundred lines', async () => {
    const hmm = await new GaussianHMM({ nComponents: 2, seed: 1 }).fit(F)
    const input = { series: F, states: hmm.predictPath(F), posteriors: hmm.predictProbaMatrix(F), means: hmm.means, columns: ['eruptions', 'waiting'] }
    const chunks = [...hmmSvgChunks(input)]
    expect(chunks.join('')).toBe(hmmSvg(input))
    expect(chunks.length).toBeGreaterThan(3)
    for (const c of chunks) {
      expect(c.endsWith('\n')).toBe(true)
      expect(c.split('\n').length).toBeLessThanOrEqual(513)
    }
  })

  it('posteriors a block of steps at a time in time order (withPosteriorBlocks) give the plot of the whole matrix; bad blocks are refused', async () => {
    const hmm = await new GaussianHMM({ nComponents: 2, seed: 1 }).fit(F)
    const post = hmm.predictProbaMatrix(F)
    const cuts = [0, 100, 172, 272]
    let iterations = 0
    const blocksOf = (edit: (b: { start: number; rows: number; data: Float64Array }, i: number) => typeof b | null = (b) => b) => ({
      rows: 272, cols: 2,
      blocks: { *[Symbol.iterator]() {
        iterations++
        for (let i = 0; i + 1 < cuts.length; i++) {
          const b = edit({ start: cuts[i]!, rows: cuts[i + 1]! - cuts[i]!, data: post.data.slice(2 * cuts[i]!, 2 * cuts[i + 1]!) }, i)
          if (b) yield b
        }
      } },
    })
    const input = { series: F, states: hmm.predictPath(F), means: hmm.means, columns: ['eruptions', 'waiting'] }
    expect(hmmSvg({ ...input, posteriors: blocksOf() })).toBe(hmmSvg({ ...input, posteriors: post }))
    expect(iterations).toBe(1)
    type Block = { start: number; rows: number; data: Float64Array }
    const edits: [(b: Block, i: number) => Block | null, RegExp][] = [
      [(b, i) => (i === 1 ? null : b), /starts at step 172 .*next starts at 100/],
      [(b, i) => (i === 2 ? null : b), /end at step 172 of 272/],
      [(b, i) => (i === 0 ? { ...b, data: b.data.subarray(1) } : b), /199 values/],
    ]
    for (const [edit, message] of edits) {
      expect(() => hmmSvg({ ...input, posteriors: blocksOf(edit) })).toThrow(message)
    }
    expect(() => hmmSvg({ ...input, posteriors: { ...blocksOf(), rows: 271 } })).toThrow(/271 rows of posteriors for 272 steps/)
  })

  it('hmmSvgChunks checks its input when called, before any piece is made (a file being written gets no part of a plot that fails)', () => {
    const states = F.map(() => 0)
    const bad: [Parameters<typeof hmmSvgChunks>[0], RegExp][] = [
      [{ series: F, states: states.slice(1) }, /271 states for 272 steps/],
      [{ series: F, states, posteriors: { data: new Float64Array(10), rows: 5, cols: 2 } }, /5 rows of posteriors/],
      [{ series: F, states, select: ['nope'] }, /nope/],
      [{ series: F, states, maxPoints: 0 }, /maxPoints/],
      [{ series: F, states, width: 10 }, /width/],
    ]
    for (const [input, message] of bad) {
      let pieces: Generator<string> | null = null
      expect(() => { pieces = hmmSvgChunks(input) }, String(message)).toThrow(message)
      expect(pieces).toBeNull()
    }
  })

  it('several columns and sequences; a plain series without posteriors; a chosen column', async () => {
    const hmm = await new GaussianHMM({ nComponents: 2, seed: 1 }).fit(F)
    const states = hmm.predict(F)
    const both = checkSvg(hmmSvg({ series: F, states, posteriors: hmm.predictProba(F), columns: ['eruptions', 'waiting'], lengths: [100, 172] })).doc
    expect(byClass(both, 'series-panel')).toHaveLength(2)
    expect(byClass(both, 'boundaries')).toHaveLength(2)
    const one = checkSvg(hmmSvg({ series: F, states, columns: ['eruptions', 'waiting'], select: ['waiting'] })).doc
    expect(byClass(one, 'series-panel').map((p) => p.attrs['data-column'])).toEqual(['1'])
    expect(byClass(one, 'posterior')).toHaveLength(0)
    const series = checkSvg(hmmSvg({ series: F.map((r) => r[0]!), states })).doc
    expect(byClass(series, 'series-line')).toHaveLength(1)
  })

  it('the series and posteriors as row-major { data, rows, cols } (a long series without an array per step) draw the same plot', async () => {
    const hmm = await new GaussianHMM({ nComponents: 2, seed: 1 }).fit(F)
    const states = hmm.predict(F)
    const input = { states, columns: ['eruptions', 'waiting'], lengths: [100, 172], means: hmm.means }
    const rows = hmmSvg({ ...input, series: F, posteriors: hmm.predictProba(F) })
    const flat = hmmSvg({ ...input, series: { data: Float64Array.from(F.flat()), rows: F.length, cols: 2 }, posteriors: hmm.predictProbaMatrix(F) })
    expect(flat).toBe(rows)
    expect(() => hmmSvg({ series: { data: new Float64Array(5), rows: 3, cols: 2 }, states: [0, 1, 0] })).toThrow(/hmmSvg: series as \{ data, rows, cols \} needs .* got rows 3, cols 2 and 5 values/)
    expect(() => hmmSvg({ series: F, states, posteriors: { data: new Float64Array(10), rows: 5, cols: 2 } })).toThrow(/hmmSvg: 5 rows of posteriors for 272 steps/)
  })

  it('a long series is thinned for points and binned for the band and the area', () => {
    const T = 50000
    const series = Array.from({ length: T }, (_, t) => Math.sin(t / 500) + (t % 13) / 13)
    const states = series.map((v) => (v > 0.5 ? 1 : 0))
    const posteriors = states.map((s) => (s === 1 ? [0.1, 0.9] : [0.8, 0.2]))
    const svg = hmmSvg({ series, states, posteriors })
    const { doc } = checkSvg(svg)
    expect(byClass(doc, 'points').reduce((s, g) => s + g.children.length, 0)).toBe(4000)
    expect(svg.length).toBeLessThan(600000)
  })

  it('maxPoints thins every panel and says so; a given height is the height', () => {
    const states = F.map((r) => (r[0]! > 3 ? 1 : 0))
    const { doc, H } = checkSvg(hmmSvg({ series: F, states, maxPoints: 50, height: 700 }))
    expect(byClass(doc, 'points').reduce((s, g) => s + g.children.length, 0)).toBe(2 * 50)
    expect(textOf(doc)).toContain('50 points drawn')
    expect(H).toBe(700)
  })

  it('bad input is a typed error', () => {
    expectError(() => hmmSvg({ series: [], states: [] }), 'EMPTY_DATA', /series is empty/)
    expectError(() => hmmSvg({ series: [1, 2, 3], states: [0, 1] }), 'SHAPE_MISMATCH', /2 states for 3 steps/)
    expectError(() => hmmSvg({ series: [1, 2], states: [0, -1] }), 'INVALID_DATA', /state -1 at step 1/)
    expectError(() => hmmSvg({ series: [1, 2], states: [0, 1], posteriors: [[1], [1]] }), 'SHAPE_MISMATCH', /posteriors have 1 states/)
    expectError(() => hmmSvg({ series: [1, 2], states: [0, 0], lengths: [1, 2] }), 'SHAPE_MISMATCH', /lengths add up to 3/)
    expectError(() => hmmSvg({ series: null as unknown as number[], states: [] }), 'INVALID_DATA', /series must be an array/)
  })
})

describe('bootstrapSvg', () => {
  it('one panel per parameter with the replicates histogram, the estimate and the interval', async () => {
    const bs = await bootstrap(() => new GaussianMixture({ nComponents: 2 }), F, { replicates: 40, seed: 3, workers: 1 })
    const { doc } = checkSvg(bootstrapSvg(bs))
    const panels = byClass(doc, 'bootstrap-panel')
    expect(panels).toHaveLength(bs.names.length)
    for (const [j, p] of panels.entries()) {
      expect(textOf(byClass(p, 'parameter')[0]!)).toBe(bs.names[j])
      expect(byClass(p, 'estimate')).toHaveLength(1)
      expect(byClass(p, 'bound')).toHaveLength(2)
      expect(byClass(p, 'interval')).toHaveLength(1)
      const bars = byClass(p, 'histogram')[0]!.children
      const heights = bars.map((b) => Number(b.attrs.height))
      expect(heights.some((h) => h > 0)).toBe(true)
    }
    expect(textOf(doc)).toContain('40 replicates · 95% percentile interval')
  })

  it('select by name; at most maxPanels otherwise, said in the subtitle', () => {
    const names = Array.from({ length: 50 }, (_, j) => `p${j}`)
    const replicates = Array.from({ length: 30 }, (_, b) => names.map((_, j) => j + Math.sin(b * (j + 1))))
    const input = { names, replicates, estimate: names.map((_, j) => j), lower: names.map((_, j) => j - 0.9), upper: names.map((_, j) => j + 0.9) }
    const some = checkSvg(bootstrapSvg({ ...input, select: ['p7', 3] })).doc
    expect(byClass(some, 'parameter').map(textOf)).toEqual(['p7', 'p3'])
    const many = checkSvg(bootstrapSvg(input)).doc
    expect(byClass(many, 'bootstrap-panel')).toHaveLength(36)
    expect(textOf(many)).toContain('first 36 of 50 parameters')
  })

  it('perRow sets the panels per row', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f']
    const input = { names, replicates: [[1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7]], estimate: [1, 2, 3, 4, 5, 6], lower: [0, 1, 2, 3, 4, 5], upper: [2, 3, 4, 5, 6, 7] }
    const rowsOf = (perRow: number) => new Set(byClass(checkSvg(bootstrapSvg({ ...input, perRow })).doc, 'parameter').map((e) => e.attrs.y)).size
    expect(rowsOf(2)).toBe(3)
    expect(rowsOf(6)).toBe(1)
  })

  it('bad input is a typed error', () => {
    const ok = { names: ['a'], estimate: [1], replicates: [[1], [2]], lower: [0.5], upper: [2] }
    expectError(() => bootstrapSvg({ ...ok, names: [] }), 'EMPTY_DATA', /names/)
    expectError(() => bootstrapSvg({ ...ok, lower: [] }), 'SHAPE_MISMATCH', /lower has 0 values for 1 parameters/)
    expectError(() => bootstrapSvg({ ...ok, replicates: [[1, 2]] }), 'SHAPE_MISMATCH', /replicate 0 has 2 values/)
    expectError(() => bootstrapSvg({ ...ok, level: 95 }), 'INVALID_OPTION', /level.*95/)
  })
})
