/**
 * Exact batch EM over a re-readable stream (fit(() => chunks), engine/stream.ts):
 * the same per-iteration log-likelihoods as in-memory EM from the same start (to
 * 1e-12 relative: only the order of the sums differs), for mixtures, an HMM whose
 * chunks are sequences and the Bayesian mixture; a one-shot stream is read into
 * memory; the stream's faults are typed errors and leave the estimator as it was.
 */
import { describe, expect, it } from 'vitest'
import { BayesianGaussianMixture, GaussianHMM, GaussianMixture, PoissonMixture } from '../../src/index.js'
import { fixtureMatrix, relErr } from '../helpers/data.js'

const gauss = fixtureMatrix('synth_gmm_n5000_d5_k4.csv')
const faithful = fixtureMatrix('faithful.csv')
const hmmRows = fixtureMatrix('hmm_gauss3_T2000.csv')

/** `X` in chunks of `size` rows, as flat { data, rows, cols } (or row arrays). */
function chunksOf(X: number[][], size: number, flat = true): () => AsyncIterable<unknown> {
  return async function* () {
    for (let i = 0; i < X.length; i += size) {
      const rows = X.slice(i, i + size)
      yield flat ? { data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0]!.length } : rows
    }
  }
}

function maxRel(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length)
  return a.reduce((m, v, i) => Math.max(m, relErr(v, b[i]!)), 0)
}

async function startOf(X: number[][], k: number) {
  const g = await new GaussianMixture({ nComponents: k, maxIter: 0, seed: 1 }).fit(X)
  return { weights: g.weights, means: g.means, covariances: g.covariances as number[][][] }
}

describe('exact EM over a stream equals in-memory EM', () => {
  for (const [size, flat] of [[700, true], [333, false], [5000, true]] as const) {
    it(`GaussianMixture, synth K = 4, chunks of ${size} ${flat ? '{ data, rows, cols }' : 'row arrays'}: every iteration's log-likelihood to 1e-12`, async () => {
      const init = await startOf(gauss, 4)
      const settings = { nComponents: 4, init, tol: 1e-10, maxIter: 40 }
      const memory = await new GaussianMixture(settings).fit(gauss)
      const seen: number[] = []
      const stream = await new GaussianMixture(settings).fit(chunksOf(gauss, size, flat), { onIteration: (i) => { seen.push(i.logLik) } })
      const rel = maxRel(stream.history, memory.history)
      console.log(`[stream] synth, chunks of ${size}: ${stream.nIter} iterations (in memory ${memory.nIter}), largest relative difference of the log-likelihoods ${rel.toExponential(1)}`)
      expect(rel).toBeLessThan(1e-12)
      expect(stream.nIter).toBe(memory.nIter)
      expect(stream.status).toBe(memory.status)
      expect(seen).toEqual(stream.history.slice(0, -1))
      expect(stream.predict(gauss)).toEqual(memory.predict(gauss))
    }, 60_000)
  }

  it('the start drawn from the first chunk (seeded) when no init is given: as in-memory EM from the same draw', async () => {
    const first = gauss.slice(0, 1000)
    const drawn = await new GaussianMixture({ nComponents: 4, seed: 5, maxIter: 0 }).fit(first)
    const memory = await new GaussianMixture({ nComponents: 4, tol: 1e-6, init: { weights: drawn.weights, means: drawn.means, covariances: drawn.covariances as number[][][] } }).fit(gauss)
    const stream = await new GaussianMixture({ nComponents: 4, seed: 5, tol: 1e-6 }).fit(chunksOf(gauss, 1000))
    expect(maxRel(stream.history, memory.history)).toBeLessThan(1e-12)
  })

  it('PoissonMixture', async () => {
    const counts = gauss.map((r) => [Math.round(Math.abs(r[0]!) * 3)])
    const fitted = await new PoissonMixture({ nComponents: 3, seed: 2, maxIter: 0 }).fit(counts)
    const settings = { nComponents: 3, tol: 1e-10, init: { weights: fitted.weights, rates: fitted.rates } }
    const memory = await new PoissonMixture(settings).fit(counts)
    const stream = await new PoissonMixture(settings).fit(chunksOf(counts, 900))
    expect(maxRel(stream.history, memory.history)).toBeLessThan(1e-12)
  })

  it('GaussianHMM: each chunk one sequence, as in memory with lengths', async () => {
    const start = await new GaussianHMM({ nComponents: 3, seed: 2, maxIter: 0 }).fit(hmmRows)
    const settings = { nComponents: 3, tol: 1e-8, init: { startProb: start.startProb, transMat: start.transMat, means: start.means, covariances: start.covariances } } as never
    const memory = await new GaussianHMM(settings).fit(hmmRows, { lengths: [500, 500, 500, 500] })
    const stream = await new GaussianHMM(settings).fit(chunksOf(hmmRows, 500))
    expect(maxRel(stream.history, memory.history)).toBeLessThan(1e-12)
  })

  it('BayesianGaussianMixture (variational EM, its bound recorded after the VM-step)', async () => {
    const settings = { nComponents: 3, seed: 4, tol: 1e-8, maxIter: 30 } as never
    const memory = await new BayesianGaussianMixture(settings).fit(faithful)
    // the start is drawn from the first chunk: one chunk holding every row draws what the in-memory fit draws
    const whole = await new BayesianGaussianMixture(settings).fit(chunksOf(faithful, faithful.length))
    expect(maxRel(whole.history, memory.history)).toBeLessThan(1e-12)
    const warm = { ...(settings as object), warmStart: true, maxIter: 5 } as never
    const a = new BayesianGaussianMixture(warm), b = new BayesianGaussianMixture(warm)
    await a.fit(faithful); await b.fit(faithful)
    await a.fit(faithful); await b.fit(chunksOf(faithful, 50))
    expect(maxRel(b.history, a.history)).toBeLessThan(1e-12)
  })

  it('CategoricalHMM: the symbols of every chunk count (the first lacks the largest), as in memory with lengths', async () => {
    const { CategoricalHMM } = await import('../../src/index.js')
    const seqs = [[0, 1, 0, 1, 2, 1, 0, 0, 1, 2], [3, 1, 0, 3, 2, 1, 3, 0, 1, 2, 2, 3]]
    const start = { startProb: [0.6, 0.4], transMat: [[0.7, 0.3], [0.4, 0.6]], emissionProb: [[0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]] }
    const memory = await new CategoricalHMM({ nComponents: 2, init: start, tol: 1e-8 }).fit(seqs.flat(), { lengths: seqs.map((s) => s.length) })
    const stream = await new CategoricalHMM({ nComponents: 2, init: start, tol: 1e-8 }).fit(async function* () { yield* seqs })
    expect(stream.nSymbols).toBe(4)
    expect(maxRel(stream.history, memory.history)).toBeLessThan(1e-12)
    // no emission probabilities given: the symbols come from the data, all the chunks'
    const drawn = await new CategoricalHMM({ nComponents: 2, seed: 3 }).fit(async function* () { yield* seqs })
    expect(drawn.nSymbols).toBe(4)
    expect(Number.isFinite(drawn.logLik)).toBe(true)
  })

  it('a one-shot stream (an async iterable, not a function) is read into memory: fit as on the rows', async () => {
    const memory = await new GaussianMixture({ nComponents: 4, seed: 1 }).fit(gauss)
    const stream = await new GaussianMixture({ nComponents: 4, seed: 1 }).fit(chunksOf(gauss, 1234)() as never)
    expect(stream.history).toEqual(memory.history)
  })
})

