/**
 * GaussianMixture with NaN = missing at random (src/models/gmm/missing.ts):
 * K = 1 equals MultivariateNormal's EM MLE; EM is monotone on the observed-data
 * log-likelihood for every covariance type; that log-likelihood and the probabilities
 * match a brute-force JS computation; rows with NaN can be predicted; all backends
 * agree; without NaN the complete-data path is untouched.
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/estimators/GaussianMixture.js'
import { MultivariateNormal } from '../../src/estimators/MultivariateNormal.js'
import { loadKernels } from '../../src/kernels/index.js'
import { GaussianMixtureModel } from '../../src/models/gmm/model.js'
import { COVARIANCE_TYPES } from '../../src/models/gmm/covariance.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { BACKENDS } from '../helpers/data.js'

const d = 3

/** n rows from a k-component mixture in 3-D, `missing` of the values NaN (MCAR, never a whole row), seeded. */
function mixtureData(seed: number, n: number, k: number, missing: number): number[][] {
  console.log(`[gmm-missing] data: seed ${seed}, n ${n}, K ${k}, ${missing * 100}% MCAR`)
  const rng = new Rng(seed)
  const comps = [
    { mu: [10, -3, 2], L: [[1.5, 0, 0], [0.8, 1.1, 0], [-0.6, 0.5, 0.7]] },
    { mu: [16, 2, -1], L: [[1, 0, 0], [-0.4, 0.9, 0], [0.3, 0.2, 1.2]] },
    { mu: [12, 6, 5], L: [[0.7, 0, 0], [0.2, 1.3, 0], [0.1, -0.5, 0.8]] },
  ].slice(0, k)
  return Array.from({ length: n }, () => {
    const c = comps[Math.min(k - 1, Math.floor(rng.uniform() * k))]!
    const z = [rng.normal(), rng.normal(), rng.normal()]
    const row = c.mu.map((m, j) => m + c.L[j]!.reduce((s, l, e) => s + l * z[e]!, 0))
    const out = row.map((v) => (rng.uniform() < missing ? NaN : v))
    if (out.every(Number.isNaN)) out[0] = row[0]!
    return out
  })
}

/** log N(x_o | mu_o, S_oo) by Gaussian elimination (independent of emkit's Cholesky code). */
function logMarginal(row: number[], mu: number[], S: number[][]): number {
  const o = row.map((v, j) => (Number.isNaN(v) ? -1 : j)).filter((j) => j >= 0)
  const q = o.length
  if (q === 0) return 0
  const A = o.map((a) => o.map((b) => S[a]![b]!))
  const r = o.map((j) => row[j]! - mu[j]!)
  // solve A y = r with partial pivoting, accumulating log|det A|
  const M = A.map((line, i) => [...line, r[i]!])
  let logDet = 0
  for (let col = 0; col < q; col++) {
    let p = col
    for (let i = col + 1; i < q; i++) if (Math.abs(M[i]![col]!) > Math.abs(M[p]![col]!)) p = i
    ;[M[col], M[p]] = [M[p]!, M[col]!]
    logDet += Math.log(Math.abs(M[col]![col]!))
    for (let i = col + 1; i < q; i++) {
      const f = M[i]![col]! / M[col]![col]!
      for (let j = col; j <= q; j++) M[i]![j] = M[i]![j]! - f * M[col]![j]!
    }
  }
  const y = new Array<number>(q).fill(0)
  for (let i = q - 1; i >= 0; i--) {
    let s = M[i]![q]!
    for (let j = i + 1; j < q; j++) s -= M[i]![j]! * y[j]!
    y[i] = s / M[i]![i]!
  }
  const maha = r.reduce((s, v, i) => s + v * y[i]!, 0)
  return -0.5 * (q * Math.log(2 * Math.PI) + logDet + maha)
}

function bruteForce(gm: GaussianMixture, X: number[][]): { rows: number[]; proba: number[][] } {
  const w = gm.weights, mu = gm.means, S = gm.fullCovariances
  const rows: number[] = [], proba: number[][] = []
  for (const row of X) {
    const lp = w.map((wc, c) => Math.log(wc) + logMarginal(row, mu[c]!, S[c]!))
    const m = Math.max(...lp)
    const s = lp.reduce((a, v) => a + Math.exp(v - m), 0)
    rows.push(m + Math.log(s))
    proba.push(lp.map((v) => Math.exp(v - m) / s))
  }
  return { rows, proba }
}

