import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { BACKENDS, fixtureJson, fixtureMatrix, relErr } from '../helpers/data.js'

const faithful = fixtureMatrix('faithful.csv')
const faithfulRef = fixtureJson('01_gmm_sklearn_faithful.json')
const fullK2 = faithfulRef.fits.find((f: any) => f.covariance_type === 'full' && f.K === 2)
const givenStart = { weights: fullK2.init.weights, means: fullK2.init.means, covariances: fullK2.init.covariances }

describe('GaussianMixture: every option changes what a user sees', () => {
  it('tol: a looser tolerance stops earlier', async () => {
    const loose = await new GaussianMixture({ nComponents: 2, tol: 1e-1, init: givenStart }).fit(faithful)
    const tight = await new GaussianMixture({ nComponents: 2, tol: 1e-10, maxIter: 1000, init: givenStart }).fit(faithful)
    expect(loose.converged && tight.converged).toBe(true)
    expect(loose.nIter).toBeLessThan(tight.nIter)
  })

  it('maxIter: caps the iterations and reports max-iter', async () => {
    const gm = await new GaussianMixture({ nComponents: 2, tol: 1e-12, maxIter: 3, init: givenStart }).fit(faithful)
    expect(gm.nIter).toBe(3)
    expect(gm.status).toBe('max-iter')
    expect(gm.converged).toBe(false)
    expect(gm.history).toHaveLength(4)
  })

  it('nInit: more restarts never end lower, and can end higher', async () => {
    const one = await new GaussianMixture({ nComponents: 4, seed: 5, nInit: 1, tol: 1e-6, maxIter: 500 }).fit(faithful)
    const many = await new GaussianMixture({ nComponents: 4, seed: 5, nInit: 8, tol: 1e-6, maxIter: 500 }).fit(faithful)
    expect(many.score(faithful)).toBeGreaterThanOrEqual(one.score(faithful) - 1e-12)
  })

  it('regCovar: is added to every variance', async () => {
    // Two groups of identical rows, far apart: every within-group variance is 0.
    const X = [[0, 0], [0, 0], [0, 0], [10, 10], [10, 10]]
    const gm = await new GaussianMixture({ nComponents: 2, regCovar: 0.25, covarianceType: 'diag', init: { weights: [0.6, 0.4], means: [[0, 0], [10, 10]], covariances: [[1, 1], [1, 1]] } }).fit(X)
    const cov = gm.covariances as number[][]
    for (const row of cov) for (const v of row) expect(v).toBeCloseTo(0.25, 12)
  })

  it('seed: the same seed repeats the fit, another seed starts elsewhere', async () => {
    const fit = (seed: number) => new GaussianMixture({ nComponents: 3, seed, maxIter: 5, tol: 0 }).fit(faithful)
    const a = await fit(1), b = await fit(1), c = await fit(2)
    expect(a.history).toEqual(b.history)
    expect(a.history[0]).not.toBe(c.history[0])
  })

  it('init: each method gives its own start', async () => {
    const starts = new Set<number>()
    for (const init of ['kmeans++', 'kmeans', 'random', 'random-from-data'] as const) {
      const gm = await new GaussianMixture({ nComponents: 3, init, seed: 3, maxIter: 1 }).fit(faithful)
      starts.add(gm.history[0]!)
    }
    expect(starts.size).toBe(4)
  })

  it('covarianceType: scikit-learn shapes', async () => {
    const shapes: Record<string, (c: any) => void> = {
      full: (c) => { expect(c).toHaveLength(2); expect(c[0]).toHaveLength(2); expect(c[0][0]).toHaveLength(2) },
      tied: (c) => { expect(c).toHaveLength(2); expect(c[0]).toHaveLength(2); expect(typeof c[0][0]).toBe('number') },
      diag: (c) => { expect(c).toHaveLength(2); expect(c[0]).toHaveLength(2); expect(typeof c[0][0]).toBe('number') },
      spherical: (c) => { expect(c).toHaveLength(2); expect(typeof c[0]).toBe('number') },
    }
    for (const [type, check] of Object.entries(shapes)) {
      const gm = await new GaussianMixture({ nComponents: 2, covarianceType: type as any }).fit(faithful)
      check(gm.covariances)
      expect(gm.fullCovariances).toHaveLength(2)
    }
  })

  it('backend: wasm, wasm-scalar and js follow the same path from the same seed', async () => {
    const runs: GaussianMixture[] = []
    for (const backend of BACKENDS) {
      runs.push(await new GaussianMixture({ nComponents: 3, backend, seed: 11, nInit: 3, tol: 1e-8, maxIter: 500 }).fit(faithful))
    }
    for (const r of runs.slice(1)) {
      expect(r.nIter).toBe(runs[0]!.nIter)
      r.history.forEach((h, t) => expect(relErr(h, runs[0]!.history[t]!)).toBeLessThan(1e-12))
    }
  })

  it('sampleWeight: weight 2 is the row counted twice', async () => {
    const weights = faithful.map((_, i) => (i % 3 === 0 ? 2 : 1))
    const doubled = faithful.flatMap((row, i) => (i % 3 === 0 ? [row, row] : [row]))
    const opts = { nComponents: 2, tol: 1e-10, maxIter: 1000, init: givenStart }
    const w = await new GaussianMixture(opts).fit(faithful, { sampleWeight: weights })
    const d = await new GaussianMixture(opts).fit(doubled)
    expect(w.nIter).toBe(d.nIter)
    w.history.forEach((h, t) => expect(relErr(h, d.history[t]!)).toBeLessThan(1e-10))
    expect(w.means[0]![1]).toBeCloseTo(d.means[0]![1]!, 8)
  })

  it('signal: an aborted fit stops with status aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    const gm = await new GaussianMixture({ nComponents: 2 }).fit(faithful, { signal: controller.signal })
    expect(gm.status).toBe('aborted')
    expect(gm.nIter).toBe(0)
  })

  it('onIteration: called once per iteration with the restart index', async () => {
    const seen: number[] = []
    const gm = await new GaussianMixture({ nComponents: 2, nInit: 2, tol: 1e-4 }).fit(faithful, { onIteration: (info) => seen.push(info.restart) })
    expect(seen.filter((r) => r === 0).length).toBeGreaterThan(0)
    expect(seen.filter((r) => r === 1).length).toBeGreaterThan(0)
    expect(gm.nIter).toBeGreaterThan(0)
  })
})

