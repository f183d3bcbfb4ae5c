/**
 * The checks of the variational autoencoder (issue 13, item 5):
 * - a linear VAE (hidden [], Gaussian likelihood with learned noise) on iris with latent
 *   dimension 2 reaches the probabilistic PCA maximum log-likelihood (Tipping & Bishop,
 *   computed here in closed form from the eigenvalues of the covariance): the linear
 *   VAE's optimum is pPCA's, with the exact (diagonal) posterior, so its bound is tight;
 * - a Bernoulli VAE on seeded binary data with a continuous latent structure beats the
 *   best BernoulliMixture (by BIC) in held-out bound per row (the mixture's is its exact
 *   log-likelihood, a harder target than a bound).
 * Seeds are printed.
 */
import { describe, expect, it } from 'vitest'
import { BernoulliMixture, VariationalAutoencoder } from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { fixtureMatrix } from '../helpers/data.js'

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (d is 4 here). */
function eigenvalues(a: number[][]): number[] {
  const d = a.length, m = a.map((r) => r.slice())
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += m[p]![q]! ** 2
    if (off < 1e-30) break
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        if (Math.abs(m[p]![q]!) < 1e-300) continue
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * m[p]![q]!)
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1), s = t * c
        for (let k = 0; k < d; k++) {
          const mkp = m[k]![p]!, mkq = m[k]![q]!
          m[k]![p] = c * mkp - s * mkq; m[k]![q] = s * mkp + c * mkq
        }
        for (let k = 0; k < d; k++) {
          const mpk = m[p]![k]!, mqk = m[q]![k]!
          m[p]![k] = c * mpk - s * mqk; m[q]![k] = s * mpk + c * mqk
        }
      }
    }
  }
  return m.map((r, i) => r[i]!).sort((x, y) => y - x)
}

/** Tipping & Bishop: max log L = -n/2 (d log 2 pi + sum_{i<=q} log l_i + (d - q) log s2 + d), s2 = mean of the other eigenvalues. */
function ppcaMaxLogLik(X: number[][], q: number): number {
  const n = X.length, d = X[0]!.length
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j]!, 0) / n)
  const S = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + (r[i]! - mean[i]!) * (r[j]! - mean[j]!), 0) / n))
  const l = eigenvalues(S)
  const s2 = l.slice(q).reduce((s, v) => s + v, 0) / (d - q)
  return (-n / 2) * (d * Math.log(2 * Math.PI) + l.slice(0, q).reduce((s, v) => s + Math.log(v), 0) + (d - q) * Math.log(s2) + d)
}

describe('VariationalAutoencoder checks', () => {
  it('linear VAE on iris, latent 2: the bound reaches the probabilistic PCA maximum log-likelihood (within 0.5%)', async () => {
    const X = fixtureMatrix('iris.csv')
    const target = ppcaMaxLogLik(X, 2)
    console.log('[vae] iris linear: seed 0')
    const vae = await new VariationalAutoencoder({ latentDim: 2, hidden: [], likelihood: 'gaussian', epochs: 3000, batchSize: 50, learningRate: 1e-2, learningRateDecay: 1e-3, seed: 0 }).fit(X)
    // the single-draw bound has a standard deviation of ~9 nats over 150 rows: average many draws
    const elbo = vae.elbo(X, { samples: 2000 })
    const gap = (target - elbo) / Math.abs(target)
    console.log(`[vae] iris: pPCA max log L ${target.toFixed(4)}, VAE bound ${elbo.toFixed(4)}, gap ${(100 * gap).toFixed(3)}%, noise variance ${vae.noiseVariance}`)
    expect(Math.abs(gap)).toBeLessThan(0.005)
    expect(vae.history.length).toBe(3001)
    expect(vae.transform(X)[0]!.length).toBe(2)
  }, 120_000)

  it('a Bernoulli VAE beats the best BernoulliMixture (by BIC) in held-out bound per row', async () => {
    const seed = 20261203
    console.log(`[vae] binary data: seed ${seed}`)
    const rng = new Rng(seed)
    const d = 24, nTrain = 1200, nTest = 600
    const a = Array.from({ length: d }, () => [2.5 * rng.normal(), 2.5 * rng.normal()])
    const b = Array.from({ length: d }, () => rng.normal())
    const draw = (n: number) => Array.from({ length: n }, () => {
      const z = [rng.normal(), rng.normal()]
      return a.map((w, j) => (rng.uniform() < 1 / (1 + Math.exp(-(w[0]! * z[0]! + w[1]! * z[1]! + b[j]!))) ? 1 : 0))
    })
    const train = draw(nTrain), test = draw(nTest)
    let best: BernoulliMixture | null = null
    for (let k = 1; k <= 12; k++) {
      const bm = await new BernoulliMixture({ nComponents: k, nInit: 3, seed: 1, maxIter: 300, tol: 1e-6 }).fit(train)
      if (!best || bm.bic() < best.bic()) best = bm
    }
    const mixture = best!.score(test)
    const vae = await new VariationalAutoencoder({ latentDim: 2, hidden: [32], likelihood: 'bernoulli', epochs: 150, batchSize: 32, learningRate: 3e-3, seed: 3 }).fit(train)
    const bound = vae.elbo(test, { samples: 20 }) / nTest
    console.log(`[vae] held-out per row: VAE bound ${bound.toFixed(4)}, BernoulliMixture (K = ${best!.nComponents} by BIC) log-likelihood ${mixture.toFixed(4)}`)
    expect(bound).toBeGreaterThan(mixture)
  }, 120_000)
})
