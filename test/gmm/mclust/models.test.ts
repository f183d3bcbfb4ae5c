import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../../src/index.js'
import { DegenerateError, OptionError } from '../../../src/core/errors.js'
import { faithfulRows } from '../../../src/data/faithful.js'
import { covarianceStrategy, loadCovarianceStrategy, MCLUST_MODELS, SKLEARN_ALIAS } from '../../../src/models/gmm/mclust/index.js'
import { BACKENDS, fixtureJson } from '../../helpers/data.js'
import { mclustME } from './helpers.js'
// mclust's other ten structures are imported on first use (a fit does it; these tests read them directly)
await loadCovarianceStrategy('EII')

const X = faithfulRows()
const mclust = fixtureJson('02_mclust_faithful.json')
const partitions = mclust.hc_initial_partitions.partitions as Record<string, number[]>

describe("mclust's 14 covariance models against Mclust(faithful, G = 1:9)", () => {
  it("from mclust's hc partitions and its stopping rule, the whole BIC table agrees within 1e-5 relative (measured: 3.4e-9)", async () => {
    let worst = 0
    const best = { name: '', G: 0, bic: -Infinity }
    for (const name of MCLUST_MODELS) {
      for (let G = 1; G <= 9; G++) {
        const ref = mclust.bic_table.BIC[name][G - 1] as number | null
        const ours = await mclustME(X, partitions[`G${G}`]!, G, name)
        if (ours.bic > best.bic) Object.assign(best, { name, G, bic: ours.bic })
        if (ref === null) continue
        const rel = Math.abs(ours.bic - ref) / Math.abs(ref)
        worst = Math.max(worst, rel)
        expect(rel, `${name} G=${G}`).toBeLessThan(1e-5)
      }
    }
    console.log(`largest relative BIC difference over 14 models x G = 1..9: ${worst.toExponential(2)}`)
    expect(worst).toBeLessThan(1e-7)
    expect(best.name).toBe(mclust.best.modelName)
    expect(best.G).toBe(mclust.best.G)
  }, 120_000)

  it("the best model's parameters and df are mclust's (EEE, G = 3)", async () => {
    const r = await mclustME(X, partitions.G3!, 3, 'EEE')
    expect(r.nParameters).toBe(mclust.best.df)
    expect(Math.abs(r.logLik - mclust.best.loglik)).toBeLessThan(1e-8)
    // Mclust() reports the parameters of one more M-step from the final z (me()'s own are those of L)
    const weights = Array.from(r.reported.weights)
    mclust.best.parameters.pro.forEach((p: number, c: number) => expect(weights[c]).toBeCloseTo(p, 8))
    const means = Array.from(r.reported.means)
    mclust.best.parameters.mean_rows_are_components.flat().forEach((m: number, i: number) => expect(means[i]! / m).toBeCloseTo(1, 8))
  })

  it('parameter counts are nVarParams + means + weights for every model (d = 2, G = 3: mclust df)', () => {
    // mclust's nVarParams(model, d = 2, G = 3), plus G d means and G - 1 weights
    const nVar: Record<string, number> = { EII: 1, VII: 3, EEI: 2, VEI: 4, EVI: 4, VVI: 6, EEE: 3, VEE: 5, EVE: 5, VVE: 7, EEV: 5, VEV: 7, EVV: 7, VVV: 9 }
    for (const name of MCLUST_MODELS) expect(covarianceStrategy(name).freeParameters(3, 2), name).toBe(nVar[name])
  })

  it('the iterative M-steps agree on every backend (VEI, VEE, EVE, VVE, VEV at G = 4)', async () => {
    for (const name of ['VEI', 'VEE', 'EVE', 'VVE', 'VEV'] as const) {
      const results = await Promise.all(BACKENDS.map((backend) => new GaussianMixture({ nComponents: 4, covarianceType: name, seed: 3, backend, regCovar: 0 }).fit(X)))
      for (const r of results.slice(1)) expect(Math.abs(r.logLik - results[0]!.logLik), name).toBeLessThan(1e-8 * Math.abs(results[0]!.logLik))
    }
  })
})

