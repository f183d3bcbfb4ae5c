import { describe, expect, it } from 'vitest'
import { GaussianMixture, PoissonMixture, registerKind, selectModel } from '../../src/index.js'
import { DegenerateError, InputError } from '../../src/core/errors.js'
import { faithfulRows } from '../../src/data/faithful.js'
import type { SelectableEstimator } from '../../src/inference/select.js'
import { fixtureJson } from '../helpers/data.js'

const X = faithfulRows()
const n = X.length
const mclust = fixtureJson('02_mclust_faithful.json')
/** emkit's covariance types by mclust's model names. */
const MCLUST_NAME = { full: 'VVV', tied: 'EEE', diag: 'VVI', spherical: 'VII' } as const
/** mclustICL(faithful) in mclust's sign, printed to 3 decimals. */
const MCLUST_ICL_G2 = { full: -2322.697, tied: -2326.71, diag: -2346.161 } as const

/** Weights, means and covariances (sklearn's shapes) of a hard partition, as mclust's EM starts from unmap(hclass(...)). */
function partitionStart(labels: readonly number[], k: number, type: 'full' | 'tied' | 'diag') {
  const d = 2
  const nk = new Array<number>(k).fill(0)
  const means = Array.from({ length: k }, () => new Array<number>(d).fill(0))
  labels.forEach((l, i) => { nk[l - 1]!++; for (let j = 0; j < d; j++) means[l - 1]![j]! += X[i]![j]! })
  means.forEach((m, c) => m.forEach((_, j) => (m[j]! /= nk[c]!)))
  const scatter = Array.from({ length: k }, () => [[0, 0], [0, 0]])
  labels.forEach((l, i) => {
    const c = l - 1
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) scatter[c]![a]![b]! += (X[i]![a]! - means[c]![a]!) * (X[i]![b]! - means[c]![b]!)
  })
  const weights = nk.map((v) => v / n)
  const covariances = type === 'full' ? scatter.map((s, c) => s.map((r) => r.map((v) => v / nk[c]!)))
    : type === 'tied' ? [0, 1].map((a) => [0, 1].map((b) => scatter.reduce((t, s) => t + s[a]![b]!, 0) / n))
      : scatter.map((s, c) => [s[0]![0]! / nk[c]!, s[1]![1]! / nk[c]!])
  return { weights, means, covariances }
}

describe('selectModel: ICL and BIC against mclust on Old Faithful', () => {
  it("from mclust's own start and stopping rule, the rows reproduce mclustBIC and mclustICL (ICL's term is the hard MAP classification)", async () => {
    const cases = [
      { G: 2, type: 'full', icl: MCLUST_ICL_G2.full },
      { G: 2, type: 'tied', icl: MCLUST_ICL_G2.tied },
      { G: 2, type: 'diag', icl: MCLUST_ICL_G2.diag },
      { G: 3, type: 'tied', icl: mclust.best.icl as number }, // Mclust's chosen model, EEE G = 3
    ] as const
    for (const { G, type, icl } of cases) {
      const init = partitionStart(mclust.hc_initial_partitions.partitions[`G${G}`], G, type)
      const options = { nComponents: G, covarianceType: type, init, regCovar: 0, tol: 0 }
      // mclust stops when |L_t - L_t-1| / (1 + |L_t|) < 1e-5: find that iteration in a longer run's history
      const h = (await new GaussianMixture({ ...options, maxIter: 300 }).fit(X)).history
      let stop = 1
      while (stop < h.length - 1 && Math.abs(h[stop]! - h[stop - 1]!) / (1 + Math.abs(h[stop]!)) >= 1e-5) stop++
      const s = await selectModel(() => new GaussianMixture({ ...options, maxIter: stop }), X, { grid: { nComponents: [G] }, criterion: 'icl' })
      const row = s.table[0]!
      expect(row.mclustBic!, `${type} G=${G}`).toBeCloseTo(mclust.bic_table.BIC[MCLUST_NAME[type]][G - 1], 4)
      expect(Math.abs(row.mclustIcl! - icl), `${type} G=${G}`).toBeLessThan(1e-3)
    }
  })

  it('at the MLE (tol 1e-8, nInit 5) the G = 2 rows match mclustICL to 1e-3 (VVV: 1e-2, mclust stops short of the maximum)', async () => {
    const s = await selectModel(() => new GaussianMixture({ nComponents: 2, tol: 1e-8, nInit: 5, maxIter: 1000 }), X, {
      grid: { covarianceType: ['full', 'tied', 'diag'] }, criterion: 'icl',
    })
    for (const row of s.table) {
      const type = row.params.covarianceType as keyof typeof MCLUST_ICL_G2
      // mclust's VVV fit ends 1.5e-4 below the maximum log-likelihood; ICL's classification term moves
      // to first order with the parameters (the BIC only to second order), so it ends 0.008 away
      expect(Math.abs(row.mclustIcl! - MCLUST_ICL_G2[type]), type).toBeLessThan(type === 'full' ? 1e-2 : 1e-3)
      expect(row.mclustBic!, type).toBeGreaterThanOrEqual(mclust.bic_table.BIC[MCLUST_NAME[type]][1] - 1e-6)
    }
    expect(s.best.params.covarianceType).toBe('full')
  })

  it('K = 1, 2 BIC rows of every covariance type agree with Mclust(faithful) (mclust sign; the MLE is unique there)', async () => {
    const s = await selectModel(() => new GaussianMixture({ tol: 1e-8, nInit: 5, maxIter: 1000 }), X, {
      grid: { nComponents: [1, 2], covarianceType: ['full', 'tied', 'diag', 'spherical'] }, workers: 1,
    })
    for (const row of s.table) {
      const { nComponents: k, covarianceType: t } = row.params as { nComponents: number; covarianceType: keyof typeof MCLUST_NAME }
      const ref = mclust.bic_table.BIC[MCLUST_NAME[t!]][k! - 1] as number
      // K = 1 is closed form; at K = 2 mclust stops at a relative change of 1e-5, up to 0.006 short
      expect(Math.abs(row.mclustBic! - ref), `${k} ${t}`).toBeLessThan(k === 1 ? 1e-6 : 1e-2)
      expect(row.mclustBic!, `${k} ${t}`).toBeGreaterThanOrEqual(ref - 1e-6)
    }
  })
})

