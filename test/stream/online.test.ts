/**
 * partialFit (online EM, Cappé & Moulines; src/engine/online.ts): the step-size rule
 * against a hand computation on a model whose statistics are plain sums, and on one
 * that keeps its average in its parameters (LDA's stochastic variational form); one call on
 * all the data is fit's first iteration (every estimator that offers it); many chunks
 * approach batch EM's log-likelihood; the options change the path; nSeen; a failed
 * call leaves the model as it was; saving and loading carries the running statistics.
 */
import { describe, expect, it } from 'vitest'
import { EmkitError } from '../../src/core/errors.js'
import { learningRate, onlineStep } from '../../src/engine/online.js'
import type { OnlineState } from '../../src/engine/online-options.js'
import type { EMModel, PreparedData } from '../../src/engine/types.js'
import { BayesianGaussianMixture, CategoricalHMM, GaussianHMM, GaussianMixture, GMMHMM, PoissonHMM, PoissonMixture, VariationalCategoricalHMM, VariationalGaussianHMM } from '../../src/index.js'
import { fixtureMatrix, maxScaledDiff, relErr } from '../helpers/data.js'

/** A model of one mean: statistics [sum x, n] (independent of the parameters), M-step sum / n. */
interface MeanData extends PreparedData { readonly x: number[] }
const meanModel: EMModel<number, MeanData> = {
  name: 'mean',
  eStep: (d) => ({ stats: Float64Array.of(d.x.reduce((a, b) => a + b, 0), d.x.length), logLik: -1 }),
  mStep: (s) => s[0]! / s[1]!,
  logLik: () => -1, nParameters: () => 1, pack: (p) => Float64Array.of(p), unpack: (v) => v[0]!, isValid: () => true,
}
const chunk = (x: number[]): MeanData => ({ x, totalWeight: x.length })

describe('the online step', () => {
  it('s <- (1 - rho_t) s + rho_t s-bar with rho_t = (t + tau)^-kappa, the first chunk setting s; the M-step on s times the weight seen', () => {
    const settings = { learningOffset: 2, learningDecay: 0.75 }
    const chunks = [[1, 2, 3], [10, 20], [5, 5, 5, 5]]
    let state: OnlineState<number> | null = null
    let params = 0
    let s0 = 0, s1 = 0
    for (let t = 0; t < chunks.length; t++) {
      const x = chunks[t]!
      const bar0 = x.reduce((a, b) => a + b, 0) / x.length, bar1 = 1
      const rho = t === 0 ? 1 : Math.pow(t + 2, -0.75)
      expect(t === 0 || learningRate(t, settings) === rho).toBe(true)
      s0 = (1 - rho) * s0 + rho * bar0
      s1 = (1 - rho) * s1 + rho * bar1
      const step: ReturnType<typeof onlineStep<number, MeanData>> = onlineStep(meanModel, chunk(x), params, state, settings)
      state = step.state
      params = step.params
      expect(state.t).toBe(t)
      expect(relErr(params, s0 / s1)).toBeLessThan(1e-15)
    }
    expect(state!.nSeen).toBe(9)
  })

  it('a model keeping its average in its parameters (onlineEM.natural, SVI): lambda <- (1 - rho_t) lambda + rho_t (prior + D / w s-chunk), t read from the parameters', () => {
    interface Natural { readonly lambda: Float64Array; readonly t: number }
    const prior = 0.5
    const model: EMModel<Natural, MeanData> = {
      name: 'natural',
      eStep: (d) => ({ stats: Float64Array.of(d.x.reduce((a, b) => a + b, 0)), logLik: -1 }),
      mStep: () => { throw new Error('a natural average needs no M-step') },
      logLik: () => -1, nParameters: () => 1, pack: (p) => p.lambda, unpack: (v, like) => ({ lambda: v, t: like.t }), isValid: () => true,
      onlineEM: { natural: { of: (p) => p, fromStats: (s, factor) => Float64Array.of(prior + factor * s[0]!), params: (lambda, t) => ({ lambda, t }) } },
    }
    const settings = { learningOffset: 3, learningDecay: 0.6, totalWeight: 100 }
    let params: Natural = { lambda: Float64Array.of(2), t: 4 }
    let state: OnlineState<Natural> | null = null
    let lambda = 2
    for (const [i, x] of [[1, 2, 3], [10, 20]].entries()) {
      const rho = Math.pow(5 + i + 3, -0.6)
      lambda = (1 - rho) * lambda + rho * (prior + (100 / x.length) * x.reduce((a, b) => a + b, 0))
      const step: ReturnType<typeof onlineStep<Natural, MeanData>> = onlineStep(model, chunk(x), params, state, settings)
      params = step.params
      state = step.state
      expect(params.t).toBe(5 + i)
      expect(params.lambda[0]).toBe(lambda)
    }
    // the state keeps only the counts: the average is the parameters
    expect(state).toEqual({ t: 6, nSeen: 5 })
  })

  it('a non-finite chunk log-likelihood is a DegenerateError and nothing is returned', () => {
    const bad = { ...meanModel, eStep: () => ({ stats: Float64Array.of(0, 0), logLik: -Infinity }) }
    expect(() => onlineStep(bad, chunk([1]), 0, null, { learningOffset: 10, learningDecay: 0.7 })).toThrow(expect.objectContaining({ code: 'DEGENERATE' }))
  })
})

