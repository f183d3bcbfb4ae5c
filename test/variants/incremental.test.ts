/**
 * Incremental EM (algorithm 'incremental', variants/incremental.ts) against batch EM
 * from the same start: the same fixed point (final log-likelihood to 1e-8 relative,
 * here ~1e-13) on faithful and the synthetic set, every covariance type and B = 5, 10,
 * 20; fewer passes over the data to reach a given log-likelihood on the synthetic set;
 * B = 1 is batch EM's parameter path bit for bit; every backend gives the same
 * history; the Poisson mixture; missing values; the options and their errors.
 */
import { describe, expect, it } from 'vitest'
import { OptionError } from '../../src/core/errors.js'
import { toMatrix } from '../../src/core/validate.js'
import { GaussianMixture, PoissonMixture, TMixture } from '../../src/index.js'
import { loadKernels } from '../../src/kernels/index.js'
import { GaussianMixtureModel, type GmmParams } from '../../src/models/gmm/model.js'
import { COVARIANCE_TYPES } from '../../src/models/gmm/covariance.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { BACKENDS, fixtureJson, fixtureMatrix, relErr } from '../helpers/data.js'

const SETS = [
  { csv: 'faithful.csv', k: 2 },
  { csv: 'synth_gmm_n5000_d5_k4.csv', k: 4 },
] as const

/** A fit's starting parameters as `init` (k-means++ from `seed`): both algorithms start there. */
async function startOf(X: number[][], k: number, covarianceType: (typeof COVARIANCE_TYPES)[number], seed: number) {
  const g = await new GaussianMixture({ nComponents: k, covarianceType, maxIter: 0, seed }).fit(X)
  return { weights: g.weights, means: g.means, covariances: g.covariances as never }
}

describe('incremental EM reaches batch EM\'s fixed point', () => {
  for (const { csv, k } of SETS) {
    for (const covarianceType of COVARIANCE_TYPES) {
      it(`${csv}, K = ${k}, ${covarianceType}: final log-likelihood equal to 1e-8 relative for B = 5, 10, 20; the free energy never falls`, async () => {
        const X = fixtureMatrix(csv)
        const init = await startOf(X, k, covarianceType, 1)
        const settings = { nComponents: k, covarianceType, tol: 1e-12, maxIter: 10000, init }
        const em = await new GaussianMixture(settings).fit(X)
        const line = [`EM ${em.nIter} iterations, log L ${em.fitResult.logLik}`]
        for (const blocks of [5, 10, 20]) {
          const inc = await new GaussianMixture({ ...settings, algorithm: 'incremental', blocks }).fit(X)
          const r = inc.fitResult
          const rel = relErr(r.logLik, em.fitResult.logLik)
          line.push(`B=${blocks}: ${inc.nIter} sweeps, relative difference ${rel.toExponential(1)}`)
          expect(r.status).toBe('converged')
          expect(rel).toBeLessThan(1e-8)
          expect(r.decreases).toEqual([])
          expect(r.fixedPointEvaluations).toBe(inc.nIter)
          // history: log L at the start, the free energies, log L at the result
          expect(relErr(inc.history[0]!, em.history[0]!)).toBeLessThan(1e-13)
          expect(inc.history.at(-1)).toBe(r.logLik)
          expect(inc.weights.map((w, c) => Math.abs(w - em.weights[c]!)).reduce((a, b) => Math.max(a, b))).toBeLessThan(1e-6)
        }
        console.log(`[incremental] ${csv} ${covarianceType}: ${line.join('; ')}`)
      }, 60_000)
    }
  }
})

/** Exact log-likelihoods at parameters recorded during a fit, evaluated outside it. */
async function exactLogLiks(X: number[][], k: number, path: readonly GmmParams[]): Promise<number[]> {
  const kernels = await loadKernels('wasm')
  const model = new GaussianMixtureModel({ kernels, k, d: X[0]!.length, covarianceType: 'full', regCovar: 1e-6 })
  const data = model.prepare(toMatrix(X, 'X'))
  try {
    return path.map((p) => model.logLik(data, p))
  } finally {
    model.release(data)
    model.dispose()
  }
}

