/** HMM restarts on the Piscina pool (the Node entry's): bit-identical to the same restarts run serially. */
import { afterAll, describe, expect, it } from 'vitest'
import { CategoricalHMM, closePool, GaussianHMM, PoissonHMM, VariationalCategoricalHMM, VariationalGaussianHMM } from '../../src/node.js'
import { poolThreads } from '../../src/parallel/pool.js'
import { fitSnapshot } from '../helpers/snapshot.js'

const chain = { startProb: [0.5, 0.3, 0.2], transMat: [[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.05, 0.15, 0.8]] }
const X = new GaussianHMM({ nComponents: 3, seed: 2, init: { ...chain, means: [[0, 0], [3, 1], [-2, 4]], covariances: [[1, 1], [0.5, 2], [1, 0.3]] } }).sample(2000).X
const symbols = new CategoricalHMM({ nComponents: 3, seed: 3, init: { ...chain, emissionProb: [[0.7, 0.2, 0.1, 0], [0.1, 0.3, 0.3, 0.3], [0, 0.1, 0.1, 0.8]] } }).sample(2000).X
const counts = new PoissonHMM({ nComponents: 3, seed: 4, init: { ...chain, rates: [1, 6, 15] } }).sample(2000).X
const lengths = [700, 800, 500]

function variationalSnapshot(h: VariationalGaussianHMM | VariationalCategoricalHMM) {
  return { params: h.fitResult.params, history: h.history, nIter: h.nIter, status: h.status, elbo: h.elbo }
}

afterAll(async () => {
  await closePool()
})

describe('HMM restarts on the pool', () => {
  it('nInit 3 on 2 workers gives the fit of 1 worker, bit for bit (Gaussian, every covariance type; categorical; Poisson)', async () => {
    for (const covarianceType of ['diag', 'full', 'spherical', 'tied'] as const) {
      await closePool()
      const make = (workers: number) => new GaussianHMM({ nComponents: 3, covarianceType, nInit: 3, seed: 7, workers })
      const serial = fitSnapshot(await make(1).fit(X, { lengths }))
      expect(poolThreads()).toEqual([])
      const pooled = fitSnapshot(await make(2).fit(X, { lengths }))
      expect(poolThreads()).toEqual([2])
      expect(pooled).toEqual(serial)
    }
    const cat = (workers: number) => new CategoricalHMM({ nComponents: 3, nInit: 3, seed: 5, workers }).fit(symbols, { lengths })
    expect(fitSnapshot(await cat(2))).toEqual(fitSnapshot(await cat(1)))
    const pois = (workers: number) => new PoissonHMM({ nComponents: 3, nInit: 3, seed: 5, workers }).fit(counts, { lengths })
    expect(fitSnapshot(await pois(2))).toEqual(fitSnapshot(await pois(1)))
  })

  it('variational HMMs: nInit 3 on 2 workers gives the fit of 1 worker, bit for bit', async () => {
    for (const covarianceType of ['full', 'diag', 'spherical', 'tied'] as const) {
      const make = (workers: number) => new VariationalGaussianHMM({ nComponents: 3, covarianceType, nInit: 3, seed: 7, workers })
      expect(variationalSnapshot(await make(2).fit(X, { lengths }))).toEqual(variationalSnapshot(await make(1).fit(X, { lengths })))
    }
    const cat = (workers: number) => new VariationalCategoricalHMM({ nComponents: 3, nInit: 3, seed: 5, workers }).fit(symbols, { lengths })
    expect(variationalSnapshot(await cat(2))).toEqual(variationalSnapshot(await cat(1)))
  })

  it('a categorical refit on data with more symbols sends the new number of symbols to the workers', async () => {
    const h = new CategoricalHMM({ nComponents: 2, nInit: 2, seed: 1, workers: 2 })
    await h.fit(symbols.map((s) => Math.min(s, 2)))
    expect(h.nSymbols).toBe(3)
    await h.fit(symbols)
    expect(h.nSymbols).toBe(4)
    const serial = await new CategoricalHMM({ nComponents: 2, nInit: 2, seed: 1, workers: 1 }).fit(symbols)
    expect(fitSnapshot(h)).toEqual(fitSnapshot(serial))
  })
})
