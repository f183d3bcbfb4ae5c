/** The three HMM estimators: recovery of known parameters, options, determinism, backends. */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, GaussianHMM, PoissonHMM } from '../../src/index.js'
import { BACKENDS } from '../helpers/data.js'

const truth = {
  startProb: [0.6, 0.3, 0.1],
  transMat: [[0.9, 0.07, 0.03], [0.05, 0.9, 0.05], [0.1, 0.1, 0.8]],
}

function sortedBy<T>(values: number[], rows: T[]): T[] {
  return values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => rows[i]!)
}

describe('GaussianHMM', () => {
  it('recovers means and transitions from a sampled sequence; sample is seeded', async () => {
    const gen = new GaussianHMM({ nComponents: 3, covarianceType: 'full', seed: 11, init: { ...truth, means: [[-4, 0], [0, 3], [4, 0]], covariances: [[[1, 0.3], [0.3, 1]], [[0.5, 0], [0, 0.5]], [[1, 0], [0, 2]]] } })
    const { X, states } = gen.sample(4000)
    const again = new GaussianHMM({ nComponents: 3, covarianceType: 'full', seed: 11, init: { ...truth, means: [[-4, 0], [0, 3], [4, 0]], covariances: [[[1, 0.3], [0.3, 1]], [[0.5, 0], [0, 0.5]], [[1, 0], [0, 2]]] } })
    expect(again.sample(4000).X).toEqual(X)
    const fitted = await new GaussianHMM({ nComponents: 3, covarianceType: 'full', seed: 3, nInit: 2 }).fit(X)
    const xs = fitted.means.map((m) => m[0]!)
    const means = sortedBy(xs, fitted.means)
    expect(means[0]![0]).toBeCloseTo(-4, 0)
    expect(means[2]![0]).toBeCloseTo(4, 0)
    const order = xs.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i)
    const A = fitted.transMat
    order.forEach((i, r) => expect(Math.abs(A[i]![i]! - truth.transMat[r]![r]!)).toBeLessThan(0.03))
    const predicted = fitted.predict(X)
    const relabel = new Map(order.map((i, r) => [i, r]))
    const agree = predicted.filter((s, t) => relabel.get(s) === states[t]).length / X.length
    expect(agree).toBeGreaterThan(0.97)
    expect(fitted.status).toBe('converged')
    expect(fitted.bic(X)).toBeGreaterThan(fitted.aic(X))
    expect(fitted.nParameters()).toBe(2 + 6 + 6 + 9)
  })

  it('is identical on every backend', async () => {
    const gen = new GaussianHMM({ nComponents: 2, seed: 5, init: { startProb: [0.5, 0.5], transMat: [[0.95, 0.05], [0.1, 0.9]], means: [[0, 0], [2, 1]], covariances: [[1, 1], [1, 0.5]] } })
    const { X } = gen.sample(500)
    const results = []
    for (const backend of BACKENDS) results.push(await new GaussianHMM({ nComponents: 2, backend, seed: 9 }).fit(X, { lengths: [200, 300] }))
    for (const r of results.slice(1)) {
      expect(r.history).toEqual(results[0]!.history)
      expect(r.means).toEqual(results[0]!.means)
    }
  })

  it('fitParams keeps parameters fixed; nParameters counts only fitted ones', async () => {
    const { X } = new GaussianHMM({ nComponents: 2, seed: 1, init: { startProb: [0.5, 0.5], transMat: [[0.9, 0.1], [0.1, 0.9]], means: [[0], [3]], covariances: [[1], [1]] } }).sample(300)
    const hmm = await new GaussianHMM({
      nComponents: 2, init: { transMat: [[0.8, 0.2], [0.2, 0.8]], means: [[0], [3]] },
      fitParams: { transMat: false, means: false },
    }).fit(X)
    expect(hmm.transMat).toEqual([[0.8, 0.2], [0.2, 0.8]])
    expect(hmm.means).toEqual([[0], [3]])
    expect(hmm.nParameters()).toBe(1 + 2)
  })

  it('pseudo-counts pull transitions toward the prior and keep the objective monotone', async () => {
    const { X } = new GaussianHMM({ nComponents: 2, seed: 2, init: { startProb: [0.5, 0.5], transMat: [[0.99, 0.01], [0.01, 0.99]], means: [[0], [4]], covariances: [[1], [1]] } }).sample(200)
    const start = { means: [[0], [4]], covariances: [[1], [1]] }
    const ml = await new GaussianHMM({ nComponents: 2, init: start }).fit(X)
    const map = await new GaussianHMM({ nComponents: 2, init: start, pseudoCounts: { transMat: 50 } }).fit(X)
    expect(map.transMat[0]![1]!).toBeGreaterThan(ml.transMat[0]![1]!)
    expect(map.fitResult.decreases).toEqual([])
  })

  it('pseudo-counts on the start pull the start probabilities toward the prior', async () => {
    // 10 sequences sampled apart, most of them starting in state 0
    const lengths = Array.from({ length: 10 }, () => 30)
    const X = lengths.flatMap((T, i) => new GaussianHMM({ nComponents: 2, seed: i + 1, init: { startProb: [0.9, 0.1], transMat: [[0.9, 0.1], [0.1, 0.9]], means: [[0], [4]], covariances: [[1], [1]] } }).sample(T).X)
    const start = { means: [[0], [4]], covariances: [[1], [1]] }
    const ml = await new GaussianHMM({ nComponents: 2, init: start }).fit(X, { lengths })
    const map = await new GaussianHMM({ nComponents: 2, init: start, pseudoCounts: { startProb: 20 } }).fit(X, { lengths })
    expect(Math.min(...map.startProb)).toBeGreaterThan(Math.min(...ml.startProb) + 0.1)
    expect(map.fitResult.decreases).toEqual([])
  })

  it('accelerate: SQUAREM reaches the plain EM optimum', async () => {
    const { X } = new GaussianHMM({ nComponents: 3, seed: 8, init: { ...truth, means: [[-2], [0], [2]], covariances: [[1], [1], [1]] } }).sample(1500)
    const em = await new GaussianHMM({ nComponents: 3, seed: 4, tol: 1e-9, maxIter: 2000 }).fit(X)
    const sq = await new GaussianHMM({ nComponents: 3, seed: 4, tol: 1e-9, maxIter: 2000, accelerate: 'squarem' }).fit(X)
    console.log(`[hmm-accel] EM ${em.nIter} iterations (${em.fitResult.fixedPointEvaluations} maps) -> ${em.logLik}; SQUAREM ${sq.nIter} iterations (${sq.fitResult.fixedPointEvaluations} maps) -> ${sq.logLik}`)
    expect(Math.abs(sq.logLik - em.logLik)).toBeLessThan(1e-3)
    expect(sq.fitResult.fixedPointEvaluations).toBeLessThan(em.fitResult.fixedPointEvaluations)
  })
})

