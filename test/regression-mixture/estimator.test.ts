/**
 * RegressionMixture and GLMMixture as estimators: typed errors for bad input (y of
 * another length than X, non-finite y, non-integer or negative Poisson counts,
 * binomial successes above the trials, bad starts and options, with suggestions for
 * misspelt names), inputs never mutated, every option observable, predictions
 * consistent with the parameters, toJSON/fromJSON bit-identical, restarts on the
 * seed, the bootstrap (both kinds) through the registry.
 */
import { describe, expect, it } from 'vitest'
import { EmkitError, InputError, OptionError } from '../../src/core/errors.js'
import { GLMMixture } from '../../src/estimators/GLMMixture.js'
import { RegressionMixture } from '../../src/estimators/RegressionMixture.js'
import { bootstrap } from '../../src/inference/bootstrap.js'
import { loadModel } from '../../src/registry/load.js'
import '../../src/registry/kinds/index.js'
import { npreg } from './data.js'

const { x, yn, yp, yb } = npreg()
const start = { init: { labels: x.map((_, i) => i % 2) } }

async function rejects(p: Promise<unknown> | (() => unknown), code: string, message: RegExp): Promise<void> {
  let error: unknown
  try { await (typeof p === 'function' ? p() : p) } catch (e) { error = e }
  expect(error, `expected ${code}`).toBeInstanceOf(EmkitError)
  expect((error as EmkitError).code).toBe(code)
  expect((error as Error).message).toMatch(message)
}

describe('bad input', () => {
  it('y of another length than X', async () => {
    await rejects(new RegressionMixture().fit(x, yn.slice(1)), 'SHAPE_MISMATCH', /y has 199 values but X has 200 rows/)
    await rejects(new GLMMixture().fit(x, yp.slice(0, 3)), 'SHAPE_MISMATCH', /y has 3 values/)
  })
  it('non-finite responses', async () => {
    const y = yn.slice(); y[5] = NaN
    await rejects(new RegressionMixture().fit(x, y), 'NON_FINITE', /y\[5\] is NaN/)
  })
  it('Poisson responses that are not counts', async () => {
    const frac = yp.slice(); frac[7] = 2.5
    await rejects(new GLMMixture({ family: 'poisson' }).fit(x, frac), 'INVALID_DATA', /y\[7\] is 2\.5; the poisson family needs non-negative integer/)
    const neg = yp.slice(); neg[3] = -1
    await rejects(new GLMMixture({ family: 'poisson' }).fit(x, neg), 'INVALID_DATA', /y\[3\] is -1/)
  })
  it('binomial successes above the trials, bad trials', async () => {
    const trials = yb.map(() => 1)
    const y = yb.slice(); y[4] = 2
    await rejects(new GLMMixture({ family: 'binomial' }).fit(x, y, { trials }), 'INVALID_DATA', /y\[4\] is 2 successes out of trials\[4\] = 1/)
    await rejects(new GLMMixture({ family: 'binomial' }).fit(x, yb, { trials: trials.map((t, i) => (i === 9 ? 0.5 : t)) }), 'INVALID_DATA', /trials\[9\] is 0\.5/)
    await rejects(new GLMMixture({ family: 'binomial' }).fit(x, yb, { trials: [1, 2] }), 'SHAPE_MISMATCH', /trials has 2 values/)
    await rejects(new GLMMixture({ family: 'poisson' }).fit(x, yp, { trials }), 'INVALID_OPTION', /family 'binomial' only/)
  })
  it('bad options and starts', async () => {
    await rejects(() => new GLMMixture({ family: 'gamma' as 'poisson' }), 'INVALID_OPTION', /family/)
    await rejects(() => new RegressionMixture({ varianceConvention: 'unbiased' as 'ml' }), 'INVALID_OPTION', /varianceConvention/)
    await rejects(() => new RegressionMixture({ nComponent: 2 } as object), 'INVALID_OPTION', /nComponents/)
    await rejects(() => new RegressionMixture({ init: { labels: [0], weights: [1] } as never }), 'INVALID_OPTION', /init/)
    await rejects(new RegressionMixture({ init: { labels: x.map(() => 2) } }).fit(x, yn), 'INVALID_DATA', /init\.labels\[0\] is 2/)
    await rejects(new RegressionMixture({ init: { labels: [0, 1] } }).fit(x, yn), 'SHAPE_MISMATCH', /init\.labels has 2 values/)
    await rejects(new RegressionMixture({ init: { weights: [0.5, 0.5], coefficients: [[1], [2]], intercepts: [0, 0] } }).fit(x, yn), 'INVALID_DATA', /init\.scales/)
    await rejects(new RegressionMixture({ init: { weights: [0.5, 0.5], coefficients: [[1, 2], [2, 1]], scales: [1, 1] } }).fit(x, yn), 'INVALID_DATA', /coefficients\[0\].*give 1 slopes/)
    await rejects(new RegressionMixture().fit(x, yn, { trial: [] } as object), 'INVALID_OPTION', /trial/)
    await rejects(new RegressionMixture({ nComponents: 201 }).fit(x, yn), 'TOO_MANY_COMPONENTS', /./)
  })
  it('use before fit and on data of another shape', async () => {
    await rejects(() => new RegressionMixture().coefficients, 'NOT_FITTED', /coefficients/)
    const m = await new RegressionMixture(start).fit(x, yn)
    await rejects(() => m.predict(x.map((r) => [r[0]!, 1]), yn), 'SHAPE_MISMATCH', /nFeatures/)
  })
  it('inputs are not mutated', async () => {
    const X = x.map((r) => r.slice()), y = yp.slice()
    const m = await new GLMMixture(start).fit(X, y)
    m.predictProba(X, y)
    expect(X).toEqual(x)
    expect(y).toEqual(yp)
  })
})

