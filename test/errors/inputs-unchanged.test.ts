/**
 * Inputs are never mutated: every array and options object a call is given (data,
 * weights, lengths, responses, groups, starting parameters) is deep-copied before the
 * call and compared after a fit and the scoring calls, for every estimator.
 */
import { describe, expect, it } from 'vitest'
import {
  bootstrap, BayesianGaussianMixture, CategoricalHMM, FactorAnalysis, GammaPoisson, GaussianHMM, GaussianMixture, GMMHMM, LogisticGLMM,
  MultivariateNormal, MultivariateT, PoissonHMM, PoissonMixture, ProbitRegression, selectModel, TMixture, TobitRegression,
} from '../../src/index.js'
import { counts, groups, symbols, X, y, yBinary } from './catalog.js'

/** Run `use` on `inputs`, then check each input equals the deep copy taken before. */
async function unchanged(inputs: Record<string, unknown>, use: (i: any) => Promise<unknown>): Promise<void> {
  const before = structuredClone(inputs)
  await use(inputs)
  for (const key of Object.keys(inputs)) expect(inputs[key], key).toEqual(before[key])
}

const weights = X.map((_, i) => 1 + (i % 3))
const withNaN = X.map((r, i) => (i % 7 === 3 ? [r[0]!, NaN, r[2]!] : r.slice()))
const flat = { data: Float64Array.from(X.flat()), rows: X.length, cols: 3 }

describe('inputs are never mutated', () => {
  it('Gaussian mixtures (GaussianMixture with missing values and a given start, BayesianGaussianMixture)', () => unchanged({ X: withNaN.map((r) => r.slice()), flat, weights: weights.slice(), init: { weights: [0.5, 0.5], means: [[0, 0, 0], [5, 4, 2]] }, resp: { responsibilities: X.map((_, i) => (i % 2 ? [1, 0] : [0, 1])) } }, async (i) => {
    const gm = await new GaussianMixture({ nComponents: 2, init: i.init }).fit(i.X, { sampleWeight: i.weights })
    gm.predictProba(i.X); gm.scoreSamples(i.flat); gm.bic(i.X)
    const bgm = await new BayesianGaussianMixture({ nComponents: 2, init: i.resp }).fit(i.flat)
    bgm.predict(i.flat)
  }))

  it('PoissonMixture and GammaPoisson (counts, weights, exposures, a given start)', () => unchanged({ counts: counts.slice(), weights: weights.slice(), exposure: counts.map((_, i) => 1 + i / 10), init: { rates: [1, 8] } }, async (i) => {
    const pm = await new PoissonMixture({ init: i.init }).fit(i.counts, { sampleWeight: i.weights })
    pm.predictProba(i.counts)
    const gp = await new GammaPoisson().fit(i.counts, { exposure: i.exposure })
    gp.scoreSamples(i.counts, { exposure: i.exposure })
  }))

  it('TMixture, MultivariateT, FactorAnalysis, MultivariateNormal', () => unchanged({ X: X.map((r) => r.slice()), withNaN: withNaN.map((r) => r.slice()), weights: weights.slice(), tInit: { nu: [4, 6] }, faInit: { uniquenesses: [1, 1, 1] } }, async (i) => {
    const t = await new TMixture({ nComponents: 2, init: i.tInit }).fit(i.X, { sampleWeight: i.weights })
    t.predictProba(i.X)
    const mt = await new MultivariateT().fit(i.withNaN, { sampleWeight: i.weights })
    mt.scoreSamples(i.withNaN)
    const fa = await new FactorAnalysis({ init: i.faInit }).fit(i.X, { sampleWeight: i.weights })
    fa.transform(i.X)
    const mvn = await new MultivariateNormal().fit(i.withNaN)
    mvn.scoreSamples(i.withNaN)
  }))

  it('HMMs (rows, symbols, counts, lengths, given parameters)', () => unchanged({ X: X.map((r) => r.slice()), symbols: symbols.slice(), counts: Float64Array.from(counts), lengths: [12, 18], init: { startProb: [0.5, 0.5], transMat: [[0.9, 0.1], [0.2, 0.8]] }, pseudo: { transMat: [[1, 0], [0, 1]] } }, async (i) => {
    const g = await new GaussianHMM({ init: i.init, pseudoCounts: i.pseudo }).fit(i.X, { lengths: i.lengths })
    g.predictProba(i.X, { lengths: i.lengths }); g.decode(i.X, { lengths: i.lengths, algorithm: 'map' })
    const c = await new CategoricalHMM({ init: i.init }).fit(i.symbols, { lengths: i.lengths })
    c.predict(i.symbols, { lengths: i.lengths })
    const p = await new PoissonHMM().fit(i.counts, { lengths: i.lengths })
    p.score(i.counts, { lengths: i.lengths })
    const m = await new GMMHMM({ nMix: 2 }).fit(i.X, { lengths: i.lengths })
    m.scoreSamples(i.X, { lengths: i.lengths })
  }))

  it('regressions (X, y, weights, censoring, groups, trials)', () => unchanged({ X: X.map((r) => r.slice()), y: y.slice(), yBinary: yBinary.slice(), weights: weights.slice(), upper: y.map(() => 6), groups: groups.slice(), trials: X.map(() => 2) }, async (i) => {
    const tobit = await new TobitRegression({ left: 0 }).fit(i.X, i.y, { sampleWeight: i.weights, upper: i.upper })
    tobit.scoreSamples(i.X, i.y, { upper: i.upper })
    const probit = await new ProbitRegression().fit(i.X, i.yBinary, { sampleWeight: i.weights })
    probit.predictProba(i.X)
    const glmm = await new LogisticGLMM({ maxIter: 2, mcem: { initialSamples: 20 } }).fit(i.X, i.yBinary, { groups: i.groups, trials: i.trials })
    glmm.score(i.X, i.yBinary, { groups: i.groups, trials: i.trials })
  }))

  it('bootstrap and selectModel (the data object and its arrays)', () => unchanged({ data: { X: X.map((r) => r.slice()), sampleWeight: weights.slice() }, grid: { nComponents: [1, 2] } }, async (i) => {
    await bootstrap(() => new GaussianMixture({ nComponents: 1 }), i.data, { replicates: 3, workers: 1 })
    await selectModel(() => new GaussianMixture(), i.data, { grid: i.grid, workers: 1 })
  }))
})