describe('GaussianMixture: what predict and friends return', () => {
  it('predict after fit agrees with the final E-step, and score with the history', async () => {
    const gm = await new GaussianMixture({ nComponents: 2, init: givenStart, tol: 1e-10, maxIter: 1000 }).fit(faithful)
    expect(gm.predict(faithful)).toEqual(fullK2.result.labels_argmax)
    const proba = gm.predictProba(faithful)
    for (const row of proba) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(relErr(gm.score(faithful) * faithful.length, gm.history.at(-1)!)).toBeLessThan(1e-14)
    expect(relErr(gm.lowerBound, gm.score(faithful))).toBeLessThan(1e-14)
    expect(gm.fitResult.fixedPointEvaluations).toBe(gm.nIter)
  })

  it('sample: draws follow the fitted weights and means', async () => {
    const gm = await new GaussianMixture({ nComponents: 2, init: givenStart, tol: 1e-8 }).fit(faithful)
    const { X, labels } = gm.sample(20000)
    const share = labels.filter((l) => l === 0).length / labels.length
    expect(Math.abs(share - gm.weights[0]!)).toBeLessThan(0.02)
    const rows0 = X.filter((_, i) => labels[i] === 0)
    const meanWaiting = rows0.reduce((s, r) => s + r[1]!, 0) / rows0.length
    expect(Math.abs(meanWaiting - gm.means[0]![1]!)).toBeLessThan(0.3)
    const again = gm.sample(3)
    expect(again.X[0]).not.toEqual(X[0])
  })
})
