/**
 * The bound with its constants. scikit-learn's lower bound drops the constant terms;
 * `elbo` adds them back. Two independent checks that they are the right ones:
 * - one component, covariance 'full', regCovar 0: q(mu, Lambda) is the exact
 *   Normal-Wishart posterior after one iteration, so elbo is log p(X), in closed form;
 * - every covariance type and weight prior (regCovar 0): the bound after each VE-step,
 *   computed the other way (sum of the log normalisers minus KL(q(theta) || p(theta)),
 *   with all constants), interleaves with elbo after each VM-step:
 *   F(q_{t-1}) <= elbo_t <= F(q_t), both being coordinate ascent on one bound.
 */
import { describe, expect, it } from 'vitest'
import { BayesianGaussianMixture } from '../../src/index.js'
import { lgamma } from '../../src/core/math/special.js'
import { cholesky, logDetFromCholesky } from '../../src/core/math/dense.js'
import { loadKernels } from '../../src/kernels/index.js'
import { BayesianGaussianMixtureModel, type BgmmParams } from '../../src/models/bgmm/model.js'
import { fixtureMatrix, relErr } from '../helpers/data.js'

const faithful = fixtureMatrix('faithful.csv')
const iris = fixtureMatrix('iris.csv')

/** log p(X) of x_i ~ N(mu, Lambda^-1), mu | Lambda ~ N(m0, (beta0 Lambda)^-1), Lambda ~ Wishart(W0, nu0). */
function logEvidence(X: number[][], m0: number[], beta0: number, nu0: number, w0inv: number[][]): number {
  const n = X.length, d = m0.length
  const mean = m0.map((_, j) => X.reduce((s, r) => s + r[j]!, 0) / n)
  const wninv = new Float64Array(d * d)
  for (let j = 0; j < d; j++) {
    for (let l = 0; l < d; l++) {
      let s = 0
      for (const r of X) s += (r[j]! - mean[j]!) * (r[l]! - mean[l]!)
      wninv[j * d + l] = w0inv[j]![l]! + s + ((beta0 * n) / (beta0 + n)) * (mean[j]! - m0[j]!) * (mean[l]! - m0[l]!)
    }
  }
  const logDet = (m: Float64Array) => logDetFromCholesky(cholesky(m, d)!, d)
  const lmg = (a: number) => { let s = 0; for (let j = 0; j < d; j++) s += lgamma(a - j / 2); return s }
  const nun = nu0 + n
  return -(n * d / 2) * Math.log(Math.PI) + (d / 2) * Math.log(beta0 / (beta0 + n))
    + (nu0 / 2) * logDet(Float64Array.from(w0inv.flat())) - (nun / 2) * logDet(wninv) + lmg(nun / 2) - lmg(nu0 / 2)
}

describe('elbo', () => {
  for (const [name, X] of [['faithful', faithful], ['iris', iris]] as const) {
    it(`one full component on ${name}, regCovar 0: elbo is the closed-form log evidence`, async () => {
      const d = X[0]!.length
      const covariancePrior = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, l) => (j === l ? 2 + j : 0.3)))
      const meanPrior = Array.from({ length: d }, (_, j) => j - 1)
      const bgm = await new BayesianGaussianMixture({
        nComponents: 1, weightConcentrationPriorType: 'dirichlet_distribution', regCovar: 0, maxIter: 3, tol: 0,
        meanPrior, meanPrecisionPrior: 0.5, degreesOfFreedomPrior: d + 1.5, covariancePrior,
      }).fit(X)
      const exact = logEvidence(X, meanPrior, 0.5, d + 1.5, covariancePrior)
      console.log(`[bgmm] ${name}: elbo ${bgm.elbo}, log evidence ${exact}`)
      expect(relErr(bgm.elbo, exact)).toBeLessThan(1e-12)
    })
  }

  for (const covarianceType of ['full', 'tied', 'diag', 'spherical'] as const) {
    for (const prior of ['dirichlet_process', 'dirichlet_distribution'] as const) {
      it(`${covarianceType}, ${prior}: the bounds after the VE- and VM-steps interleave`, async () => {
        const iterates: BgmmParams[] = []
        const recorded: number[] = []
        const bgm = new BayesianGaussianMixture({ nComponents: 4, covarianceType, weightConcentrationPriorType: prior, regCovar: 0, maxIter: 300, tol: 0, seed: 5 })
        await bgm.fit(iris, { onIteration: (info) => { iterates.push(info.params); recorded.push(info.logLik) } })
        const model = new BayesianGaussianMixtureModel({ kernels: await loadKernels('wasm'), k: 4, d: 4, covarianceType, weightConcentrationPriorType: prior, regCovar: 0 })
        const data = model.prepare({ rows: iris.length, cols: 4, data: Float64Array.from(iris.flat()) })
        const constant = model.elboConstant(iterates[0]!.priors, iris.length)
        let worst = Infinity
        for (let t = 1; t < iterates.length; t++) {
          const before = model.veStep(data, iterates[t - 1]!).logLik
          const after = model.veStep(data, iterates[t]!).logLik
          const elbo = recorded[t]! + constant
          const slack = 1e-12 * Math.abs(elbo)
          worst = Math.min(worst, elbo - before, after - elbo)
          expect(elbo).toBeGreaterThanOrEqual(before - slack)
          expect(after).toBeGreaterThanOrEqual(elbo - slack)
        }
        console.log(`[bgmm] ${covarianceType} ${prior}: smallest gap between interleaved bounds ${worst.toExponential(2)}`)
        model.release(data)
        model.dispose()
      })
    }
  }
})
