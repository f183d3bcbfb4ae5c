/**
 * selectModel for estimators whose calls take more than X: the data are what
 * `bootstrap` takes ({ X, y, sampleWeight, exposure, lengths, trials, groups }), every
 * cell is fitted through the kind and scored as the estimator's own bic() scores it
 * (HMMs: total over sequences, n = rows; the GLMM: per group, n = rows), and ICL is
 * refused before fitting for an estimator without latent classes.
 */
import { describe, expect, it } from 'vitest'
import {
  GammaPoisson, GaussianHMM, GMMHMM, LogisticGLMM, PoissonMixture, ProbitRegression, selectModel, TobitRegression,
} from '../../src/index.js'
import { Rng } from '../../src/core/rng/rng.js'
import { glmmData } from '../glmm/synthetic.js'
import { tobinData } from '../helpers/data.js'

/** Three sticky states in d = 2, 12 sequences of 60 steps. */
const hmmTruth = new GaussianHMM({
  nComponents: 3, covarianceType: 'diag', seed: 4,
  init: {
    startProb: [0.5, 0.3, 0.2], transMat: [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]],
    means: [[0, 0], [5, 0], [0, 5]], covariances: [[1, 1], [1, 1], [1, 1]],
  },
})
const lengths = Array.from({ length: 12 }, () => 60)
const hmmX = lengths.flatMap((n) => hmmTruth.sample(n).X)

describe('selectModel: HMMs with { X, lengths }', () => {
  it('GaussianHMM nComponents 1..4: the table scores each cell as bic(X, { lengths }) does, and the best is 3 states', async () => {
    const make = () => new GaussianHMM({ covarianceType: 'diag', nInit: 2, seed: 1, tol: 1e-6, maxIter: 200 })
    const s = await selectModel(make, { X: hmmX, lengths }, { grid: { nComponents: [1, 2, 3, 4] }, workers: 1 })
    expect(s.table.map((r) => r.params.nComponents)).toEqual([1, 2, 3, 4])
    const n = hmmX.length
    for (const row of s.table) {
      const direct = await make().setParams({ nComponents: row.params.nComponents }).fit(hmmX, { lengths })
      // the same fit, scored as its own bic() does: the total over the sequences, n = rows
      expect(row.logLik).toBe(direct.score(hmmX, { lengths }))
      expect(row.bic).toBe(direct.bic(hmmX, { lengths }))
      expect(row.bic!).toBeCloseTo(-2 * row.logLik! + row.nParameters! * Math.log(n), 8)
      // ICL classifies the observations into states: never below the BIC, equal with one state
      expect(row.icl!).toBeGreaterThanOrEqual(row.bic!)
    }
    expect(s.table[0]!.icl).toBe(s.table[0]!.bic)
    expect(s.best.params).toEqual({ nComponents: 3 })
    expect(s.best.model).toBeInstanceOf(GaussianHMM)
    expect(s.best.model.bic(hmmX, { lengths })).toBe(s.best.bic)
    console.log(`[select] GaussianHMM BIC by K: ${s.table.map((r) => r.bic!.toFixed(2)).join(', ')}; ICL: ${s.table.map((r) => r.icl!.toFixed(2)).join(', ')}`)
  })

  it('GMMHMM nMix [1, 2]: both cells scored, ICL from the state posteriors', async () => {
    const X = hmmX.slice(0, 360), lens = lengths.slice(0, 6)
    const s = await selectModel(() => new GMMHMM({ nComponents: 3, covarianceType: 'diag', seed: 2, tol: 1e-5, maxIter: 100 }), { X, lengths: lens }, {
      grid: { nMix: [1, 2] }, criterion: 'icl', workers: 1,
    })
    expect(s.table.map((r) => r.status)).toEqual(['converged', 'converged'])
    for (const row of s.table) expect(row.icl!).toBeGreaterThanOrEqual(row.bic!)
    // one Gaussian per state: the data's own model, fewer parameters
    expect(s.table[0]!.nParameters).toBeLessThan(s.table[1]!.nParameters!)
    expect(s.best.model.bic(X, { lengths: lens })).toBe(s.best.bic)
    expect(s.best.params).toEqual({ nMix: 1 })
  })
})