describe('passes over the data (synth_gmm_n5000_d5_k4, K = 4, full)', () => {
  it('incremental EM reaches a given log-likelihood in fewer passes than batch EM for B = 5, 10, 20', async () => {
    const X = fixtureMatrix('synth_gmm_n5000_d5_k4.csv')
    const n = X.length
    const init = await startOf(X, 4, 'full', 1)
    const settings = { nComponents: 4, covarianceType: 'full' as const, tol: 1e-12, maxIter: 10000, init }
    const em = await new GaussianMixture(settings).fit(X)
    const best = em.fitResult.logLik
    // EM's history[t] is the log-likelihood after t iterations, i.e. after t passes
    const passes = (curve: readonly number[], perSample: number) => curve.findIndex((v) => v >= best - perSample * n)
    const levels = [1e-3, 1e-4, 1e-6]
    const rows = [`| | ${levels.map((e) => `within ${e}/row`).join(' | ')} |`, `|---|${levels.map(() => '---').join('|')}|`]
    rows.push(`| batch EM | ${levels.map((e) => passes(em.history, e)).join(' | ')} |`)
    for (const blocks of [5, 10, 20]) {
      const path: GmmParams[] = []
      const inc = await new GaussianMixture({ ...settings, algorithm: 'incremental', blocks }).fit(X, { onIteration: (info) => { path.push(info.params) } })
      // a sweep reads every row once: after t sweeps, t passes; its log-likelihood evaluated here, outside the fit
      const curve = [inc.history[0]!, ...(await exactLogLiks(X, 4, path))]
      expect(inc.fitResult.fixedPointEvaluations).toBe(path.length)
      rows.push(`| incremental B = ${blocks} | ${levels.map((e) => passes(curve, e)).join(' | ')} |`)
      for (const e of levels) {
        expect(passes(curve, e)).toBeGreaterThan(0)
        expect(passes(curve, e)).toBeLessThan(passes(em.history, e))
      }
    }
    console.log(`[incremental] passes over the data to reach log L* - eps n (log L* = ${best}, batch EM at tol 1e-12):\n${rows.join('\n')}`)
  }, 60_000)
})

describe('incremental EM, special cases and backends', () => {
  it('B = 1 takes batch EM\'s parameter path bit for bit; its history holds the free energy', async () => {
    const X = fixtureMatrix('faithful.csv')
    const init = await startOf(X, 3, 'full', 2)
    const record = async (algorithm: 'em' | 'incremental') => {
      const path: Float64Array[] = []
      // tol 0: both run maxIter steps (their stopping rules read different objectives)
      const g = await new GaussianMixture({ nComponents: 3, tol: 0, maxIter: 60, init, algorithm, blocks: 1 }).fit(X, { onIteration: (i) => { path.push(i.params.means) } })
      return { g, path }
    }
    const em = await record('em'), inc = await record('incremental')
    expect(inc.path).toHaveLength(60)
    expect(inc.path).toEqual(em.path)
    expect(inc.g.fitResult.logLik).toBe(em.g.fitResult.logLik)
    // the free energy F(q_{t-1}, theta_t) = log L(theta_{t-1}) + Q(theta_t) - Q(theta_{t-1}) is at most log L(theta_t), equal at the start
    expect(inc.g.history[0]).toBe(em.g.history[0])
    for (let t = 1; t < 60; t++) {
      expect(inc.g.history[t]!).toBeLessThanOrEqual(em.g.history[t]! + 1e-12 * Math.abs(em.g.history[t]!))
      expect(inc.g.history[t]!).toBeGreaterThanOrEqual(em.g.history[t - 1]! - 1e-12 * Math.abs(em.g.history[t - 1]!))
    }
  })

  it('every backend gives the same history and parameters (odd block sizes: unaligned wasm views)', async () => {
    const X = fixtureMatrix('synth_gmm_n5000_d5_k4.csv')
    for (const covarianceType of COVARIANCE_TYPES) {
      const fits = []
      for (const backend of BACKENDS) fits.push(await new GaussianMixture({ nComponents: 4, covarianceType, seed: 1, tol: 1e-10, backend, algorithm: 'incremental', blocks: 7 }).fit(X))
      for (const g of fits.slice(1)) {
        expect(g.history).toEqual(fits[0]!.history)
        expect(g.means).toEqual(fits[0]!.means)
        expect(g.covariances).toEqual(fits[0]!.covariances)
      }
    }
  }, 60_000)

  it('with missing values: the same fixed point as batch EM (every covariance type)', async () => {
    const rng = new Rng(9)
    const X = fixtureMatrix('synth_gmm_n5000_d5_k4.csv').slice(0, 1500).map((row) => {
      const out = row.map((v) => (rng.uniform() < 0.2 ? NaN : v))
      if (out.every(Number.isNaN)) out[0] = row[0]!
      return out
    })
    for (const covarianceType of COVARIANCE_TYPES) {
      const settings = { nComponents: 4, covarianceType, tol: 1e-12, maxIter: 10000, seed: 3 }
      const em = await new GaussianMixture(settings).fit(X)
      const inc = await new GaussianMixture({ ...settings, algorithm: 'incremental', blocks: 10 }).fit(X)
      console.log(`[incremental] 20% missing, ${covarianceType}: EM ${em.nIter} iterations, incremental ${inc.nIter} sweeps, relative difference ${relErr(inc.fitResult.logLik, em.fitResult.logLik).toExponential(1)}`)
      expect(inc.status).toBe('converged')
      expect(relErr(inc.fitResult.logLik, em.fitResult.logLik)).toBeLessThan(1e-8)
      expect(inc.fitResult.decreases).toEqual([])
    }
  }, 60_000)

  it('with sample weights: the same fixed point as batch EM', async () => {
    const X = fixtureMatrix('faithful.csv')
    const sampleWeight = X.map((_, i) => 1 + (i % 3))
    const settings = { nComponents: 2, tol: 1e-12, maxIter: 5000, seed: 0 }
    const em = await new GaussianMixture(settings).fit(X, { sampleWeight })
    const inc = await new GaussianMixture({ ...settings, algorithm: 'incremental', blocks: 9 }).fit(X, { sampleWeight })
    expect(relErr(inc.fitResult.logLik, em.fitResult.logLik)).toBeLessThan(1e-8)
  })

  it('PoissonMixture on Hasselblad\'s counts (frequency weights): batch EM\'s fixed point, fewer sweeps', async () => {
    const ref = fixtureJson('05_squarem_poissmix.json')
    const y: number[] = ref.dataset.death, sampleWeight: number[] = ref.dataset.freq
    const settings = { nComponents: 2, tol: 1e-14, maxIter: 100000, init: { weights: [0.3, 0.7], rates: [1, 2.5] } }
    const em = await new PoissonMixture(settings).fit(y, { sampleWeight })
    const inc = await new PoissonMixture({ ...settings, algorithm: 'incremental', blocks: 5 }).fit(y, { sampleWeight })
    console.log(`[incremental] Hasselblad: EM ${em.nIter} iterations, incremental (B = 5) ${inc.nIter} sweeps, relative difference ${relErr(inc.fitResult.logLik, em.fitResult.logLik).toExponential(1)}`)
    expect(inc.status).toBe('converged')
    expect(relErr(inc.fitResult.logLik, em.fitResult.logLik)).toBeLessThan(1e-8)
    expect(inc.fitResult.decreases).toEqual([])
    expect(inc.nIter).toBeLessThan(em.nIter)
  })
})

