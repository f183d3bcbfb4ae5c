import fc from 'fast-check'
import { describe, expect } from 'vitest'
import { VariationalCategoricalHMM, VariationalGaussianHMM } from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { expectMonotone as expectHistoryMonotone, itProperty } from '../helpers/property.js'

/** Seeded sequences of a random Gaussian HMM, some of them far from the origin. */
function gaussianSequences(seed: number, lengths: number[], d: number, k: number): number[][] {
  const rng = new Rng(seed)
  const shift = 30 * rng.normal()
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => shift + 4 * rng.normal()))
  const stay = 0.5 + 0.45 * rng.uniform()
  const out: number[][] = []
  for (const T of lengths) {
    let s = rng.integer(k)
    for (let t = 0; t < T; t++) {
      if (t > 0 && rng.uniform() > stay) s = rng.integer(k)
      out.push(centers[s]!.map((m) => m + (0.2 + 2 * rng.uniform()) * rng.normal()))
    }
  }
  return out
}

/** The ELBO's history never falls by more than 1e-9 relative, the engine saw no decrease, and the ELBO is finite. */
function expectMonotone(h: { history: number[]; fitResult: { decreases: number[] }; elbo: number }): void {
  expectHistoryMonotone(h)
  expect(Number.isFinite(h.elbo)).toBe(true)
}

describe('variational HMMs: the ELBO never decreases (property)', () => {
  itProperty('VariationalGaussianHMM, every covariance type and backend', async (seed) => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('full', 'diag', 'spherical', 'tied'),
        fc.constantFrom('js', 'wasm', 'wasm-scalar'),
        fc.record({
          start: fc.double({ min: 1e-3, max: 10, noNaN: true }),
          trans: fc.double({ min: 1e-3, max: 10, noNaN: true }),
          beta: fc.double({ min: 1e-3, max: 10, noNaN: true }),
          extraDof: fc.double({ min: 0.05, max: 10, noNaN: true }),
          scale: fc.double({ min: 1e-4, max: 10, noNaN: true }),
        }),
        async (dataSeed, given, d, k, covarianceType, backend, p) => {
          const lengths = given.map((T, i) => (i === 0 ? T + 3 * k : T))
          const X = gaussianSequences(dataSeed, lengths, d, k)
          const wishart = covarianceType === 'full' || covarianceType === 'tied'
          const scalePrior = wishart ? Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? p.scale : 0))) : covarianceType === 'diag' ? new Array(d).fill(p.scale) : p.scale
          const h = new VariationalGaussianHMM({
            nComponents: k, covarianceType: covarianceType as 'full', backend: backend as 'js', seed: dataSeed, maxIter: 60, tol: 0,
            startProbPrior: p.start, transMatPrior: p.trans, betaPrior: p.beta, dofPrior: (wishart ? d - 1 : 0) + p.extraDof, scalePrior,
          })
          await h.fit(X, { lengths })
          expectMonotone(h)
        },
      ),
      { seed, numRuns: 150 },
    )
  }, 180_000)

  itProperty('VariationalCategoricalHMM', async (seed) => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 2, max: 6 }),
        fc.constantFrom('js', 'wasm', 'wasm-scalar'),
        fc.record({
          start: fc.double({ min: 1e-3, max: 10, noNaN: true }),
          trans: fc.double({ min: 1e-3, max: 10, noNaN: true }),
          emission: fc.double({ min: 1e-3, max: 10, noNaN: true }),
        }),
        async (dataSeed, given, k, S, backend, p) => {
          const rng = new Rng(dataSeed)
          // at least K observations (more states than observations are refused, as by every HMM)
          const lengths = given.map((T, i) => (i === 0 ? T + k : T))
          const n = lengths.reduce((a, b) => a + b, 0)
          const X = Array.from({ length: n }, () => rng.integer(S))
          const h = new VariationalCategoricalHMM({
            nComponents: k, nSymbols: S, backend: backend as 'js', seed: dataSeed, maxIter: 60, tol: 0,
            startProbPrior: p.start, transMatPrior: p.trans, emissionProbPrior: p.emission,
          })
          await h.fit(X, { lengths })
          expectMonotone(h)
        },
      ),
      { seed, numRuns: 150 },
    )
  }, 180_000)
})
