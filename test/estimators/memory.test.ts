/**
 * A fitted estimator keeps no kernel memory between calls: wasm memory is not
 * garbage-collected, so a service fitting in a loop must stay flat without any
 * dispose(). Measured in bytes of linear memory in use (exact, not time).
 */
import { describe, expect, it } from 'vitest'
import {
  BayesianGaussianMixture, CategoricalHMM, FactorAnalysis, GammaPoisson, GaussianHMM, GaussianMixture, LogisticGLMM, MultivariateNormal, MultivariateT, PoissonHMM,
  PoissonMixture, ProbitRegression, TMixture, TobitRegression, VariationalCategoricalHMM, VariationalGaussianHMM, bootstrap, loadKernels,
} from '../../src/index.js'
import { kernelMemoryInUse } from '../../src/kernels/index.js'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

// A full garbage collection before each reading, so RSS compares live memory, not garbage not yet collected.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 3 + (i % 2) * 5, Math.cos(i * 1.3) + (i % 3), ((i * 7) % 11) / 3])
const counts = Array.from({ length: 60 }, (_, i) => (i * 7) % 9)
const symbols = Array.from({ length: 60 }, (_, i) => (i * 5) % 3)
const y = X.map((r) => Math.max(0, r[0]! - 2))
const labels = X.map((_, i) => ((i * 11) % 5 < 2 ? 1 : 0))
const herds = X.map((_, i) => `h${i % 6}`)

/** One fit-and-use round of each estimator (every call that prepares data). */
type Backend = 'wasm' | 'wasm-scalar'
const rounds: Record<string, (seed: number, backend: Backend) => Promise<unknown>> = {
  GaussianMixture: async (seed, backend) => {
    const gm = await new GaussianMixture({ nComponents: 2, seed, backend, maxIter: 5 }).fit(X)
    gm.predictProba(X); gm.bic(X); gm.sample(3)
    return (await GaussianMixture.fromJSON(gm.toJSON())).predict(X)
  },
  PoissonMixture: async (seed, backend) => (await new PoissonMixture({ nComponents: 2, seed, backend, maxIter: 5 }).fit(counts)).predictProba(counts),
  TMixture: async (seed, backend) => (await new TMixture({ nComponents: 2, seed, backend, maxIter: 3 }).fit(X)).scoreSamples(X),
  MultivariateT: async (seed, backend) => (await new MultivariateT({ seed, backend, maxIter: 3 }).fit(X)).scoreSamples(X),
  FactorAnalysis: async (seed, backend) => (await new FactorAnalysis({ nComponents: 1, seed, backend, maxIter: 3 }).fit(X)).transform(X),
  GaussianHMM: async (seed, backend) => {
    const hmm = await new GaussianHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(X)
    hmm.decode(X); hmm.scoreSamples(X)
    return hmm.predictProba(X)
  },
  CategoricalHMM: async (seed, backend) => (await new CategoricalHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(symbols)).predict(symbols),
  PoissonHMM: async (seed, backend) => (await new PoissonHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(counts)).predict(counts),
  TobitRegression: async (seed, backend) => {
    const t = await new TobitRegression({ left: 0, algorithm: 'mcem', seed, backend, maxIter: 2, mcem: { initialSamples: 20 } }).fit(X, y)
    t.scoreSamples(X, y)
    return (await TobitRegression.fromJSON(t.toJSON())).bic(X, y)
  },
  ProbitRegression: async (seed, backend) => (await new ProbitRegression({ algorithm: 'mcem', seed, backend, maxIter: 2, mcem: { initialSamples: 20 } }).fit(X, labels)).scoreSamples(X, labels),
  LogisticGLMM: async (seed, backend) => {
    const g = await new LogisticGLMM({ seed, backend, maxIter: 2, nAGQ: 3, mcem: { initialSamples: 20, burnIn: 5 } }).fit(X, labels, { groups: herds })
    g.scoreSamples(X, labels, { groups: herds })
    return (await LogisticGLMM.fromJSON(g.toJSON())).bic(X, labels, { groups: herds })
  },
  GammaPoisson: async (seed, backend) => (await new GammaPoisson({ algorithm: 'mcem', seed, backend, maxIter: 2 }).fit(counts)).scoreSamples(counts),
  MultivariateNormal: async (_seed, _backend) => (await new MultivariateNormal({ maxIter: 3 }).fit(X)).scoreSamples(X),
  BayesianGaussianMixture: async (seed, backend) => {
    const bgm = await new BayesianGaussianMixture({ nComponents: 3, seed, backend, maxIter: 5 }).fit(X)
    bgm.predictProba(X); bgm.sample(3)
    return (await BayesianGaussianMixture.fromJSON(bgm.toJSON())).scoreSamples(X)
  },
  VariationalGaussianHMM: async (seed, backend) => {
    const h = await new VariationalGaussianHMM({ nComponents: 2, covarianceType: (['full', 'diag', 'spherical', 'tied'] as const)[seed % 4], seed, backend, maxIter: 3 }).fit(X)
    h.decode(X); h.scoreSamples(X); h.score(X); h.sample(3)
    return (await VariationalGaussianHMM.fromJSON(h.toJSON())).predictProba(X)
  },
  VariationalCategoricalHMM: async (seed, backend) => {
    const h = await new VariationalCategoricalHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(symbols)
    h.predictProba(symbols)
    return (await VariationalCategoricalHMM.fromJSON(h.toJSON())).predict(symbols)
  },
  bootstrap: async (seed, backend) => bootstrap(() => new GaussianMixture({ nComponents: 1, maxIter: 3, backend }), X, { replicates: 3, seed, workers: 1 }),
}

