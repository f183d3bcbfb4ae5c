/**
 * The GLMM's standard errors: the Hessian of emkit's adaptive Gauss-Hermite marginal
 * log-likelihood (nAGQ = 25) at lme4's estimates (cbpp) against lme4's vcov and
 * numDeriv's Hessian of lme4's AGQ deviance (test/fixtures/glmm_cbpp_se_lme4.json, from
 * test/fixtures/scripts/glmm_cbpp_se_lme4.R).
 */
import { describe, expect, it } from 'vitest'
import { standardErrorsOf } from '../../src/index.js'
import { jsKernels } from '../../src/kernels/js/index.js'
import { LogisticGlmmModel } from '../../src/models/glmm/model.js'
import { groups, trials, X, y } from '../glmm/cbpp.js'
import ref from '../fixtures/glmm_cbpp_se_lme4.json' with { type: 'json' }

describe("LogisticGLMM: Hessian of the AGQ marginal log-likelihood against lme4's SEs", () => {
  it('fixed effects within 1e-5 relative, the random-effect SD by the delta method', () => {
    const n = X.length, p = 4
    const z = new Float64Array(n * p)
    X.forEach((row, i) => { z[i * p] = 1; row.forEach((v, j) => { z[i * p + 1 + j] = v }) })
    const starts = [0]
    for (let i = 1; i <= n; i++) if (i === n || groups[i] !== groups[i - 1]) starts.push(i)
    const model = new LogisticGlmmModel(jsKernels, { burnIn: 0, thin: 1, nAGQ: 25 })
    const data = model.prepare(z, n, p, Float64Array.from(y), Float64Array.from(trials), Int32Array.from(starts))
    const params = { coef: Float64Array.from(ref.estimates), sigma: ref.randomEffectSD }
    const se = standardErrorsOf(model, data, params, 'hessian')
    console.log('[glmm se] emkit', se.standardErrors, 'lme4', ref.seLme4Vcov)
    expect(se.names.at(-1)).toBe('log(random-intercept standard deviation)')
    for (let j = 0; j < 4; j++) {
      expect(Math.abs(se.standardErrors[j]! / ref.seLme4Vcov[j]! - 1)).toBeLessThan(1e-5)
      expect(Math.abs(se.standardErrors[j]! / ref.seNumDerivAGQ[j]! - 1)).toBeLessThan(1e-5)
    }
    // SE(sigma) = sigma SE(log sigma)
    expect(Math.abs((ref.randomEffectSD * se.standardErrors[4]!) / ref.seRandomEffectSD_numDeriv - 1)).toBeLessThan(1e-4)
  })
})