describe('selectModel: the table', () => {
  it('cells are the product of the grid, first key slowest; rows hold both signs and the criteria agree with logLik', async () => {
    const seen: number[] = []
    const s = await selectModel(() => new GaussianMixture({ seed: 2 }), X, {
      grid: { covarianceType: ['diag', 'full'], nComponents: [1, 2, 3] },
      onFit: (row, i, total) => { seen.push(i); expect(total).toBe(6); expect(row.params.nComponents).toBe((i % 3) + 1) },
    })
    expect(seen).toEqual([0, 1, 2, 3, 4, 5])
    expect(s.table.map((r) => `${r.params.covarianceType}${r.params.nComponents}`)).toEqual(['diag1', 'diag2', 'diag3', 'full1', 'full2', 'full3'])
    for (const r of s.table) {
      expect(Object.keys(r.params)).toEqual(['covarianceType', 'nComponents'])
      expect(r.bic!).toBeCloseTo(-2 * r.logLik! + r.nParameters! * Math.log(n), 8)
      expect(r.aic!).toBeCloseTo(-2 * r.logLik! + 2 * r.nParameters!, 8)
      expect(r.icl!).toBeGreaterThanOrEqual(r.bic!)
      expect(r.mclustBic).toBe(-r.bic!)
      expect(r.mclustIcl).toBe(-r.icl!)
      expect(r.nIter).toBeGreaterThan(0)
      expect(r.error).toBeUndefined()
    }
    // one component: every point is classified with certainty, ICL = BIC
    expect(s.table[0]!.icl).toBe(s.table[0]!.bic)
    expect(s.criterion).toBe('bic')
    expect(s.best.bic).toBe(Math.min(...s.table.map((r) => r.bic!)))
    expect(s.best.model).toBeInstanceOf(GaussianMixture)
    expect(s.best.model.nComponents).toBe(s.best.params.nComponents)
    expect(s.best.model.covarianceType).toBe(s.best.params.covarianceType)
    expect(s.best.model.bic(X)).toBe(s.best.bic)
    expect(s.table[s.best.index]).toMatchObject({ bic: s.best.bic, params: s.best.params })
  })

  it('criterion aic / icl picks the smallest of that column', async () => {
    for (const criterion of ['aic', 'icl'] as const) {
      const s = await selectModel(() => new GaussianMixture({ seed: 1 }), X, { grid: { nComponents: [1, 2, 3, 4] }, criterion })
      expect(s.criterion).toBe(criterion)
      expect(s.best[criterion]).toBe(Math.min(...s.table.map((r) => r[criterion]!)))
    }
  })

  it('sampleWeight counts a row w times in logLik, in n and in the ICL term: weight 2 = the row twice', async () => {
    const weight = X.map((_, i) => (i % 3 === 0 ? 2 : 1))
    const doubled = X.flatMap((row, i) => (weight[i] === 2 ? [row, row] : [row]))
    const make = () => new GaussianMixture({ nComponents: 2, tol: 1e-10, maxIter: 2000, nInit: 3 })
    const grid = { covarianceType: ['full', 'spherical'] as ('full' | 'spherical')[] }
    const a = await selectModel(make, { X, sampleWeight: weight }, { grid })
    const b = await selectModel(make, doubled, { grid })
    a.table.forEach((r, i) => {
      const s = b.table[i]!
      // the same maximum reached two ways; a wrong n or an unweighted term would be off by whole units
      for (const key of ['logLik', 'bic', 'aic', 'icl'] as const) expect(Math.abs(r[key]! - s[key]!), key).toBeLessThan(1e-5)
      expect(r.nParameters).toBe(s.nParameters)
    })
  })

  it('a cell with more components than rows is skipped; when all are, the error says so', async () => {
    const s = await selectModel(() => new GaussianMixture(), [[0, 1], [1, 0], [2, 2]], { grid: { nComponents: [1, 5] } })
    expect(s.table.map((r) => r.status)).toEqual(['converged', 'skipped'])
    expect(s.table[1]).toMatchObject({ bic: null, icl: null, mclustBic: null, mclustIcl: null, logLik: null, nIter: null, error: { code: 'TOO_MANY_COMPONENTS' } })
    await expect(selectModel(() => new GaussianMixture(), [[1, 2], [3, 4]], { grid: { nComponents: [3, 4] } }))
      .rejects.toMatchObject({ code: 'TOO_MANY_COMPONENTS', name: 'InputError' })
  })

  it('works for another registered estimator with the interface (a stand-in without latent classes: ICL null)', async () => {
    const s = await selectModel(() => stub(() => null), X, { grid: { nComponents: [1, 2, 3] } })
    expect(s.table.map((r) => r.icl)).toEqual([null, null, null])
    expect(s.table.map((r) => r.mclustIcl)).toEqual([null, null, null])
    expect(s.best.params.nComponents).toBe(3)
  })
})