describe('CategoricalHMM', () => {
  it('recovers emission probabilities; several sequences', async () => {
    const emissionProb = [[0.7, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7], [0.05, 0.45, 0.45, 0.05]]
    const gen = new CategoricalHMM({ nComponents: 3, seed: 21, init: { ...truth, emissionProb } })
    const X = [...gen.sample(3000).X, ...gen.sample(3000).X]
    const hmm = await new CategoricalHMM({ nComponents: 3, seed: 2, nInit: 4 }).fit(X, { lengths: [3000, 3000] })
    expect(hmm.nSymbols).toBe(4)
    const E = hmm.emissionProb
    // match each true row to the nearest fitted row
    for (const row of emissionProb) {
      const dist = E.map((r) => r.reduce((s, p, v) => s + Math.abs(p - row[v]!), 0))
      expect(Math.min(...dist)).toBeLessThan(0.12)
    }
    expect(hmm.score(X, { lengths: [3000, 3000] })).toBeCloseTo(hmm.logLik, 8)
  })
})

describe('PoissonHMM', () => {
  it('recovers rates', async () => {
    const gen = new PoissonHMM({ nComponents: 3, seed: 4, init: { ...truth, rates: [1, 8, 25] } })
    const { X } = gen.sample(3000)
    const hmm = await new PoissonHMM({ nComponents: 3, seed: 1 }).fit(X)
    const rates = hmm.rates.slice().sort((a, b) => a - b)
    expect(rates[0]).toBeCloseTo(1, 0)
    expect(Math.abs(rates[1]! - 8)).toBeLessThan(0.5)
    expect(Math.abs(rates[2]! - 25)).toBeLessThan(1)
    expect(hmm.predictProba(X.slice(0, 10)).every((r) => Math.abs(r.reduce((a, b) => a + b, 0) - 1) < 1e-12)).toBe(true)
  })
})

describe('refitting and shapes', () => {
  it('a refit on data of another width or symbol range re-infers the shape', async () => {
    const g = new GaussianHMM({ nComponents: 2, seed: 1 })
    await g.fit([[0, 1], [1, 2], [5, 5], [6, 5]])
    expect(g.means[0]!.length).toBe(2)
    await g.fit([[0], [1], [5], [6]])
    expect(g.means[0]!.length).toBe(1)
    expect(() => g.score([[1, 2]])).toThrow(/2 features but the model has 1/)
    const c = new CategoricalHMM({ nComponents: 2, seed: 1 })
    await c.fit([0, 1, 1, 0, 2])
    expect(c.nSymbols).toBe(3)
    expect(() => c.score([0, 3])).toThrow(/symbol 3 but the model has nSymbols = 3/)
    await c.fit([0, 4, 1])
    expect(c.nSymbols).toBe(5)
  })
})
