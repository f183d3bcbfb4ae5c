/**
 * BernoulliMixture against the numpy reference EM (test/fixtures/scripts/
 * bernoulli_mixture_numpy.py): from the same start, the log-likelihood after every
 * M-step and the final parameters agree to 1e-12 relative on every backend; then the
 * estimator's calls, options and bad input.
 */
import { describe, expect, it } from 'vitest'
import { BernoulliMixture } from '../../src/index.js'
import { BACKENDS, fixtureJson, relErr } from '../helpers/data.js'
import { rejection, thrownBy } from '../helpers/errors.js'

interface Fixture {
  X: number[][]; k: number; iterations: number
  init: { weights: number[]; probs: number[][] }
  history: number[]; weights: number[]; probs: number[][]
}
const REF = fixtureJson<Fixture>('bernoulli_mixture_numpy.json')

function maxRel(a: readonly number[], b: readonly number[]): number {
  let m = 0
  for (let i = 0; i < b.length; i++) m = Math.max(m, relErr(a[i]!, b[i]!))
  return m
}

describe('BernoulliMixture against numpy', () => {
  for (const backend of BACKENDS) {
    it(`trajectory and parameters (${backend})`, async () => {
      const bm = await new BernoulliMixture({ nComponents: REF.k, init: REF.init, maxIter: REF.iterations, tol: 0, backend }).fit(REF.X)
      expect(bm.history.length).toBe(REF.history.length)
      const trajectory = maxRel(bm.history, REF.history)
      const weights = maxRel(bm.weights, REF.weights)
      const probs = maxRel(bm.probs.flat(), REF.probs.flat())
      console.log(`[bernoulli] ${backend}: history ${trajectory.toExponential(2)}, weights ${weights.toExponential(2)}, probs ${probs.toExponential(2)} (max relative)`)
      expect(trajectory).toBeLessThan(1e-12)
      expect(weights).toBeLessThan(1e-12)
      expect(probs).toBeLessThan(1e-12)
      expect(bm.fitResult.decreases).toEqual([])
      // scoring sees the fitted parameters: score() x n is the last history entry
      expect(relErr(bm.score(REF.X) * REF.X.length, REF.history.at(-1)!)).toBeLessThan(1e-12)
    })
  }
})

describe('BernoulliMixture', () => {
  it('predicts, scores, counts parameters and samples', async () => {
    const bm = await new BernoulliMixture({ nComponents: 3, nInit: 3, seed: 4 }).fit(REF.X)
    console.log('[bernoulli] seed 4')
    const proba = bm.predictProba(REF.X.slice(0, 5))
    for (const row of proba) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12)
    expect(bm.predict(REF.X.slice(0, 5))).toEqual(proba.map((r) => r.indexOf(Math.max(...r))))
    expect(bm.nParameters()).toBe(2 + 3 * 12)
    expect(bm.bic()).toBeCloseTo(-2 * bm.logLik + (2 + 36) * Math.log(REF.X.length), 8)
    const { X, labels } = bm.sample(50)
    expect(X.length).toBe(50)
    expect(labels.every((c) => c >= 0 && c < 3)).toBe(true)
    expect(X.flat().every((v) => v === 0 || v === 1)).toBe(true)
    // a fitted model round-trips through JSON and predicts identically
    const loaded = await BernoulliMixture.fromJSON(JSON.parse(JSON.stringify(bm.toJSON())))
    expect(loaded.scoreSamples(REF.X)).toEqual(bm.scoreSamples(REF.X))
  })

  it('nInit and seed change the fit; restarts keep the best', async () => {
    const one = await new BernoulliMixture({ nComponents: 4, seed: 1, maxIter: 5 }).fit(REF.X)
    const other = await new BernoulliMixture({ nComponents: 4, seed: 2, maxIter: 5 }).fit(REF.X)
    expect(one.history[0]).not.toBe(other.history[0])
    const best = await new BernoulliMixture({ nComponents: 4, seed: 1, nInit: 4, maxIter: 5 }).fit(REF.X)
    expect(best.logLik).toBeGreaterThanOrEqual(one.logLik)
  })

  it('sampleWeight counts rows (weight 2 = the row twice); SQUAREM reaches the same maximum in fewer iterations', async () => {
    const X = REF.X.slice(0, 120)
    const w = X.map((_, i) => (i % 3 === 0 ? 2 : 1))
    const doubled = X.flatMap((r, i) => (i % 3 === 0 ? [r, r] : [r]))
    const opts = { nComponents: 3, init: { weights: REF.init.weights, probs: REF.init.probs }, maxIter: 30, tol: 0 }
    const weighted = await new BernoulliMixture(opts).fit(X, { sampleWeight: w })
    const repeated = await new BernoulliMixture(opts).fit(doubled)
    expect(relErr(weighted.logLik, repeated.logLik)).toBeLessThan(1e-12)
    expect(maxRel(weighted.probs.flat(), repeated.probs.flat())).toBeLessThan(1e-10)
    const plain = await new BernoulliMixture({ ...opts, maxIter: 2000, tol: 1e-10 }).fit(REF.X)
    const fast = await new BernoulliMixture({ ...opts, maxIter: 2000, tol: 1e-10, accelerate: 'squarem' }).fit(REF.X)
    console.log(`[bernoulli] EM ${plain.nIter} iterations, SQUAREM ${fast.nIter}; log L ${plain.logLik} vs ${fast.logLik}`)
    expect(fast.nIter).toBeLessThan(plain.nIter)
    expect(Math.abs(fast.logLik - plain.logLik)).toBeLessThan(1e-5)
  })

  it('refuses non-binary entries, NaN and a misspelt option (typed errors)', async () => {
    const X = REF.X.map((r) => r.slice())
    X[3]![2] = 0.5
    const e = await rejection(new BernoulliMixture().fit(X))
    expect(e.code).toBe('INVALID_DATA')
    expect(e.message).toContain('X[3][2] is 0.5')
    expect(X[3]![2]).toBe(0.5)
    const withNaN = REF.X.map((r) => r.slice())
    withNaN[0]![0] = NaN
    expect((await rejection(new BernoulliMixture().fit(withNaN))).code).toBe('NON_FINITE')
    expect(thrownBy(() => new BernoulliMixture({ nComponent: 2 } as never)).message).toContain('nComponents')
    expect(thrownBy(() => new BernoulliMixture({ init: { weights: [1], probs: [[0.5]], extra: 1 } as never })).code).toBe('INVALID_OPTION')
  })
})
