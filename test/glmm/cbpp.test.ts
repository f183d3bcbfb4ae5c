/**
 * LogisticGLMM against lme4 1.1-31's glmer on the cbpp data
 * (test/fixtures/glmm_cbpp_lme4.json, made by test/fixtures/scripts/glmm_cbpp_lme4.R):
 * (a) emkit's adaptive Gauss-Hermite log-likelihood at lme4's estimates equals lme4's
 *     (nAGQ = 25: after adding back the saturated log-likelihood that lme4 leaves out
 *     with nAGQ > 1; nAGQ = 1: as is) and R's integrate(), within 1e-6;
 * (b) the MCEM fit agrees with lme4's nAGQ = 25 estimates within 0.02 absolute and
 *     with its maximised log-likelihood within 1e-3 (seed printed);
 * (c) the Metropolis chains' acceptance rates after tuning lie in [0.15, 0.40];
 * (d) a seed gives the same fit on every backend.
 */
import { describe, expect, it } from 'vitest'
import { LogisticGLMM } from '../../src/estimators/LogisticGLMM.js'
import { jsKernels } from '../../src/kernels/js/index.js'
import { LogisticGlmmModel } from '../../src/models/glmm/model.js'
import { fixture, groups, trials, X, y } from './cbpp.js'

/** emkit's marginal log-likelihood of cbpp at given estimates (rows are already sorted by herd). */
function logLikAt(fit: { intercept: number; coefficients: number[]; randomEffectSD: number }, nAGQ: number): number {
  const n = X.length, p = 4
  const z = new Float64Array(n * p)
  X.forEach((row, i) => { z[i * p] = 1; row.forEach((v, j) => { z[i * p + 1 + j] = v }) })
  const starts = [0]
  for (let i = 1; i <= n; i++) if (i === n || groups[i] !== groups[i - 1]) starts.push(i)
  const model = new LogisticGlmmModel(jsKernels, { burnIn: 0, thin: 1, nAGQ })
  const data = model.prepare(z, n, p, Float64Array.from(y), Float64Array.from(trials), Int32Array.from(starts))
  return model.logLik(data, { coef: Float64Array.from([fit.intercept, ...fit.coefficients]), sigma: fit.randomEffectSD })
}

const SEED = 7
// epsilon 0.003 (mcemGLM's stopping rule, tighter than its 0.02 default): over seeds 1-10 the
// largest error was 0.0042 and the log-likelihood gap at most 2.0e-4
const MCEM = { epsilon: 0.003, initialSamples: 500 }

describe('LogisticGLMM on cbpp against lme4::glmer', () => {
  it('(a) AGQ log-likelihood at lme4\'s estimates equals lme4\'s and R integrate()\'s within 1e-6', () => {
    const at25 = logLikAt(fixture.agq25, 25)
    const at1 = logLikAt(fixture.laplace, 1)
    console.log(`[glmm cbpp] nAGQ=25: emkit ${at25}, lme4 + saturated ${fixture.agq25.logLik + fixture.saturatedLogLik}, integrate ${fixture.agq25.integrateLogLik}; nAGQ=1: emkit ${at1}, lme4 ${fixture.laplace.logLik}`)
    expect(Math.abs(at25 - (fixture.agq25.logLik + fixture.saturatedLogLik))).toBeLessThan(1e-6)
    expect(Math.abs(at25 - fixture.agq25.integrateLogLik)).toBeLessThan(1e-6)
    expect(Math.abs(at1 - fixture.laplace.logLik)).toBeLessThan(1e-6)
    // 25 points are plenty: 50 give the same value
    expect(Math.abs(logLikAt(fixture.agq25, 50) - at25)).toBeLessThan(1e-9)
  })

  it(`(b, c) MCEM (seed ${SEED}) agrees with lme4's nAGQ = 25 fit; acceptance in [0.15, 0.40]`, async () => {
    const m = new LogisticGLMM({ algorithm: 'mcem', seed: SEED, mcem: MCEM })
    await m.fit(X, y, { groups, trials })
    const r = fixture.agq25
    const errs = [m.intercept - r.intercept, ...m.coefficients.map((c, i) => c - r.coefficients[i]!), m.randomEffectSD - r.randomEffectSD]
    const full = r.logLik + fixture.saturatedLogLik
    console.log(`[glmm cbpp] seed ${SEED}: ${m.nIter} MCEM iterations (${m.status}), errors vs lme4 ${errs.map((e) => e.toFixed(4)).join(' ')}, logLik ${m.logLik} (lme4 max ${full}, diff ${(m.logLik - full).toExponential(2)}), mcError ${m.fitResult.mcError}, acceptance ${Math.min(...m.acceptanceRates).toFixed(3)}..${Math.max(...m.acceptanceRates).toFixed(3)}`)
    expect(m.status).toBe('converged')
    for (const e of errs) expect(Math.abs(e)).toBeLessThan(0.02)
    expect(Math.abs(m.logLik - full)).toBeLessThan(1e-3)
    expect(m.logLik).toBeLessThanOrEqual(full + 1e-6)
    expect(m.fitResult.mcError).toBe(m.fitResult.monteCarlo!.mcError)
    expect(m.fitResult.mcError).toBeGreaterThan(0)
    expect(m.groups).toEqual([...new Set(groups)])
    for (const a of m.acceptanceRates) {
      expect(a).toBeGreaterThanOrEqual(0.15)
      expect(a).toBeLessThanOrEqual(0.4)
    }
  }, 60000)

  it('(d) the same seed gives the same fit on wasm-simd, wasm-scalar and js', async () => {
    const fits = []
    for (const backend of ['wasm', 'wasm-scalar', 'js'] as const) {
      const m = await new LogisticGLMM({ seed: 3, backend, maxIter: 6, mcem: { initialSamples: 100 } }).fit(X, y, { groups, trials })
      fits.push({ params: m.fitResult.params, history: m.history, accept: m.acceptanceRates, mc: m.fitResult.monteCarlo!.iterations })
    }
    expect(fits[1]).toEqual(fits[0])
    expect(fits[2]).toEqual(fits[0])
  })
})