describe('GaussianMixture with missing values', () => {
  it('K = 1 (full) equals MultivariateNormal\'s EM MLE', async () => {
    const X = mixtureData(11, 400, 1, 0.2)
    const gm = await new GaussianMixture({ nComponents: 1, regCovar: 0, tol: 0, maxIter: 400 }).fit(X)
    const mvn = await new MultivariateNormal({ tol: 1e-13 }).fit(X)
    let worst = 0
    gm.means[0]!.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - mvn.mean[j]!) / Math.max(1, Math.abs(mvn.mean[j]!))) })
    const cov = gm.covariances as number[][][]
    cov[0]!.forEach((line, j) => line.forEach((v, l) => { worst = Math.max(worst, Math.abs(v - mvn.covariance[j]![l]!)) }))
    console.log(`[gmm-missing] K=1 vs MultivariateNormal: max scaled diff ${worst.toExponential(2)}; logLik ${gm.history.at(-1)} vs ${mvn.logLik}`)
    expect(worst).toBeLessThan(1e-8)
    expect(Math.abs(gm.history.at(-1)! - mvn.logLik)).toBeLessThan(1e-8 * Math.abs(mvn.logLik))
  })

  for (const covarianceType of COVARIANCE_TYPES) {
    for (const k of [2, 3]) {
      it(`EM is monotone on the observed-data likelihood (${covarianceType}, K=${k}) and matches brute force`, async () => {
        const X = mixtureData(20 + k, 300, k, 0.2)
        const gm = await new GaussianMixture({ nComponents: k, covarianceType, tol: 1e-8, maxIter: 300, seed: 3 }).fit(X)
        expect(gm.status === 'converged' || gm.status === 'max-iter').toBe(true)
        const h = gm.history
        for (let t = 1; t < h.length; t++) expect(h[t]! - h[t - 1]!).toBeGreaterThan(-1e-9 * Math.abs(h[t - 1]!))
        expect(gm.fitResult.decreases).toEqual([])
        const bf = bruteForce(gm, X)
        const rows = gm.scoreSamples(X)
        let worst = 0
        rows.forEach((v, i) => { worst = Math.max(worst, Math.abs(v - bf.rows[i]!)) })
        expect(worst).toBeLessThan(1e-10)
        const total = bf.rows.reduce((a, b) => a + b, 0)
        expect(Math.abs(h.at(-1)! - total)).toBeLessThan(1e-10 * Math.abs(total))
        const proba = gm.predictProba(X)
        let pw = 0
        proba.forEach((p, i) => p.forEach((v, c) => { pw = Math.max(pw, Math.abs(v - bf.proba[i]![c]!)) }))
        expect(pw).toBeLessThan(1e-10)
      })
    }
  }

  it('predict, predictProba, scoreSamples, score, bic and aic work on rows with NaN', async () => {
    const X = mixtureData(5, 300, 2, 0.15)
    const gm = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X)
    const rows = [[NaN, 2, -1], [16, NaN, NaN], [NaN, NaN, 5], [NaN, NaN, NaN], [10, -3, 2]]
    const labels = gm.predict(rows)
    const proba = gm.predictProba(rows)
    const bf = bruteForce(gm, rows)
    labels.forEach((l, i) => expect(l).toBe(bf.proba[i]!.indexOf(Math.max(...bf.proba[i]!))))
    proba.forEach((p, i) => p.forEach((v, c) => expect(Math.abs(v - bf.proba[i]![c]!)).toBeLessThan(1e-12)))
    // nothing observed: the weights, and log-likelihood 0
    proba[3]!.forEach((v, c) => expect(v).toBeCloseTo(gm.weights[c]!, 14))
    expect(gm.scoreSamples(rows)[3]).toBeCloseTo(0, 14)
    expect(Number.isFinite(gm.score(rows))).toBe(true)
    expect(Number.isFinite(gm.bic(X))).toBe(true)
    expect(Number.isFinite(gm.aic(X))).toBe(true)
  })

  it('a row with nothing observed contributes nothing to the fit', async () => {
    const X = mixtureData(6, 200, 2, 0.1)
    // the same explicit start: k-means++ draws depend on the number of rows
    const I = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    const init = { weights: [0.5, 0.5], means: [[10, -3, 2], [16, 2, -1]], covariances: [I, I] }
    const a = await new GaussianMixture({ nComponents: 2, init, tol: 1e-10 }).fit(X)
    const b = await new GaussianMixture({ nComponents: 2, init, tol: 1e-10 }).fit([...X, [NaN, NaN, NaN]])
    expect(b.nIter).toBe(a.nIter)
    expect(b.lowerBound).toBeCloseTo(a.lowerBound, 12)
    a.means.flat().forEach((v, i) => expect(b.means.flat()[i]).toBeCloseTo(v, 10))
  })

  it('sample weights count rows (weight 2 = the row twice)', async () => {
    const X = mixtureData(9, 150, 2, 0.2)
    const weights = X.map((_, i) => (i % 4 === 0 ? 2 : 1))
    const doubled = X.flatMap((row, i) => (i % 4 === 0 ? [row, row] : [row]))
    const I = [[2, 0, 0], [0, 2, 0], [0, 0, 2]]
    const init = { weights: [0.5, 0.5], means: [[10, -3, 2], [16, 2, -1]], covariances: [I, I] }
    const a = await new GaussianMixture({ nComponents: 2, init, tol: 1e-10 }).fit(X, { sampleWeight: weights })
    const b = await new GaussianMixture({ nComponents: 2, init, tol: 1e-10 }).fit(doubled)
    expect(a.nIter).toBe(b.nIter)
    a.history.forEach((v, t) => expect(Math.abs(v - b.history[t]!)).toBeLessThan(1e-9 * Math.abs(v)))
    a.means.flat().forEach((v, i) => expect(v).toBeCloseTo(b.means.flat()[i]!, 9))
    ;(a.covariances as number[][][]).flat(2).forEach((v, i) => expect(v).toBeCloseTo((b.covariances as number[][][]).flat(2)[i]!, 9))
  })

  it('every backend gives the same fit', async () => {
    const X = mixtureData(8, 250, 3, 0.2)
    const fits = []
    for (const backend of BACKENDS) {
      for (const covarianceType of ['full', 'diag'] as const) {
        const gm = await new GaussianMixture({ nComponents: 3, covarianceType, backend, seed: 4, tol: 1e-8 }).fit(X)
        fits.push({ backend, covarianceType, history: gm.history, means: gm.means, covariances: gm.covariances })
      }
    }
    for (const f of fits.slice(2)) {
      const ref = fits.find((g) => g.covarianceType === f.covarianceType)!
      expect(f.history).toEqual(ref.history)
      expect(f.means).toEqual(ref.means)
      expect(f.covariances).toEqual(ref.covariances)
    }
  })

  for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
    it(`with nothing missing, the missing-value E-step gives the complete-data fit (${covarianceType})`, async () => {
      // Complete rows plus one all-NaN row (weight 0): the fit runs through the pattern
      // machinery (densities on the observed block, statistics from filled rows) with
      // every informative row in the fully observed pattern.
      const X = mixtureData(8, 240, 3, 0)
      const I = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
      const init = { weights: [0.3, 0.3, 0.4], means: [[10, -3, 2], [16, 2, -1], [12, 6, 5]], covariances: covarianceType === 'tied' ? I : [I, I, I] }
      const fitInit = covarianceType === 'diag' ? { ...init, covariances: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] } : covarianceType === 'spherical' ? { ...init, covariances: [1, 1, 1] } : init
      const complete = await new GaussianMixture({ nComponents: 3, covarianceType, init: fitInit, tol: 1e-10, maxIter: 500 }).fit(X)
      const viaMissing = await new GaussianMixture({ nComponents: 3, covarianceType, init: fitInit, tol: 1e-10, maxIter: 500 }).fit([...X, [NaN, NaN, NaN]])
      expect(viaMissing.nIter).toBe(complete.nIter)
      complete.history.forEach((h, t) => expect(Math.abs(viaMissing.history[t]! - h) / Math.abs(h)).toBeLessThan(1e-12))
      complete.means.flat().forEach((v, i) => expect(Math.abs(viaMissing.means.flat()[i]! - v)).toBeLessThan(1e-10))
      ;(complete.covariances as number[] | number[][] | number[][][]).flat(2).forEach((v, i) => expect(Math.abs((viaMissing.covariances as number[][]).flat(2)[i]! - v)).toBeLessThan(1e-10))
    })
  }

  it('data without NaN take the complete-data path (no missing layout)', async () => {
    const kernels = await loadKernels('js')
    const model = new GaussianMixtureModel({ kernels, k: 2, d: 2, covarianceType: 'full', regCovar: 1e-6 })
    const complete = model.prepare({ rows: 3, cols: 2, data: Float64Array.from([1, 2, 3, 4, 5, 7]) })
    const missing = model.prepare({ rows: 3, cols: 2, data: Float64Array.from([1, NaN, 3, 4, 5, 7]) })
    expect(complete.missing).toBeUndefined()
    expect(missing.missing).toBeDefined()
    // the start sees column-mean imputation
    expect(Array.from(missing.x.view.subarray(0, 6))).toEqual([1, 5.5, 3, 4, 5, 7])
    model.release(complete)
    model.release(missing)
    model.dispose()
  })
})

describe('GaussianMixture missing-value errors', () => {
  it('an all-NaN column is an InputError', async () => {
    const X = [[1, NaN], [2, NaN], [3, NaN]]
    await expect(new GaussianMixture().fit(X)).rejects.toMatchObject({ code: 'INVALID_DATA', details: { column: 1 } })
  })
  it('Infinity stays an error', async () => {
    await expect(new GaussianMixture().fit([[1, 2], [Infinity, 3]])).rejects.toMatchObject({ code: 'NON_FINITE' })
  })
})
