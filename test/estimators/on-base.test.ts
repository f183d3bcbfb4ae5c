/**
 * PoissonMixture, TMixture, MultivariateT and FactorAnalysis on the estimator base:
 * option schemas and their defaults, restarts on the worker pool, warm starts,
 * maxIter 0, partial init, bic/aic/score on any data, and saving and loading.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { closePool, FactorAnalysis, loadModel, MultivariateT, OptionError, PoissonMixture, TMixture, UnsupportedError } from '../../src/node.js'
import { fixtureJson, relErr } from '../helpers/data.js'
import { factorData, tData, tMixtureData } from '../helpers/synthetic.js'
import { fitSnapshot } from '../helpers/snapshot.js'

afterAll(async () => {
  await closePool()
})

const hasselblad = fixtureJson('05_squarem_poissmix.json').dataset
const counts: number[] = hasselblad.death.flatMap((c: number, i: number) => Array<number>(hasselblad.freq[i]).fill(c)).filter((_: number, i: number) => i % 4 === 0)

type Options = Record<string, unknown>
interface Fittable {
  fit(X: unknown, options?: Options): Promise<unknown>
  fitResult: { params: unknown; history: number[]; logLik: number; nIter: number; status: string }
  converged: boolean
  nIter: number
  logLik: number
  lowerBound: number
  nFeaturesIn: number
  nParameters(): number
  getParams(): Options
  setParams(options: Options): unknown
  scoreSamples(X: unknown): number[]
  score(X?: unknown): number
  bic(X?: unknown): number
  aic(X?: unknown): number
  toJSON(): unknown
  predict?(X: unknown): number[]
  predictProba?(X: unknown): number[][]
  fitPredict(X: unknown, options?: Options): Promise<number[]>
}

interface Case {
  name: string
  make: (options?: Options) => Fittable
  fromJSON: (json: unknown) => Promise<unknown>
  X: unknown
  /** Options under which the start is random, so nInit restarts differ. */
  random: Options
  /** This estimator's own options with their defaults. */
  defaults: Options
  /** A complete start, and the fitted parameters it must give with maxIter 0. */
  given: { init: Options; params: Record<string, number[]> }
  /** A partial start: the part given, and the parts that must come from the default start. */
  partial: { init: Options; given: string; fromStart: string[] }
  nFeatures: number
  /** A deterministic start: the schema has no nInit or workers. */
  singleRun?: boolean
}

const CASES: Case[] = [
  {
    name: 'PoissonMixture',
    make: (o) => new PoissonMixture({ nComponents: 2, ...o }),
    fromJSON: (json) => PoissonMixture.fromJSON(json),
    X: counts,
    random: { init: 'random' },
    defaults: { nComponents: 2, init: 'quantiles', algorithm: 'em', blocks: 10, learningOffset: 10, learningDecay: 0.7 },
    given: { init: { weights: [0.3, 0.7], rates: [1, 3] }, params: { weights: [0.3, 0.7], rates: [1, 3] } },
    partial: { init: { rates: [0.5, 4] }, given: 'rates', fromStart: ['weights'] },
    nFeatures: 1,
  },
  {
    name: 'TMixture',
    make: (o) => new TMixture({ nComponents: 2, ...o }),
    fromJSON: (json) => TMixture.fromJSON(json),
    X: tMixtureData(5, 300), // seed 5
    random: {},
    defaults: { nComponents: 1, nu: undefined, init: 'kmeans++', algorithm: 'em' },
    given: {
      init: { weights: [0.5, 0.5], means: [[0, 0], [5, 3]], scatters: [[[1, 0], [0, 1]], [[2, 0.5], [0.5, 1]]], nu: [4, 9] },
      params: { weights: [0.5, 0.5], means: [0, 0, 5, 3], scatters: [1, 0, 0, 1, 2, 0.5, 0.5, 1], nu: [4, 9] },
    },
    partial: { init: { means: [[0, 0], [5, 3]] }, given: 'means', fromStart: ['weights', 'scatters'] },
    nFeatures: 2,
  },
  {
    name: 'MultivariateT',
    make: (o) => new MultivariateT(o),
    fromJSON: (json) => MultivariateT.fromJSON(json),
    X: tData(11, 300, 4, 0.1), // seed 11, 10% missing
    random: {},
    singleRun: true, // its start draws nothing: no nInit, no workers
    defaults: { nu: undefined, init: 'moments', algorithm: 'em' },
    given: { init: { mean: [1, -1], scatter: [[4, 1], [1, 2]], nu: 6 }, params: { mean: [1, -1], scatter: [4, 1, 1, 2], nu: [6] } },
    partial: { init: { mean: [0.5, -0.5] }, given: 'mean', fromStart: ['scatter', 'nu'] },
    nFeatures: 2,
  },
  {
    name: 'FactorAnalysis',
    make: (o) => new FactorAnalysis({ nComponents: 2, ...o }),
    fromJSON: (json) => FactorAnalysis.fromJSON(json),
    X: factorData(7, 300, 6, 2).X, // seed 7
    random: { init: 'random' },
    defaults: { nComponents: 1, init: 'pca', algorithm: 'em', rotation: 'none', scores: 'regression' },
    given: {
      init: { loadings: [[1, 0], [0, 1], [1, 1], [0.5, 0], [0, 0.5], [1, -1]], uniquenesses: [1, 1, 1, 1, 1, 1] },
      params: { loadings: [1, 0, 0, 1, 1, 1, 0.5, 0, 0, 0.5, 1, -1], psi: [1, 1, 1, 1, 1, 1] },
    },
    partial: { init: { uniquenesses: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5] }, given: 'psi', fromStart: ['loadings'] },
    nFeatures: 6,
  },
]