describe('options', () => {
  it('blocks: an integer >= 1, default 10; kept by getParams, toSpec and toJSON', async () => {
    expect(new GaussianMixture({ algorithm: 'incremental' }).blocks).toBe(10)
    expect(new GaussianMixture({ algorithm: 'incremental', blocks: 3 }).getParams()).toMatchObject({ algorithm: 'incremental', blocks: 3 })
    for (const blocks of [0, 2.5, -1, '4', NaN]) {
      expect(() => new GaussianMixture({ algorithm: 'incremental', blocks: blocks as never })).toThrow(OptionError)
    }
    expect(() => new GaussianMixture({ blocks: 0 })).toThrow(/Invalid option 'blocks': must be an integer >= 1.*got 0/)
    const g = await new GaussianMixture({ nComponents: 2, algorithm: 'incremental', blocks: 4, seed: 1 }).fit(fixtureMatrix('faithful.csv'))
    const loaded = await GaussianMixture.fromJSON(g.toJSON())
    expect(loaded.getParams()).toEqual(g.getParams())
    expect(new PoissonMixture({ algorithm: 'incremental', blocks: 2 }).blocks).toBe(2)
  })

  it('other algorithms ignore blocks (as they ignore sem and mcem): the fit is plain EM\'s', async () => {
    const X = fixtureMatrix('faithful.csv')
    const a = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X)
    const b = await new GaussianMixture({ nComponents: 2, seed: 1, blocks: 5 }).fit(X)
    expect(b.history).toEqual(a.history)
  })

  it('more blocks than rows is an OptionError at fit', async () => {
    const X = fixtureMatrix('faithful.csv').slice(0, 12)
    await expect(new GaussianMixture({ nComponents: 2, algorithm: 'incremental', blocks: 20 }).fit(X)).rejects.toThrow(/Invalid option 'blocks': 20 blocks but the data have 12 rows; use at most 12 blocks/)
  })

  it('an accelerator is refused with incremental EM; a model without block statistics cannot run it', () => {
    expect(() => new GaussianMixture({ algorithm: 'incremental', accelerate: 'squarem' })).toThrow(/accelerate.*statistics it kept from earlier sweeps: use accelerate 'none'/)
    try {
      new TMixture({ nComponents: 2, algorithm: 'incremental' as never })
      expect.unreachable()
    } catch (e: any) {
      expect(e.code).toBe('UNSUPPORTED')
      expect(e.message).toMatch(/TMixture cannot run algorithm 'incremental'/)
    }
  })
})
