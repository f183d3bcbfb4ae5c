/**
 * What the one estimator base gives every estimator, checked on GaussianMixture:
 * option schema (defaults, checks, suggestions), get/setParams, fit-call options,
 * maxIter 0, warm starts as scikit-learn's, fitPredict, partial starts, precisions.
 */
import { describe, expect, it } from 'vitest'
import { EmkitError, GaussianMixture } from '../../src/index.js'
import { fixtureJson, fixtureMatrix, maxScaledDiff, relErr } from '../helpers/data.js'
import { rejection } from '../helpers/errors.js'

const faithful = fixtureMatrix('faithful.csv')
const ref = fixtureJson('01_gmm_sklearn_faithful.json')
const fit = (type: string, k: number) => ref.fits.find((f: any) => f.covariance_type === type && f.K === k)

function codeOf(f: () => unknown): string | undefined {
  try { f() } catch (e) { return e instanceof EmkitError ? e.code : `not an EmkitError: ${String(e)}` }
  return undefined
}

describe('option schema', () => {
  it('getParams gives every option with its default', () => {
    const p = new GaussianMixture().getParams()
    expect(p).toMatchObject({ nComponents: 1, covarianceType: 'full', tol: 1e-3, maxIter: 100, nInit: 1, regCovar: 1e-6, seed: 0, backend: 'wasm', init: 'kmeans++', algorithm: 'em', accelerate: 'none', workers: 'auto', warmStart: false })
  })

  it('a derived default follows the options it depends on (SEM runs burnIn + iterations)', () => {
    expect(new GaussianMixture({ algorithm: 'sem', sem: { burnIn: 10, iterations: 20 } }).maxIter).toBe(30)
  })

  it('setParams validates like the constructor and changes the attributes', () => {
    const gm = new GaussianMixture({ nComponents: 2 })
    expect(gm.setParams({ nComponents: 3, covarianceType: 'diag' })).toBe(gm)
    expect(gm.nComponents).toBe(3)
    expect(gm.getParams()['covarianceType']).toBe('diag')
    expect(codeOf(() => gm.setParams({ nComponents: 0 }))).toBe('INVALID_OPTION')
    expect(gm.nComponents).toBe(3)
    expect(() => gm.setParams({ ncomponents: 2 })).toThrow(/did you mean 'nComponents'/)
  })

  it('misspelt and non-object options are typed errors with a suggestion', () => {
    expect(() => new GaussianMixture({ nComponent: 2 } as never)).toThrow(/did you mean 'nComponents'/)
    expect(() => new GaussianMixture({ covariance_type: 'full' } as never)).toThrow(/did you mean 'covarianceType'/)
    expect(() => new GaussianMixture({ covarianceType: 'ful' as never })).toThrow(/did you mean 'full'/)
    expect(codeOf(() => new GaussianMixture(null as never))).toBe('INVALID_OPTION')
    expect(codeOf(() => new GaussianMixture(3 as never))).toBe('INVALID_OPTION')
    expect(() => new GaussianMixture({ tol: NaN })).toThrow(/got NaN/)
    expect(() => new GaussianMixture({ backend: 'gpu' as never })).toThrow(/got "gpu"/)
  })

  it('fit-call options: misspelt names, an AbortController, a callback that is not a function', async () => {
    const gm = new GaussianMixture({ nComponents: 2 })
    expect((await rejection(gm.fit(faithful, { sampleWeights: [] } as never))).message).toMatch(/did you mean 'sampleWeight'/)
    expect((await rejection(gm.fit(faithful, { signal: new AbortController() } as never))).message).toMatch(/pass its \.signal/)
    expect((await rejection(gm.fit(faithful, { onIteration: 3 } as never))).code).toBe('INVALID_OPTION')
    expect((await rejection(gm.fit(faithful, null as never))).code).toBe('INVALID_OPTION')
  })

  it('toSpec re-creates the estimator with the options as given', () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 4 })
    expect(gm.toSpec()).toEqual({ kind: 'GaussianMixture', options: { nComponents: 3, seed: 4 } })
  })
})