describe('a stream\'s faults', () => {
  const settings = { nComponents: 4, seed: 1, tol: 0, maxIter: 10 }

  it('a stream that ends early on a later pass: STREAM_CHANGED, the estimator as it was', async () => {
    let calls = 0
    const source = () => { calls++; return chunksOf(calls >= 4 ? gauss.slice(0, 4000) : gauss, 1000)() }
    const g = new GaussianMixture(settings)
    const err = await g.fit(source).catch((e) => e)
    expect(err.code).toBe('STREAM_CHANGED')
    expect(err.message).toMatch(/4000 rows.*5000/)
    expect(g.isFitted).toBe(false)
  })

  it('a stream that throws mid-fit: STREAM_FAILED with its message; a fitted estimator keeps its fit', async () => {
    const g = await new GaussianMixture(settings).fit(gauss.slice(0, 1000))
    const before = JSON.stringify(g.toJSON())
    let calls = 0
    const source = () => {
      calls++
      return (async function* () {
        yield gauss.slice(0, 1000)
        if (calls === 3) throw new Error('connection reset')
        yield gauss.slice(1000, 2000)
      })()
    }
    const err = await g.fit(source).catch((e) => e)
    expect(err.code).toBe('STREAM_FAILED')
    expect(err.message).toContain('connection reset')
    expect(JSON.stringify(g.toJSON())).toBe(before)
  })

  it('bad chunks: columns differing from the first (SHAPE_MISMATCH), ragged (RAGGED_ROWS), non-finite (NON_FINITE), not a matrix (INVALID_DATA), none (EMPTY_DATA); each names the chunk', async () => {
    const cases: Array<[unknown[], string]> = [
      [[gauss.slice(0, 10), gauss.slice(10, 20).map((r) => r.slice(0, 3))], 'SHAPE_MISMATCH'],
      [[gauss.slice(0, 10), [[1, 2, 3, 4, 5], [1, 2]]], 'RAGGED_ROWS'],
      [[gauss.slice(0, 10), [[1, 2, 3, 4, Infinity]]], 'NON_FINITE'],
      [[gauss.slice(0, 10), 'rows'], 'INVALID_DATA'],
      [[], 'EMPTY_DATA'],
    ]
    for (const [chunks, code] of cases) {
      const err = await new GaussianMixture({ nComponents: 2 }).fit(() => (async function* () { yield* chunks })()).catch((e) => e)
      expect(err.code, code).toBe(code)
      if (chunks.length) expect(err.message).toContain('hunk 1')
    }
  })

  it('a source function that throws, or returns no iterable: STREAM_FAILED saying what to give', async () => {
    await expect(new GaussianMixture().fit(() => { throw new Error('no such table') })).rejects.toMatchObject({ code: 'STREAM_FAILED', message: expect.stringContaining('no such table') })
    await expect(new GaussianMixture().fit((() => 42) as never)).rejects.toMatchObject({ code: 'STREAM_FAILED', message: expect.stringContaining('returned 42') })
  })

  it('algorithms that need the rows in memory, accelerators, and per-row fit options are refused with a reason', async () => {
    const source = chunksOf(gauss, 1000)
    await expect(new GaussianMixture({ algorithm: 'incremental' }).fit(source)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await expect(new GaussianMixture({ accelerate: 'squarem' }).fit(source)).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await expect(new GaussianMixture().fit(source, { sampleWeight: [1] })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})