/** A stand-in estimator whose fit fails where `fail` says; its BIC falls with nComponents, so without failures the largest wins. */
function stub(fail: (k: number, type: string) => Error | null) {
  let params = { nComponents: 1, covarianceType: 'full' }
  const est = {
    fits: 0,
    status: 'converged' as const,
    nIter: 3,
    setParams(p: Partial<typeof params>) {
      params = { ...params, ...p }
      return est
    },
    toSpec: () => ({ kind: 'Stub', options: params }),
    async fitDataset() {
      est.fits++
      const e = fail(params.nComponents, params.covarianceType)
      if (e) throw e
      return est
    },
    // log-likelihood 50k, p = k: BIC = -100k + k log n falls with k
    scoreDataset: (data: { X: { rows: number } }) => ({ logLik: 50 * params.nComponents, n: data.X.rows, posteriors: null }),
    nParameters: () => params.nComponents,
  }
  return est satisfies SelectableEstimator
}
// selection looks the kind up (its data fields); the stand-in runs only on this thread
registerKind('Stub', { create: () => stub(() => null), vector: () => ({ values: new Float64Array(0), names: [] }) })

describe('selectModel: fits that fail', () => {
  it('a degenerate or singular fit is recorded with its code, not thrown, and never chosen', async () => {
    const fail = (k: number, t: string) =>
      k === 3 && t === 'full' ? new DegenerateError('SINGULAR_COVARIANCE', 'component 2 is singular')
        : k === 3 && t === 'diag' ? new DegenerateError('DEGENERATE', 'component 1 is empty') : null
    const s = await selectModel(() => stub(fail), [[1, 2], [3, 4], [5, 6]], { grid: { nComponents: [1, 2, 3], covarianceType: ['full', 'diag'] } })
    expect(s.table).toHaveLength(6)
    const failed = s.table.filter((r) => r.status === 'failed')
    expect(failed.map((r) => r.error!.code)).toEqual(['SINGULAR_COVARIANCE', 'DEGENERATE'])
    expect(failed[0]).toMatchObject({ params: { nComponents: 3, covarianceType: 'full' }, bic: null, icl: null, error: { message: 'component 2 is singular' } })
    expect(s.best.params).toEqual({ nComponents: 2, covarianceType: 'full' })
  })

  it('other errors are thrown: they would fail every cell the same way', async () => {
    await expect(selectModel(() => stub((k) => (k === 2 ? new InputError('INVALID_DATA', 'bad data') : null)), X, { grid: { nComponents: [1, 2] } }))
      .rejects.toMatchObject({ code: 'INVALID_DATA' })
    await expect(selectModel(() => stub(() => new TypeError('a bug')), X, { grid: { nComponents: [1] } })).rejects.toBeInstanceOf(TypeError)
  })

  it('when every fit fails the error says so and what to try', async () => {
    const err = await selectModel(() => stub(() => new DegenerateError('SINGULAR_COVARIANCE', 'singular')), X, { grid: { nComponents: [1, 2] } }).catch((e) => e)
    expect(err.name).toBe('EmkitError')
    expect(err.code).toBe('DEGENERATE')
    expect(err.message).toMatch(/SINGULAR_COVARIANCE/)
    expect(err.message).toMatch(/regCovar/)
  })
})

