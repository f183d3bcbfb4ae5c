/**
 * VariationalGaussianHMM and VariationalCategoricalHMM as estimators: hmmlearn's prior
 * defaults, the shapes of the posterior attributes, the same history on every
 * backend, restarts (best ELBO), warm starts, maxIter 0, abort, accelerators,
 * saving and loading, sampling, and the calls a variational fit refuses.
 */
import { describe, expect, it } from 'vitest'
import {
  EmkitError, GaussianHMM, loadModel, NotFittedError, UnsupportedError, VariationalCategoricalHMM, VariationalGaussianHMM,
} from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { restartSeeds } from '../../src/runtime/restarts.js'
import { BACKENDS } from '../helpers/data.js'

const chain = { startProb: [0.6, 0.3, 0.1], transMat: [[0.9, 0.05, 0.05], [0.1, 0.85, 0.05], [0.05, 0.1, 0.85]] }
const X = new GaussianHMM({ nComponents: 3, covarianceType: 'full', seed: 4, init: { ...chain, means: [[0, 0], [4, 1], [1, 5]], covariances: [[[1, 0.3], [0.3, 0.8]], [[0.5, 0], [0, 1.5]], [[2, -0.4], [-0.4, 0.6]]] } }).sample(600).X
const lengths = [200, 250, 150]
const rng = new Rng(8)
const symbols = Array.from({ length: 500 }, (_, t) => (Math.floor(t / 50) % 2 === 0 ? (rng.uniform() < 0.8 ? 0 : 1) : (rng.uniform() < 0.7 ? 2 : 3)))

const TYPES = ['full', 'diag', 'spherical', 'tied'] as const

