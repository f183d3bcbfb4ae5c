/**
 * VariationalAutoencoder's calls, options and bad input: every backend gives the same fit
 * bit for bit; each option changes what a test observes; onIteration and AbortSignal go
 * through the one engine loop; typed errors for bad input, inputs never mutated.
 */
import { describe, expect, it } from 'vitest'
import { VariationalAutoencoder, loadModel } from '../../src/index.js'
import { fixtureMatrix } from '../helpers/data.js'
import { rejection, thrownBy } from '../helpers/errors.js'

const X = fixtureMatrix('iris.csv')
const B = X.map((r) => r.map((v, j) => (v > [5.8, 3.0, 4.35, 1.3][j]! ? 1 : 0)))
const quick = { latentDim: 2, epochs: 5, batchSize: 32, seed: 1 } as const
console.log('[vae] estimator tests: seed 1 (2 for the seed option)')

describe('VariationalAutoencoder', { timeout: 60_000 }, () => {
  it('fits the same on every backend, bit for bit (ReLU layers, Gaussian and Bernoulli)', async () => {
    for (const likelihood of ['gaussian', 'bernoulli'] as const) {
      const data = likelihood === 'gaussian' ? X : B
      const fits = await Promise.all((['wasm', 'wasm-scalar', 'js'] as const).map((backend) =>
        new VariationalAutoencoder({ ...quick, hidden: [7, 3], likelihood, backend }).fit(data)))
      for (const f of fits.slice(1)) {
        expect(f.history).toEqual(fits[0]!.history)
        expect(Array.from(f.weights)).toEqual(Array.from(fits[0]!.weights))
      }
    }
  })

  it('transform, elbo, scoreSamples, sample, history and the saved model', async () => {
    const before = JSON.stringify(X)
    const vae = await new VariationalAutoencoder({ ...quick, hidden: [5] }).fit(X)
    vae.transform(X); vae.elbo(X, { samples: 2 }); vae.scoreSamples(X)
    expect(JSON.stringify(X)).toBe(before)
    expect(vae.history.length).toBe(6)
    expect(vae.status).toBe('max-iter')
    expect(vae.transform(X).length).toBe(150)
    const rows = vae.scoreSamples(X)
    expect(rows.length).toBe(150)
    // per-row bounds are the bound's terms (same draws): they add up to elbo(X)
    expect(rows.reduce((s, v) => s + v, 0)).toBeCloseTo(vae.elbo(X), 8)
    expect(vae.elbo(X)).toBe(vae.history.at(-1))
    const s = vae.sample(4)
    expect(s.length).toBe(4)
    expect(s[0]!.length).toBe(4)
    const bern = await new VariationalAutoencoder({ ...quick, likelihood: 'bernoulli' }).fit(B)
    expect(bern.sample(10).flat().every((v) => v === 0 || v === 1)).toBe(true)
    expect(bern.noiseVariance).toBeUndefined()
    const loaded = await loadModel(JSON.parse(JSON.stringify(vae.toJSON()))) as VariationalAutoencoder
    expect(loaded.transform(X)).toEqual(vae.transform(X))
    expect(loaded.elbo(X)).toBe(vae.elbo(X))
  })

  it('every option changes the fit', async () => {
    const base = await new VariationalAutoencoder(quick).fit(X)
    const last = async (o: object) => (await new VariationalAutoencoder({ ...quick, ...o }).fit(X)).history.at(-1)
    for (const o of [{ latentDim: 1 }, { hidden: [4] }, { batchSize: 16 }, { learningRate: 1e-2 }, { learningRateDecay: 0.5 }, { seed: 2 }]) {
      expect(await last(o), JSON.stringify(o)).not.toBe(base.history.at(-1))
    }
    expect((await new VariationalAutoencoder({ ...quick, epochs: 3 }).fit(X)).history.length).toBe(4)
    // tol: the moving-window rule (10 epochs against the 10 before) stops a long fit early
    const stopped = await new VariationalAutoencoder({ ...quick, epochs: 500, tol: 1e-2, learningRate: 1e-2 }).fit(X)
    expect(stopped.status).toBe('converged')
    expect(stopped.nIter).toBeLessThan(500)
    expect(stopped.nIter).toBeGreaterThanOrEqual(20)
  })

  it('onIteration sees every epoch; an AbortSignal stops the fit', async () => {
    const seen: number[] = []
    await new VariationalAutoencoder(quick).fit(X, { onIteration: (info) => seen.push(info.iteration) })
    expect(seen).toEqual([1, 2, 3, 4, 5])
    const controller = new AbortController()
    const vae = await new VariationalAutoencoder({ ...quick, epochs: 100 }).fit(X, { onIteration: (info) => { if (info.iteration === 3) controller.abort() }, signal: controller.signal })
    expect(vae.status).toBe('aborted')
    expect(vae.nIter).toBe(3)
  })

  it('bad input: NaN rows, latentDim < 1, bad hidden, Bernoulli data outside [0, 1], a misspelt option (typed errors, input unchanged)', async () => {
    const withNaN = X.map((r) => r.slice())
    withNaN[7]![1] = NaN
    const e = await rejection(new VariationalAutoencoder(quick).fit(withNaN))
    expect(e.code).toBe('NON_FINITE')
    expect(Number.isNaN(withNaN[7]![1])).toBe(true)
    expect(thrownBy(() => new VariationalAutoencoder({ latentDim: 0 })).code).toBe('INVALID_OPTION')
    expect(thrownBy(() => new VariationalAutoencoder({ latentDim: 0 })).message).toContain('latentDim')
    expect(thrownBy(() => new VariationalAutoencoder({ hidden: [3, 0] })).message).toContain('[3, 0]')
    expect(thrownBy(() => new VariationalAutoencoder({ likelihood: 'poisson' as never })).code).toBe('INVALID_OPTION')
    expect(thrownBy(() => new VariationalAutoencoder({ latentDims: 2 } as never)).message).toContain('latentDim')
    const bad = await rejection(new VariationalAutoencoder({ ...quick, likelihood: 'bernoulli' }).fit(X))
    expect(bad.code).toBe('INVALID_DATA')
    expect(bad.message).toContain('X[0][0] is 5.1')
    const vae = await new VariationalAutoencoder(quick).fit(X)
    expect((thrownBy(() => vae.transform([[1, 2, 3]]))).code).toBe('SHAPE_MISMATCH')
    expect(thrownBy(() => vae.elbo(X, { sample: 3 } as never)).message).toContain('samples')
  })
})
