import { describe, expect, it } from 'vitest'
import { EmkitError, GaussianMixture } from '../../src/index.js'

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    if (typeof p === 'function') p()
    else await p
  } catch (e) {
    expect(e).toBeInstanceOf(EmkitError)
    expect((e as Error).message.length).toBeGreaterThan(20)
    return (e as EmkitError).code
  }
  return 'no error'
}

const X = [[1, 2], [2, 1], [3, 4], [5, 3], [4, 4], [0, 1]]

describe('GaussianMixture rejects bad input with a clear EmkitError', () => {
  it('non-finite values name the row and column (NaN is a missing value, Infinity an error)', async () => {
    const err = await new GaussianMixture().fit([[1, 2], [3, -Infinity]]).catch((e) => e)
    expect(err.code).toBe('NON_FINITE')
    expect(err.message).toContain('X[1][1]')
    expect(await codeOf(new GaussianMixture().fit([[1, Infinity]]))).toBe('NON_FINITE')
    expect(await codeOf(new GaussianMixture().fit([[1, NaN], [2, NaN]]))).toBe('INVALID_DATA')
  })
  it('empty data', async () => {
    expect(await codeOf(new GaussianMixture().fit([]))).toBe('EMPTY_DATA')
    expect(await codeOf(new GaussianMixture().fit([[]]))).toBe('EMPTY_DATA')
  })
  it('ragged rows name the row', async () => {
    const err = await new GaussianMixture().fit([[1, 2], [3]]).catch((e) => e)
    expect(err.code).toBe('RAGGED_ROWS')
    expect(err.details.row).toBe(1)
  })
  it('non-numbers and wrong flat shapes', async () => {
    expect(await codeOf(new GaussianMixture().fit([[1, '2' as any]]))).toBe('INVALID_DATA')
    expect(await codeOf(new GaussianMixture().fit({ data: new Float64Array(5), rows: 2, cols: 3 }))).toBe('SHAPE_MISMATCH')
    expect(await codeOf(new GaussianMixture().fit('1,2' as any))).toBe('INVALID_DATA')
  })
  it('more components than rows', async () => {
    const err = await new GaussianMixture({ nComponents: 7 }).fit(X).catch((e) => e)
    expect(err.code).toBe('TOO_MANY_COMPONENTS')
    expect(err.message).toContain('at most 6')
  })
  it('invalid options name the option', async () => {
    const bad: Array<Record<string, unknown>> = [
      { nComponents: 0 }, { nComponents: 1.5 }, { covarianceType: 'banded' }, { tol: -1 }, { tol: NaN },
      { maxIter: -1 }, { nInit: 0 }, { regCovar: -1e-6 }, { seed: 0.5 }, { backend: 'gpu' }, { init: 'kmedoids' },
      { ncomponents: 2 },
    ]
    for (const opts of bad) {
      let err: any
      try { new GaussianMixture(opts as any) } catch (e) { err = e }
      expect(err?.code, JSON.stringify(opts)).toBe('INVALID_OPTION')
      expect(err.details.option).toBe(Object.keys(opts)[0])
    }
  })
  it('a feature count at predict different from fit', async () => {
    const gm = await new GaussianMixture({ nComponents: 2 }).fit(X)
    expect(await codeOf(() => gm.predict([[1, 2, 3]]))).toBe('SHAPE_MISMATCH')
  })
  it('use before fit', async () => {
    expect(await codeOf(() => new GaussianMixture().predict(X))).toBe('NOT_FITTED')
    expect(await codeOf(() => new GaussianMixture().means)).toBe('NOT_FITTED')
    // the message names the member as it is spelt and offers what works for a mixture (an init does not fit it)
    expect(() => new GaussianMixture().predict(X)).toThrow('GaussianMixture.predict needs a fitted model: call fit() first, or load a saved one with loadModel().')
    expect(() => new GaussianMixture().means).toThrow(/^GaussianMixture\.means needs a fitted model/)
    expect(() => new GaussianMixture().bic()).toThrow(/^GaussianMixture\.score\/bic\/aic needs a fitted model/)
  })
  it('a singular covariance names the component and the remedy', async () => {
    const dup = [[1, 1], [1, 1], [1, 1], [5, 5], [5, 5], [5, 6]]
    const err = await new GaussianMixture({ nComponents: 2, regCovar: 0, init: 'kmeans++' }).fit(dup).catch((e) => e)
    expect(err.code).toBe('SINGULAR_COVARIANCE')
    expect(err.message).toMatch(/component \d/)
    expect(err.message).toContain('regCovar')
  })
  it('explicit starts with the wrong shape or weights, a misspelt part, a bad method or a singular covariance: INVALID_OPTION naming the part', async () => {
    // (these were SHAPE_MISMATCH / INVALID_DATA at fit; a bad init is a bad option, refused when it is given)
    const init = { weights: [0.5, 0.5], means: [[1, 2], [3, 4]], covariances: [[[1, 0], [0, 1]], [[1, 0], [0, 1]]] }
    const cases: [object, RegExp][] = [
      [{ ...init, means: [[1, 2]] }, /'init\.means'/],
      [{ ...init, weights: [0.9, 0.9] }, /'init\.weights': init\.weights sum to 1\.8/],
      [{ ...init, weights: [-0.5, 1.5] }, /'init\.weights'/],
      [{ ...init, covariances: [[1, 0], [0, 1]] }, /'init\.covariances'/],
      [{ ...init, covariances: [[[1, 2], [2, 1]], [[1, 0], [0, 1]]] }, /'init\.covariances': the covariance of component 0 is not positive definite/],
      [{ wieghts: [0.5, 0.5] }, /'init\.wieghts'.*did you mean 'weights'/],
      [{ method: 'kmeans+' }, /'init\.method'/],
    ]
    for (const [given, message] of cases) {
      expect(() => new GaussianMixture({ nComponents: 2, init: given as never }), JSON.stringify(given)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) }))
    }
    expect(() => new GaussianMixture().setParams({ nComponents: 3, init })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    // scikit-learn's other structures too, though their strategies come with the fit (covariance-table.ts)
    const structured: [string, unknown, RegExp][] = [
      ['tied', [[1, 2], [2, 1]], /'init\.covariances': the tied covariance is not positive definite; .* covarianceType 'tied'/],
      ['diag', [[1, 1], [1, 0]], /'init\.covariances': the covariance of component 1 is not positive definite; .* covarianceType 'diag'/],
      ['VII', [1, -1], /'init\.covariances': the covariance of component 1 is not positive definite; .* covarianceType 'VII'/],
      ['spherical', [1, 1, 1], /'init\.covariances': init\.covariances \(covarianceType 'spherical'\) must have shape \[2\]/],
    ]
    for (const [covarianceType, covariances, message] of structured) {
      expect(() => new GaussianMixture({ nComponents: 2, covarianceType: covarianceType as 'full', init: { ...init, covariances } as never }), covarianceType).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(message) }))
    }
    // what needs the data's width is checked at fit: means of another width, covariances given alone
    expect(await codeOf(new GaussianMixture({ nComponents: 2, init: { means: [[1, 2, 3], [4, 5, 6]] } }).fit(X))).toBe('INVALID_OPTION')
    expect(await codeOf(new GaussianMixture({ nComponents: 2, init: { covariances: [[[1, 0], [0, -1]], [[1, 0], [0, 1]]] } }).fit(X))).toBe('INVALID_OPTION')
    expect(await codeOf(new GaussianMixture({ nComponents: 2, covarianceType: 'diag', init: { covariances: [[1, 1, 1], [1, 1, 1]] } }).fit(X))).toBe('INVALID_OPTION')
  })
  it('sample weights of the wrong length or sign', async () => {
    expect(await codeOf(new GaussianMixture().fit(X, { sampleWeight: [1, 2] }))).toBe('SHAPE_MISMATCH')
    expect(await codeOf(new GaussianMixture().fit(X, { sampleWeight: X.map(() => -1) }))).toBe('INVALID_DATA')
  })
})

describe('inputs are never mutated', () => {
  it('nested arrays, flat matrices and weights come back unchanged', async () => {
    const rows = X.map((r) => r.slice())
    const flat = { data: Float64Array.from(X.flat()), rows: X.length, cols: 2 }
    const flatCopy = flat.data.slice()
    const w = X.map((_, i) => i + 1)
    const gm = await new GaussianMixture({ nComponents: 2 }).fit(rows, { sampleWeight: w })
    gm.predict(rows); gm.predictProba(flat); gm.scoreSamples(rows)
    await new GaussianMixture({ nComponents: 2 }).fit(flat)
    expect(rows).toEqual(X)
    expect(flat.data).toEqual(flatCopy)
    expect(w).toEqual(X.map((_, i) => i + 1))
  })
})
