/**
 * TobitRegression, ProbitRegression, LogisticGLMM, GammaPoisson and MultivariateNormal
 * on the estimator base: option schemas (today's defaults, no nInit or workers: their
 * starts are deterministic), warm starts that continue a fit exactly, maxIter 0,
 * nFeaturesIn, bic/aic/score/scoreSamples with one meaning on training and new data,
 * and save/load through JSON text that predicts and scores bit for bit.
 */
import { describe, expect, it } from 'vitest'
import { GammaPoisson } from '../../src/estimators/GammaPoisson.js'
import { LogisticGLMM } from '../../src/estimators/LogisticGLMM.js'
import { MultivariateNormal } from '../../src/estimators/MultivariateNormal.js'
import { ProbitRegression } from '../../src/estimators/ProbitRegression.js'
import { TobitRegression } from '../../src/estimators/TobitRegression.js'
import { TruncatedNormal } from '../../src/estimators/TruncatedNormal.js'
import { TruncatedRegression } from '../../src/estimators/TruncatedRegression.js'
import truncated from '../fixtures/truncated_scipy.json' with { type: 'json' }
import { loadModel } from '../../src/registry/load.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { normalCdf } from '../../src/core/math/normal.js'
import published from '../fixtures/published.json' with { type: 'json' }
import { groups as herds, trials as sizes, X as GX, y as GY } from '../glmm/cbpp.js'
import { tobinData } from '../helpers/data.js'

const { X: TX, y: TY } = tobinData()
const pump = published.pump_failures
const { X: RX, y: RY } = truncated.cases.regression_left
const NX = truncated.cases.normal_left.x

const rng = new Rng(41)
const PX = Array.from({ length: 150 }, () => [rng.normal(), rng.uniform() * 2 - 1])
const PY = PX.map(([a, b]) => (0.3 + 0.8 * a! - 1.2 * b! + rng.normal() > 0 ? 1 : 0))
const MX = Array.from({ length: 120 }, () => {
  const z = rng.normal()
  return [5 + z, -1 + 0.5 * z + rng.normal(), 2 * rng.normal()].map((v) => (rng.uniform() < 0.15 ? NaN : v))
})

/** Every double by its bits, object keys sorted: equal means bit-identical (and NaN equals NaN). */
function bits(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number') return Buffer.from(Float64Array.of(v).buffer).toString('hex')
    if (v instanceof Float64Array) return Array.from(v, (x) => Buffer.from(Float64Array.of(x).buffer).toString('hex'))
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
    return v
  })
}

const roundTrip = (json: unknown) => JSON.parse(JSON.stringify(json)) as unknown