describe('mclust model names on GaussianMixture', () => {
  it("scikit-learn's names are aliases: VII = spherical, VVI = diag, EEE = tied, VVV = full (the same fit, bit for bit)", async () => {
    for (const [name, alias] of Object.entries(SKLEARN_ALIAS)) {
      const a = await new GaussianMixture({ nComponents: 3, covarianceType: name as 'VII', seed: 1 }).fit(X)
      const b = await new GaussianMixture({ nComponents: 3, covarianceType: alias, seed: 1 }).fit(X)
      expect(a.logLik, name).toBe(b.logLik)
      expect(a.covariances).toEqual(b.covariances)
      expect(a.nParameters()).toBe(b.nParameters())
    }
  })

  it('a fitted VEV model predicts, scores and round-trips through toJSON (covariances [k, d, d])', async () => {
    const gm = await new GaussianMixture({ nComponents: 3, covarianceType: 'VEV', seed: 2 }).fit(X)
    expect((gm.covariances as number[][][]).length).toBe(3)
    const again = await GaussianMixture.fromJSON(JSON.parse(JSON.stringify(gm.toJSON())))
    expect(again.predict(X)).toEqual(gm.predict(X))
    expect(again.score(X)).toBe(gm.score(X))
  })

  it('EII keeps one variance for all components, EEI one diagonal, EVI and VEI their shared parts', async () => {
    const eii = (await new GaussianMixture({ nComponents: 3, covarianceType: 'EII', seed: 1 }).fit(X)).covariances as number[]
    expect(new Set(eii).size).toBe(1)
    const eei = (await new GaussianMixture({ nComponents: 3, covarianceType: 'EEI', seed: 1 }).fit(X)).covariances as number[][]
    expect(eei[1]).toEqual(eei[0])
    const vei = (await new GaussianMixture({ nComponents: 3, covarianceType: 'VEI', seed: 1, regCovar: 0 }).fit(X)).covariances as number[][]
    // lambda_k B: the ratio of the two variances is the same in every component
    expect(vei[1]![0]! / vei[1]![1]!).toBeCloseTo(vei[0]![0]! / vei[0]![1]!, 6)
    const evi = (await new GaussianMixture({ nComponents: 3, covarianceType: 'EVI', seed: 1, regCovar: 0 }).fit(X)).covariances as number[][]
    // lambda B_k, det B_k = 1: every component's product of variances is lambda^d
    expect(evi[1]![0]! * evi[1]![1]!).toBeCloseTo(evi[0]![0]! * evi[0]![1]!, 6)
  })

  it('a misspelt model name is an OptionError with a suggestion', () => {
    let error: unknown
    try { new GaussianMixture({ covarianceType: 'VEW' as 'VEV' }) } catch (e) { error = e }
    expect(error).toBeInstanceOf(OptionError)
    expect((error as Error).message).toContain('"VEW"')
    expect((error as Error).message).toMatch(/did you mean 'VE[VWIE]'/)
    console.log((error as Error).message)
  })
})

describe("mclust's models are equivariant to the data's units", () => {
  it('faithful x 1e-4 and x 1e4: every model at G = 3 from hc converges to the same fit, log L shifted by -n d log c', async () => {
    for (const name of MCLUST_MODELS) {
      const fit = (c: number) => new GaussianMixture({ nComponents: 3, covarianceType: name, init: 'hc', tol: 1e-12, maxIter: 5000, regCovar: 0 }).fit(X.map((r) => r.map((v) => v * c)))
      const base = await fit(1)
      for (const c of [1e-4, 1e4]) {
        const f = await fit(c)
        expect(f.status, `${name} x ${c}`).toBe('converged')
        expect(Math.abs(f.logLik + X.length * 2 * Math.log(c) - base.logLik), `${name} x ${c}`).toBeLessThan(1e-6)
      }
    }
  }, 60_000)
})

describe("mclust's M-steps are M-steps", () => {
  it('EM never lowers the log-likelihood, for every model on iris (K = 3, 4 columns, seeds 1-3 printed)', async () => {
    const { fixtureMatrix } = await import('../../helpers/data.js')
    const iris = fixtureMatrix('iris.csv')
    for (const name of MCLUST_MODELS) {
      for (const seed of [1, 2, 3]) {
        // a component that collapses onto d points or fewer ends the fit, as in mclust (NA): not a decrease
        const gm = await new GaussianMixture({ nComponents: 3, covarianceType: name, seed, tol: 1e-10, maxIter: 500 }).fit(iris).catch((e: unknown) => {
          if (!(e instanceof DegenerateError)) throw e
          console.log(`${name} seed ${seed}: degenerate (${e.message.slice(0, 60)})`)
          return null
        })
        if (gm === null) continue
        const h = gm.fitResult.history
        const worst = gm.fitResult.decreases.reduce((m, t) => Math.max(m, (h[t]! - h[t + 1]!) / Math.abs(h[t]!)), 0)
        if (worst > 0) console.log(`${name} seed ${seed}: ${gm.fitResult.decreases.length} decreases, largest ${worst.toExponential(2)} relative, final ${gm.logLik}`)
        // mclust's VVE M-step (msvve, reproduced for its BIC table) weights the MM update of the common
        // orientation by the shapes alone, not by the volumes: not the maximiser, so EM can go down
        if (name !== 'VVE') expect(gm.fitResult.decreases, `${name} seed ${seed}`).toEqual([])
      }
    }
  }, 120_000)
})
