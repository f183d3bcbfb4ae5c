/**
 * Classification EM (algorithm 'cem', Celeux & Govaert 1992) on the mixtures:
 * - GaussianMixture with covarianceType 'EII' (mclust's one shared spherical
 *   covariance) and equalWeights (mclust's equalPro) is k-means: from emkit's own
 *   k-means++ centres it gives Lloyd's labels (identical) and inertia (1e-12 relative)
 *   of emkit's k-means from the same centres;
 * - the objective (classification log-likelihood) never falls, for the Gaussian (every
 *   covariance type given), Poisson, t and regression mixtures; posteriors are hard at
 *   the fixed point; it lies below EM's log-likelihood;
 * - equalWeights keeps the weights at 1/K in EM too; accelerators are refused.
 */
import { describe, expect, it } from 'vitest'
import { OptionError } from '../../src/core/errors.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { GaussianMixture } from '../../src/estimators/GaussianMixture.js'
import { PoissonMixture } from '../../src/estimators/PoissonMixture.js'
import { RegressionMixture } from '../../src/estimators/RegressionMixture.js'
import { TMixture } from '../../src/estimators/TMixture.js'
import { loadKernels } from '../../src/kernels/index.js'
import { assign, kmeansPlusPlus } from '../../src/models/init/kmeans.js'
import { kmeans } from '../../src/models/init/kmeans-lloyd.js'
import { npreg } from '../regression-mixture/data.js'

function blobs(seed: number, n: number): number[][] {
  console.log(`[cem] blobs: seed ${seed}`)
  const rng = new Rng(seed)
  const centres = [[0, 0], [4, 1], [1, 5], [5, 5]]
  return Array.from({ length: n }, (_, i) => {
    const c = centres[i % 4]!
    return [c[0]! + 1.3 * rng.normal(), c[1]! + 1.3 * rng.normal()]
  })
}

describe('CEM with EII and equal weights is k-means', () => {
  for (const [seed, k] of [[1, 3], [2, 4], [3, 5]] as const) {
    it(`seed ${seed}, K = ${k}: Lloyd's labels identical, inertia to 1e-12`, async () => {
      const X = blobs(seed, 301)
      const kernels = await loadKernels('js')
      const arena = kernels.arena()
      try {
        const data = { kernels, x: arena.f64From(X.flat()), n: X.length, d: 2, weight: null }
        const centres = kmeansPlusPlus(data, k, new Rng(seed))
        // emkit's k-means from the same centres (same generator: its k-means++ draws the same seeds); tol 0: until no label moves
        const km = kmeans(data, k, new Rng(seed), { tol: 0, maxIter: 1000 })
        const means = Array.from({ length: k }, (_, c) => Array.from(centres.subarray(2 * c, 2 * c + 2)))
        const gm = await new GaussianMixture({ nComponents: k, algorithm: 'cem', covarianceType: 'EII', equalWeights: true, init: { means }, tol: 1e-12, maxIter: km.nIter + 5, criterion: 'parameters' }).fit(X)
        expect(gm.fitResult.decreases).toEqual([])
        const labels = gm.predict(X)
        expect(labels).toEqual(Array.from(km.labels))
        const mine = new Int32Array(X.length)
        const inertia = assign(data, Float64Array.from(gm.means.flat()), k, mine)
        console.log(`[cem] K=${k}: ${km.nIter} Lloyd iterations, ${gm.nIter} CEM iterations (${gm.status}); inertia ${inertia} vs k-means ${km.inertia}, rel ${(Math.abs(inertia - km.inertia) / km.inertia).toExponential(2)}`)
        expect(Math.abs(inertia - km.inertia) / km.inertia).toBeLessThan(1e-12)
        expect(gm.weights).toEqual(Array(k).fill(1 / k))
        // Lloyd's stops when no label moves; CEM one iteration later, when the parameters repeat
        expect(gm.converged).toBe(true)
        expect(gm.nIter).toBe(km.nIter + 1)
      } finally {
        arena.dispose()
      }
    })
  }
})