const ENGINE_DEFAULTS = { tol: 1e-3, criterion: 'objective', maxIter: 100, nInit: 1, seed: 0, backend: 'wasm', accelerate: 'none', workers: 'auto', warmStart: false }

/** The fitted parameters as plain arrays (numbers compared with Object.is by toEqual). */
function plain(params: unknown): Record<string, number[]> {
  return Object.fromEntries(Object.entries(params as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'number' ? [v] : Array.from(v as ArrayLike<number>)]))
}

describe('four estimators on the estimator base', () => {
  for (const c of CASES) {
    describe(c.name, () => {
      const engineDefaults = c.singleRun ? (({ nInit: _n, workers: _w, ...rest }) => rest)(ENGINE_DEFAULTS) : ENGINE_DEFAULTS
      const restarts = c.singleRun ? {} : { nInit: 2 }
      it('options: the schema with its defaults (unchanged), setParams validated, misspelt names suggested', () => {
        const e = c.make()
        const own = c.name === 'MultivariateT' ? c.defaults : { ...c.defaults, nComponents: 2 }
        expect(e.getParams()).toEqual({ ...engineDefaults, ...own })
        expect(Object.keys(new (e.constructor as new () => Fittable)().getParams()).sort()).toEqual(Object.keys({ ...engineDefaults, ...c.defaults }).sort())
        expect(new (e.constructor as new () => Fittable)().getParams()).toEqual({ ...engineDefaults, ...c.defaults })
        e.setParams({ tol: 1e-5 })
        expect(e.getParams()['tol']).toBe(1e-5)
        expect(() => e.setParams({ maxIter: -1 })).toThrow(OptionError)
        expect(() => c.make({ maxIters: 5 })).toThrow(/did you mean 'maxIter'/)
        expect(() => c.make({ init: { ...c.given.init, bogus: 1 } })).toThrow(OptionError)
      })

      it.skipIf(c.singleRun)('nInit: 3 restarts on 2 workers give the fit of 1 worker, bit for bit', async () => {
        const serial = fitSnapshot(await c.make({ ...c.random, nInit: 3, seed: 4, workers: 1 }).fit(c.X) as Fittable)
        const pooled = fitSnapshot(await c.make({ ...c.random, nInit: 3, seed: 4, workers: 2 }).fit(c.X) as Fittable)
        expect(pooled).toEqual(serial)
      })

      it('warmStart: 5 warm fits of maxIter 1 are one fit of maxIter 5; a warm loop converges where one long fit does', async () => {
        const warm = c.make({ maxIter: 1, tol: 0, warmStart: true })
        for (let t = 0; t < 5; t++) await warm.fit(c.X)
        const once = await c.make({ maxIter: 5, tol: 0 }).fit(c.X) as Fittable
        expect(plain(warm.fitResult.params)).toEqual(plain(once.fitResult.params))

        const tol = 1e-5
        const long = await c.make({ maxIter: 10000, tol }).fit(c.X) as Fittable
        expect(long.converged).toBe(true)
        const loop = c.make({ maxIter: 1, tol, warmStart: true })
        let fits = 0
        do {
          await loop.fit(c.X)
          fits++
        } while (!loop.converged && fits < 10000)
        expect(fits).toBe(long.nIter)
        expect(plain(loop.fitResult.params)).toEqual(plain(long.fitResult.params))
      })

      it('maxIter 0 returns the initialisation; a partial init takes the rest from the default start', async () => {
        const given = await c.make({ maxIter: 0, init: c.given.init }).fit(c.X) as Fittable
        expect(given.nIter).toBe(0)
        expect(given.fitResult.history).toHaveLength(1)
        const params = plain(given.fitResult.params)
        for (const [k, v] of Object.entries(c.given.params)) expect(params[k], k).toEqual(v)

        const start = plain((await c.make({ maxIter: 0 }).fit(c.X) as Fittable).fitResult.params)
        const partial = plain((await c.make({ maxIter: 0, init: c.partial.init }).fit(c.X) as Fittable).fitResult.params)
        expect(partial[c.partial.given]).not.toEqual(start[c.partial.given])
        for (const k of c.partial.fromStart) expect(partial[k], k).toEqual(start[k])
      })

      it('nFeaturesIn, and bic/aic/score on any data: the training data by default', async () => {
        const e = await c.make().fit(c.X) as Fittable
        expect(e.nFeaturesIn).toBe(c.nFeatures)
        const rows = e.scoreSamples(c.X)
        const total = rows.reduce((a, b) => a + b, 0)
        const p = e.nParameters()
        expect(relErr(total, e.logLik)).toBeLessThan(1e-12)
        expect(e.score(c.X)).toBe(total / rows.length)
        expect(e.bic(c.X)).toBe(-2 * total + p * Math.log(rows.length))
        expect(e.aic(c.X)).toBe(-2 * total + 2 * p)
        expect(e.score()).toBe(e.lowerBound)
        expect(e.bic()).toBe(-2 * e.logLik + p * Math.log(rows.length))
        expect(e.aic()).toBe(-2 * e.logLik + 2 * p)
      })

      it('toJSON / fromJSON / loadModel: the loaded model predicts and scores bit for bit', async () => {
        const e = await c.make({ ...c.random, ...restarts }).fit(c.X) as Fittable
        const json = JSON.parse(JSON.stringify(e.toJSON()))
        for (const loaded of [await c.fromJSON(json), await loadModel(json)] as Fittable[]) {
          expect(loaded).toBeInstanceOf(e.constructor)
          expect(loaded.getParams()).toEqual(e.getParams())
          expect(fitSnapshot(loaded)).toEqual(fitSnapshot(e))
          expect(loaded.scoreSamples(c.X)).toEqual(e.scoreSamples(c.X))
          expect(loaded.bic()).toBe(e.bic())
          if (e.predict) {
            expect(loaded.predict!(c.X)).toEqual(e.predict(c.X))
            expect(loaded.predictProba!(c.X)).toEqual(e.predictProba!(c.X))
          }
        }
        const unfitted = await c.fromJSON(JSON.parse(JSON.stringify(c.make({ tol: 1e-4 }).toJSON()))) as Fittable & { isFitted: boolean }
        expect(unfitted.isFitted).toBe(false)
        expect(unfitted.getParams()['tol']).toBe(1e-4)
      })

      it(c.name.endsWith('Mixture') ? 'fitPredict labels the training data as fit then predict does' : 'has no fitPredict (nothing to label)', async () => {
        if (!c.name.endsWith('Mixture')) {
          await expect(c.make().fitPredict(c.X)).rejects.toThrow(UnsupportedError)
          return
        }
        const e = c.make({ seed: 3 })
        const labels = await e.fitPredict(c.X)
        expect(labels).toEqual((await c.make({ seed: 3 }).fit(c.X) as Fittable).predict!(c.X))
      })
    })
  }
})

