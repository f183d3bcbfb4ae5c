/**
 * BayesianGaussianMixture as an estimator on the base: scikit-learn's defaults, the
 * same fit on every backend, prediction and scoring, sampling, saving and loading,
 * maxIter 0, warm starts, restarts and the bootstrap serially and on workers,
 * accelerators over the packed variational parameters, abort and progress.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { BayesianGaussianMixture, bootstrap, closePool, loadModel } from '../../src/node.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { restartSeeds } from '../../src/runtime/restarts.js'
import { BACKENDS, fixtureMatrix, relErr } from '../helpers/data.js'

afterAll(async () => {
  await closePool()
})

const X = fixtureMatrix('faithful.csv')
const probe = [[1.5, 50], [3.2, 70], [5.1, 95], [1e3, -1e3]]

describe('options', () => {
  it("scikit-learn's defaults, the weight concentration following nComponents", () => {
    const bgm = new BayesianGaussianMixture()
    expect(bgm.getParams()).toMatchObject({
      nComponents: 1, covarianceType: 'full', weightConcentrationPriorType: 'dirichlet_process', weightConcentrationPrior: 1,
      meanPrecisionPrior: 1, meanPrior: null, degreesOfFreedomPrior: null, covariancePrior: null,
      tol: 1e-3, regCovar: 1e-6, maxIter: 100, nInit: 1, init: 'kmeans', algorithm: 'variational', accelerate: 'none', warmStart: false, seed: 0, backend: 'wasm',
    })
    expect(bgm.setParams({ nComponents: 4 }).weightConcentrationPrior).toBe(0.25)
    expect(new BayesianGaussianMixture({ nComponents: 4, weightConcentrationPrior: 2 }).weightConcentrationPrior).toBe(2)
  })

  it('the priors a fit used: resolved from the data where not given', async () => {
    const bgm = await new BayesianGaussianMixture({ nComponents: 3, covarianceType: 'diag', meanPrecisionPrior: 0.5 }).fit(X)
    const p = bgm.priors
    expect(p.meanPrecisionPrior).toBe(0.5)
    expect(p.degreesOfFreedomPrior).toBe(2)
    expect(p.meanPrior[0]).toBeCloseTo(3.4877830882352936, 14)
    expect(p.covariancePrior).toHaveLength(2)
    expect(bgm.meanPrior).toBeNull()
  })
})

describe('fitting and using the fit', () => {
  it('every backend gives the same fit, bit for bit', async () => {
    const fits = await Promise.all(BACKENDS.map((backend) => new BayesianGaussianMixture({ nComponents: 5, weightConcentrationPriorType: 'dirichlet_distribution', backend, seed: 3 }).fit(X)))
    for (const f of fits.slice(1)) {
      expect(f.history).toEqual(fits[0]!.history)
      expect(f.means).toEqual(fits[0]!.means)
      expect(f.covariances).toEqual(fits[0]!.covariances)
      expect(f.weightConcentration).toEqual(fits[0]!.weightConcentration)
      expect(f.scoreSamples(probe)).toEqual(fits[0]!.scoreSamples(probe))
    }
  })

  for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
    for (const prior of ['dirichlet_process', 'dirichlet_distribution'] as const) {
      it(`${covarianceType}, ${prior}: shapes, predictions, scores and draws`, async () => {
        const bgm = new BayesianGaussianMixture({ nComponents: 4, covarianceType, weightConcentrationPriorType: prior, seed: 1, maxIter: 2000 })
        const labels = await bgm.fitPredict(X)
        expect(labels).toEqual(bgm.predict(X))
        expect(bgm.nFeaturesIn).toBe(2)
        expect(bgm.converged).toBe(true)
        expect(bgm.history).toHaveLength(bgm.nIter + 1)
        expect(bgm.lowerBound).toBe(bgm.history[bgm.nIter - 1])
        expect(Number.isFinite(bgm.elbo)).toBe(true)
        expect(bgm.elbo).toBeLessThan(bgm.lowerBound)
        expect(bgm.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12)
        expect(bgm.meanPrecision).toHaveLength(4)
        if (covarianceType === 'tied') expect(typeof bgm.degreesOfFreedom).toBe('number')
        else expect(bgm.degreesOfFreedom).toHaveLength(4)
        const wc = bgm.weightConcentration
        expect(prior === 'dirichlet_process' ? (wc as number[][]).map((v) => v.length) : wc.length).toEqual(prior === 'dirichlet_process' ? [4, 4] : 4)
        const proba = bgm.predictProba(probe)
        for (const row of proba) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12)
        const scores = bgm.scoreSamples(X)
        expect(bgm.score(X)).toBeCloseTo(scores.reduce((s, v) => s + v, 0) / X.length, 12)
        const draws = bgm.sample(50)
        expect(draws.X).toHaveLength(50)
        expect(draws.labels.every((l) => l >= 0 && l < 4)).toBe(true)
        const again = new BayesianGaussianMixture({ nComponents: 4, covarianceType, weightConcentrationPriorType: prior, seed: 1, maxIter: 2000 })
        await again.fit(X)
        expect(again.sample(50)).toEqual(draws)
      })
    }
  }

  it('wide data (d = 24, K = 2): the same fit on every backend', async () => {
    const rng = new Rng(9)
    const wide = Array.from({ length: 300 }, (_, i) => Array.from({ length: 24 }, (_, j) => (i % 2 ? 3 : -3) * (j % 3 === 0 ? 1 : 0) + rng.normal()))
    const fits = await Promise.all(BACKENDS.map((backend) => new BayesianGaussianMixture({ nComponents: 2, backend }).fit(wide)))
    for (const f of fits) {
      expect(f.history).toEqual(fits[0]!.history)
      expect(Number.isFinite(f.elbo)).toBe(true)
    }
    expect(new Set(fits[0]!.predict(wide).filter((_, i) => i % 2 === 0)).size).toBe(1)
  })

  it('maxIter 0 returns the initialisation: no iteration, no bound (as scikit-learn)', async () => {
    const zero = await new BayesianGaussianMixture({ nComponents: 3, maxIter: 0 }).fit(X)
    const one = await new BayesianGaussianMixture({ nComponents: 3, maxIter: 1 }).fit(X)
    expect(zero.nIter).toBe(0)
    expect(zero.lowerBound).toBe(-Infinity)
    expect(zero.history).toEqual([one.history[0]])
    expect(one.lowerBound).toBe(one.history[0])
  })

  it('warm starts: a loop of maxIter 1 fits stops where one fit does, on the same parameters', async () => {
    const options = { nComponents: 4, seed: 2, tol: 1e-3 }
    const once = await new BayesianGaussianMixture(options).fit(X)
    const warm = new BayesianGaussianMixture({ ...options, maxIter: 1, warmStart: true })
    let fits = 0
    do { await warm.fit(X); fits++ } while (!warm.converged && fits < 500)
    expect(fits).toBe(once.nIter)
    expect(warm.means).toEqual(once.means)
    expect(warm.lowerBound).toBe(once.lowerBound)
  })

  it('aborts and reports progress', async () => {
    const controller = new AbortController()
    const seen: number[] = []
    const bgm = new BayesianGaussianMixture({ nComponents: 4, tol: 0, maxIter: 1000 })
    await bgm.fit(X, { signal: controller.signal, onIteration: (info) => { seen.push(info.logLik); if (info.iteration === 5) controller.abort() } })
    expect(bgm.status).toBe('aborted')
    expect(seen).toHaveLength(5)
    expect(bgm.history.slice(0, 5)).toEqual(seen)
  })
})

describe('accelerators over the packed variational parameters', () => {
  it('SQUAREM, quasi-Newton and Aitken reach the bound plain variational EM reaches', async () => {
    const base = { nComponents: 6, weightConcentrationPriorType: 'dirichlet_distribution', tol: 1e-8, maxIter: 5000, seed: 0 } as const
    const plain = await new BayesianGaussianMixture(base).fit(X)
    const line = [`plain ${plain.fitResult.fixedPointEvaluations}`]
    for (const accelerate of ['squarem', 'quasi-newton', 'aitken'] as const) {
      const fast = await new BayesianGaussianMixture({ ...base, accelerate }).fit(X)
      line.push(`${accelerate} ${fast.fitResult.fixedPointEvaluations}`)
      expect(fast.status).toBe('converged')
      expect(relErr(fast.history.at(-1)!, plain.history.at(-1)!)).toBeLessThan(1e-8)
      expect(fast.fitResult.fixedPointEvaluations).toBeLessThan(plain.fitResult.fixedPointEvaluations)
    }
    console.log(`[bgmm] faithful K=6, tol 1e-8: VM-steps ${line.join(', ')}`)
  })

  it("criterion 'parameters' stops on the packed variational parameters", async () => {
    const bgm = await new BayesianGaussianMixture({ nComponents: 3, criterion: 'parameters', tol: 1e-6, maxIter: 5000 }).fit(X)
    expect(bgm.converged).toBe(true)
  })
})

describe('saving, loading, restarts and the bootstrap', () => {
  for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
    it(`${covarianceType}: a JSON round trip predicts bit for bit`, async () => {
      const bgm = await new BayesianGaussianMixture({ nComponents: 3, covarianceType, seed: 4 }).fit(X)
      const loaded = await BayesianGaussianMixture.fromJSON(JSON.parse(JSON.stringify(bgm.toJSON())))
      expect(loaded.predictProba(probe)).toEqual(bgm.predictProba(probe))
      expect(loaded.scoreSamples(probe)).toEqual(bgm.scoreSamples(probe))
      expect([loaded.lowerBound, loaded.elbo, loaded.nIter]).toEqual([bgm.lowerBound, bgm.elbo, bgm.nIter])
      expect(loaded.priors).toEqual(bgm.priors)
      expect(loaded.sample(4)).toEqual(bgm.sample(4))
      const viaKind = await loadModel(JSON.stringify(bgm.toJSON())) as BayesianGaussianMixture
      expect(viaKind).toBeInstanceOf(BayesianGaussianMixture)
      expect(viaKind.predict(X)).toEqual(bgm.predict(X))
    })
  }

  it('nInit restarts: the same best fit serially and on 2 workers; the best bound wins', async () => {
    const options = { nComponents: 4, nInit: 4, init: 'random', seed: 7 } as const
    const serial = await new BayesianGaussianMixture({ ...options, workers: 1 }).fit(X)
    const pooled = await new BayesianGaussianMixture({ ...options, workers: 2 }).fit(X)
    expect(pooled.history).toEqual(serial.history)
    expect(pooled.means).toEqual(serial.means)
    const dataset = { X: { rows: X.length, cols: 2, data: Float64Array.from(X.flat()) } }
    const bounds = await Promise.all(restartSeeds(7, 4).map(async (seed, r) => (await new BayesianGaussianMixture({ ...options, nInit: 1 }).fitRestart(dataset, seed, r)).logLik))
    expect(serial.fitResult.logLik).toBe(Math.max(...bounds))
  })

  for (const kind of ['nonparametric', 'parametric'] as const) {
    it(`the ${kind} bootstrap: identical serially and on 2 workers`, async () => {
      const make = () => new BayesianGaussianMixture({ nComponents: 2, weightConcentrationPriorType: 'dirichlet_distribution' })
      const serial = await bootstrap(make, X, { replicates: 12, seed: 3, workers: 1, kind })
      const pooled = await bootstrap(make, X, { replicates: 12, seed: 3, workers: 2, kind })
      expect(pooled.replicates).toEqual(serial.replicates)
      expect(serial.failures).toEqual([])
      expect(serial.names.slice(0, 4)).toEqual(['weight[0]', 'weight[1]', 'mean[0][0]', 'mean[0][1]'])
      expect(serial.standardErrors.every((s) => Number.isFinite(s))).toBe(true)
    })
  }
})
