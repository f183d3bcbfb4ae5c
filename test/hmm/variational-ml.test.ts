/**
 * With vanishing priors and long sequences the variational posterior concentrates on
 * the maximum-likelihood fit: the posterior means of the variational HMMs approach
 * GaussianHMM's and CategoricalHMM's parameters as n grows (the differences are
 * O(1/n): the priors' weight and E[log theta] - log E[theta]).
 */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, GaussianHMM, VariationalCategoricalHMM, VariationalGaussianHMM } from '../../src/index.js'
import { matchComponents } from '../../src/core/math/assignment.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

const chain = { startProb: [0.5, 0.3, 0.2], transMat: [[0.9, 0.06, 0.04], [0.05, 0.9, 0.05], [0.1, 0.1, 0.8]] }
const gaussian = new GaussianHMM({
  nComponents: 3, covarianceType: 'full', seed: 11,
  init: { ...chain, means: [[0, 0], [4, 1], [1, 5]], covariances: [[[1, 0.5], [0.5, 0.89]], [[0.36, -0.18], [-0.18, 1.53]], [[2.25, 0.3], [0.3, 0.29]]] },
})
const categorical = new CategoricalHMM({ nComponents: 3, seed: 12, init: { ...chain, emissionProb: [[0.8, 0.1, 0.05, 0.05], [0.05, 0.05, 0.8, 0.1], [0.1, 0.45, 0.05, 0.4]] } })

const TINY = 1e-8
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number])
/** Largest absolute difference of two K-state parameter blocks after reordering b's states by `order`. */
function maxDiff(a: unknown[], b: unknown[], order: number[], shared = false): number {
  const x = flat(a), y = flat(shared ? b : order.map((o) => b[o]))
  return Math.max(...x.map((v, i) => Math.abs(v - y[i]!)))
}

function sequences(n: number): number[] {
  return [n / 4, n / 4, n / 4, n / 4]
}

describe('vanishing priors, long sequences: the variational fit approaches the maximum-likelihood fit', () => {
  it.each(['full', 'diag', 'spherical', 'tied'] as const)('VariationalGaussianHMM %s', async (covarianceType) => {
    const gaps: { n: number; means: number; covariances: number; transMat: number }[] = []
    for (const n of [2000, 40000]) {
      const lengths = sequences(n)
      const X = gaussian.sampleSequences(lengths, new Rng(n)) as number[][]
      const ml = await new GaussianHMM({ nComponents: 3, covarianceType, tol: 1e-10, maxIter: 1000, seed: 0 }).fit(X, { lengths })
      const wishart = covarianceType === 'full' || covarianceType === 'tied'
      const vb = await new VariationalGaussianHMM({
        nComponents: 3, covarianceType, tol: 1e-10, maxIter: 1000, seed: 0,
        startProbPrior: 1e-3, transMatPrior: 1e-3, betaPrior: TINY, dofPrior: (wishart ? 1 : 0) + TINY,
        scalePrior: covarianceType === 'spherical' ? TINY : covarianceType === 'diag' ? [TINY, TINY] : [[TINY, 0], [0, TINY]],
      }).fit(X, { lengths })
      expect(vb.converged).toBe(true)
      const order = matchComponents(ml.means.flat(), vb.means.flat(), 3, 2)
      const transMat = Math.max(...ml.transMat.flatMap((row, i) => row.map((p, j) => Math.abs(p - vb.transMat[order[i]!]![order[j]!]!))))
      gaps.push({
        n, transMat,
        means: maxDiff(ml.means, vb.means, order),
        covariances: maxDiff(ml.covariances as unknown[], vb.covariances as unknown[], order, covarianceType === 'tied'),
      })
    }
    console.log(`[vhmm-ml] ${covarianceType}: ${gaps.map((g) => `n = ${g.n}: |means| ${g.means.toExponential(1)}, |covariances| ${g.covariances.toExponential(1)}, |transMat| ${g.transMat.toExponential(1)}`).join('; ')}`)
    const [small, large] = gaps as [typeof gaps[0], typeof gaps[0]]
    expect(large.means).toBeLessThan(2e-5)
    expect(large.covariances).toBeLessThan(5e-4)
    expect(large.transMat).toBeLessThan(1e-5)
    // and the gap shrinks with n (about as 1 / n)
    expect(large.means).toBeLessThan(small.means / 4)
    expect(large.covariances).toBeLessThan(small.covariances / 4)
  }, 60_000)

  it('VariationalCategoricalHMM', async () => {
    const gaps: { n: number; emissionProb: number; transMat: number }[] = []
    for (const n of [2000, 40000]) {
      const lengths = sequences(n)
      const X = categorical.sampleSequences(lengths, new Rng(n + 1)) as number[]
      const ml = await new CategoricalHMM({ nComponents: 3, tol: 1e-10, maxIter: 3000, seed: 0 }).fit(X, { lengths })
      const vb = await new VariationalCategoricalHMM({ nComponents: 3, tol: 1e-10, maxIter: 3000, seed: 0, startProbPrior: 1e-3, transMatPrior: 1e-3, emissionProbPrior: 1e-3 }).fit(X, { lengths })
      const order = matchComponents(ml.emissionProb.flat(), vb.emissionProb.flat(), 3, 4)
      gaps.push({
        n,
        emissionProb: maxDiff(ml.emissionProb, vb.emissionProb, order),
        transMat: Math.max(...ml.transMat.flatMap((row, i) => row.map((p, j) => Math.abs(p - vb.transMat[order[i]!]![order[j]!]!)))),
      })
    }
    console.log(`[vhmm-ml] categorical: ${gaps.map((g) => `n = ${g.n}: |emissionProb| ${g.emissionProb.toExponential(1)}, |transMat| ${g.transMat.toExponential(1)}`).join('; ')}`)
    const [small, large] = gaps as [typeof gaps[0], typeof gaps[0]]
    expect(large.emissionProb).toBeLessThan(5e-4)
    expect(large.transMat).toBeLessThan(5e-4)
    expect(large.emissionProb).toBeLessThan(small.emissionProb / 4)
  }, 60_000)
})
