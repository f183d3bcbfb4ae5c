/**
 * RegressionMixture against mixtools' regmixEM and flexmix's FLXMRglm(gaussian) on
 * flexmix's NPreg (17_regmix_npreg.json, data flexmix_NPreg.csv):
 * - regmixEM from its given start: the log-likelihood trajectory within 1e-8 relative,
 *   and, run to the fixed point, the MLE (polished by the reference) within 1e-5;
 * - flexmix from its cluster starts (soft 0.9/0.1) with varianceConvention 'flexmix':
 *   its per-iteration log-likelihoods and final parameters; 'ml' matches the reference's
 *   textbook EM from the same start (the option changes the result).
 */
import { describe, expect, it } from 'vitest'
import { RegressionMixture } from '../../src/estimators/RegressionMixture.js'
import ref from '../fixtures/17_regmix_npreg.json' with { type: 'json' }
import { npreg } from './data.js'

const { x, yn } = npreg()
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!))
  return m
}

describe('RegressionMixture vs mixtools regmixEM', () => {
  const R = ref.regmixEM
  const start = {
    weights: R.start.lambda,
    intercepts: R.start.beta_columns_are_components[0]!,
    coefficients: R.start.beta_columns_are_components[1]!.map((s) => [s]),
    scales: R.start.sigma,
  }
  for (const backend of ['wasm', 'wasm-scalar', 'js'] as const) {
    it(`trajectory from regmixEM's start within 1e-8 relative (${backend})`, async () => {
      const run = R.runs['eps_1e-12']
      const m = await new RegressionMixture({ init: start, maxIter: run.iterations, tol: 0, backend }).fit(x, yn)
      const err = maxRel(m.history, run.all_loglik)
      console.log(`[regmix] regmixEM trajectory (${run.all_loglik.length} values) max rel diff ${err.toExponential(2)} (${backend})`)
      expect(err).toBeLessThan(1e-8)
    })
  }

  it('converges to the MLE within 1e-5 (and SQUAREM to the same point)', async () => {
    const mle = R.runs['eps_1e-12'].mle_polished
    for (const accelerate of ['none', 'squarem'] as const) {
      const m = await new RegressionMixture({ init: start, tol: 1e-13, criterion: 'parameters', maxIter: 10000, accelerate }).fit(x, yn)
      expect(m.status).toBe('converged')
      const got = [...m.weights, ...m.intercepts, ...m.coefficients.map((c) => c[0]!), ...m.scales]
      const want = [...mle.lambda, ...mle.beta_columns_are_components[0]!, ...mle.beta_columns_are_components[1]!, ...mle.sigma]
      const err = maxRel(got, want)
      console.log(`[regmix] MLE (${accelerate}, ${m.nIter} iterations): max rel diff ${err.toExponential(2)}, logLik ${m.logLik} vs ${mle.loglik}`)
      expect(err).toBeLessThan(1e-5)
      expect(Math.abs(m.logLik - mle.loglik) / Math.abs(mle.loglik)).toBeLessThan(1e-10)
    }
  })
})

describe('RegressionMixture vs flexmix (Gaussian)', () => {
  const F = ref.flexmix_gaussian
  for (const startName of ['seed1', 'seed2', 'ols_residual_sign'] as const) {
    const labels = ref.starts[startName].cluster.map((c) => c - 1)
    for (const run of ['default', 'tight'] as const) {
      it(`${startName} ${run}: flexmix's trajectory and parameters with varianceConvention 'flexmix'`, async () => {
        const r = F[startName][run]
        const m = await new RegressionMixture({ init: { labels }, varianceConvention: 'flexmix', maxIter: r.iterations - 1, tol: 0 }).fit(x, yn)
        const err = maxRel(m.history, r.loglik_trajectory)
        const P = r.parameters_columns_are_components
        const got = [...m.intercepts, ...m.coefficients.map((c) => c[0]!), ...m.scales]
        const perr = maxRel(got, [...P[0]!, ...P[1]!, ...P[2]!])
        console.log(`[regmix] flexmix ${startName} ${run}: trajectory (${r.iterations}) max rel diff ${err.toExponential(2)}, parameters ${perr.toExponential(2)}`)
        expect(err).toBeLessThan(1e-10)
        expect(perr).toBeLessThan(1e-8)
        expect(m.nParameters()).toBe(r.df)
      })
    }
    it(`${startName}: 'ml' takes the textbook EM path from flexmix's start`, async () => {
      const t = F[startName].default.textbook_ml_em_same_start
      const m = await new RegressionMixture({ init: { labels }, maxIter: t.iterations - 1, tol: 0 }).fit(x, yn)
      const err = maxRel(m.history, t.loglik_trajectory)
      console.log(`[regmix] textbook EM ${startName}: max rel diff ${err.toExponential(2)}`)
      expect(err).toBeLessThan(1e-10)
      expect(maxRel(m.scales, t.sigma)).toBeLessThan(1e-8)
    })
  }
})
