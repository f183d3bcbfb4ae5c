import { afterAll, describe, expect, it } from 'vitest'
// the Node entry: its pool runs the replicates of `workers: 2` (the worker is dist's: npm run build first)
import { bootstrapLRT, closePool, GaussianMixture } from '../../src/node.js'
import { OptionError } from '../../src/core/errors.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { fixtureJson } from '../helpers/data.js'

const X = faithfulRows()
// test/fixtures/scripts/mclust_hc_lrt.R: mclustBootstrapLRT(faithful, model, maxG = 3, nboot = 199)
const ref = fixtureJson('mclust_hc_lrt.json').lrt as Record<'VVV' | 'EEE', { obs: number[]; p_value: number[] }>
/** Mclust's fits: its hc start, its stopping rule, no regularisation. */
const mclustLike = (covarianceType: 'VVV' | 'EEE') => () => new GaussianMixture({ covarianceType, init: 'hc', criterion: 'relative', tol: 1e-5, regCovar: 0, maxIter: 100_000 })

afterAll(() => closePool())

describe("bootstrapLRT against mclust's mclustBootstrapLRT on faithful", () => {
  it('the observed statistics 1 -> 2 -> 3 -> 4 agree within 1e-6 (VVV and EEE), and the p-values tell the same story', async () => {
    for (const model of ['VVV', 'EEE'] as const) {
      const seed = 7
      const lrt = await bootstrapLRT(mclustLike(model), X, { from: 1, to: 4, replicates: 99, seed, workers: 1 })
      console.log(`${model} seed ${seed}: statistics ${lrt.tests.map((t) => t.statistic.toFixed(6)).join(', ')} (largest difference from mclust ${Math.max(...lrt.tests.map((t, i) => Math.abs(t.statistic - ref[model].obs[i]!))).toExponential(1)}); p ${lrt.tests.map((t) => t.pValue.toFixed(3)).join(', ')}; mclust p ${ref[model].p_value.join(', ')}`)
      expect(lrt.tests.map((t) => [t.from, t.to])).toEqual([[1, 2], [2, 3], [3, 4]])
      lrt.tests.forEach((t, i) => {
        expect(Math.abs(t.statistic - ref[model].obs[i]!), `${model} ${t.from} -> ${t.to}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(ref[model].obs[i]!)))
        expect(t.replicates.length + t.failures.length).toBe(99)
        // where mclust's p-value is at its floor (1 / 200) or far above 0.05, ours (99 replicates) agrees on which side of 0.05 it is
        const mclustP = ref[model].p_value[i]!
        if (mclustP <= 0.01) expect(t.pValue).toBeLessThanOrEqual(0.05)
        if (mclustP >= 0.5) expect(t.pValue).toBeGreaterThan(0.05)
      })
    }
  }, 240_000)

  it('replicates are the same serially and on 2 workers', async () => {
    const make = () => new GaussianMixture({ covarianceType: 'EEE', init: 'hc', regCovar: 0 })
    const a = await bootstrapLRT(make, X, { from: 1, to: 2, replicates: 8, seed: 3, workers: 1 })
    const b = await bootstrapLRT(make, X, { from: 1, to: 2, replicates: 8, seed: 3, workers: 2 })
    expect(Array.from(b.tests[0]!.replicates)).toEqual(Array.from(a.tests[0]!.replicates))
    expect(b.tests[0]!.pValue).toBe(a.tests[0]!.pValue)
    const c = await bootstrapLRT(make, X, { from: 1, to: 2, replicates: 8, seed: 4, workers: 1 })
    expect(Array.from(c.tests[0]!.replicates)).not.toEqual(Array.from(a.tests[0]!.replicates))
  }, 120_000)

  it('bad input: to <= from, a missing bound, a misspelt option', async () => {
    const make = () => new GaussianMixture()
    for (const [options, text] of [
      [{ from: 2, to: 2 }, "Invalid option 'to': must be greater than from (2), got 2"],
      [{ from: 3, to: 1 }, "Invalid option 'to': must be greater than from (3), got 1"],
      [{ from: 1 }, "Invalid option 'to': is required"],
      [{ from: 1, to: 2, replicate: 9 }, "did you mean 'replicates'"],
      [{ from: 0, to: 2 }, "'from'"],
    ] as const) {
      const error = await bootstrapLRT(make, X, options as never).catch((e: unknown) => e)
      expect(error, JSON.stringify(options)).toBeInstanceOf(OptionError)
      expect((error as Error).message).toContain(text)
    }
  })
})