describe('options and predictions', () => {
  it('fitIntercept: false fits lines through the origin', async () => {
    const m = await new RegressionMixture({ ...start, fitIntercept: false }).fit(x, yn)
    expect(m.intercepts).toEqual([0, 0])
    const withIntercept = await new RegressionMixture(start).fit(x, yn)
    expect(m.logLik).toBeLessThan(withIntercept.logLik)
    expect(m.nParameters()).toBe(withIntercept.nParameters() - 2)
  })
  it('varianceConvention scales sigma^2 by n / (n - p) at the same coefficients step', async () => {
    const ml = await new RegressionMixture({ ...start, maxIter: 0 }).fit(x, yn)
    const fx = await new RegressionMixture({ ...start, maxIter: 0, varianceConvention: 'flexmix' }).fit(x, yn)
    expect(fx.coefficients).toEqual(ml.coefficients)
    for (let c = 0; c < 2; c++) expect(fx.scales[c]! ** 2 / ml.scales[c]! ** 2).toBeCloseTo(200 / 198, 12)
  })
  it('predict, predictProba, predictResponse and scoreSamples agree with the parameters', async () => {
    const m = await new RegressionMixture({ ...start, tol: 1e-10 }).fit(x, yn)
    const proba = m.predictProba(x, yn), labels = m.predict(x, yn), rows = m.scoreSamples(x, yn)
    const { weights: w, intercepts: a, coefficients: b, scales: s } = m
    for (let i = 0; i < 200; i += 37) {
      const dens = [0, 1].map((c) => w[c]! * Math.exp(-0.5 * ((yn[i]! - a[c]! - b[c]![0]! * x[i]![0]!) / s[c]!) ** 2) / (s[c]! * Math.sqrt(2 * Math.PI)))
      expect(rows[i]).toBeCloseTo(Math.log(dens[0]! + dens[1]!), 10)
      expect(proba[i]![0]).toBeCloseTo(dens[0]! / (dens[0]! + dens[1]!), 10)
      expect(labels[i]).toBe(dens[0]! >= dens[1]! ? 0 : 1)
    }
    const resp = m.predictResponse([[2]])[0]!
    expect(resp).toBeCloseTo(w[0]! * (a[0]! + 2 * b[0]![0]!) + w[1]! * (a[1]! + 2 * b[1]![0]!), 10)
    expect(m.predictResponse([[2]], { component: 1 })[0]).toBeCloseTo(a[1]! + 2 * b[1]![0]!, 12)
    expect(rows.reduce((s, v) => s + v, 0)).toBeCloseTo(m.logLik, 8)
    const g = await new GLMMixture(start).fit(x, yp)
    expect(g.predictResponse([[1]], { component: 0 })[0]).toBeCloseTo(Math.exp(g.intercepts[0]! + g.coefficients[0]![0]!), 12)
  })
  it('init { posteriors } as given: flexmix-softened labels as posteriors take the labels start\'s path; other posteriors another', async () => {
    const labels = x.map((_, i) => i % 2)
    const soft = labels.map((c) => (c === 0 ? [0.9, 0.1] : [0.1, 0.9]))
    const a = await new RegressionMixture({ init: { labels }, maxIter: 5, tol: 0 }).fit(x, yn)
    const b = await new RegressionMixture({ init: { posteriors: soft }, maxIter: 5, tol: 0 }).fit(x, yn)
    expect(b.history).toEqual(a.history)
    const c = await new RegressionMixture({ init: { posteriors: labels.map((l) => (l === 0 ? [1, 0] : [0, 1])) }, maxIter: 5, tol: 0 }).fit(x, yn)
    expect(c.history[0]).not.toBe(a.history[0])
    await rejects(new RegressionMixture({ init: { posteriors: soft.map(() => [0.5, 0.6]) } }).fit(x, yn), 'INVALID_DATA', /init\.posteriors\[0\] sums to 1\.1/)
  })
  it('sampleWeight 2 equals the row given twice', async () => {
    const X2 = [...x, ...x.slice(0, 50)], y2 = [...yn, ...yn.slice(0, 50)]
    const w = x.map((_, i) => (i < 50 ? 2 : 1))
    const a = await new RegressionMixture({ init: { weights: [0.5, 0.5], coefficients: [[4], [1]], intercepts: [1, 25], scales: [5, 5] }, maxIter: 20, tol: 0 }).fit(x, yn, { sampleWeight: w })
    const b = await new RegressionMixture({ init: { weights: [0.5, 0.5], coefficients: [[4], [1]], intercepts: [1, 25], scales: [5, 5] }, maxIter: 20, tol: 0 }).fit(X2, y2)
    expect(Math.abs(a.logLik - b.logLik) / -b.logLik).toBeLessThan(1e-12)
  })
  it('random starts: the seed decides, nInit keeps the best', async () => {
    const seed = 7
    console.log(`[regmix] random starts: seed ${seed}`)
    const a = await new RegressionMixture({ seed, nInit: 3, workers: 1 }).fit(x, yn)
    const b = await new RegressionMixture({ seed, nInit: 3, workers: 1 }).fit(x, yn)
    expect(a.history).toEqual(b.history)
    const one = await new RegressionMixture({ seed, nInit: 1 }).fit(x, yn)
    expect(a.logLik).toBeGreaterThanOrEqual(one.logLik - 1e-9)
    expect(a.logLik).toBeGreaterThan(-704.1)
  })
  it('toJSON / fromJSON / loadModel: bit-identical predictions', async () => {
    for (const m of [await new RegressionMixture(start).fit(x, yn), await new GLMMixture({ ...start, family: 'binomial' }).fit(x, yb)]) {
      const y = m instanceof GLMMixture ? yb : yn
      const back = await loadModel(JSON.parse(JSON.stringify(m.toJSON()))) as typeof m
      expect(back.scoreSamples(x, y)).toEqual(m.scoreSamples(x, y))
      expect(back.predictResponse(x)).toEqual(m.predictResponse(x))
    }
  })
})