function monotone(history: number[]): void {
  for (let t = 1; t < history.length; t++) expect(history[t]!).toBeGreaterThanOrEqual(history[t - 1]! - 1e-9 * Math.abs(history[t - 1]!))
}

describe('CEM on the mixtures: monotone classification likelihood, hard posteriors', () => {
  const X = blobs(11, 400)
  for (const covarianceType of ['full', 'diag', 'spherical', 'tied', 'EII', 'VEI', 'EEE'] as const) {
    it(`GaussianMixture ${covarianceType}`, async () => {
      const cem = await new GaussianMixture({ nComponents: 4, covarianceType, algorithm: 'cem', seed: 5, maxIter: 200, tol: 1e-12, criterion: 'parameters' }).fit(X)
      monotone(cem.history)
      expect(cem.fitResult.decreases).toEqual([])
      const em = await new GaussianMixture({ nComponents: 4, covarianceType, init: 'kmeans++', seed: 5, tol: 1e-8 }).fit(X)
      expect(cem.logLik).toBeLessThanOrEqual(em.logLik)
      expect(cem.converged).toBe(true)
    })
  }
  it('PoissonMixture, TMixture and RegressionMixture', async () => {
    const counts = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? (i * 7) % 5 : 8 + ((i * 13) % 9)))
    const p = await new PoissonMixture({ nComponents: 2, algorithm: 'cem', tol: 1e-12, criterion: 'parameters', maxIter: 100 }).fit(counts)
    monotone(p.history)
    expect(p.converged).toBe(true)
    const t = await new TMixture({ nComponents: 4, algorithm: 'cem', seed: 2, tol: 1e-12, criterion: 'parameters', maxIter: 200 }).fit(X)
    monotone(t.history)
    const { x, yn } = npreg()
    const r = await new RegressionMixture({ algorithm: 'cem', init: { labels: x.map((_, i) => i % 2) }, tol: 1e-12, criterion: 'parameters', maxIter: 200 }).fit(x, yn)
    monotone(r.history)
    expect(r.converged).toBe(true)
    const em = await new RegressionMixture({ init: { labels: x.map((_, i) => i % 2) } }).fit(x, yn)
    expect(r.logLik).toBeLessThan(em.logLik)
    console.log(`[cem] NPreg regression mixture: CEM classification log-lik ${r.logLik} (${r.nIter} iterations), EM log-lik ${em.logLik}`)
  })
  it('equalWeights keeps 1/K in EM as well; accelerators are refused with CEM', async () => {
    const gm = await new GaussianMixture({ nComponents: 3, equalWeights: true, seed: 1 }).fit(X)
    expect(gm.weights).toEqual([1 / 3, 1 / 3, 1 / 3])
    const given = await new GaussianMixture({ nComponents: 3, equalWeights: true, init: { weights: [0.2, 0.3, 0.5], means: [[0, 0], [4, 1], [1, 5]] }, maxIter: 0 }).fit(X)
    expect(given.weights).toEqual([1 / 3, 1 / 3, 1 / 3])
    const free = await new GaussianMixture({ nComponents: 3, seed: 1 }).fit(X)
    expect(free.nParameters() - gm.nParameters()).toBe(2)
    expect(() => new GaussianMixture({ algorithm: 'cem', accelerate: 'squarem' })).toThrow(OptionError)
    // without data: the objective (classification log-likelihood); with data: the observed one
    const cem = await new GaussianMixture({ nComponents: 3, algorithm: 'cem', seed: 1 }).fit(X)
    const observed = cem.scoreSamples(X).reduce((a, b) => a + b, 0)
    expect(cem.logLik).toBeLessThan(observed)
    expect(cem.bic()).toBeGreaterThan(cem.bic(X))
    expect(Math.abs(cem.bic(X) - (-2 * observed + cem.nParameters() * Math.log(X.length)))).toBeLessThan(1e-8)
  })
})
