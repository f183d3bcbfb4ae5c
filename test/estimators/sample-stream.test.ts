/**
 * `sample()` without a generator draws from one stream per estimator, seeded by `seed`:
 * consecutive calls continue it, and setParams restarts it, so an estimator draws as a
 * fresh one with that seed would (one rule in the base for every estimator that samples).
 */
import { describe, expect, it } from 'vitest'
import { BayesianGaussianMixture, BernoulliMixture, faithfulRows, GaussianHMM, GaussianMixture } from '../../src/index.js'

const X = faithfulRows()
const binary = X.map(([e, w]) => [e! > 3 ? 1 : 0, w! > 70 ? 1 : 0, e! > 4 ? 1 : 0])

const cases: Array<[string, () => Promise<{ sample(n: number): unknown; setParams(o: Record<string, unknown>): unknown }>]> = [
  ['GaussianMixture', async () => new GaussianMixture({ nComponents: 2, seed: 3 }).fit(X)],
  ['BayesianGaussianMixture', async () => new BayesianGaussianMixture({ nComponents: 2, seed: 3 }).fit(X)],
  ['BernoulliMixture', async () => new BernoulliMixture({ nComponents: 2, seed: 3 }).fit(binary)],
  ['GaussianHMM', async () => new GaussianHMM({ nComponents: 2, seed: 3 }).fit(X)],
]

describe('the sample stream', () => {
  for (const [name, make] of cases) {
    it(`${name}: consecutive calls continue the stream, setParams restarts it`, async () => {
      const est = await make()
      const first = est.sample(4), second = est.sample(4)
      expect(second).not.toEqual(first)
      est.setParams({ seed: 3 })
      expect(est.sample(4)).toEqual(first)
      est.setParams({ seed: 4 })
      expect(est.sample(4)).not.toEqual(first)
    })
  }
})
