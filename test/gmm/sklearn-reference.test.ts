import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/index.js'
import { BACKENDS, fixtureJson, fixtureMatrix, maxScaledDiff, relErr } from '../helpers/data.js'

/**
 * scikit-learn 1.9.1 GaussianMixture from the explicit start written in the fixture
 * (tol 1e-10, maxIter 1000, regCovar 1e-6): emkit must follow the same EM path.
 */
const DATASETS = [
  { file: '01_gmm_sklearn_faithful.json', csv: 'faithful.csv' },
  { file: '01_gmm_sklearn_iris.json', csv: 'iris.csv' },
  { file: '01_gmm_sklearn_synth.json', csv: 'synth_gmm_n5000_d5_k4.csv' },
]

for (const { file, csv } of DATASETS) {
  const ref = fixtureJson(file)
  const X = fixtureMatrix(csv)
  const n = X.length
  describe(`${ref.dataset.name} vs scikit-learn`, () => {
    for (const fit of ref.fits) {
      for (const backend of BACKENDS) {
        it(`${fit.covariance_type} K=${fit.K} on ${backend}`, async () => {
          const gm = new GaussianMixture({
            nComponents: fit.K, covarianceType: fit.covariance_type, tol: ref.settings.tol,
            maxIter: ref.settings.max_iter, regCovar: ref.settings.reg_covar, backend,
            init: { weights: fit.init.weights, means: fit.init.means, covariances: fit.init.covariances },
          })
          await gm.fit(X)
          const r = fit.result
          const trajectory: number[] = r.lower_bounds_trajectory
          expect(gm.nIter).toBe(r.n_iter)
          expect(gm.converged).toBe(r.converged)
          expect(gm.history.length).toBe(r.n_iter + 1)
          let worst = 0
          trajectory.forEach((lb, t) => { worst = Math.max(worst, relErr(gm.history[t]! / n, lb)) })
          expect(worst).toBeLessThan(1e-10)
          expect(relErr(gm.history[r.n_iter]! / n, r.score_mean_loglik_per_sample)).toBeLessThan(1e-10)
          expect(relErr(gm.score(X), r.score_mean_loglik_per_sample)).toBeLessThan(1e-10)
          expect(maxScaledDiff(gm.weights, r.weights)).toBeLessThan(1e-6)
          expect(maxScaledDiff(gm.means, r.means)).toBeLessThan(1e-6)
          expect(maxScaledDiff(gm.covariances, r.covariances)).toBeLessThan(1e-6)
          expect(gm.nParameters()).toBe(r.n_parameters)
          expect(relErr(gm.bic(X), r.bic)).toBeLessThan(1e-8)
          expect(relErr(gm.aic(X), r.aic)).toBeLessThan(1e-8)
          // The synthetic set's labels are not stored in the fixture (5000 rows).
          if (r.labels_argmax) expect(gm.predict(X)).toEqual(r.labels_argmax)
        })
      }
    }
  })
}