describe('estimator-specific behaviour kept', () => {
  it('PoissonMixture: counts with frequency weights; bic on counts uses their own size', async () => {
    const pm = await new PoissonMixture({ nComponents: 2 }).fit(hasselblad.death, { sampleWeight: hasselblad.freq })
    const rows = pm.scoreSamples(hasselblad.death)
    const total = rows.reduce((a, b) => a + b, 0)
    expect(pm.bic(hasselblad.death)).toBe(-2 * total + 3 * Math.log(rows.length))
    const n = (hasselblad.freq as number[]).reduce((a, b) => a + b, 0)
    expect(pm.bic()).toBe(-2 * pm.logLik + 3 * Math.log(n))
    expect(pm.predict([[0], [9]])).toEqual(pm.predict([0, 9]))
    expect(() => pm.scoreSamples([1.5])).toThrow(/non-negative integers/)
  })

  it('nu out of range, and ECME with a fixed nu, are refused with the supported list', () => {
    expect(() => new TMixture({ nu: 0 })).toThrow(OptionError)
    expect(() => new MultivariateT({ nu: 1e7 })).toThrow(/degrees of freedom in \[/)
    expect(() => new TMixture({ nComponents: 2, nu: 4, algorithm: 'ecme' })).toThrow(/supports 'em', 'ecm'/)
    expect(() => new MultivariateT({ nu: 4, algorithm: 'ecme' })).toThrow(/supports 'em', 'ecm', 'px-em'/)
    expect(() => new TMixture({ nComponents: 2 }).setParams({ nu: 4, algorithm: 'ecme' })).toThrow(UnsupportedError)
  })

  it('a misspelt part of init is an error with a suggestion, not a part silently estimated', () => {
    expect(() => new PoissonMixture({ init: { rate: [1, 2] } as never })).toThrow(/did you mean 'rates'/)
    expect(() => new FactorAnalysis({ init: { method: 'kmeans' } as never })).toThrow(/init.method/)
  })

  it('MultivariateT: its start draws nothing, so like every single-run estimator it has no nInit or workers', () => {
    expect(() => new MultivariateT({ nInit: 3 } as never)).toThrow(/has no option 'nInit'/)
    expect(() => new MultivariateT({ workers: 2 } as never)).toThrow(/has no option 'workers'/)
  })
})