describe('selectModel: regressions with { X, y }', () => {
  const { X, y } = tobinData()
  const make = () => new TobitRegression({ left: 0, tol: 1e-10, maxIter: 100000 })

  it("TobitRegression on Tobin's data over fitIntercept: each row is the cell's own bic(X, y), the best the smaller", async () => {
    const s = await selectModel(make, { X, y }, { grid: { fitIntercept: [true, false] } })
    const direct = await Promise.all([true, false].map(async (fitIntercept) => (await make().setParams({ fitIntercept }).fit(X, y)).bic(X, y)))
    expect(s.table.map((r) => r.bic)).toEqual(direct)
    expect(s.table.map((r) => r.nParameters)).toEqual([4, 3])
    expect(s.table.map((r) => r.icl)).toEqual([null, null])
    const best = direct[0]! <= direct[1]! ? 0 : 1
    expect(s.best.index).toBe(best)
    expect(s.best.model.fitIntercept).toBe(best === 0)
    console.log(`[select] Tobit on Tobin: BIC with intercept ${direct[0]}, without ${direct[1]}`)
  })

  it("criterion 'icl' is an UnsupportedError before any fit for Tobit, and for Probit (its P(y = 1) is no latent class)", async () => {
    let fits = 0
    const counting = () => { const t = make(); const fit = t.fitDataset.bind(t); t.fitDataset = async (...a) => { fits++; return fit(...a) }; return t }
    const err = await selectModel(counting, { X, y }, { grid: { fitIntercept: [true, false] }, criterion: 'icl' }).catch((e) => e)
    expect(err).toMatchObject({ name: 'UnsupportedError', code: 'UNSUPPORTED' })
    expect(err.message).toMatch(/TobitRegression has none; use criterion 'bic' or 'aic'/)
    expect(fits).toBe(0)
    const yBinary = y.map((v) => (v > 0 ? 1 : 0))
    await expect(selectModel(() => new ProbitRegression(), { X, y: yBinary }, { grid: { fitIntercept: [true] }, criterion: 'icl' }))
      .rejects.toMatchObject({ name: 'UnsupportedError', message: expect.stringMatching(/ProbitRegression has none/) })
  })

  it('data the kind does not take, or lacks, is an OptionError naming the field', async () => {
    await expect(selectModel(make, X, { grid: { fitIntercept: [true] } })).rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/'y'.*is required/) })
    await expect(selectModel(make, { X, y, lengths: [20] }, { grid: { fitIntercept: [true] } }))
      .rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/'lengths'.*not used by 'TobitRegression'.*X, y, sampleWeight/) })
    await expect(selectModel(make, { X, y, sampleWeight: y.map(() => -1) }, { grid: { fitIntercept: [true] } }))
      .rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringMatching(/sampleWeight\[0\] is -1/) })
  })

  it('LogisticGLMM over nAGQ with { X, y, groups, trials }: n is the rows, as its bic() counts them', async () => {
    const d = glmmData(3, 8, 6, { intercept: -0.5, coefficients: [0.8], sigma: 0.7 }, 3)
    const make = () => new LogisticGLMM({ seed: 1, maxIter: 6, mcem: { initialSamples: 30, maxSamples: 60, burnIn: 10 } })
    const s = await selectModel(make, { X: d.X, y: d.y, groups: d.groups, trials: d.trials }, { grid: { nAGQ: [1, 5] }, workers: 1 })
    const direct = await make().setParams({ nAGQ: 5 }).fit(d.X, d.y, { groups: d.groups, trials: d.trials })
    expect(s.table[1]!.bic).toBe(direct.bic(d.X, d.y, { groups: d.groups, trials: d.trials }))
    for (const row of s.table) expect(row.bic!).toBeCloseTo(-2 * row.logLik! + row.nParameters! * Math.log(d.X.length), 8)
    expect(s.table.map((r) => r.icl)).toEqual([null, null])
  })
})

describe('selectModel: counts with weights and exposures', () => {
  it('PoissonMixture with sampleWeight: log L = sum w_i l_i and n = sum w_i, at the chosen fit', async () => {
    const counts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    const sampleWeight = [162, 267, 271, 185, 111, 61, 27, 8, 3, 1]
    const s = await selectModel(() => new PoissonMixture({ tol: 1e-8, maxIter: 2000 }), { X: counts, sampleWeight }, { grid: { nComponents: [1, 2] } })
    const rowScores = s.best.model.scoreSamples(counts)
    let logLik = 0, n = 0
    counts.forEach((_, i) => { logLik += sampleWeight[i]! * rowScores[i]!; n += sampleWeight[i]! })
    expect(s.best.logLik).toBe(logLik)
    expect(s.best.bic).toBe(-2 * logLik + s.best.nParameters! * Math.log(n))
  })

  it('GammaPoisson with exposure: each row is the cell\'s own bic(counts, { exposure })', async () => {
    const rng = new Rng(7)
    const exposure = Array.from({ length: 150 }, (_, i) => 1 + (i % 5))
    const counts = exposure.map((t) => {
      const rate = rng.gamma(2, 1.5) * t
      let k = 0, p = Math.exp(-rate), c = p
      const u = rng.uniform()
      while (u > c) { k++; p *= rate / k; c += p }
      return k
    })
    const make = () => new GammaPoisson({ tol: 1e-10 })
    const s = await selectModel(make, { X: counts, exposure }, { grid: { algorithm: ['em', 'gem'] } })
    for (const row of s.table) {
      const direct = await make().setParams({ algorithm: row.params.algorithm }).fit(counts, { exposure })
      expect(row.bic).toBe(direct.bic(counts, { exposure }))
      // the exposures count: without them the likelihood is another
      expect(row.bic).not.toBe(direct.bic(counts))
    }
    expect(s.table.map((r) => r.nParameters)).toEqual([2, 2])
  })
})