describe('bootstrap through the registry', () => {
  for (const kind of ['nonparametric', 'parametric'] as const) {
    it(`${kind}: RegressionMixture and GLMMixture replicates fit and align`, async () => {
      const r = await bootstrap(() => new RegressionMixture({ ...start, tol: 1e-6 }), { X: x, y: yn }, { replicates: 4, seed: 3, workers: 1, kind })
      expect(r.names).toEqual(['weight[0]', 'weight[1]', 'intercept[0]', 'intercept[1]', 'coef[0][0]', 'coef[1][0]', 'scale[0]', 'scale[1]'])
      expect(r.replicates.length).toBe(4)
      // aligned: each replicate's slopes near the full fit's, component for component
      for (const v of r.replicates) expect(Math.abs(v[4]! - r.estimate[4]!)).toBeLessThan(1)
      const g = await bootstrap(() => new GLMMixture({ ...start, tol: 1e-6 }), { X: x, y: yp }, { replicates: 3, seed: 3, workers: 1, kind })
      expect(g.replicates.length).toBe(3)
    })
  }
})

describe('model selection, SQUAREM, CEM on the GLM mixture', () => {
  it('selectModel over nComponents picks 2 components for yn ~ x + x^2 on NPreg (its second class is quadratic) by BIC and by ICL (latent classes from predictProba(X, y))', async () => {
    const { selectModel } = await import('../../src/inference/select.js')
    const X2 = x.map((r) => [r[0]!, r[0]! ** 2])
    for (const criterion of ['bic', 'icl'] as const) {
      const s = await selectModel(() => new RegressionMixture({ seed: 4, nInit: 3, workers: 1 }), { X: X2, y: yn }, { grid: { nComponents: [1, 2, 3] }, criterion, workers: 1 })
      console.log(`[regmix] selectModel ${criterion}: ${s.table.map((r) => `${r.bic?.toFixed(2)}/${r.icl?.toFixed(2)}`).join(', ')}`)
      expect(s.best.model.nComponents).toBe(2)
      expect(s.table[1]!.icl!).toBeGreaterThan(s.table[1]!.bic!)
    }
  })
  it('GLMMixture: SQUAREM reaches EM\'s fixed point; CEM runs and never falls', async () => {
    const em = await new GLMMixture({ ...start, tol: 1e-13, criterion: 'parameters', maxIter: 5000 }).fit(x, yp)
    const sq = await new GLMMixture({ ...start, tol: 1e-13, criterion: 'parameters', maxIter: 5000, accelerate: 'squarem' }).fit(x, yp)
    expect(Math.abs(sq.logLik - em.logLik) / -em.logLik).toBeLessThan(1e-12)
    expect(sq.fitResult.fixedPointEvaluations).toBeLessThan(em.fitResult.fixedPointEvaluations)
    const cem = await new GLMMixture({ ...start, algorithm: 'cem', tol: 1e-12, criterion: 'parameters' }).fit(x, yp)
    expect(cem.fitResult.decreases).toEqual([])
    expect(cem.converged).toBe(true)
    console.log(`[regmix] Poisson GLM mixture: EM ${em.fitResult.fixedPointEvaluations} evaluations, SQUAREM ${sq.fitResult.fixedPointEvaluations}; CEM ${cem.nIter} iterations, CL ${cem.logLik}`)
  })
})
