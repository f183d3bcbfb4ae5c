/**
 * TobitRegression against R's survreg on Tobin's data (08_tobit_tobin.json): exact EM
 * (and SQUAREM) within 1e-6 relative on coefficients and scale, log-likelihood within
 * 1e-8; MCEM near the MLE; right and interval censoring checked against direct
 * maximisation; typed errors; inputs not mutated.
 */
import { describe, expect, it } from 'vitest'
import { TobitRegression } from '../../src/estimators/TobitRegression.js'
import ref from '../fixtures/08_tobit_tobin.json' with { type: 'json' }
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { tobinData } from '../helpers/data.js'

const { X, y } = tobinData()
const R = ref.survreg_tobin

function rel(a: number, b: number): number { return Math.abs(a - b) / Math.abs(b) }

describe('TobitRegression on Tobin (1958)', () => {
  for (const [label, extra] of [['EM', {}], ['EM + SQUAREM', { accelerate: 'squarem' as const }]] as const) {
    for (const backend of ['wasm', 'js'] as const) {
      it(`${label} (${backend}) matches survreg: coefficients and scale 1e-6 relative, logLik 1e-8`, async () => {
        const Xc = X.map((r) => r.slice())
        const yc = y.slice()
        const t = await new TobitRegression({ left: 0, tol: 1e-12, maxIter: 100000, backend, ...extra }).fit(X, y)
        expect(t.status).toBe('converged')
        console.log(`[tobit] ${label}: ${t.nIter} iterations, intercept ${t.intercept}, coef ${t.coefficients}, scale ${t.scale}, logLik ${t.logLik}`)
        expect(rel(t.intercept, R.coefficients['(Intercept)'])).toBeLessThan(1e-6)
        expect(rel(t.coefficients[0]!, R.coefficients.age)).toBeLessThan(1e-6)
        expect(rel(t.coefficients[1]!, R.coefficients.quant)).toBeLessThan(1e-6)
        expect(rel(t.scale, R.scale)).toBeLessThan(1e-6)
        expect(Math.abs(t.logLik - R.logLik)).toBeLessThan(1e-8)
        expect(t.fitResult.decreases).toEqual([])
        expect(X).toEqual(Xc)
        expect(y).toEqual(yc)
        expect(t.nParameters()).toBe(R.df)
        expect(t.predict([[50, 200]])[0]).toBeCloseTo(t.intercept + 50 * t.coefficients[0]! + 200 * t.coefficients[1]!, 10)
      })
    }
  }

  it('per-row lower bounds equal the left option; interval rows equal their censored form', async () => {
    const a = await new TobitRegression({ left: 0, tol: 1e-12, maxIter: 100000, accelerate: 'squarem' }).fit(X, y)
    const b = await new TobitRegression({ tol: 1e-12, maxIter: 100000, accelerate: 'squarem' }).fit(X, y, { lower: y.map(() => 0) })
    const c = await new TobitRegression({ tol: 1e-12, maxIter: 100000, accelerate: 'squarem' }).fit(X, y.map((v) => (v <= 0 ? NaN : v)), { intervals: y.map((v) => (v <= 0 ? [-Infinity, 0] as const : null)) })
    for (const t of [b, c]) {
      expect(rel(t.intercept, a.intercept)).toBeLessThan(1e-8)
      expect(rel(t.scale, a.scale)).toBeLessThan(1e-8)
      expect(Math.abs(t.logLik - a.logLik)).toBeLessThan(1e-9)
    }
  })

  it('MCEM (truncated-normal draws from the kernels) lands near the MLE; same seed, same fit on every backend', async () => {
    console.log('[tobit] mcem: seed 5')
    const fits = []
    for (const backend of ['wasm', 'wasm-scalar', 'js'] as const) {
      fits.push(await new TobitRegression({ left: 0, algorithm: 'mcem', seed: 5, maxIter: 300, backend, mcem: { initialSamples: 200, maxSamples: 2000 } }).fit(X, y))
    }
    const [t] = fits
    console.log(`[tobit] mcem: ${t!.nIter} iterations, intercept ${t!.intercept}, coef ${t!.coefficients}, scale ${t!.scale}`)
    expect(t!.status).toBe('converged')
    expect(fits[1]!.fitResult.params).toEqual(t!.fitResult.params)
    expect(fits[2]!.fitResult.params).toEqual(t!.fitResult.params)
    // within a few percent of the coefficient standard errors
    expect(Math.abs(t!.intercept - R.coefficients['(Intercept)'])).toBeLessThan(0.2 * R.coef_se['(Intercept)'])
    expect(Math.abs(t!.coefficients[0]! - R.coefficients.age)).toBeLessThan(0.2 * R.coef_se.age)
    expect(Math.abs(t!.coefficients[1]! - R.coefficients.quant)).toBeLessThan(0.2 * R.coef_se.quant)
    expect(Math.abs(Math.log(t!.scale) - R.log_scale)).toBeLessThan(0.2 * R.log_scale_se)
    expect(t!.fitResult.monteCarlo!.iterations.length).toBe(t!.nIter)
  }, 60000)

  it('right censoring and fitIntercept: false agree with direct maximisation', async () => {
    const rng = new Rng(31)
    console.log('[tobit] right-censored synthetic: seed 31')
    const n = 300
    const Xs = Array.from({ length: n }, () => [rng.normal(), 1 + rng.uniform()])
    const ys = Xs.map(([a, b]) => 0.5 * a! + 1.5 * b! + 0.8 * rng.normal())
    const t = await new TobitRegression({ right: 2.6, fitIntercept: false, tol: 1e-12, maxIter: 100000, accelerate: 'squarem' }).fit(Xs, ys)
    expect(t.intercept).toBe(0)
    expect(t.coefficients).toHaveLength(2)
    // the score of the observed log-likelihood vanishes at the EM fixed point: check by finite differences
    const ll = (b0: number, b1: number, s: number) => {
      const { logNormalCdfBoth } = normalHelpers
      let sum = 0
      for (let i = 0; i < n; i++) {
        const mu = b0 * Xs[i]![0]! + b1 * Xs[i]![1]!
        if (ys[i]! >= 2.6) sum += logNormalCdfBoth((2.6 - mu) / s)[1]
        else sum += -0.5 * ((ys[i]! - mu) / s) ** 2 - Math.log(s) - 0.9189385332046727
      }
      return sum
    }
    const [b0, b1] = t.coefficients as [number, number]
    const s = t.scale
    expect(Math.abs(ll(b0, b1, s) - t.logLik)).toBeLessThan(1e-9)
    const h = 1e-5
    for (const [d0, d1, ds] of [[h, 0, 0], [0, h, 0], [0, 0, h]]) {
      const g = (ll(b0 + d0!, b1 + d1!, s + ds!) - ll(b0 - d0!, b1 - d1!, s - ds!)) / (2 * h)
      expect(Math.abs(g)).toBeLessThan(1e-4)
    }
    expect(ys.filter((v) => v >= 2.6).length).toBeGreaterThan(20)
  })

  it('bad input and options are typed errors', async () => {
    expect(() => new TobitRegression({ left: 1, right: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new TobitRegression({ left: NaN })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new TobitRegression({ fitIntercept: 'yes' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new TobitRegression({ nInit: 3 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new TobitRegression({ algorithm: 'gem' as never })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
    expect(() => new TobitRegression({ algorithm: 'mcem', accelerate: 'squarem' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new TobitRegression({ mcem: { growth: 0 } })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    const t = new TobitRegression({ left: 0 })
    expect(() => t.intercept).toThrow(expect.objectContaining({ code: 'NOT_FITTED' }))
    await expect(t.fit(X, y.slice(1))).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
    await expect(t.fit(X, y.map((v, i) => (i === 3 ? NaN : v)))).rejects.toMatchObject({ code: 'NON_FINITE' })
    await expect(t.fit(X, y, { intervals: y.map((_, i) => (i === 2 ? [1, 0] as const : null)) })).rejects.toMatchObject({ code: 'INVALID_DATA' })
    await expect(t.fit(X, y, { lower: [0] })).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
    await expect(t.fit(X, y.map(() => -1))).rejects.toMatchObject({ code: 'INVALID_DATA' })
    await expect(t.fit(X.map((r) => [r[0]!, r[0]!]), y)).rejects.toMatchObject({ code: 'SINGULAR_COVARIANCE' })
    await expect(t.fit(X, y, { other: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})

import * as normalHelpers from '../../src/core/math/normal.js'
