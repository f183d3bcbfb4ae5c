/**
 * GLMMixture against flexmix's FLXMRglm(poisson) on NPreg (17_regmix_npreg.json): from
 * flexmix's cluster starts the per-iteration log-likelihoods equal the reference's
 * exact-M-step EM (glm.fit to 1e-14 in every M-step; flexmix's own, with glm.fit's 1e-8,
 * differs from it by 3e-8), and the fit reaches the MLE's log-likelihood -440.6402943
 * (within 1e-7 relative). Binomial: flexmix on a seeded binomial sample with trials
 * (flexmix_binomial.json, written by fixtures/scripts/flexmix_binomial.R).
 */
import { describe, expect, it } from 'vitest'
import { GLMMixture } from '../../src/estimators/GLMMixture.js'
import ref from '../fixtures/17_regmix_npreg.json' with { type: 'json' }
import { npreg } from './data.js'

const { x, yp } = npreg()
const maxRel = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.abs(b[i]!))
  return m
}

describe('GLMMixture (Poisson) vs flexmix', () => {
  const F = ref.flexmix_poisson
  for (const startName of ['seed1', 'ols_residual_sign'] as const) {
    const labels = ref.starts[startName].cluster.map((c) => c - 1)
    for (const backend of ['wasm', 'js'] as const) {
      it(`${startName} (${backend}): flexmix's trajectory with exact M-steps; the MLE`, async () => {
        const r = F[startName].default
        const exact = r.reimplementation_exact_mstep
        const m = await new GLMMixture({ family: 'poisson', init: { labels }, maxIter: exact.iterations - 1, tol: 0, backend }).fit(x, yp)
        const err = maxRel(m.history, exact.loglik_trajectory)
        const errFlexmix = maxRel(m.history, r.loglik_trajectory)
        const P = exact.coef_columns_are_components
        const perr = maxRel([...m.intercepts, ...m.coefficients.map((c) => c[0]!)], [...P[0]!, ...P[1]!])
        console.log(`[glmmix] poisson ${startName} (${backend}): exact-M-step trajectory max rel diff ${err.toExponential(2)}, flexmix's own ${errFlexmix.toExponential(2)}, coefficients ${perr.toExponential(2)}`)
        expect(err).toBeLessThan(1e-10)
        expect(errFlexmix).toBeLessThan(1e-9)
        expect(perr).toBeLessThan(1e-8)
        expect(m.nParameters()).toBe(r.df)
        const full = await new GLMMixture({ family: 'poisson', init: { labels }, tol: 1e-14, criterion: 'parameters', maxIter: 5000, backend }).fit(x, yp)
        const mle = F[startName].fixed_point_polished.exact_mstep
        const lerr = Math.abs(full.logLik - -440.6402943) / 440.6402943
        console.log(`[glmmix] poisson ${startName} MLE: logLik ${full.logLik} (${full.nIter} iterations), vs -440.6402943 rel ${lerr.toExponential(2)}, vs polished ${mle.loglik} rel ${(Math.abs(full.logLik - mle.loglik) / -mle.loglik).toExponential(2)}`)
        expect(lerr).toBeLessThan(1e-7)
        expect(Math.abs(full.logLik - mle.loglik) / -mle.loglik).toBeLessThan(1e-12)
      })
    }
  }
})

describe('GLMMixture (binomial) vs flexmix', async () => {
  const B = (await import('../fixtures/flexmix_binomial.json', { with: { type: 'json' } })).default
  const X = B.x.map((v) => [v])
  const labels = B.start.map((c) => c - 1)
  for (const backend of ['wasm', 'wasm-scalar', 'js'] as const) {
    it(`flexmix's trajectory with exact M-steps, and flexmix's own fit (${backend})`, async () => {
      const m = await new GLMMixture({ family: 'binomial', init: { labels }, maxIter: B.flexmix.iterations - 1, tol: 0, backend }).fit(X, B.y, { trials: B.trials })
      const err = maxRel(m.history, B.exact_mstep.loglik_trajectory)
      const C = B.flexmix.coef_rows_are_components
      const perr = maxRel([...m.intercepts, ...m.coefficients.map((c) => c[0]!)], [C[0]![0]!, C[1]![0]!, C[0]![1]!, C[1]![1]!])
      const lerr = Math.abs(m.logLik - B.flexmix.logLik) / -B.flexmix.logLik
      console.log(`[glmmix] binomial (${backend}): exact-M-step trajectory max rel diff ${err.toExponential(2)}, flexmix's coefficients ${perr.toExponential(2)}, logLik ${lerr.toExponential(2)}`)
      expect(err).toBeLessThan(1e-10)
      expect(perr).toBeLessThan(1e-8)
      expect(lerr).toBeLessThan(1e-10)
    })
  }
})
