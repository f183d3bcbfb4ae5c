/**
 * One fit-and-use round of every estimator (each call that prepares data), written
 * against a library object so the same rounds run on the TypeScript sources (in the
 * test) and on the built package (in a child process whose RSS is measured alone).
 */
export function makeRounds(lib) {
  const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 3 + (i % 2) * 5, Math.cos(i * 1.3) + (i % 3), ((i * 7) % 11) / 3])
  const counts = Array.from({ length: 60 }, (_, i) => (i * 7) % 9)
  const symbols = Array.from({ length: 60 }, (_, i) => (i * 5) % 3)
  const docs = Array.from({ length: 20 }, (_, d) => Array.from({ length: 12 }, (_, w) => (d * 3 + w * 7) % 5))
  const y = X.map((r) => Math.max(0, r[0] - 2))
  const labels = X.map((_, i) => ((i * 11) % 5 < 2 ? 1 : 0))
  const herds = X.map((_, i) => `h${i % 6}`)
  const covarianceTypes = ['full', 'diag', 'spherical', 'tied']
  const binary = X.map((r, i) => [r[0] > 2 ? 1 : 0, r[1] > 1 ? 1 : 0, i % 3 === 0 ? 1 : 0, r[2] > 1.5 ? 1 : 0])
  return {
    GaussianMixture: async (seed, backend) => {
      const gm = await new lib.GaussianMixture({ nComponents: 2, seed, backend, maxIter: 5 }).fit(X)
      gm.predictProba(X); gm.bic(X); gm.sample(3)
      return (await lib.GaussianMixture.fromJSON(gm.toJSON())).predict(X)
    },
    LatentDirichletAllocation: async (seed, backend) => {
      const lda = await new lib.LatentDirichletAllocation({ nComponents: 2, seed, backend, maxIter: 3 }).fit(docs)
      lda.transform(docs); lda.perplexity(docs)
      // partialFit: the base's online path, one step per mini-batch
      await lda.partialFit(docs.slice(0, 12)); await new lib.LatentDirichletAllocation({ nComponents: 2, seed, backend, batchSize: 5 }).partialFit(docs)
      return lda.score(docs)
    },
    PoissonMixture: async (seed, backend) => (await new lib.PoissonMixture({ nComponents: 2, seed, backend, maxIter: 5 }).fit(counts)).predictProba(counts),
    // two restarts: about one start in 6,000 here leaves a component too few points for a full scatter (DegenerateError), and the other restart is kept
    TMixture: async (seed, backend) => (await new lib.TMixture({ nComponents: 2, nInit: 2, seed, backend, maxIter: 3 }).fit(X)).scoreSamples(X),
    MultivariateT: async (seed, backend) => (await new lib.MultivariateT({ seed, backend, maxIter: 3 }).fit(X)).scoreSamples(X),
    FactorAnalysis: async (seed, backend) => (await new lib.FactorAnalysis({ nComponents: 1, seed, backend, maxIter: 3 }).fit(X)).transform(X),
    GaussianHMM: async (seed, backend) => {
      const hmm = await new lib.GaussianHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(X)
      hmm.decode(X); hmm.scoreSamples(X)
      return hmm.predictProba(X)
    },
    GMMHMM: async (seed, backend) => {
      const h = await new lib.GMMHMM({ nComponents: 2, nMix: 2, seed, backend, maxIter: 3 }).fit(X)
      h.decode(X); h.scoreSamples(X); h.sample(3)
      return (await lib.GMMHMM.fromJSON(h.toJSON())).predictProba(X)
    },
    CategoricalHMM: async (seed, backend) => (await new lib.CategoricalHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(symbols)).predict(symbols),
    PoissonHMM: async (seed, backend) => (await new lib.PoissonHMM({ nComponents: 2, seed, backend, maxIter: 3 }).fit(counts)).predict(counts),
    TobitRegression: async (seed, backend) => {
      const t = await new lib.TobitRegression({ left: 0, algorithm: 'mcem', seed, backend, maxIter: 2, mcem: { initialSamples: 20 } }).fit(X, y)
      t.scoreSamples(X, y)
      return (await lib.TobitRegression.fromJSON(t.toJSON())).bic(X, y)
    },
    TruncatedRegression: async (seed, backend) => {
      const t = await new lib.TruncatedRegression({ lower: 0, backend, maxIter: 3 }).fit(X, y.map((v) => v + seed % 3))
      t.scoreSamples(X, y)
      return (await lib.TruncatedRegression.fromJSON(t.toJSON())).bic(X, y)
    },
    TruncatedNormal: async (seed, backend) => {
      const t = await new lib.TruncatedNormal({ lower: 0, backend, maxIter: 3 }).fit(counts)
      return (await lib.TruncatedNormal.fromJSON(t.toJSON())).scoreSamples(counts)
    },
    ProbitRegression: async (seed, backend) => (await new lib.ProbitRegression({ algorithm: 'mcem', seed, backend, maxIter: 2, mcem: { initialSamples: 20 } }).fit(X, labels)).scoreSamples(X, labels),
    LogisticGLMM: async (seed, backend) => {
      const g = await new lib.LogisticGLMM({ seed, backend, maxIter: 2, nAGQ: 3, mcem: { initialSamples: 20, burnIn: 5 } }).fit(X, labels, { groups: herds })
      g.scoreSamples(X, labels, { groups: herds })
      return (await lib.LogisticGLMM.fromJSON(g.toJSON())).bic(X, labels, { groups: herds })
    },
    RegressionMixture: async (seed, backend) => {
      const m = await new lib.RegressionMixture({ nComponents: 2, seed, backend, maxIter: 3 }).fit(X, y)
      m.predictProba(X, y); m.predictResponse(X)
      return (await lib.RegressionMixture.fromJSON(m.toJSON())).scoreSamples(X, y)
    },
    GLMMixture: async (seed, backend) => {
      const trials = counts.map((c) => c + 1 + (seed % 3))
      const m = await new lib.GLMMixture({ nComponents: 2, family: seed % 2 ? 'binomial' : 'poisson', seed, backend, maxIter: 3 }).fit(X, counts, seed % 2 ? { trials } : {})
      return m.predict(X, counts, seed % 2 ? { trials } : {})
    },
    GammaPoisson: async (seed, backend) => (await new lib.GammaPoisson({ algorithm: 'mcem', seed, backend, maxIter: 2 }).fit(counts)).scoreSamples(counts),
    GaussianMixtureImpute: async (seed, backend) => {
      const holes = X.map((r, i) => r.map((v, j) => ((i * 3 + j + seed) % 7 === 0 ? NaN : v)))
      const gm = await new lib.GaussianMixture({ nComponents: 2, seed, backend, maxIter: 3 }).fit(holes)
      gm.imputeMean(holes)
      return gm.impute(holes, { draws: 2, seed })
    },
    MultivariateNormalImpute: async (seed) => {
      const holes = X.map((r, i) => r.map((v, j) => ((i + j + seed) % 5 === 0 ? NaN : v)))
      return (await new lib.MultivariateNormal({ maxIter: 3 }).fit(holes)).impute(holes, { draws: 2, seed })
    },
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
    // mclust's models (all 14 in turn) from its hierarchical start
    GaussianMixtureMclust: async (seed, backend) => {
      const gm = await new lib.GaussianMixture({ nComponents: 2, covarianceType: lib.MCLUST_MODELS[seed % 14], init: 'hc', seed, backend, maxIter: 5 }).fit(X)
      return gm.predictProba(X)
    },
    bootstrapLRT: async (seed, backend) => lib.bootstrapLRT(() => new lib.GaussianMixture({ covarianceType: 'EEE', maxIter: 3, backend }), X, { from: 1, to: 2, replicates: 2, seed, workers: 1 }),
    BernoulliMixture: async (seed, backend) => {
      const bm = await new lib.BernoulliMixture({ nComponents: 2, seed, backend, maxIter: 5 }).fit(binary)
      bm.predictProba(binary); bm.bic(binary); bm.sample(3)
      return (await lib.BernoulliMixture.fromJSON(bm.toJSON())).predict(binary)
    },
    VariationalAutoencoder: async (seed, backend) => {
      const vae = await new lib.VariationalAutoencoder({ latentDim: 1, hidden: [3], seed, backend, epochs: 2, batchSize: 16 }).fit(X)
      vae.transform(X); vae.elbo(X); vae.scoreSamples(X); vae.sample(3)
      return (await lib.VariationalAutoencoder.fromJSON(vae.toJSON())).transform(X)
    },
    partialFit: async (seed, backend) => {
      const gm = new lib.GaussianMixture({ nComponents: 2, seed, backend })
      await gm.partialFit(X.slice(0, 30)); await gm.partialFit(X.slice(30))
      const hmm = new lib.GaussianHMM({ nComponents: 2, seed, backend })
      await hmm.partialFit(X.slice(0, 30)); await hmm.partialFit(X.slice(30))
      return (await new lib.BayesianGaussianMixture({ nComponents: 2, seed, backend }).partialFit(X)).predict(X)
    },
    streamFit: async (seed, backend) => (await new lib.GaussianMixture({ nComponents: 2, seed, backend, maxIter: 3 }).fit(async function* () { yield X.slice(0, 25); yield X.slice(25) })).predict(X),
    // the fit's data is kept for standard errors (a reference, not kernel memory); 'louis' and 'sem' alternate
    standardErrors: async (seed, backend) => {
      const gm = await new lib.GaussianMixture({ nComponents: 1, seed, backend }).fit(X)
      return (await gm.standardErrors({ method: seed % 2 ? 'sem' : 'louis' })).standardErrors
    },
    // a grid of fits on this thread, the best refitted: every cell's estimator let go
    selectModel: async (seed, backend) => (await lib.selectModel(() => new lib.GaussianMixture({ maxIter: 3, seed, backend }), X, { grid: { nComponents: [1, 2] }, workers: 1 })).best.model.predict(X),
    bootstrap: async (seed, backend) => lib.bootstrap(() => new lib.GaussianMixture({ nComponents: 1, maxIter: 3, backend }), X, { replicates: 3, seed, workers: 1 }),
  }
}
