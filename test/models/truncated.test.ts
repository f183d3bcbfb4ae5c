/**
 * TruncatedNormal and TruncatedRegression (EM, missing-data formulation) against the
 * direct maximisation of the truncated likelihood by scipy (truncated_scipy.json,
 * script in fixtures/scripts): parameters within 1e-6 relative (measured far closer),
 * log-likelihood 1e-8; monotone; SQUAREM reaches the same point; the unseen count;
 * persistence; typed errors for bad bounds and data outside them; inputs unchanged.
 */
import { describe, expect, it } from 'vitest'
import { InputError, OptionError, TruncatedNormal, TruncatedRegression, loadModel } from '../../src/index.js'
import { unseenTails } from '../../src/models/truncated.js'
import { normalCdf, truncatedNormalMoments } from '../../src/core/math/normal.js'
import ref from '../fixtures/truncated_scipy.json' with { type: 'json' }

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b)
const bounds = (c: { lower: number; upper: number | null }) => ({ lower: c.lower, upper: c.upper ?? Infinity })

describe('TruncatedNormal against scipy', () => {
  for (const name of ['normal_left', 'normal_both'] as const) {
    const c = ref.cases[name]
    for (const [label, extra] of [['EM', {}], ['EM + SQUAREM', { accelerate: 'squarem' as const }]] as const) {
      it(`${name}, ${label}: mean and scale 1e-6 relative, logLik 1e-8`, async () => {
        const x = c.x.slice()
        const t = await new TruncatedNormal({ ...bounds(c), tol: 1e-13, ...extra }).fit(x)
        const worst = Math.max(rel(t.mean, c.coef[0]!), rel(t.scale, c.sigma))
        console.log(`[truncated] ${name} ${label}: ${t.nIter} iterations, mean ${t.mean}, scale ${t.scale}, worst relative error vs scipy ${worst.toExponential(2)}, logLik ${t.logLik} (scipy ${c.logLik})`)
        expect(t.status).toBe('converged')
        expect(worst).toBeLessThan(1e-6)
        expect(Math.abs(t.logLik - c.logLik)).toBeLessThan(1e-8)
        expect(t.fitResult.decreases).toEqual([])
        expect(x).toEqual(c.x)
        // n (1 - P) / P at the fit
        const s = t.scale, m = t.mean
        const P = normalCdf((bounds(c).upper - m) / s) - normalCdf((c.lower - m) / s)
        expect(rel(t.expectedUnseen, c.x.length * (1 - P) / P)).toBeLessThan(1e-9)
        const scores = t.scoreSamples(c.x)
        expect(scores.reduce((a, b) => a + b, 0)).toBeCloseTo(t.logLik, 8)
      })
    }
  }

  it('without truncation it is the plain normal MLE (mean, SD with 1/n), nothing unseen', async () => {
    const x = ref.cases.normal_both.x
    const t = await new TruncatedNormal().fit(x)
    const mean = x.reduce((a, b) => a + b, 0) / x.length
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length)
    expect(t.mean).toBeCloseTo(mean, 12)
    expect(t.scale).toBeCloseTo(sd, 12)
    expect(t.expectedUnseen).toBe(0)
  })

  it('round-trips through toJSON / loadModel', async () => {
    const c = ref.cases.normal_left
    const t = await new TruncatedNormal({ lower: 0 }).fit(c.x)
    const back = await loadModel(JSON.parse(JSON.stringify(t.toJSON()))) as TruncatedNormal
    expect(back.scoreSamples(c.x)).toEqual(t.scoreSamples(c.x))
    expect(back.expectedUnseen).toBe(t.expectedUnseen)
  })
})

describe('TruncatedRegression against scipy', () => {
  const cases = [['regression_left', true], ['regression_both_noint', false]] as const
  for (const [name, fitIntercept] of cases) {
    const c = ref.cases[name]
    for (const backend of ['wasm', 'js'] as const) {
      it(`${name} (${backend}): coefficients and scale 1e-6 relative, logLik 1e-8`, async () => {
        const X = c.X.map((r) => r.slice())
        const t = await new TruncatedRegression({ ...bounds(c), fitIntercept, tol: 1e-13, accelerate: 'squarem', backend }).fit(X, c.y)
        const got = fitIntercept ? [t.intercept, ...t.coefficients] : t.coefficients
        const worst = Math.max(...got.map((v, j) => rel(v, c.coef[j]!)), rel(t.scale, c.sigma))
        console.log(`[truncated] ${name} (${backend}): ${t.nIter} iterations, coef ${got}, scale ${t.scale}, worst relative error vs scipy ${worst.toExponential(2)}, logLik ${t.logLik} (scipy ${c.logLik})`)
        expect(t.status).toBe('converged')
        expect(worst).toBeLessThan(1e-6)
        expect(Math.abs(t.logLik - c.logLik)).toBeLessThan(1e-8)
        expect(X).toEqual(c.X)
        expect(t.expectedUnseen).toBeGreaterThan(0)
        expect(t.scoreSamples(c.X, c.y).reduce((a, b) => a + b, 0)).toBeCloseTo(t.logLik, 8)
        expect(t.predict([[1, 2]])[0]).toBeCloseTo((fitIntercept ? t.intercept : 0) + t.coefficients[0]! + 2 * t.coefficients[1]!, 12)
      })
    }
  }

  it('plain EM is monotone and reaches the same point as SQUAREM', async () => {
    const c = ref.cases.regression_left
    const t = await new TruncatedRegression({ lower: c.lower, tol: 1e-12 }).fit(c.X, c.y)
    expect(t.fitResult.decreases).toEqual([])
    expect(rel(t.scale, c.sigma)).toBeLessThan(1e-6)
  })
})