const gauss = fixtureMatrix('synth_gmm_n5000_d5_k4.csv')
const faithful = fixtureMatrix('faithful.csv')
const hmmRows = fixtureMatrix('hmm_gauss3_T2000.csv')
const counts = gauss.map((r) => [Math.round(Math.abs(r[0]!) * 3)])
const symbols = hmmRows.map((r) => [Math.min(4, Math.max(0, Math.round(r[0]! + 2)))])

describe('one partialFit call on all the data is fit\'s first iteration', () => {
  const cases = [
    ['GaussianMixture', () => new GaussianMixture({ nComponents: 4, seed: 3 }), gauss],
    ['GaussianMixture diag', () => new GaussianMixture({ nComponents: 4, covarianceType: 'diag', seed: 3 }), gauss],
    ['PoissonMixture', () => new PoissonMixture({ nComponents: 3, seed: 3 }), counts],
    ['BayesianGaussianMixture', () => new BayesianGaussianMixture({ nComponents: 3, seed: 3 }), faithful],
    ['GaussianHMM', () => new GaussianHMM({ nComponents: 3, seed: 3 }), hmmRows],
    ['GMMHMM', () => new GMMHMM({ nComponents: 2, nMix: 2, seed: 3 }), hmmRows],
    ['GMMHMM diag', () => new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'diag', seed: 3 }), hmmRows],
    ['PoissonHMM', () => new PoissonHMM({ nComponents: 2, seed: 3 }), counts.slice(0, 1000)],
    ['CategoricalHMM', () => new CategoricalHMM({ nComponents: 2, seed: 3 }), symbols],
    ['VariationalGaussianHMM', () => new VariationalGaussianHMM({ nComponents: 3, seed: 3 }), hmmRows],
    ['VariationalGaussianHMM diag', () => new VariationalGaussianHMM({ nComponents: 3, covarianceType: 'diag', seed: 3 }), hmmRows],
    ['VariationalCategoricalHMM', () => new VariationalCategoricalHMM({ nComponents: 2, seed: 3 }), symbols],
  ] as const
  for (const [name, make, X] of cases) {
    it(name, async () => {
      const online = make() as any
      await online.partialFit(X)
      const batch = make() as any
      batch.setParams({ maxIter: 1, tol: 0 })
      await batch.fit(X)
      expect(online.nSeen).toBe(X.length)
      const [a, b] = [numbers(online.fitResult.params), numbers(batch.fitResult.params)]
      expect(a.length).toBe(b.length)
      expect(maxScaledDiff(a, b)).toBeLessThan(1e-10)
      // the chunk's log-likelihood at the start (the Bayesian mixture's fit records its bound after the VM-step instead)
      if (name !== 'BayesianGaussianMixture') expect(relErr(online.fitResult.history[0], batch.history[0])).toBeLessThan(1e-12)
    })
  }
})