describe('no kernel memory is kept after a fit', () => {
  for (const backend of ['wasm', 'wasm-scalar'] as const) {
    it(`every estimator, on ${backend}: memory in use is the same after 40 more rounds as after 5`, async () => {
      const kernels = await loadKernels(backend)
      for (const [name, round] of Object.entries(rounds)) {
        for (let s = 0; s < 5; s++) await round(s, backend)
        const before = kernelMemoryInUse(kernels)
        for (let s = 5; s < 45; s++) await round(s, backend)
        expect(kernelMemoryInUse(kernels), name).toBe(before)
      }
    })
  }

  it('10,000 GaussianMixture fits leave wasm memory, the JS heap and array buffers flat, with no dispose()', async () => {
    const kernels = await loadKernels('wasm')
    const small = X.slice(0, 12)
    const fitOnce = (i: number) => new GaussianMixture({ nComponents: 2, seed: i, maxIter: 2 }).fit(small)
    for (let i = 0; i < 500; i++) await fitOnce(i)
    const memory = kernelMemoryInUse(kernels)
    collect()
    const before = process.memoryUsage()
    for (let i = 500; i < 10_000; i++) await fitOnce(i)
    expect(kernelMemoryInUse(kernels)).toBe(memory)
    collect()
    const after = process.memoryUsage()
    console.log(`[memory] after 9,500 more fits: RSS ${(before.rss / 2 ** 20).toFixed(1)} -> ${(after.rss / 2 ** 20).toFixed(1)} MiB, heap ${(before.heapUsed / 2 ** 20).toFixed(1)} -> ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB, array buffers ${(before.arrayBuffers / 2 ** 20).toFixed(1)} -> ${(after.arrayBuffers / 2 ** 20).toFixed(1)} MiB`)
    // what a fit could leak (wasm bytes above; JavaScript objects and array buffers here) stays
    // flat after a full collection. RSS is printed, not asserted: it also holds what the
    // allocator and the JIT keep without returning to the system, 8-20 MiB over this loop here.
    expect(after.heapUsed).toBeLessThan(before.heapUsed * 1.05)
    expect(after.arrayBuffers).toBeLessThan(before.arrayBuffers * 1.05 + 2 ** 20)
  }, 120_000)
})
