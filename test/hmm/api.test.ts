/**
 * The HMM estimators on the one estimator base: options with suggestions,
 * get/setParams, fit options, maxIter 0, warm starts, fitPredict, scoreSamples and
 * the total score, bic/aic on the training data, use before fit, and saving and
 * loading (bit-identical predictions on every backend).
 */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, EmkitError, GaussianHMM, loadModel, MODEL_VERSION, ModelFormatError, OptionError, PoissonHMM } from '../../src/index.js'
import { BACKENDS } from '../helpers/data.js'

const CHAIN = { startProb: [0.6, 0.4], transMat: [[0.9, 0.1], [0.2, 0.8]] }
const GAUSS_INIT = { ...CHAIN, means: [[0, 0], [3, 1]], covariances: [[1, 1], [0.5, 2]] }
const X = new GaussianHMM({ nComponents: 2, seed: 3, init: GAUSS_INIT }).sample(300).X
const symbols = new CategoricalHMM({ nComponents: 2, seed: 4, init: { ...CHAIN, emissionProb: [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]] } }).sample(300).X
const counts = new PoissonHMM({ nComponents: 2, seed: 5, init: { ...CHAIN, rates: [2, 9] } }).sample(300).X
const lengths = [120, 180]

type AnyHmm = GaussianHMM | CategoricalHMM | PoissonHMM

/** The three estimators with their data, built from the same options. */
const CASES = [
  { name: 'GaussianHMM', make: (o: Record<string, unknown> = {}) => new GaussianHMM({ nComponents: 2, seed: 1, ...o }), data: X as unknown },
  { name: 'CategoricalHMM', make: (o: Record<string, unknown> = {}) => new CategoricalHMM({ nComponents: 2, seed: 1, ...o }), data: symbols as unknown },
  { name: 'PoissonHMM', make: (o: Record<string, unknown> = {}) => new PoissonHMM({ nComponents: 2, seed: 1, ...o }), data: counts as unknown },
] as const

/** Everything a fitted HMM says about data, for exact comparisons. */
function readings(h: AnyHmm, data: unknown) {
  const x = data as never
  return {
    startProb: h.startProb, transMat: h.transMat, predict: h.predict(x, { lengths }), map: h.decode(x, { algorithm: 'map', lengths }),
    viterbi: h.decode(x, { lengths }), score: h.score(x, { lengths }), samples: h.scoreSamples(x, { lengths }), bic: h.bic(x, { lengths }),
  }
}

function expectOptionError(f: () => unknown, pattern: RegExp): void {
  try {
    f()
  } catch (e) {
    expect(e).toBeInstanceOf(OptionError)
    expect((e as Error).message).toMatch(pattern)
    return
  }
  expect.fail('expected an OptionError')
}

describe('HMM options on the estimator base', () => {
  it('misspelt options and values get a suggestion; getParams shows the defaults; setParams validates', () => {
    expectOptionError(() => new GaussianHMM({ nComponent: 3 } as never), /did you mean 'nComponents'/)
    expectOptionError(() => new GaussianHMM({ covarianceType: 'dia' as never }), /did you mean 'diag'/)
    expectOptionError(() => new PoissonHMM({ init: { rate: [1, 2] } as never }), /did you mean 'rates'/)
    expectOptionError(() => new CategoricalHMM({ pseudoCounts: { transmat: 1 } as never }), /did you mean 'transMat'/)
    const h = new GaussianHMM()
    expect(h.getParams()).toMatchObject({
      nComponents: 2, covarianceType: 'diag', tol: 1e-4, maxIter: 100, nInit: 1, regCovar: 1e-6, algorithm: 'em', warmStart: false,
      init: {}, pseudoCounts: {}, fitParams: { startProb: true, transMat: true, means: true, covariances: true },
    })
    expect(h.setParams({ nComponents: 3, fitParams: { means: false } })).toBe(h)
    expect(h.nComponents).toBe(3)
    expect(h.fitParams).toEqual({ startProb: true, transMat: true, means: false, covariances: true })
    expectOptionError(() => h.setParams({ tool: 1 }), /did you mean 'tol'/)
    expectOptionError(() => h.setParams({ init: { transMat: [[0.5, 0.6], [0.5, 0.5], [1, 0]] } }), /init.transMat/)
    expect(h.nComponents).toBe(3)
    // nSymbols: the option as given in getParams, the model's number as the attribute
    const c = new CategoricalHMM({ init: { emissionProb: [[0.5, 0.5], [0.1, 0.9]] } })
    expect(c.getParams()['nSymbols']).toBe(null)
    expect(c.nSymbols).toBe(2)
  })

  it('misspelt fit and scoring options are refused with a suggestion', async () => {
    const h = new GaussianHMM({ nComponents: 2, init: GAUSS_INIT })
    await expect(h.fit(X, { length: lengths } as never)).rejects.toThrow(/did you mean 'lengths'/)
    await expect(h.fit(X, { lenghts: lengths } as never)).rejects.toThrow(/did you mean 'lengths'/)
    expectOptionError(() => h.predict(X, { lenghts: lengths } as never), /did you mean 'lengths'/)
    expectOptionError(() => h.score(X, { length: lengths } as never), /did you mean 'lengths'/)
    expectOptionError(() => h.decode(X, { algorithm: 'viterby' as never }), /did you mean 'viterbi'/)
    expectOptionError(() => h.decode(X, { algoritm: 'map' } as never), /did you mean 'algorithm'/)
  })
})