/**
 * `passes` passes of partialFit over X in chunks of `size` rows (an HMM: one sequence a
 * chunk); `after` (a score, say) read after each pass.
 */
async function passes<T>(est: { partialFit(X: NoInfer<T>[]): Promise<unknown> }, X: T[], size: number, count: number, after: () => number = () => 0): Promise<number[]> {
  const trace: number[] = []
  for (let pass = 0; pass < count; pass++) {
    for (let i = 0; i < X.length; i += size) await est.partialFit(X.slice(i, i + size))
    trace.push(after())
  }
  return trace
}

/** Every number of a parameter object, depth first in key order. */
function numbers(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v)
  else if (ArrayBuffer.isView(v)) out.push(...Array.from(v as Float64Array))
  else if (Array.isArray(v)) for (const x of v) numbers(x, out)
  else if (v && typeof v === 'object') for (const key of Object.keys(v).sort()) numbers((v as Record<string, unknown>)[key], out)
  return out
}

describe('online EM over many chunks', () => {
  it('GaussianMixture on synth in chunks of 1000: the log-likelihood rises pass after pass to within 0.01 per row of batch EM; the options change the path', async () => {
    const batch = await new GaussianMixture({ nComponents: 4, seed: 1, tol: 1e-8 }).fit(gauss)
    const run = async (options: Record<string, number>, count: number) => {
      const g = new GaussianMixture({ nComponents: 4, seed: 1, ...options })
      return { g, trace: await passes(g, gauss, 1000, count, () => g.score(gauss)) }
    }
    const { g, trace } = await run({}, 10)
    expect(g.nSeen).toBe(10 * gauss.length)
    console.log(`[online] synth K=4, chunks of 1000, mean log L after each pass: ${trace.map((v) => v.toFixed(4)).join(' ')}; batch EM ${batch.score(gauss).toFixed(4)}`)
    for (let p = 1; p < trace.length; p++) expect(trace[p]!).toBeGreaterThan(trace[p - 1]!)
    expect(Math.abs(trace.at(-1)! - batch.score(gauss))).toBeLessThan(0.01)
    const other = await run({ learningOffset: 1, learningDecay: 0.6 }, 1)
    expect(other.g.means).not.toEqual((await run({}, 1)).g.means)
  }, 60_000)

  it('GaussianHMM per sequence (sequences of 100): the log-likelihood rises pass after pass', async () => {
    const h = new GaussianHMM({ nComponents: 3, seed: 2 })
    const trace = await passes(h, hmmRows, 100, 3, () => h.score(hmmRows) / hmmRows.length)
    const batch = await new GaussianHMM({ nComponents: 3, seed: 2 }).fit(hmmRows)
    console.log(`[online] GaussianHMM, 20 sequences of 100, log L per row after each pass: ${trace.map((v) => v.toFixed(4)).join(' ')}; batch EM ${(batch.score(hmmRows) / hmmRows.length).toFixed(4)}`)
    for (let p = 1; p < trace.length; p++) expect(trace[p]!).toBeGreaterThan(trace[p - 1]!)
    expect(h.nSeen).toBe(3 * hmmRows.length)
  }, 60_000)

  it('GMMHMM per sequence: the log-likelihood rises pass after pass (each state\'s mixture statistics recentred between chunks)', async () => {
    const h = new GMMHMM({ nComponents: 2, nMix: 2, seed: 2 })
    const trace = await passes(h, hmmRows, 100, 3, () => h.score(hmmRows) / hmmRows.length)
    console.log(`[online] GMMHMM (2 states x 2), 20 sequences of 100, log L per row after each pass: ${trace.map((v) => v.toFixed(4)).join(' ')}`)
    for (let p = 1; p < trace.length; p++) expect(trace[p]!).toBeGreaterThan(trace[p - 1]!)
    expect(h.nSeen).toBe(3 * hmmRows.length)
    const other = new GMMHMM({ nComponents: 2, nMix: 2, seed: 2, learningDecay: 0.6 })
    await passes(other, hmmRows, 100, 1)
    const once = new GMMHMM({ nComponents: 2, nMix: 2, seed: 2 })
    await passes(once, hmmRows, 100, 1)
    expect(other.means).not.toEqual(once.means)
  }, 60_000)

  it('VariationalGaussianHMM per sequence: the bound rises pass after pass (the emission statistics recentred between chunks)', async () => {
    const h = new VariationalGaussianHMM({ nComponents: 3, seed: 2 })
    const trace = await passes(h, hmmRows, 100, 3, () => h.score(hmmRows) / hmmRows.length)
    const batch = await new VariationalGaussianHMM({ nComponents: 3, seed: 2 }).fit(hmmRows)
    console.log(`[online] VariationalGaussianHMM, 20 sequences of 100, bound per row after each pass: ${trace.map((v) => v.toFixed(4)).join(' ')}; batch ${(batch.score(hmmRows) / hmmRows.length).toFixed(4)}`)
    for (let p = 1; p < trace.length; p++) expect(trace[p]!).toBeGreaterThan(trace[p - 1]!)
    expect(h.nSeen).toBe(3 * hmmRows.length)
    // its own step-size options change its path, each one alone, as for the other estimators
    const gaussianPass = async (options: object) => {
      const v = new VariationalGaussianHMM({ nComponents: 3, seed: 2, ...options })
      await passes(v, hmmRows, 100, 1)
      return { means: v.means, transMat: v.transMat }
    }
    const plain = await gaussianPass({})
    expect(await gaussianPass({})).toEqual(plain) // the same options: the same path, so a difference below is the option's
    expect((await gaussianPass({ learningOffset: 1 })).means).not.toEqual(plain.means)
    expect((await gaussianPass({ learningDecay: 0.6 })).means).not.toEqual(plain.means)
    // and the categorical one's
    const onePass = async (options: object) => {
      const v = new VariationalCategoricalHMM({ nComponents: 2, seed: 2, ...options })
      await passes(v, symbols.map((r) => r[0]!), 100, 1)
      return v.transMat
    }
    const categorical = await onePass({})
    expect(await onePass({ learningOffset: 1 })).not.toEqual(categorical)
    expect(await onePass({ learningDecay: 0.6 })).not.toEqual(categorical)
  }, 60_000)

  it('a stream (async iterable) of chunks is the same as one call per chunk', async () => {
    async function* chunks() { for (let i = 0; i < 2000; i += 300) yield gauss.slice(i, i + 300) }
    const a = await new GaussianMixture({ nComponents: 4, seed: 1 }).partialFit(chunks())
    const b = new GaussianMixture({ nComponents: 4, seed: 1 })
    for (let i = 0; i < 2000; i += 300) await b.partialFit(gauss.slice(i, i + 300))
    expect(a.means).toEqual(b.means)
    expect(a.nSeen).toBe(2100)
    const seen: number[] = []
    await new GaussianMixture({ nComponents: 4, seed: 1 }).partialFit(chunks(), { onIteration: (i) => { seen.push(i.iteration) } })
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(a.history).toEqual(b.history)
  })

  it('saved and loaded between chunks, it goes on as if never saved', async () => {
    const a = new GaussianMixture({ nComponents: 4, seed: 1 })
    await a.partialFit(gauss.slice(0, 1000))
    const b = await GaussianMixture.fromJSON(JSON.parse(JSON.stringify(a.toJSON())))
    await a.partialFit(gauss.slice(1000, 2000))
    await b.partialFit(gauss.slice(1000, 2000))
    expect(b.means).toEqual(a.means)
    expect(b.nSeen).toBe(2000)
  })
})