describe('VariationalGaussianHMM', () => {
  it("resolves hmmlearn's prior defaults against the data", async () => {
    const h = await new VariationalGaussianHMM({ nComponents: 3, seed: 1 }).fit(X, { lengths })
    const mean = [0, 1].map((j) => X.reduce((s, r) => s + r[j]!, 0) / X.length)
    expect(h.covarianceType).toBe('full')
    expect(h.priors.startProbPrior).toEqual([1 / 3, 1 / 3, 1 / 3])
    expect(h.priors.transMatPrior).toEqual([[1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3], [1 / 3, 1 / 3, 1 / 3]])
    h.priors.meansPrior.forEach((row) => row.forEach((v, j) => expect(v).toBeCloseTo(mean[j]!, 12)))
    expect(h.priors.betaPrior).toEqual([1, 1, 1])
    expect(h.priors.dofPrior).toEqual([2, 2, 2])
    expect(h.priors.scalePrior).toEqual([[[1e-3, 0], [0, 1e-3]], [[1e-3, 0], [0, 1e-3]], [[1e-3, 0], [0, 1e-3]]])
    expect(h.getParams()).toMatchObject({ nComponents: 3, tol: 1e-4, maxIter: 100, algorithm: 'variational', meansPrior: null, scalePrior: null })
  })

  it.each(TYPES)('%s: the posterior attributes in hmmlearn\'s shapes, point estimates their means', async (covarianceType) => {
    const h = await new VariationalGaussianHMM({ nComponents: 3, covarianceType, seed: 2 }).fit(X, { lengths })
    expect(h.status).toBe('converged')
    const k = 3, d = 2
    expect(h.startProbPosterior).toHaveLength(k)
    expect(h.transMatPosterior.map((r) => r.length)).toEqual([k, k, k])
    expect(h.meansPosterior).toEqual(h.means)
    expect(h.betaPosterior).toHaveLength(k)
    const dof = h.dofPosterior
    if (covarianceType === 'tied') expect(typeof dof).toBe('number')
    else expect(dof).toHaveLength(k)
    // startProb, transMat: the Dirichlet means; covariances = scale / dof
    const a = h.startProbPosterior, total = a.reduce((s, v) => s + v, 0)
    h.startProb.forEach((p, j) => expect(p).toBeCloseTo(a[j]! / total, 14))
    h.transMat.forEach((row, i) => { const s = h.transMatPosterior[i]!.reduce((x, y) => x + y, 0); row.forEach((p, j) => expect(p).toBeCloseTo(h.transMatPosterior[i]![j]! / s, 14)) })
    const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number])
    const scale = flat(h.scalePosterior), cov = flat(h.covariances)
    const dofs = covarianceType === 'tied' ? [dof as number] : dof as number[]
    const block = scale.length / dofs.length
    cov.forEach((c, i) => expect(c * dofs[Math.floor(i / block)]!).toBeCloseTo(scale[i]!, 10))
    expect(h.nFeatures).toBe(d)
    expect(h.nFeaturesIn).toBe(d)
    // the fit recovers the three states
    const found = h.means.map((m) => Math.round(m[0]!)).sort()
    expect(found).toEqual([0, 1, 4])
    // history is the ELBO; its last entry is elbo and score() of the training data
    expect(h.history.at(-1)).toBe(h.elbo)
    expect(h.score()).toBe(h.elbo)
    expect(h.lowerBound).toBe(h.elbo)
    expect(h.score(X, { lengths })).toBeCloseTo(h.elbo, 8)
  })

  it('predict is the modal path of q(z), predictProba its marginals; decode both ways', async () => {
    const h = await new VariationalGaussianHMM({ nComponents: 3, seed: 2 }).fit(X, { lengths })
    const proba = h.predictProba(X, { lengths })
    expect(proba).toHaveLength(X.length)
    proba.forEach((row) => expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12))
    const path = h.predict(X, { lengths })
    expect(h.decode(X, { lengths }).states).toEqual(path)
    const map = h.decode(X, { lengths, algorithm: 'map' })
    expect(map.logProb).toBeCloseTo(h.elbo, 8)
    expect(h.scoreSamples(X, { lengths }).logProb).toBeCloseTo(h.elbo, 8)
    // well-separated states: the modal path and the marginals agree almost everywhere
    const agree = path.filter((s, t) => s === map.states[t]).length
    expect(agree / path.length).toBeGreaterThan(0.98)
    expect(await new VariationalGaussianHMM({ nComponents: 3, seed: 2 }).fitPredict(X, { lengths })).toEqual(path)
  })

  it('gives the same history on every backend, bit for bit', async () => {
    for (const covarianceType of TYPES) {
      const fits = await Promise.all(BACKENDS.map((backend) => new VariationalGaussianHMM({ nComponents: 3, covarianceType, seed: 3, backend, maxIter: 30, tol: 0 }).fit(X, { lengths })))
      for (const f of fits.slice(1)) {
        expect(f.history).toEqual(fits[0]!.history)
        expect(f.fitResult.params).toEqual(fits[0]!.fitResult.params)
      }
    }
  })

  it('keeps the restart of largest ELBO', async () => {
    // more states than the data have, a few iterations: the restarts stop at ELBOs apart
    // by more than rounding (with 3 states all four reach the same optimum)
    const make = () => new VariationalGaussianHMM({ nComponents: 5, seed: 5, nInit: 4, workers: 1, maxIter: 6 })
    const dataset = { X: { rows: X.length, cols: 2, data: Float64Array.from(X.flat()) }, lengths: Float64Array.from(lengths) }
    const each = await Promise.all(restartSeeds(5, 4).map(async (seed, r) => (await make().fitRestart(dataset, seed, r)).logLik))
    const best = await make().fit(X, { lengths })
    expect(best.elbo).toBe(Math.max(...each))
    expect(Math.max(...each) - Math.min(...each)).toBeGreaterThan(1)
  })

  it('maxIter 0 returns the start; warm starts continue a fit to the same ELBO', async () => {
    const start = await new VariationalGaussianHMM({ nComponents: 3, seed: 6, maxIter: 0 }).fit(X, { lengths })
    expect(start.nIter).toBe(0)
    expect(start.history).toHaveLength(1)
    const long = await new VariationalGaussianHMM({ nComponents: 3, seed: 6, maxIter: 12, tol: 0 }).fit(X, { lengths })
    const warm = new VariationalGaussianHMM({ nComponents: 3, seed: 6, maxIter: 3, tol: 0, warmStart: true })
    for (let i = 0; i < 4; i++) await warm.fit(X, { lengths })
    expect(warm.elbo).toBeCloseTo(long.elbo, 9)
    expect(warm.fitResult.params.emission.point.means).toEqual(long.fitResult.params.emission.point.means)
  })

  it('stops on an aborted signal; accelerators reach the same optimum', async () => {
    const controller = new AbortController()
    controller.abort()
    const aborted = await new VariationalGaussianHMM({ nComponents: 3, seed: 2 }).fit(X, { lengths, signal: controller.signal })
    expect(aborted.status).toBe('aborted')
    const plain = await new VariationalGaussianHMM({ nComponents: 3, seed: 2, tol: 1e-9, maxIter: 500 }).fit(X, { lengths })
    for (const accelerate of ['squarem', 'quasi-newton'] as const) {
      const fast = await new VariationalGaussianHMM({ nComponents: 3, seed: 2, tol: 1e-9, maxIter: 500, accelerate }).fit(X, { lengths })
      expect(fast.converged).toBe(true)
      expect(Math.abs(fast.elbo - plain.elbo)).toBeLessThan(1e-5 * Math.abs(plain.elbo))
    }
  })

  it('saves and loads: the loaded model predicts and scores bit for bit', async () => {
    for (const covarianceType of TYPES) {
      const h = await new VariationalGaussianHMM({ nComponents: 3, covarianceType, seed: 2, betaPrior: [1, 2, 3] }).fit(X, { lengths })
      const text = JSON.stringify(h.toJSON())
      for (const loaded of [await VariationalGaussianHMM.fromJSON(text), await loadModel(text) as VariationalGaussianHMM]) {
        expect(loaded.predict(X, { lengths })).toEqual(h.predict(X, { lengths }))
        expect(loaded.predictProba(X, { lengths })).toEqual(h.predictProba(X, { lengths }))
        expect(loaded.score(X, { lengths })).toBe(h.score(X, { lengths }))
        expect(loaded.history).toEqual(h.history)
        expect(loaded.scalePosterior).toEqual(h.scalePosterior)
        expect(loaded.priors).toEqual(h.priors)
      }
    }
  })

  it('samples sequences from the posterior means', async () => {
    const h = await new VariationalGaussianHMM({ nComponents: 3, seed: 2 }).fit(X, { lengths })
    const { X: draws, states } = h.sample(3000)
    expect(draws).toHaveLength(3000)
    for (let c = 0; c < 3; c++) {
      const rows = draws.filter((_, t) => states[t] === c)
      const mean = rows.reduce((s, r) => s + r[0]!, 0) / rows.length
      expect(Math.abs(mean - h.means[c]![0]!)).toBeLessThan(0.2)
    }
  })

  it('refuses what a variational fit has not: log-likelihood, BIC, AIC; scoring before fit', async () => {
    const unfitted = new VariationalGaussianHMM({ nComponents: 2 })
    expect(() => unfitted.predict(X)).toThrow(NotFittedError)
    expect(() => unfitted.elbo).toThrow(NotFittedError)
    const h = await new VariationalGaussianHMM({ nComponents: 2, seed: 1 }).fit(X)
    expect(() => h.logLik).toThrow(UnsupportedError)
    expect(() => h.bic()).toThrow(/elbo/)
    expect(() => h.aic()).toThrow(UnsupportedError)
    expect(() => new VariationalGaussianHMM({ algorithm: 'em' as 'variational' })).toThrow(UnsupportedError)
    expect(() => new VariationalGaussianHMM({ meanPrior: [0, 0] } as object)).toThrow(/meansPrior/)
  })
})

