import { describe, expect, it } from 'vitest'
import { GaussianMixture, MCLUST_MODELS, selectModel } from '../../../src/index.js'
import { UnsupportedError } from '../../../src/core/errors.js'
import { faithfulRows } from '../../../src/data/faithful.js'
import { hcMerges, hcPartition, HC_MAX_ROWS } from '../../../src/models/init/hc/index.js'
import { quantileClasses } from '../../../src/models/init/hc/quantile-classes.js'
import { fixtureJson, fixtureMatrix } from '../../helpers/data.js'

const X = faithfulRows()
const mclust = fixtureJson('02_mclust_faithful.json')
// test/fixtures/scripts/mclust_hc_lrt.R
const more = fixtureJson('mclust_hc_lrt.json')
const iris = fixtureMatrix('iris.csv')

function differences(ours: Int32Array, ref: readonly number[]): number {
  return ref.reduce((s, v, i) => s + (v !== ours[i] ? 1 : 0), 0)
}

/** Mclust's BIC table through the estimator: init 'hc' and mclust's stopping rule. */
async function bicTable(data: number[][]) {
  const s = await selectModel(() => new GaussianMixture({ init: 'hc', regCovar: 0, criterion: 'relative', tol: 1e-5, maxIter: 100_000 }), data, {
    grid: { nComponents: [1, 2, 3, 4, 5, 6, 7, 8, 9], covarianceType: [...MCLUST_MODELS] }, workers: 1,
  })
  return s
}

function worstAgainst(table: Awaited<ReturnType<typeof bicTable>>['table'], ref: Record<string, (number | null)[]>): { worst: number; compared: number } {
  let worst = 0, compared = 0
  for (const row of table) {
    const { nComponents: G, covarianceType: t } = row.params as { nComponents: number; covarianceType: string }
    const r = ref[t]![G - 1]
    if (r === null || r === undefined) continue
    compared++
    worst = Math.max(worst, row.mclustBic === null ? Infinity : Math.abs(row.mclustBic - r) / Math.abs(r))
  }
  return { worst, compared }
}

describe("mclust's hierarchical agglomeration (hc, VVV on the SVD-scaled data)", () => {
  it('reproduces the partitions of hclass(hcPairs, G), G = 1..9, on faithful exactly', () => {
    const merges = hcMerges(Float64Array.from(X.flat()), X.length, 2)
    for (let G = 1; G <= 9; G++) expect(differences(hcPartition(merges, G), mclust.hc_initial_partitions.partitions[`G${G}`]), `G=${G}`).toBe(0)
  })

  it('reproduces them on iris (4 columns) too', () => {
    const merges = hcMerges(Float64Array.from(iris.flat()), iris.length, 4)
    for (let G = 1; G <= 9; G++) expect(differences(hcPartition(merges, G), more.iris.hc_partitions[`G${G}`]), `G=${G}`).toBe(0)
  })

  it('with EII (Ward; mclust uses it when n <= d) the partitions are hc(X, "EII")\'s on faithful and iris', () => {
    for (const [name, data] of [['faithful', X], ['iris', iris]] as const) {
      const merges = hcMerges(Float64Array.from(data.flat()), data.length, data[0]!.length, 'EII')
      for (let G = 1; G <= 9; G++) expect(differences(hcPartition(merges, G), more.hc_eii[name][`G${G}`]), `${name} G=${G}`).toBe(0)
    }
  })

  it("one column: mclust's quantile classes (qclass)", () => {
    const waiting = Float64Array.from(X.map((r) => r[1]!))
    for (let G = 2; G <= 5; G++) expect(differences(quantileClasses(waiting, G), more.qclass_faithful_waiting[`G${G}`]), `G=${G}`).toBe(0)
  })

  it(`hc itself refuses more than ${HC_MAX_ROWS} rows, as mclust's; hcSubset above it is an option error`, () => {
    const rows = Float64Array.from({ length: 2 * (HC_MAX_ROWS + 1) }, (_, i) => Math.sin(i))
    expect(() => hcMerges(rows, HC_MAX_ROWS + 1, 2)).toThrow(UnsupportedError)
    expect(() => hcMerges(rows, HC_MAX_ROWS + 1, 2)).toThrow(`at most ${HC_MAX_ROWS} rows`)
    expect(() => new GaussianMixture({ hcSubset: HC_MAX_ROWS + 1 })).toThrow(/hcSubset.*at most 5000/)
  })

  it('NaN entries (missing values) are refused by hc, with the remedy', async () => {
    const rows = X.map((r, i) => (i === 5 ? [Number.NaN, r[1]!] : r))
    const error = await new GaussianMixture({ nComponents: 2, init: 'hc' }).fit(rows).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnsupportedError)
    expect((error as Error).message).toContain('missing values')
  })
})

describe("GaussianMixture({ init: 'hc', criterion: 'relative' }) is Mclust", () => {
  it('faithful: the whole BIC table (14 models x G = 1..9) within 1e-5 relative (measured 3.4e-9), best EEE 3', async () => {
    const s = await bicTable(X)
    const { worst, compared } = worstAgainst(s.table, mclust.bic_table.BIC)
    console.log(`faithful: ${compared} cells, largest relative BIC difference ${worst.toExponential(2)}`)
    expect(compared).toBe(126)
    expect(worst).toBeLessThan(1e-5)
    expect(s.best.params).toEqual({ nComponents: mclust.best.G, covarianceType: mclust.best.modelName })
  }, 120_000)

  it("iris: every cell mclust reports within 1e-5 relative, and mclust's best (VEV, 2)", async () => {
    const s = await bicTable(iris)
    const { worst, compared } = worstAgainst(s.table, more.iris.bic_table)
    console.log(`iris: ${compared} cells, largest relative BIC difference ${worst.toExponential(2)}`)
    expect(worst).toBeLessThan(1e-5)
    const [model, G] = (more.iris.best.model as string).split(',')
    expect(s.best.params).toEqual({ nComponents: Number(G), covarianceType: model })
  }, 180_000)

  it("criterion 'relative' keeps the parameters whose log-likelihood stopped it (mclust's me)", async () => {
    const gm = await new GaussianMixture({ nComponents: 3, covarianceType: 'EEE', init: 'hc', regCovar: 0, criterion: 'relative', tol: 1e-5 }).fit(X)
    expect(Math.abs(gm.logLik - mclust.best.loglik)).toBeLessThan(1e-8)
    expect(gm.nIter).toBe(mclust.reproduce_best_from_hc_partition.info.iterations)
  })
})