describe('the unseen tails', () => {
  it('count, first and second moments match direct integration of the tails', () => {
    for (const [a, b] of [[-1, 2], [-Infinity, 0.5], [1.5, Infinity]] as const) {
      const t = unseenTails(a, b)
      // trapezoid over the tails, far enough out
      let m0 = 0, m1 = 0, m2 = 0
      const h = 1e-4
      const add = (lo: number, hi: number) => {
        for (let z = lo + h / 2; z < hi; z += h) { const f = Math.exp(-z * z / 2) / Math.sqrt(2 * Math.PI) * h; m0 += f; m1 += z * f; m2 += z * z * f }
      }
      if (a > -Infinity) add(Math.min(a, 0) - 12, a)
      if (b < Infinity) add(b, Math.max(b, 0) + 12)
      const P = Math.exp(t.logP)
      expect(rel(t.count, m0 / P)).toBeLessThan(1e-6)
      expect(Math.abs(t.s1 - m1 / P) / Math.max(1, Math.abs(t.s1))).toBeLessThan(1e-5)
      expect(Math.abs(t.s2 - m2 / P) / Math.max(1, Math.abs(t.s2))).toBeLessThan(1e-5)
    }
  })

  it('far in the tails they agree with the recorded part through the whole line (sum 1, E z = 0, E z^2 = 1)', () => {
    for (const [a, b] of [[-8, -7], [6, 9], [-30, -29], [-0.5, 30]] as const) {
      const t = unseenTails(a, b)
      const inside = truncatedNormalMoments(a, b)
      expect(rel(t.count + 1, Math.exp(-t.logP))).toBeLessThan(1e-12)
      expect(rel(t.s1, -inside.mean)).toBeLessThan(1e-10)
      expect(rel(t.s2 + inside.variance + inside.mean ** 2, Math.exp(-t.logP))).toBeLessThan(1e-10)
    }
  })
})

describe('bad truncation input', () => {
  it('lower >= upper is an OptionError', () => {
    expect(() => new TruncatedNormal({ lower: 2, upper: 1 })).toThrow(OptionError)
    expect(() => new TruncatedNormal({ lower: 2, upper: 2 })).toThrow(/'lower': must be below upper \(2\), got 2/)
    expect(() => new TruncatedRegression({ lower: 3, upper: 0 })).toThrow(/must be below upper \(0\), got 3/)
    expect(() => new TruncatedNormal({ lower: NaN })).toThrow(/'lower': must be a number below Infinity, got NaN/)
    expect(() => new TruncatedNormal({ lowr: 0 } as never)).toThrow(/did you mean 'lower'\?/)
  })

  it('data outside the bounds is an InputError naming the row and value', async () => {
    await expect(new TruncatedNormal({ lower: 0 }).fit([1, 2, -0.5])).rejects.toThrow(InputError)
    await expect(new TruncatedNormal({ lower: 0 }).fit([1, 2, -0.5])).rejects.toThrow(/x\[2\] is -0.5, outside the truncation interval \[0, Infinity\]/)
    await expect(new TruncatedRegression({ upper: 1 }).fit([[1], [2], [3]], [0, 0.5, 1.5])).rejects.toThrow(/y\[2\] is 1.5, outside the truncation interval \[-Infinity, 1\]/)
    await expect(new TruncatedRegression({ lower: 0 }).fit([[1], [2], [3]], [0, 0.5])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
    await expect(new TruncatedNormal().fit([1, NaN, 2])).rejects.toMatchObject({ code: 'NON_FINITE' })
    const t = await new TruncatedNormal({ lower: 0 }).fit([1, 2, 0.5, 3])
    expect(() => t.scoreSamples([-1])).toThrow(/x\[0\] is -1, outside/)
  })
})

describe('sampleWeight', () => {
  it('weight 2 is the row given twice', async () => {
    const c = ref.cases.regression_left
    const w = c.y.map((_, i) => (i % 3 === 0 ? 2 : 1))
    const X2 = c.X.flatMap((r, i) => (w[i] === 2 ? [r, r] : [r]))
    const y2 = c.y.flatMap((v, i) => (w[i] === 2 ? [v, v] : [v]))
    const a = await new TruncatedRegression({ lower: c.lower, accelerate: 'squarem', tol: 1e-12 }).fit(c.X, c.y, { sampleWeight: w })
    const b = await new TruncatedRegression({ lower: c.lower, accelerate: 'squarem', tol: 1e-12 }).fit(X2, y2)
    expect(rel(a.scale, b.scale)).toBeLessThan(1e-9)
    expect(rel(a.coefficients[0]!, b.coefficients[0]!)).toBeLessThan(1e-9)
    expect(rel(a.logLik, b.logLik)).toBeLessThan(1e-12)
    expect(rel(a.expectedUnseen, b.expectedUnseen)).toBeLessThan(1e-9)
  })
})
