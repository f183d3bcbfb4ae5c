/**
 * scoreDataset (what selectModel and the criteria read) of the latent-class
 * estimators scores once: it must give exactly what the public calls it replaces
 * give, the total of the rows' scores (weighted by sampleWeight) and predictProba.
 */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, GaussianHMM, GaussianMixture, PoissonMixture, TMixture, VariationalGaussianHMM } from '../../src/index.js'
import { mapLogPosterior } from '../../src/core/math/criteria.js'
import { toDataset } from '../../src/runtime/dataset.js'
import { fixtureMatrix } from '../helpers/data.js'

const faithful = fixtureMatrix('faithful.csv')
const counts = Array.from({ length: 120 }, (_, i) => (i * 7919) % 13 + (i % 3 === 0 ? 20 : 0))
const weights = Array.from({ length: faithful.length }, (_, i) => 1 + (i % 4))

function total(rows: ArrayLike<number>, w?: ArrayLike<number>): { logLik: number; n: number } {
  let logLik = 0, n = 0
  for (let i = 0; i < rows.length; i++) { logLik += (w ? w[i]! : 1) * rows[i]!; n += w ? w[i]! : 1 }
  return { logLik, n }
}

/** ICL's term sum_i w_i log max_c z_ic from predictProba's rows. */
function classification(z: number[][], w?: ArrayLike<number>): number {
  return mapLogPosterior(z.flat(), z.length, z[0]!.length, w)
}

describe('scoreDataset of the mixtures', () => {
  it.each([
    ['GaussianMixture', () => new GaussianMixture({ nComponents: 2, seed: 1 })],
    ['TMixture', () => new TMixture({ nComponents: 2, seed: 1, maxIter: 20 })],
  ] as const)('%s: the rows summed (and weighted) and predictProba', async (_name, make) => {
    const m = await make().fit(faithful)
    for (const w of [undefined, weights]) {
      const data = toDataset(w ? { X: faithful, sampleWeight: w } : faithful, m.kind, ['sampleWeight'])
      const got = m.scoreDataset(data)
      expect({ logLik: got.logLik, n: got.n }).toEqual(total(m.scoreSamples(faithful), w))
      // a mixture gives ICL's classification term where its responsibilities are, not n row arrays
      expect(got.posteriors).toBeNull()
      expect(got.classification).toBe(classification(m.predictProba(faithful), w))
    }
  })

  it('PoissonMixture', async () => {
    const m = await new PoissonMixture({ nComponents: 2 }).fit(counts)
    const data = toDataset(counts, m.kind, [])
    const got = m.scoreDataset(data)
    expect({ logLik: got.logLik, n: got.n }).toEqual(total(m.scoreSamples(counts)))
    expect(got.posteriors).toBeNull()
    expect(got.classification).toBe(classification(m.predictProba(counts)))
  })
})

describe('scoreDataset of the HMMs', () => {
  const lengths = [100, faithful.length - 100]
  it.each([
    ['GaussianHMM', () => new GaussianHMM({ nComponents: 2, seed: 1, maxIter: 20 })],
    ['VariationalGaussianHMM', () => new VariationalGaussianHMM({ nComponents: 2, seed: 1, maxIter: 20 })],
  ] as const)('%s: score(X) and predictProba, one forward-backward', async (_name, make) => {
    const m = await make().fit(faithful, { lengths })
    const got = m.scoreDataset(toDataset({ X: faithful, lengths }, m.kind, ['lengths']))
    expect(got.logLik).toBe(m.score(faithful, { lengths }))
    expect(got.n).toBe(faithful.length)
    // ICL's classification term where the posteriors are, not n row arrays
    expect(got.posteriors).toBeNull()
    expect(got.classification).toBe(classification(m.predictProba(faithful, { lengths })))
  })

  it('CategoricalHMM', async () => {
    const symbols = counts.map((c) => c % 4)
    const m = await new CategoricalHMM({ nComponents: 2, seed: 2, maxIter: 20 }).fit(symbols)
    const got = m.scoreDataset(toDataset(symbols, m.kind, ['lengths']))
    expect(got.logLik).toBe(m.score(symbols))
    expect(got.n).toBe(symbols.length)
    expect(got.posteriors).toBeNull()
    expect(got.classification).toBe(classification(m.predictProba(symbols)))
  })
})