describe('selectModel: options', () => {
  const make = () => new GaussianMixture()
  it.each([
    [{}, /'grid'.*is required.*nComponents: \[1, 2, 3\]/],
    [{ grid: {} }, /'grid'.*is empty/],
    [{ grid: [1, 2] }, /'grid'.*must be an object/],
    [{ grid: { nComponents: 3 } }, /'grid.nComponents'.*got 3.*\{ nComponents: \[3\] \}/],
    [{ grid: { nComponents: [] } }, /'grid.nComponents'.*empty list/],
    [{ grid: { nComponents: [1, 2, 2] } }, /'grid.nComponents'.*lists 2 twice/],
    [{ grid: { init: [{ means: [[0, 0]] }, { means: [[0, 0]] }] } }, /'grid.init'.*twice/],
    [{ grid: { bogus: [1, 2] } }, /'bogus'.*GaussianMixture has no option 'bogus'.*known options are nComponents/],
    [{ grid: { nComponents: [2, 0] } }, /'nComponents'.*integer >= 1, got 0/],
    [{ grid: { covarianceType: ['banded'] } }, /'covarianceType'.*got "banded"/],
    [{ grid: { nComponents: [1] }, criterion: 'hqc' }, /'criterion'.*'bic', 'aic' or 'icl', got "hqc"/],
    [{ grid: { nComponents: [1] }, workers: 0 }, /'workers'/],
    [{ grid: { nComponents: [1] }, nInit: 3 }, /'nInit'.*not a selectModel option.*make\(\)/],
    [{ grid: { nComponents: [1] }, fitOptions: { sampleWeight: [1] } }, /'fitOptions.sampleWeight'.*is data.*\{ X, sampleWeight \}/],
    [{ grid: { nComponents: [1] }, fitOptions: { tol: 1e-3 } }, /'fitOptions.tol'.*known: signal, onIteration/],
    [{ grid: { nComponents: [1] }, fitOptions: { onIteration: 3 } }, /'onIteration'.*must be a function/],
  ])('%j is an OptionError naming the value and the remedy', async (options, message) => {
    const err = await selectModel(make, X, options as never).catch((e) => e)
    expect(err.name).toBe('OptionError')
    expect(err.code).toBe('INVALID_OPTION')
    expect(err.message).toMatch(message)
  })

  it('make must be a function', async () => {
    await expect(selectModel(new GaussianMixture() as never, X, { grid: { nComponents: [1] } })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })

  it("criterion 'icl' with an estimator without latent classes is an UnsupportedError before anything is fitted", async () => {
    const made: ReturnType<typeof stub>[] = []
    const err = await selectModel(() => { const e = stub(() => null); made.push(e); return e }, X, { grid: { nComponents: [1, 2] }, criterion: 'icl' }).catch((e) => e)
    expect(err).toMatchObject({ name: 'UnsupportedError', code: 'UNSUPPORTED' })
    expect(err.message).toMatch(/use criterion 'bic' or 'aic'/)
    expect(made.reduce((s, e) => s + e.fits, 0)).toBe(0)
  })

  it('an object without setParams is an UnsupportedError', async () => {
    await expect(selectModel(() => ({ fit: async () => undefined }) as never, [1, 2, 3], { grid: { nComponents: [1, 2] } } as never)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
  })

  it('any estimator on the base can be selected: PoissonMixture by ICL over K', async () => {
    const counts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    const sampleWeight = [162, 267, 271, 185, 111, 61, 27, 8, 3, 1]
    const s = await selectModel(() => new PoissonMixture({ tol: 1e-8, maxIter: 2000 }), { X: counts, sampleWeight }, { grid: { nComponents: [1, 2, 3] }, criterion: 'icl' })
    expect(s.table).toHaveLength(3)
    expect(s.table.every((row) => row.icl !== null && row.icl >= row.bic! - 1e-9)).toBe(true)
    expect(s.best.model).toBeInstanceOf(PoissonMixture)
  })
})