describe('option schemas: today\'s defaults; no restarts, so no nInit and no workers', () => {
  const engine = { tol: 1e-9, criterion: 'parameters', maxIter: 10000, seed: 0, backend: 'wasm', accelerate: 'none', warmStart: false }
  it.each([
    ['TobitRegression', () => new TobitRegression(), { left: -Infinity, right: Infinity, fitIntercept: true, ...engine, algorithm: 'em', mcem: {} }],
    ['ProbitRegression', () => new ProbitRegression(), { fitIntercept: true, ...engine, algorithm: 'em', mcem: {} }],
    ['TruncatedRegression', () => new TruncatedRegression(), { lower: -Infinity, upper: Infinity, fitIntercept: true, ...engine }],
    ['TruncatedNormal', () => new TruncatedNormal(), { lower: -Infinity, upper: Infinity, ...engine }],
    ['GammaPoisson', () => new GammaPoisson(), { ...engine, algorithm: 'em', mcem: {} }],
    ['MultivariateNormal', () => new MultivariateNormal(), { tol: 1e-9, criterion: 'parameters', maxIter: 10000, algorithm: 'em', accelerate: 'none', warmStart: false }],
    ['LogisticGLMM', () => new LogisticGLMM(), { algorithm: 'mcem', mcem: { burnIn: 100, thin: 1 }, fitIntercept: true, nAGQ: 25, maxIter: 200, seed: 0, backend: 'wasm', warmStart: false }],
  ] as const)('%s', (_name, make, defaults) => {
    const e = make()
    expect(e.getParams()).toEqual(defaults)
    for (const [name, value] of Object.entries(defaults)) expect((e as unknown as Record<string, unknown>)[name], name).toEqual(value)
    for (const absent of ['nInit', 'workers']) {
      expect(() => (make() as { setParams(o: object): unknown }).setParams({ [absent]: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', message: expect.stringMatching(new RegExp(`no option '${absent}'`)) }))
    }
  })

  it('setParams validates and changes the attributes; misspelt names get a suggestion', () => {
    const t = new TobitRegression({ left: 0 })
    expect(t.setParams({ maxIter: 3, accelerate: 'squarem' }).maxIter).toBe(3)
    expect(t.getParams()).toMatchObject({ left: 0, maxIter: 3, accelerate: 'squarem' })
    expect(() => t.setParams({ right: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', details: expect.objectContaining({ option: 'left' }) }))
    expect(t.right).toBe(Infinity)
    expect(() => new TobitRegression({ fitintercept: false } as never)).toThrow(/did you mean 'fitIntercept'/)
    expect(() => new GammaPoisson({ algorithm: 'mcem', accelerate: 'squarem' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new MultivariateNormal({ seed: 1 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new LogisticGLMM({ tol: 1e-3 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  })
})

describe('warm start', () => {
  const cases = [
    ['TobitRegression', (o: object) => new TobitRegression({ left: 0, ...o }), (e: TobitRegression) => e.fit(TX, TY)],
    ['GammaPoisson', (o: object) => new GammaPoisson(o), (e: GammaPoisson) => e.fit(pump.x, { exposure: pump.t })],
  ] as const

  for (const [name, make, fit] of cases) {
    for (const criterion of ['parameters', 'objective'] as const) {
      it(`${name} (criterion '${criterion}'): 5 warm fits of maxIter 1 end exactly where one fit of maxIter 5 does`, async () => {
        const once = await (fit as (e: unknown) => Promise<TobitRegression | GammaPoisson>)(make({ criterion, maxIter: 5 }))
        const warm = make({ criterion, maxIter: 1, warmStart: true })
        for (let k = 0; k < 5; k++) await (fit as (e: unknown) => Promise<unknown>)(warm)
        expect(bits(warm.fitResult.params)).toBe(bits(once.fitResult.params))
        expect(warm.logLik).toBe(once.logLik)
      })

      it(`${name} (criterion '${criterion}'): a warm loop of maxIter 1 reports converged when the change falls below tol, as one long fit does`, async () => {
        const tol = criterion === 'parameters' ? 1e-6 : 1e-7
        const full = await (fit as (e: unknown) => Promise<TobitRegression | GammaPoisson>)(make({ criterion, tol }))
        expect(full.status).toBe('converged')
        const warm = make({ criterion, tol, maxIter: 1, warmStart: true })
        let fits = 0
        do {
          await (fit as (e: unknown) => Promise<unknown>)(warm)
          fits++
        } while (!warm.converged && fits < full.nIter + 5)
        expect(fits).toBe(full.nIter)
        expect(bits(warm.fitResult.params)).toBe(bits(full.fitResult.params))
      })
    }
  }

  it('a warm fit on data of another shape is refused; without warmStart a refit starts afresh', async () => {
    const t = await new TobitRegression({ left: 0, maxIter: 3, warmStart: true }).fit(TX, TY)
    await expect(t.fit(TX.map((r) => [r[0]!]), TY)).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
    const cold = await new TobitRegression({ left: 0, maxIter: 3 }).fit(TX, TY)
    const again = await cold.fit(TX, TY)
    expect(bits(again.fitResult.params)).toBe(bits((await new TobitRegression({ left: 0, maxIter: 3 }).fit(TX, TY)).fitResult.params))
  })
})

/** Each estimator with one fit call on its data, and the scoring arguments of that data. */
const ALL = [
  { name: 'TobitRegression', make: (o: object) => new TobitRegression({ left: 0, ...o }), fit: (e: any) => e.fit(TX, TY), args: [TX, TY], nFeatures: 2 },
  { name: 'ProbitRegression', make: (o: object) => new ProbitRegression({ algorithm: 'px-em', ...o }), fit: (e: any) => e.fit(PX, PY), args: [PX, PY], nFeatures: 2 },
  { name: 'GammaPoisson', make: (o: object) => new GammaPoisson(o), fit: (e: any) => e.fit(pump.x, { exposure: pump.t }), args: [pump.x, { exposure: pump.t }], nFeatures: 1 },
  { name: 'MultivariateNormal', make: (o: object) => new MultivariateNormal(o), fit: (e: any) => e.fit(MX), args: [MX], nFeatures: 3 },
  { name: 'TruncatedRegression', make: (o: object) => new TruncatedRegression({ lower: 2, ...o }), fit: (e: any) => e.fit(RX, RY), args: [RX, RY], nFeatures: 2 },
  { name: 'TruncatedNormal', make: (o: object) => new TruncatedNormal({ lower: 0, ...o }), fit: (e: any) => e.fit(NX), args: [NX], nFeatures: 1 },
  {
    name: 'LogisticGLMM', make: (o: object) => new LogisticGLMM({ nAGQ: 5, maxIter: 4, mcem: { initialSamples: 50, burnIn: 20 }, ...o }),
    fit: (e: any) => e.fit(GX, GY, { groups: herds, trials: sizes }), args: [GX, GY, { groups: herds, trials: sizes }], nFeatures: 3,
  },
] as const

describe('maxIter 0 and nFeaturesIn', () => {
  it.each(ALL)('$name: maxIter 0 returns the initialisation (a warm maxIter-k fit from it is the cold maxIter-k fit)', async ({ make, fit, nFeatures }) => {
    const start = await fit(make({ maxIter: 0, warmStart: true }))
    expect(start.nIter).toBe(0)
    expect(start.status).toBe('max-iter')
    expect(start.history).toHaveLength(1)
    expect(start.nFeaturesIn).toBe(nFeatures)
    const cold = await fit(make({ maxIter: 3 }))
    await fit(start.setParams({ maxIter: 3 }))
    expect(bits(start.fitResult.params)).toBe(bits(cold.fitResult.params))
    expect(start.history[0]).toBe(cold.history[0])
  })
})

describe('bic, aic, score and scoreSamples: the same on training data as without arguments', () => {
  it.each(ALL)('$name', async ({ name, make, fit, args }) => {
    const e = await fit(make({}))
    const samples: number[] = e.scoreSamples(...args)
    const total = samples.reduce((s, v) => s + v, 0)
    const rows = name === 'GammaPoisson' ? pump.x.length : (args[0] as unknown[]).length
    const units = name === 'LogisticGLMM' ? new Set(herds).size : rows
    expect(samples).toHaveLength(units)
    const n = name === 'MultivariateNormal' ? MX.filter((r) => r.some((v) => !Number.isNaN(v))).length : rows
    // the scores sum to the training log-likelihood: exactly where the model sums rows in order (unit weights)
    if (name === 'TobitRegression' || name === 'ProbitRegression') expect(total).toBe(e.logLik)
    else expect(Math.abs(total - e.logLik)).toBeLessThan(1e-9 * Math.abs(e.logLik))
    const p = e.nParameters()
    expect(e.bic(...args)).toBeCloseTo(-2 * total + p * Math.log(n), 9)
    expect(e.aic(...args)).toBeCloseTo(-2 * total + 2 * p, 9)
    expect(e.score(...args)).toBeCloseTo(total / n, 9)
    expect(e.bic(...args)).toBeCloseTo(e.bic(), 6)
    expect(e.aic(...args)).toBeCloseTo(e.aic(), 6)
    expect(e.score(...args)).toBeCloseTo(e.score(), 9)
    expect(e.score()).toBe(e.lowerBound)
    expect(e.bic()).toBe(-2 * e.logLik + p * Math.log(n))
  }, 30000)

  it('new data: per-row values that follow the model', async () => {
    const t = await new TobitRegression({ left: 0 }).fit(TX, TY)
    const mu = t.predict([[40, 30]])[0]!
    const [exact, censored] = [t.scoreSamples([[40, 30]], [2])[0]!, t.scoreSamples([[40, 30]], [0])[0]!]
    const s = t.scale
    expect(exact).toBeCloseTo(-0.5 * ((2 - mu) / s) ** 2 - Math.log(s) - 0.5 * Math.log(2 * Math.PI), 12)
    // y = 0 at left = 0: only y* <= 0 is known; per-row bounds and intervals as in fit
    expect(t.scoreSamples([[40, 30]], [0], { intervals: [[-Infinity, 0]] })[0]).toBe(censored)
    expect(censored).toBeCloseTo(Math.log(normalCdf(-mu / s)), 12)
    expect(t.scoreSamples([[40, 30]], [5], { lower: [5] })[0]).toBe(t.scoreSamples([[40, 30]], [NaN], { intervals: [[-Infinity, 5]] })[0])
    expect(() => t.scoreSamples([[40, 30]], [0], { sampleWeight: [1] } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => t.scoreSamples([[40]], [0])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }))
    // probit: log Phi(+-eta)
    const pr = await new ProbitRegression().fit(PX, PY)
    const [p1] = pr.predictProba([[0.2, -0.4]])
    expect(pr.scoreSamples([[0.2, -0.4], [0.2, -0.4]], [1, false])).toEqual([expect.closeTo(Math.log(p1!), 12), expect.closeTo(Math.log(1 - p1!), 12)])
    // gamma-Poisson: the negative binomial pmf
    const gp = await new GammaPoisson().fit(pump.x, { exposure: pump.t })
    const { alpha: a, beta: b } = gp
    const nb = (x: number, t: number) => { let l = a * Math.log(b / (b + t)) + x * Math.log(t / (b + t)); for (let k = 0; k < x; k++) l += Math.log((a + k) / (k + 1)); return l }
    const got = gp.scoreSamples([0, 3], { exposure: [2, 0.5] })
    expect(got[0]).toBeCloseTo(nb(0, 2), 12)
    expect(got[1]).toBeCloseTo(nb(3, 0.5), 12)
    // multivariate normal: a row with nothing observed scores 0 and is no sample
    const mvn = await new MultivariateNormal().fit(MX)
    const rows = [MX[1]!, [NaN, NaN, NaN], MX[2]!]
    const per = mvn.scoreSamples(rows)
    expect(per[1]).toBe(0)
    expect(mvn.score(rows)).toBe((per[0]! + per[2]!) / 2)
    // GLMM: one value per group of the new data, in order of first appearance; a single group is fine
    const glmm = await new LogisticGLMM({ nAGQ: 5, maxIter: 3, mcem: { initialSamples: 50 } }).fit(GX, GY, { groups: herds, trials: sizes })
    const two = glmm.scoreSamples([[0, 0, 0], [1, 0, 0], [0, 0, 0]], [1, 0, 2], { groups: ['b', 'a', 'b'], trials: [3, 2, 4] })
    expect(two).toHaveLength(2)
    const onlyB = glmm.scoreSamples([[0, 0, 0], [0, 0, 0]], [1, 2], { groups: ['b', 'b'], trials: [3, 4] })
    expect(two[0]).toBe(onlyB[0])
    expect(glmm.score([[0, 0, 0], [1, 0, 0], [0, 0, 0]], [1, 0, 2], { groups: ['b', 'a', 'b'], trials: [3, 2, 4] })).toBeCloseTo((two[0]! + two[1]!) / 3, 12)
  }, 30000)
})

describe('toJSON / fromJSON / loadModel: bit-identical predictions and scores after JSON text', () => {
  const readings: Record<string, (e: any) => unknown> = {
    TobitRegression: (t: TobitRegression) => [t.predict(TX), t.scoreSamples(TX, TY), t.intercept, t.coefficients, t.scale, t.bic(), t.bic(TX, TY), t.score(TX, TY)],
    ProbitRegression: (p: ProbitRegression) => [p.predictProba(PX), p.predict(PX), p.scoreSamples(PX, PY), p.coefficients, p.aic(), p.aic(PX, PY)],
    GammaPoisson: (g: GammaPoisson) => [g.alpha, g.beta, g.scoreSamples(pump.x, { exposure: pump.t }), g.bic(), g.score(pump.x, { exposure: pump.t })],
    TruncatedRegression: (t: TruncatedRegression) => [t.predict(RX), t.scoreSamples(RX, RY), t.intercept, t.coefficients, t.scale, t.expectedUnseen, t.bic(), t.bic(RX, RY)],
    TruncatedNormal: (t: TruncatedNormal) => [t.mean, t.scale, t.expectedUnseen, t.scoreSamples(NX), t.bic(), t.score(NX)],
    MultivariateNormal: (m: MultivariateNormal) => [m.mean, m.covariance, m.scoreSamples(MX), m.bic(), m.bic(MX)],
    LogisticGLMM: (g: LogisticGLMM) => [g.decisionFunction(GX), g.scoreSamples(GX, GY, { groups: herds, trials: sizes }), g.randomEffectSD, g.groups, g.acceptanceRates, g.bic(), g.bic(GX, GY, { groups: herds, trials: sizes })],
  }
  const summary = (e: any) => [e.getParams(), e.fitResult, e.nIter, e.status, e.history, e.logLik, e.lowerBound, e.nParameters(), e.nFeaturesIn]

  it.each(ALL)('$name', async ({ name, make, fit }) => {
    const e = await fit(make({ maxIter: name === 'LogisticGLMM' ? 4 : 50 }))
    const text = roundTrip(e.toJSON())
    const Class = e.constructor as { fromJSON(json: unknown): Promise<unknown> }
    const viaClass = await Class.fromJSON(text)
    const viaLoad = await loadModel(JSON.stringify(e.toJSON()))
    for (const loaded of [viaClass, viaLoad]) {
      expect(loaded).toBeInstanceOf(e.constructor)
      expect(bits(readings[name]!(loaded))).toBe(bits(readings[name]!(e)))
      expect(bits(summary(loaded))).toBe(bits(summary(e)))
    }
    // an unfitted estimator saves its options only
    const blank = await Class.fromJSON(roundTrip(make({ maxIter: 7 }).toJSON())) as { isFitted: boolean; maxIter: number }
    expect(blank.isFitted).toBe(false)
    expect(blank.maxIter).toBe(7)
  }, 30000)

  it('a document of another kind is refused', async () => {
    const doc = (await new GammaPoisson().fit(pump.x)).toJSON()
    await expect(TobitRegression.fromJSON(doc)).rejects.toMatchObject({ code: 'INVALID_MODEL' })
  })
})