describe('HMM chunks', () => {
  it('CategoricalHMM: a later sequence lacking the largest symbol is fine; one with a new larger symbol is refused', async () => {
    const h = new CategoricalHMM({ nComponents: 2, seed: 1 })
    await h.partialFit([0, 1, 2, 3, 1, 0, 2, 3, 3, 1])
    await h.partialFit([0, 1, 0, 1, 1, 0])
    expect(h.nSeen).toBe(16)
    await expect(h.partialFit([0, 4, 1])).rejects.toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('symbol 4') })
    expect(h.nSeen).toBe(16)
  })

  it('GaussianHMM: chunks of several sequences with lengths', async () => {
    const a = new GaussianHMM({ nComponents: 3, seed: 2 })
    await a.partialFit(hmmRows.slice(0, 400), { lengths: [200, 200] })
    expect(a.nSeen).toBe(400)
  })
})

describe('a failed partialFit leaves the model as it was', () => {
  const cases: Array<[string, unknown, string]> = [
    ['a different feature count', gauss.slice(0, 50).map((r) => r.slice(0, 3)), 'SHAPE_MISMATCH'],
    ['a non-finite chunk', gauss.slice(0, 50).map((r, i) => (i === 7 ? [r[0]!, Infinity, ...r.slice(2)] : r)), 'NON_FINITE'],
    ['a ragged chunk', gauss.slice(0, 50).map((r, i) => (i === 3 ? r.slice(0, 2) : r)), 'RAGGED_ROWS'],
  ]
  for (const [what, X, code] of cases) {
    it(`${what}: ${code}`, async () => {
      const g = new GaussianMixture({ nComponents: 4, seed: 1 })
      await g.partialFit(gauss.slice(0, 500))
      const before = JSON.stringify(g.toJSON())
      const err = await g.partialFit(X as number[][]).catch((e) => e)
      expect(err).toBeInstanceOf(EmkitError)
      expect(err.code).toBe(code)
      expect(JSON.stringify(g.toJSON())).toBe(before)
    })
  }

  it('a stream that throws after two chunks: STREAM_FAILED, and the chunks before it are undone', async () => {
    const g = new GaussianMixture({ nComponents: 4, seed: 1 })
    await g.partialFit(gauss.slice(0, 500))
    const before = JSON.stringify(g.toJSON())
    async function* failing() { yield gauss.slice(500, 700); yield gauss.slice(700, 900); throw new Error('disk unplugged') }
    const err = await g.partialFit(failing()).catch((e) => e)
    expect(err.code).toBe('STREAM_FAILED')
    expect(err.message).toContain('disk unplugged')
    expect(err.message).toContain('chunk 2')
    expect(JSON.stringify(g.toJSON())).toBe(before)
  })

  it('a chunk whose columns differ from the stream\'s first: SHAPE_MISMATCH naming the chunk; a fresh estimator stays unfitted', async () => {
    async function* mixed() { yield gauss.slice(0, 200); yield gauss.slice(200, 300).map((r) => r.slice(0, 4)) }
    const g = new GaussianMixture({ nComponents: 4, seed: 1 })
    const err = await g.partialFit(mixed()).catch((e) => e)
    expect(err.code).toBe('SHAPE_MISMATCH')
    expect(err.message).toContain('Chunk 1')
    expect(g.isFitted).toBe(false)
    expect(g.nSeen).toBe(0)
  })

  it('bad options: OptionError with the value; estimators without online EM say so', async () => {
    expect(() => new GaussianMixture({ learningDecay: 0.3 })).toThrow(/learningDecay.*\(0\.5, 1\].*0\.3/)
    expect(() => new GaussianMixture({ learningOffset: -1 })).toThrow(/learningOffset/)
    expect(() => new GaussianMixture({ learningRate: 1 } as never)).toThrow(/learning/)
    const { TMixture } = await import('../../src/index.js')
    await expect((new TMixture({ nComponents: 2 }) as any).partialFit(faithful)).rejects.toMatchObject({ code: 'UNSUPPORTED', message: expect.stringMatching(/^TMixture has no partialFit \(online EM\): its statistics cannot be averaged over chunks; fit it in memory\.$/) })
    // the call at fault is named: partialFit, not fit
    await expect(new GaussianMixture().partialFit(faithful, null as never)).rejects.toThrow(/'GaussianMixture\.partialFit options': must be an object of options \(or left out\), got null/)
    await expect(new GaussianMixture().partialFit(faithful, { sampleWeights: [1] } as never)).rejects.toThrow(/GaussianMixture\.partialFit\(\) has no option 'sampleWeights'; did you mean 'sampleWeight'\?/)
  })
})