describe('fitting as scikit-learn users expect', () => {
  const start = fit('full', 2).init
  const given = { weights: start.weights, means: start.means, covariances: start.covariances }

  it('maxIter 0 returns the initialisation: no iteration, the start scored', async () => {
    const zero = await new GaussianMixture({ nComponents: 2, maxIter: 0, init: given }).fit(faithful)
    expect(zero.nIter).toBe(0)
    expect(zero.status).toBe('max-iter')
    expect(zero.history).toHaveLength(1)
    expect(zero.means).toEqual(start.means)
    const one = await new GaussianMixture({ nComponents: 2, maxIter: 1, init: given }).fit(faithful)
    expect(zero.history[0]).toBe(one.history[0])
  })

  it('warmStart: maxIter-1 refits follow one long fit exactly and report converged as scikit-learn does', async () => {
    const long = await new GaussianMixture({ nComponents: 2, maxIter: 5, tol: 0, init: given }).fit(faithful)
    const warm = new GaussianMixture({ nComponents: 2, maxIter: 1, tol: 0, init: given, warmStart: true })
    for (let i = 0; i < 5; i++) await warm.fit(faithful)
    expect(warm.means).toEqual(long.means)
    expect(warm.covariances).toEqual(long.covariances)

    const loop = new GaussianMixture({ nComponents: 2, maxIter: 1, tol: 1e-3, init: given, warmStart: true })
    const seen: boolean[] = []
    for (let i = 0; i < 30; i++) {
      await loop.fit(faithful)
      seen.push(loop.converged)
      if (loop.converged) break
    }
    const plain = await new GaussianMixture({ nComponents: 2, tol: 1e-3, init: given }).fit(faithful)
    // the first refit has no previous fit to compare with; after that, refit i converges where plain EM's iteration i would
    expect(seen.indexOf(true) + 1).toBe(plain.nIter)
    // without warmStart every fit starts again
    const cold = new GaussianMixture({ nComponents: 2, maxIter: 1, init: given })
    await cold.fit(faithful); const first = cold.means
    await cold.fit(faithful)
    expect(cold.means).toEqual(first)
  })

  it('fitPredict equals fit then predict', async () => {
    const gm = new GaussianMixture({ nComponents: 3, seed: 1 })
    const labels = await gm.fitPredict(faithful)
    expect(labels).toEqual(gm.predict(faithful))
    expect(new Set(labels).size).toBe(3)
  })

  it('a partial init (means only) keeps the given means; the rest comes from the method, as scikit-learn completes it', async () => {
    const fromData = await new GaussianMixture({ nComponents: 2, maxIter: 0, seed: 3 }).fit(faithful)
    const partial = await new GaussianMixture({ nComponents: 2, maxIter: 0, seed: 3, init: { means: start.means } }).fit(faithful)
    expect(partial.means).toEqual(start.means)
    expect(partial.weights).toEqual(fromData.weights)
    expect(partial.covariances).toEqual(fromData.covariances)
    const refit = await new GaussianMixture({ nComponents: 2, seed: 3, init: { means: start.means, method: 'random-from-data' } }).fit(faithful)
    expect(refit.converged).toBe(true)
  })

  it('nFeaturesIn and nFeatures', async () => {
    const gm = await new GaussianMixture({ nComponents: 2 }).fit(faithful)
    expect(gm.nFeaturesIn).toBe(2)
    expect(gm.nFeatures).toBe(2)
  })
})

describe('precisions and their Cholesky factors (scikit-learn precisions_, precisions_cholesky_)', () => {
  it("equal scikit-learn's precisions of the given start, for every covariance type", async () => {
    for (const type of ['full', 'tied', 'diag', 'spherical'] as const) {
      const s = fit(type, 3).init
      const gm = await new GaussianMixture({ nComponents: 3, covarianceType: type, maxIter: 0, init: { weights: s.weights, means: s.means, covariances: s.covariances } }).fit(faithful)
      expect(maxScaledDiff(gm.precisions, s.precisions)).toBeLessThan(1e-9)
    }
  })

  it('U U^T is the precision and precision x covariance the identity (full)', async () => {
    const gm = await new GaussianMixture({ nComponents: 2, covarianceType: 'full', seed: 1 }).fit(faithful)
    const P = gm.precisions, U = gm.precisionsCholesky, S = gm.covariances
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) {
          let uu = 0, ps = 0
          for (let m = 0; m < 2; m++) { uu += U[c]![i]![m]! * U[c]![j]![m]!; ps += P[c]![i]![m]! * S[c]![m]![j]! }
          expect(relErr(uu, P[c]![i]![j]!)).toBeLessThan(1e-12)
          expect(Math.abs(ps - (i === j ? 1 : 0))).toBeLessThan(1e-9)
        }
        expect(U[c]![1]![0]).toBe(0)
      }
    }
  })
})
