import fc from 'fast-check'
import { describe, expect } from 'vitest'
import { BayesianGaussianMixture } from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { expectMonotone, itProperty } from '../helpers/property.js'

/** Seeded data from a random mixture, some of it far from the origin. */
function mixtureData(seed: number, n: number, d: number, k: number): number[][] {
  const rng = new Rng(seed)
  const shift = 50 * rng.normal()
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => shift + 6 * rng.normal()))
  return Array.from({ length: n }, () => {
    const c = rng.integer(k)
    return centers[c]!.map((m) => m + (0.2 + 2 * rng.uniform()) * rng.normal())
  })
}

describe('variational EM monotonicity (property)', () => {
  itProperty('the lower bound never falls by more than 1e-9 relative', async (seed) => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom('full', 'diag', 'spherical', 'tied'),
        fc.constantFrom('dirichlet_process', 'dirichlet_distribution'),
        fc.constantFrom('js', 'wasm', 'wasm-scalar'),
        fc.constantFrom('kmeans', 'kmeans++', 'random', 'random-from-data'),
        fc.record({
          weightConcentrationPrior: fc.double({ min: 1e-3, max: 20, noNaN: true }),
          meanPrecisionPrior: fc.double({ min: 1e-3, max: 10, noNaN: true }),
          extraDof: fc.double({ min: 0.05, max: 10, noNaN: true }),
        }),
        async (dataSeed, extraRows, d, k, covarianceType, priorType, backend, init, p) => {
          const X = mixtureData(dataSeed, 3 * k + extraRows + 2, d, k)
          // regCovar = 0: a ridge on sk makes the VM-step no longer the maximiser, and the
          // bound (computed as if it were) need not rise; the Wishart prior keeps every
          // covariance positive definite without it.
          const bgm = new BayesianGaussianMixture({
            nComponents: k, covarianceType: covarianceType as any, weightConcentrationPriorType: priorType as any, backend: backend as any,
            init: init as any, seed: dataSeed, maxIter: 60, tol: 0, regCovar: 0,
            weightConcentrationPrior: p.weightConcentrationPrior, meanPrecisionPrior: p.meanPrecisionPrior, degreesOfFreedomPrior: d - 1 + p.extraDof,
          })
          await bgm.fit(X)
          expectMonotone(bgm)
          expect(Number.isFinite(bgm.elbo)).toBe(true)
        },
      ),
      { seed, numRuns: 150 },
    )
  }, 120_000)
})
