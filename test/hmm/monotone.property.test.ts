import fc from 'fast-check'
import { describe, expect } from 'vitest'
import { CategoricalHMM, GaussianHMM, PoissonHMM } from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { itProperty } from '../helpers/property.js'

/** Data from a random HMM (states switch with probability 0.15), seeded. */
function sequence(seed: number, T: number, k: number, kind: 'gauss' | 'cat' | 'poisson'): number[] | number[][] {
  const rng = new Rng(seed)
  let c = rng.integer(k)
  const out: any[] = []
  for (let t = 0; t < T; t++) {
    if (rng.uniform() < 0.15) c = rng.integer(k)
    if (kind === 'gauss') out.push([4 * c + rng.normal(), -c + (0.5 + c) * rng.normal()])
    else if (kind === 'cat') out.push(rng.uniform() < 0.6 ? c : rng.integer(k + 2))
    else {
      const rate = 1 + 4 * c
      let y = 0, p = Math.exp(-rate), cum = p
      const u = rng.uniform()
      while (u > cum) { y++; p *= rate / y; cum += p }
      out.push(y)
    }
  }
  return out
}

describe('Baum-Welch monotonicity (property)', () => {
  itProperty('the objective never falls by more than 1e-9 relative', async (seed) => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 10, max: 120 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('gauss', 'cat', 'poisson'),
        fc.constantFrom('js', 'wasm', 'wasm-scalar'),
        fc.constantFrom(0, 0.5, 2),
        fc.constantFrom('diag', 'full', 'spherical', 'tied'),
        async (dataSeed, length, k, kind, backend, pseudo, covarianceType) => {
          // Gaussians get at least 8 (d + 1) rows per state, as the GMM property: with fewer,
          // a state's covariance can collapse onto a point or a line (regCovar is 0), where
          // the likelihood is unbounded and rounding decides (T = 13, k = 4, full fell)
          const T = kind === 'gauss' ? Math.max(length, 8 * 3 * k) : length
          const X = sequence(dataSeed, T, k, kind as any)
          const common = { nComponents: k, backend: backend as any, seed: dataSeed, maxIter: 30, tol: 0, pseudoCounts: { startProb: pseudo, transMat: pseudo } }
          // regCovar = 0: with a ridge the M-step no longer maximises Q exactly.
          const hmm = kind === 'gauss'
            ? new GaussianHMM({ ...common, covarianceType: covarianceType as any, regCovar: 0 })
            : kind === 'cat' ? new CategoricalHMM(common) : new PoissonHMM(common)
          try {
            await hmm.fit(X as any)
          } catch (e) {
            if ((e as { code?: string }).code === 'SINGULAR_COVARIANCE') return
            throw e
          }
          const h = hmm.history
          for (let t = 1; t < h.length; t++) {
            if (!Number.isFinite(h[t]!)) break
            // Scale at least 1: a model that fits perfectly has a log-likelihood of
            // rounding noise around 0, where a relative test would flag noise.
            if (h[t]! < h[t - 1]! - 1e-9 * Math.max(1, Math.abs(h[t - 1]!))) {
              throw new Error(`objective fell at iteration ${t}: ${h[t - 1]} -> ${h[t]} (${kind}, k=${k}, T=${T}, ${backend})`)
            }
          }
          expect(hmm.fitResult.decreases).toEqual([])
        },
      ),
      { seed, numRuns: 60 },
    )
  })
})