describe.each(CASES)('$name on the estimator base', ({ make, data }) => {
  const x = data as never

  it('maxIter 0 returns the initialisation; nFeaturesIn; fitPredict(X, { lengths })', async () => {
    const h = await make({ maxIter: 0 }).fit(x, { lengths })
    expect(h.nIter).toBe(0)
    expect(h.history).toHaveLength(1)
    expect(h.startProb).toEqual([0.5, 0.5])
    expect(h.transMat).toEqual([[0.5, 0.5], [0.5, 0.5]])
    expect(h.history[0]).toBe(h.score(x, { lengths }))
    expect(h.nFeaturesIn).toBe(data === X ? 2 : 1)
    const fitted = await make().fit(x, { lengths })
    expect(await make().fitPredict(x, { lengths })).toEqual(fitted.predict(x, { lengths }))
  })

  it('scoreSamples is hmmlearn\'s (total log-likelihood, posteriors); score is the total; bic/aic default to the training data', async () => {
    const h = await make({ pseudoCounts: { transMat: 2 } }).fit(x, { lengths })
    const { logProb, posteriors } = h.scoreSamples(x, { lengths })
    expect(logProb).toBe(h.score(x, { lengths }))
    expect(posteriors).toEqual(h.predictProba(x, { lengths }))
    // the same posteriors as one row-major array (what the CLI reads for long series)
    const flat = h.predictProbaMatrix(x, { lengths })
    expect([flat.rows, flat.cols]).toEqual([300, h.nComponents])
    expect(Array.from(flat.data)).toEqual(posteriors.flat())
    expect(() => h.predictProbaMatrix(x, { length: lengths } as never)).toThrow(/has no option 'length'; did you mean 'lengths'\?/)
    expect(posteriors).toHaveLength(300)
    for (const row of posteriors) expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12)
    const p = h.nParameters()
    expect(h.bic(x, { lengths })).toBeCloseTo(-2 * logProb + p * Math.log(300), 9)
    expect(h.aic(x, { lengths })).toBeCloseTo(-2 * logProb + 2 * p, 9)
    // no data: the training data's log-likelihood, without the pseudo-counts' log prior that the fit's objective has
    expect(h.score()).toBeCloseTo(logProb, 8)
    expect(h.bic()).toBeCloseTo(h.bic(x, { lengths }), 7)
    expect(h.aic()).toBeCloseTo(h.aic(x, { lengths }), 7)
    expect(h.logLik).toBeLessThan(h.score())
  })

  it('warm start: 5 warm fits of maxIter 1 reach exactly one fit of maxIter 5', async () => {
    const once = await make({ maxIter: 5, tol: 0 }).fit(x, { lengths })
    const warm = make({ maxIter: 1, tol: 0, warmStart: true })
    for (let i = 0; i < 5; i++) await warm.fit(x, { lengths })
    expect(warm.nIter).toBe(1)
    expect(warm.fitResult.params).toEqual(once.fitResult.params)
    expect(warm.logLik).toBe(once.logLik)
  })

  it('warm start: a maxIter 1 loop reports converged at the iteration one long fit converges, with its parameters', async () => {
    const cold = await make({ tol: 1e-3 }).fit(x, { lengths })
    expect(cold.converged).toBe(true)
    expect(cold.nIter).toBeGreaterThan(3)
    const warm = make({ maxIter: 1, tol: 1e-3, warmStart: true })
    let fits = 0
    do {
      await warm.fit(x, { lengths })
      fits++
    } while (!warm.converged && fits < 200)
    expect(fits).toBe(cold.nIter)
    expect(warm.fitResult.params).toEqual(cold.fitResult.params)
  })
})

