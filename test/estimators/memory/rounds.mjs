/**
 * One fit-and-use round of every estimator (each call that prepares data), written
 * against a library object so the same rounds run on the TypeScript sources (in the
 * test) and on the built package (in a child process whose RSS is measured alone).
 */
export function makeRounds(lib) {
  const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 3 + (i % 2) * 5, Math.cos(i * 1.3) + (i % 3), ((i * 7) % 11) / 3])
  const counts = Array.from({ length: 60 }, (_, i) => (i * 7) % 9)
  const symbols = Array.from({ length: 60 }, (_, i) => (i * 5) % 3)
  const y = X.map((r) => Math.max(0, r[0] - 2))
  const labels = X.map((_, i) => ((i * 11) % 5 < 2 ? 1 : 0))
  const herds = X.map((_, i) => `h${i % 6}`)
  const covarianceTypes = ['full', 'diag', 'spherical', 'tied']
  return {
    GaussianMixture: async (seed, backend) => {
      const gm = await new lib.GaussianMixture({ nComponents: 2, seed, backend, maxIter: 5 }).fit(X)
      gm.predictProba(X); gm.bic(X); gm.sample(3)
      return (await lib.GaussianMixture.fromJSON(gm.toJSON())).predict(X)
    },
    PoissonMixture: async (seed, backend) => (await new lib.PoissonMixture({ nComponents: 2, seed, backend, maxIter: 5 }).fit(counts)).predictProba(counts),
    TMixture: async (seed, backend) => (await new lib.TMixture({ nComponents: 2, seed, backend, maxIter: 3 }).fit(X)).scoreSamples(X),
    MultivariateT: async (seed, backend) => (await new lib.MultivariateT({ seed, backend, maxIter: 3 }).fit(X)).scoreSamples(X),
    FactorAnalysis: async (seed, backend) => (await new lib.FactorAnalysis({ nComponents: 1, seed, backend, maxIter: 3 }).fit(X)).transform(X),
    GaussianHMM: async (seed, backend) => {
      const hmm = await new lib.GaussianHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(X)
      hmm.decode(X); hmm.scoreSamples(X)
      return hmm.predictProba(X)
    },
    CategoricalHMM: async (seed, backend) => (await new lib.CategoricalHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(symbols)).predict(symbols),
    PoissonHMM: async (seed, backend) => (await new lib.PoissonHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(counts)).predict(counts),
    TobitRegression: async (seed, backend) => {
      const t = await new lib.TobitRegression({ left: 0, algorithm: 'mcem', seed, backend, maxIter: 2, mcem: { initialSamples: 20 } }).fit(X, y)
      t.scoreSamples(X, y)
      return (await lib.TobitRegression.fromJSON(t.toJSON())).bic(X, y)
    },
    ProbitRegression: async (seed, backend) => (await new lib.ProbitRegression({ algorithm: 'mcem', seed, backend, maxIter: 2, mcem: { initialSamples: 20 } }).fit(X, labels)).scoreSamples(X, labels),
    LogisticGLMM: async (seed, backend) => {
      const g = await new lib.LogisticGLMM({ seed, backend, maxIter: 2, nAGQ: 3, mcem: { initialSamples: 20, burnIn: 5 } }).fit(X, labels, { groups: herds })
      g.scoreSamples(X, labels, { groups: herds })
      return (await lib.LogisticGLMM.fromJSON(g.toJSON())).bic(X, labels, { groups: herds })
    },
    GammaPoisson: async (seed, backend) => (await new lib.GammaPoisson({ algorithm: 'mcem', seed, backend, maxIter: 2 }).fit(counts)).scoreSamples(counts),
    MultivariateNormal: async () => (await new lib.MultivariateNormal({ maxIter: 3 }).fit(X)).scoreSamples(X),
    BayesianGaussianMixture: async (seed, backend) => {
      const bgm = await new lib.BayesianGaussianMixture({ nComponents: 3, seed, backend, maxIter: 5 }).fit(X)
      bgm.predictProba(X); bgm.sample(3)
      return (await lib.BayesianGaussianMixture.fromJSON(bgm.toJSON())).scoreSamples(X)
    },
    VariationalGaussianHMM: async (seed, backend) => {
      const h = await new lib.VariationalGaussianHMM({ nComponents: 2, covarianceType: covarianceTypes[seed % 4], seed, backend, maxIter: 3 }).fit(X)
      h.decode(X); h.scoreSamples(X); h.score(X); h.sample(3)
      return (await lib.VariationalGaussianHMM.fromJSON(h.toJSON())).predictProba(X)
    },
    VariationalCategoricalHMM: async (seed, backend) => {
      const h = await new lib.VariationalCategoricalHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(symbols)
      h.predictProba(symbols)
      return (await lib.VariationalCategoricalHMM.fromJSON(h.toJSON())).predict(symbols)
    },
    partialFit: async (seed, backend) => {
      const gm = new lib.GaussianMixture({ nComponents: 2, seed, backend })
      await gm.partialFit(X.slice(0, 30)); await gm.partialFit(X.slice(30))
      const hmm = new lib.GaussianHMM({ nComponents: 2, seed, backend })
      await hmm.partialFit(X.slice(0, 30)); await hmm.partialFit(X.slice(30))
      return (await new lib.BayesianGaussianMixture({ nComponents: 2, seed, backend }).partialFit(X)).predict(X)
    },
    streamFit: async (seed, backend) => (await new lib.GaussianMixture({ nComponents: 2, seed, backend, maxIter: 3 }).fit(async function* () { yield X.slice(0, 25); yield X.slice(25) })).predict(X),
    bootstrap: async (seed, backend) => lib.bootstrap(() => new lib.GaussianMixture({ nComponents: 1, maxIter: 3, backend }), X, { replicates: 3, seed, workers: 1 }),
  }
}
