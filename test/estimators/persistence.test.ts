/**
 * Saving and loading (toJSON / fromJSON / loadModel) on GaussianMixture: plain JSON,
 * versioned, and a loaded model predicts bit for bit as the saved one.
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture, loadModel, MODEL_VERSION } from '../../src/index.js'
import { BACKENDS, fixtureMatrix } from '../helpers/data.js'
import { rejection } from '../helpers/errors.js'

const faithful = fixtureMatrix('faithful.csv')
const probe = [[1.5, 50], [3.2, 70], [5.1, 95], [NaN, 80], [2.0, NaN], [1e3, -1e3]]

describe('GaussianMixture round-trips through JSON', () => {
  for (const backend of BACKENDS) {
    for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
      it(`${covarianceType} on ${backend}: predictions, probabilities and scores bit-identical after a JSON string round trip`, async () => {
        const gm = await new GaussianMixture({ nComponents: 3, covarianceType, backend, seed: 2 }).fit(faithful)
        const text = JSON.stringify(gm.toJSON())
        const loaded = await GaussianMixture.fromJSON(JSON.parse(text))
        expect(loaded.predict(probe)).toEqual(gm.predict(probe))
        expect(loaded.predictProba(probe)).toEqual(gm.predictProba(probe))
        expect(loaded.scoreSamples(probe)).toEqual(gm.scoreSamples(probe))
        expect(loaded.bic(faithful)).toBe(gm.bic(faithful))
        expect(loaded.covariances).toEqual(gm.covariances)
        expect(loaded.history).toEqual(gm.history)
        expect([loaded.nIter, loaded.status, loaded.converged, loaded.lowerBound]).toEqual([gm.nIter, gm.status, gm.converged, gm.lowerBound])
        expect(loaded.getParams()).toEqual(gm.getParams())
      })
    }
  }

  it('the document is plain, versioned JSON that names its kind; an unfitted estimator saves its options only', async () => {
    const doc = new GaussianMixture({ nComponents: 2, init: 'kmeans' }).toJSON()
    expect(doc).toEqual({ format: 'emkit-model', version: MODEL_VERSION, kind: 'GaussianMixture', options: { nComponents: 2, init: 'kmeans' }, fitted: null })
    const loaded = await GaussianMixture.fromJSON(JSON.stringify(doc))
    expect(loaded.isFitted).toBe(false)
    expect(loaded.nComponents).toBe(2)
  })

  it('a fit with missing values and explicit starting parameters round-trips too; sample() continues identically', async () => {
    const X = faithful.map((r, i) => (i % 7 === 0 ? [NaN, r[1]!] : r))
    const gm = await new GaussianMixture({ nComponents: 2, seed: 5 }).fit(X)
    const loaded = await GaussianMixture.fromJSON(JSON.parse(JSON.stringify(gm)))
    expect(loaded.predictProba(X)).toEqual(gm.predictProba(X))
    expect(loaded.sample(5)).toEqual(gm.sample(5))
  })

  it('loadModel dispatches on the kind', async () => {
    const gm = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(faithful)
    const loaded = await loadModel(JSON.stringify(gm.toJSON()))
    expect(loaded).toBeInstanceOf(GaussianMixture)
    expect((loaded as GaussianMixture).predict(probe)).toEqual(gm.predict(probe))
  })

  it('malformed, foreign and future documents are typed errors', async () => {
    const gm = await new GaussianMixture({ nComponents: 2 }).fit(faithful)
    const doc = gm.toJSON()
    expect((await rejection(loadModel('{not json'))).code).toBe('INVALID_MODEL')
    expect((await rejection(loadModel({ hello: 1 }))).code).toBe('INVALID_MODEL')
    expect((await rejection(loadModel({ ...doc, version: MODEL_VERSION + 1 }))).code).toBe('MODEL_VERSION')
    expect((await rejection(loadModel({ ...doc, version: 'one' }))).code).toBe('INVALID_MODEL')
    expect((await rejection(loadModel({ ...doc, kind: 'NoSuchModel' }))).code).toBe('UNSUPPORTED')
    expect((await rejection(loadModel({ ...doc, fitted: { shape: {} } }))).code).toBe('INVALID_MODEL')
    expect((await rejection(loadModel({ ...doc, options: { nComponents: -1 } }))).code).toBe('INVALID_OPTION')
    const { GaussianMixture: G } = await import('../../src/index.js')
    expect((await rejection(G.fromJSON({ ...doc, kind: 'PoissonMixture' }))).message).toMatch(/holds a PoissonMixture/)
  })
})