describe('use before fit', () => {
  it('an HMM with every parameter in init scores, predicts, decodes, samples and counts parameters; fit-result getters need a fit', () => {
    const h = new GaussianHMM({ nComponents: 2, init: GAUSS_INIT })
    expect(h.isFitted).toBe(false)
    expect(h.nParameters()).toBe(1 + 2 + 4 + 4)
    expect(h.means).toEqual(GAUSS_INIT.means)
    expect(h.scoreSamples(X).logProb).toBe(h.score(X))
    expect(h.predict(X)).toHaveLength(300)
    expect(h.bic(X)).toBeCloseTo(-2 * h.score(X) + 11 * Math.log(300), 9)
    expect(() => h.fitResult).toThrow(/needs a fitted model/)
    expect(() => h.score()).toThrow(/needs a fitted model/)
  })

  it('inputs are typed: a flat array or Float64Array is one column; one-symbol rows equal a flat array', async () => {
    const flat = X.map((r) => r[0]!)
    const g = await new GaussianHMM({ nComponents: 2, seed: 1 }).fit(flat)
    expect(g.nFeaturesIn).toBe(1)
    expect(g.score(Float64Array.from(flat))).toBe(g.score(flat.map((v) => [v])))
    const c = await new CategoricalHMM({ nComponents: 2, seed: 1 }).fit(symbols)
    expect(c.score(symbols.map((s) => [s] as [number]))).toBe(c.score(symbols))
  })
})

describe('saving and loading', () => {
  for (const backend of BACKENDS) {
    it.each(CASES)(`$name on ${backend}: a loaded model predicts, decodes and scores bit for bit`, async ({ name, make, data }) => {
      const h = await make({ backend, nInit: 2 }).fit(data as never, { lengths })
      const json = JSON.parse(JSON.stringify(h.toJSON()))
      const cls = { GaussianHMM, CategoricalHMM, PoissonHMM }[name]
      const fromJSON = await (cls as typeof GaussianHMM).fromJSON(json) as AnyHmm
      const loaded = await loadModel(json) as AnyHmm
      expect(loaded).toBeInstanceOf(cls)
      for (const other of [fromJSON, loaded]) {
        expect(readings(other, data)).toEqual(readings(h, data))
        expect(other.fitResult.history).toEqual(h.fitResult.history)
        expect(other.nIter).toBe(h.nIter)
        expect(other.getParams()).toEqual(h.getParams())
      }
      if (h instanceof CategoricalHMM) expect((loaded as CategoricalHMM).nSymbols).toBe(h.nSymbols)
    })
  }

  it('an unfitted HMM given every parameter loads and scores before fit', async () => {
    const h = new GaussianHMM({ nComponents: 2, init: GAUSS_INIT })
    const loaded = await GaussianHMM.fromJSON(JSON.stringify(h.toJSON()))
    expect(loaded.isFitted).toBe(false)
    expect(loaded.decode(X)).toEqual(h.decode(X))
  })

  it('a document from a newer format or of another kind is a typed error', async () => {
    const h = await new PoissonHMM({ nComponents: 2, seed: 1 }).fit(counts)
    const future = { ...h.toJSON(), version: MODEL_VERSION + 1 }
    await expect(PoissonHMM.fromJSON(future)).rejects.toThrow(ModelFormatError)
    await expect(loadModel(future)).rejects.toMatchObject({ code: 'MODEL_VERSION' })
    await expect(GaussianHMM.fromJSON(h.toJSON())).rejects.toMatchObject({ code: 'INVALID_MODEL' })
    await expect(GaussianHMM.fromJSON(h.toJSON())).rejects.toBeInstanceOf(EmkitError)
  })
})