describe('VariationalCategoricalHMM', () => {
  it("hmmlearn's defaults, shapes, and the emission posterior's means", async () => {
    const h = await new VariationalCategoricalHMM({ nComponents: 2, seed: 2 }).fit(symbols)
    expect(h.nSymbols).toBe(4)
    expect(h.priors.emissionProbPrior).toEqual([[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]])
    expect(h.priors.startProbPrior).toEqual([0.5, 0.5])
    const post = h.emissionProbPosterior
    expect(post.map((r) => r.length)).toEqual([4, 4])
    h.emissionProb.forEach((row, c) => { const s = post[c]!.reduce((a, b) => a + b, 0); row.forEach((p, v) => expect(p).toBeCloseTo(post[c]![v]! / s, 14)) })
    // the expected counts add up to the data: the posterior minus the prior sums to n
    const counts = post.flat().reduce((a, b) => a + b, 0) - 2 * 4 * 0.25
    expect(counts).toBeCloseTo(symbols.length, 8)
    // one state emits 0/1, the other 2/3
    const top = h.emissionProb.map((row) => row.indexOf(Math.max(...row))).sort()
    expect(top).toEqual([0, 2])
  })

  it('same history on every backend; restarts, save and load', async () => {
    const fits = await Promise.all(BACKENDS.map((backend) => new VariationalCategoricalHMM({ nComponents: 3, seed: 4, backend, maxIter: 40, tol: 0 }).fit(symbols, { lengths: [200, 300] })))
    for (const f of fits.slice(1)) expect(f.history).toEqual(fits[0]!.history)
    const h = await new VariationalCategoricalHMM({ nComponents: 2, seed: 4, nInit: 3, workers: 1 }).fit(symbols)
    const loaded = await loadModel(JSON.stringify(h.toJSON())) as VariationalCategoricalHMM
    expect(loaded.predict(symbols)).toEqual(h.predict(symbols))
    expect(loaded.score(symbols)).toBe(h.score(symbols))
    expect(loaded.nSymbols).toBe(4)
    expect(h.sample(10).X.every((s) => s >= 0 && s < 4)).toBe(true)
  })

  it('keeps nSymbols given, and refuses symbols outside it', async () => {
    const h = await new VariationalCategoricalHMM({ nComponents: 2, nSymbols: 6, seed: 1 }).fit(symbols)
    expect(h.nSymbols).toBe(6)
    expect(h.emissionProbPosterior[0]).toHaveLength(6)
    expect(() => h.predict([0, 7])).toThrow(EmkitError)
  })
})
