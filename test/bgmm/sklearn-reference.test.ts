import { describe, expect, it } from 'vitest'
import { BayesianGaussianMixture } from '../../src/index.js'
import { BACKENDS, fixtureJson, fixtureMatrix, maxScaledDiff, relErr } from '../helpers/data.js'

/**
 * scikit-learn 1.9.1 BayesianGaussianMixture on Old Faithful (K = 6, full), both weight
 * priors, default and tight settings, from the captured k-means labels
 * (03_bgmm_sklearn_faithful.json): emkit must take the same variational EM path.
 */
const ref = fixtureJson('03_bgmm_sklearn_faithful.json')
const X = fixtureMatrix('faithful.csv')

function oneHot(labels: number[], k: number): number[][] {
  return labels.map((l) => Array.from({ length: k }, (_, c) => (c === l ? 1 : 0)))
}

describe('BayesianGaussianMixture vs scikit-learn on Old Faithful', () => {
  for (const fit of ref.fits) {
    const settings = fit.setting === 'default' ? { tol: 1e-3, maxIter: 100 } : { tol: 1e-10, maxIter: 10000 }
    for (const backend of BACKENDS) {
      it(`${fit.weight_concentration_prior_type}, ${fit.setting} settings, ${backend}`, async () => {
        const bgm = new BayesianGaussianMixture({
          nComponents: 6, covarianceType: 'full', weightConcentrationPriorType: fit.weight_concentration_prior_type,
          ...settings, regCovar: fit.priors_used.reg_covar, backend,
          init: { responsibilities: oneHot(fit.init_resp_labels_0based, 6) },
        })
        await bgm.fit(X)
        const r = fit.result
        expect(bgm.nIter).toBe(r.n_iter)
        expect(bgm.converged).toBe(r.converged)
        expect(bgm.history.length).toBe(r.n_iter + 1)
        let worst = 0
        r.lower_bounds_trajectory.forEach((lb: number, t: number) => { worst = Math.max(worst, relErr(bgm.history[t]!, lb)) })
        console.log(`[bgmm] ${fit.weight_concentration_prior_type} ${fit.setting} ${backend}: ${r.n_iter} iterations, worst relative difference of the lower bound ${worst.toExponential(2)}`)
        expect(worst).toBeLessThan(1e-10)
        expect(relErr(bgm.lowerBound, r.lower_bound)).toBeLessThan(1e-10)
        expect(maxScaledDiff(bgm.weights, r.weights)).toBeLessThan(1e-6)
        expect(maxScaledDiff(bgm.means, r.means)).toBeLessThan(1e-6)
        expect(maxScaledDiff(bgm.covariances, r.covariances)).toBeLessThan(1e-6)
        expect(maxScaledDiff(bgm.degreesOfFreedom, r.degrees_of_freedom)).toBeLessThan(1e-6)
        expect(maxScaledDiff(bgm.meanPrecision, r.mean_precision)).toBeLessThan(1e-6)
        expect(maxScaledDiff(bgm.weightConcentration, r.weight_concentration)).toBeLessThan(1e-6)
        expect(bgm.weights.filter((w) => w > 0.01).length).toBe(r['n_effective_components_weight_gt_0.01'])
        expect(bgm.predict(X)).toEqual(r.labels_argmax)
        const used = bgm.priors
        expect(used.meanPrior).toEqual(fit.priors_used.mean_prior)
        expect(maxScaledDiff(used.covariancePrior, fit.priors_used.covariance_prior)).toBeLessThan(1e-14)
        expect(used.degreesOfFreedomPrior).toBe(fit.priors_used.degrees_of_freedom_prior)
        expect(used.weightConcentrationPrior).toBe(fit.priors_used.weight_concentration_prior)
      })
    }
  }
})

describe("Bishop's Old Faithful (PRML figure 10.6)", () => {
  it('K = 6 with a weight concentration of 1e-3 (Dirichlet distribution) leaves 2 components of weight > 0.01', async () => {
    for (const backend of BACKENDS) {
      const bgm = await new BayesianGaussianMixture({
        nComponents: 6, weightConcentrationPriorType: 'dirichlet_distribution', weightConcentrationPrior: 1e-3, backend,
      }).fit(X)
      const effective = bgm.weights.filter((w) => w > 0.01)
      console.log(`[bgmm] Bishop ${backend}: weights ${bgm.weights.map((w) => w.toFixed(4)).join(', ')} after ${bgm.nIter} iterations`)
      expect(effective.length).toBe(2)
      expect(bgm.converged).toBe(true)
    }
  })
})
