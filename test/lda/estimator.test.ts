/**
 * LatentDirichletAllocation beyond the Reuters checks: the three input forms agree,
 * backends agree bit for bit, every option changes what a test sees, partialFit,
 * toJSON round-trip, and bad input as typed EmkitErrors (inputs never mutated; the
 * model unchanged after a rejected partialFit). Corpora are seeded (seeds printed).
 */
import { describe, expect, it } from 'vitest'
import { EmkitError, LatentDirichletAllocation } from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

/** A seeded corpus with K0 planted topics over V terms: dense rows. */
function corpus(seed: number, nDocs = 40, V = 30, K0 = 3): number[][] {
  console.log(`[lda] corpus seed ${seed}`)
  const rng = new Rng(seed)
  return Array.from({ length: nDocs }, (_, d) => {
    const row = new Array<number>(V).fill(0)
    const topic = d % K0
    for (let t = 0; t < 40; t++) {
      const w = rng.uniform() < 0.8 ? topic * Math.floor(V / K0) + Math.floor(rng.uniform() * Math.floor(V / K0)) : Math.floor(rng.uniform() * V)
      row[w]!++
    }
    return row
  })
}

function toCsr(rows: number[][]) {
  const indptr = [0], indices: number[] = [], data: number[] = []
  rows.forEach((r) => { r.forEach((c, w) => { if (c) { indices.push(w); data.push(c) } }); indptr.push(indices.length) })
  return { indptr, indices, data, rows: rows.length, cols: rows[0]!.length }
}

function toTriplets(rows: number[][]) {
  const doc: number[] = [], term: number[] = [], count: number[] = []
  // reversed order on purpose: triplets need no order
  rows.forEach((r, d) => r.forEach((c, w) => { if (c) { doc.unshift(d); term.unshift(w); count.unshift(c) } }))
  return { doc, term, count, rows: rows.length, cols: rows[0]!.length }
}

const X = corpus(7)
const base = { nComponents: 3, maxIter: 5, seed: 3 }

async function fitted(options: Record<string, unknown> = {}, data: unknown = X) {
  return new LatentDirichletAllocation({ ...base, ...options }).fit(data as number[][])
}

describe('LatentDirichletAllocation: inputs, backends, options', () => {
  it('dense rows, CSR and triplets give the same fit; backends agree bit for bit', async () => {
    const a = await fitted()
    const b = await fitted({}, toCsr(X))
    const c = await fitted({}, toTriplets(X))
    expect(b.components).toEqual(a.components)
    expect(c.components).toEqual(a.components)
    for (const backend of ['wasm-scalar', 'js']) {
      const o = await fitted({ backend })
      expect(o.components).toEqual(a.components)
      expect(o.history).toEqual(a.history)
    }
    expect(a.history).toHaveLength(6)
    for (let i = 1; i < a.history.length; i++) expect(a.history[i]!).toBeGreaterThan(a.history[i - 1]!)
    const theta = a.transform(X)
    for (const row of theta) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12)
    expect(a.perplexity(X)).toBeCloseTo(Math.exp(-a.score(X) / X.flat().reduce((s, v) => s + v, 0)), 8)
    expect(a.score()).toBe(a.history.at(-1))
  })

  it('the planted topics are found (top words within each block)', async () => {
    const lda = await fitted({ maxIter: 30 })
    const vocab = Array.from({ length: 30 }, (_, w) => `w${w}`)
    const blocks = lda.topWords(vocab, 5).map((ws) => new Set(ws.map((w) => Math.floor(Number(w.slice(1)) / 10))))
    for (const b of blocks) expect(b.size).toBe(1)
    expect(new Set(blocks.map((b) => [...b][0])).size).toBe(3)
  })

  it('every option changes the fit', async () => {
    const ref = await fitted({ maxIter: 3 })
    const changed = async (o: Record<string, unknown>) => expect((await fitted({ maxIter: 3, ...o })).components, JSON.stringify(o)).not.toEqual(ref.components)
    await changed({ seed: 4 })
    await changed({ docTopicPrior: 0.5 })
    await changed({ topicWordPrior: 0.5 })
    await changed({ maxDocUpdateIter: 2 })
    await changed({ meanChangeTol: 1e-6 })
    await changed({ docInit: 'random' })
    await changed({ learningMethod: 'online' })
    const online = await fitted({ maxIter: 3, learningMethod: 'online', batchSize: 7 })
    for (const o of [{ batchSize: 11 }, { learningOffset: 2 }, { learningDecay: 0.9 }]) {
      expect((await fitted({ maxIter: 3, learningMethod: 'online', batchSize: 7, ...o })).components, JSON.stringify(o)).not.toEqual(online.components)
    }
    expect(online.nBatchIter).toBe(1 + 3 * 6)
    // docInit 'random' is seeded: the same seed repeats
    expect((await fitted({ docInit: 'random' })).components).toEqual((await fitted({ docInit: 'random' })).components)
    // perpTol stops only with evaluateEvery > 0
    const long = { maxIter: 50, perpTol: 1 }
    expect((await fitted(long)).nIter).toBe(50)
    const early = await fitted({ ...long, evaluateEvery: 1 })
    expect(early.nIter).toBeLessThan(50)
    expect(early.status).toBe('converged')
    // checked at the bound after 2, 4, ... updates, which the next iteration records (the engine then keeps its update)
    expect((await fitted({ ...long, evaluateEvery: 2 })).nIter % 2).toBe(1)
    // init { topicWord }
    const given = await fitted({ maxIter: 0, init: { topicWord: ref.components } })
    expect(given.components).toEqual(ref.components)
  })

  it('partialFit: online updates scaled to totalSamples, continuing the step counter', async () => {
    const lda = new LatentDirichletAllocation({ ...base, batchSize: 10, totalSamples: 40 })
    await lda.partialFit(X.slice(0, 20))
    expect(lda.nBatchIter).toBe(3)
    await lda.partialFit(X.slice(20))
    expect(lda.nBatchIter).toBe(5)
    // one online pass of fit over the same documents is the same sequence of updates
    const fit = await fitted({ learningMethod: 'online', batchSize: 10, maxIter: 1 })
    expect(lda.components).toEqual(fit.components)
    const other = new LatentDirichletAllocation({ ...base, batchSize: 10, totalSamples: 5 })
    await other.partialFit(X)
    expect(other.components).not.toEqual(fit.components)
  })

  it('partialFit is the base\'s online EM: a step per mini-batch, streams of chunks, nSeen, onIteration, saved and loaded', async () => {
    const options = { ...base, batchSize: 10, totalSamples: 40 }
    const a = new LatentDirichletAllocation(options)
    const seen: number[] = []
    await a.partialFit(X.slice(0, 20), { onIteration: (i) => { seen.push(i.iteration) } })
    expect(seen).toEqual([1, 2])
    expect(a.nSeen).toBe(20)
    // history: each mini-batch's bound at the lambda its step started from (the first: the start)
    const start = new LatentDirichletAllocation({ ...options, maxIter: 0 })
    await start.fit(X)
    expect(a.history).toHaveLength(2)
    expect(Math.abs(a.history[0]! / start.score(X.slice(0, 10)) - 1)).toBeLessThan(1e-12)
    const b = await LatentDirichletAllocation.fromJSON(JSON.parse(JSON.stringify(a.toJSON())))
    await a.partialFit(X.slice(20))
    await b.partialFit(X.slice(20))
    expect(b.components).toEqual(a.components)
    expect([b.nSeen, b.nBatchIter, b.nIter]).toEqual([40, 5, 4])
    // an async iterable of chunks is one call per chunk
    async function* chunks() { yield X.slice(0, 20); yield X.slice(20) }
    const c = await new LatentDirichletAllocation(options).partialFit(chunks())
    expect(c.components).toEqual(a.components)
    expect(c.history).toEqual(a.history)
  })

  it('toJSON / fromJSON round-trips bit for bit', async () => {
    const lda = await fitted()
    const back = await LatentDirichletAllocation.fromJSON(JSON.parse(JSON.stringify(lda.toJSON())))
    expect(back.components).toEqual(lda.components)
    expect(back.transform(X)).toEqual(lda.transform(X))
    expect(back.score(X)).toBe(lda.score(X))
  })
})

describe('LatentDirichletAllocation: bad input', () => {
  const expectCode = async (f: () => unknown, code: string, pattern: RegExp) => {
    let error: unknown
    try { await f() } catch (e) { error = e }
    expect(error).toBeInstanceOf(EmkitError)
    expect((error as EmkitError).code).toBe(code)
    expect((error as Error).message).toMatch(pattern)
  }

  it('negative or non-finite counts', async () => {
    await expectCode(() => fitted({}, [[1, -2], [0, 1]]), 'INVALID_DATA', /Count \[0\]\[1\] is -2.*>= 0/)
    await expectCode(() => fitted({}, [[1, NaN], [0, 1]]), 'INVALID_DATA', /is NaN/)
    await expectCode(() => fitted({}, { indptr: [0, 1], indices: [0], data: [Infinity], rows: 1, cols: 2 }), 'INVALID_DATA', /data\[0\] is Infinity/)
    await expectCode(() => fitted({}, { doc: [0], term: [1], count: [-1] }), 'INVALID_DATA', /count\[0\] is -1/)
  })

  it('a corpus without tokens; K = 1 and empty documents work', async () => {
    await expectCode(() => fitted({}, [[0, 0], [0, 0]]), 'EMPTY_DATA', /no tokens/)
    const lda = await fitted({ nComponents: 1 }, [[1, 0, 2], [0, 0, 0], [3, 1, 0]])
    expect(lda.transform([[0, 0, 0]])).toEqual([[1]])
    await expectCode(() => lda.perplexity([[0, 0, 0]]), 'EMPTY_DATA', /perplexity/)
  })

  it('a CSR whose indptr decreases or whose indices fall outside cols', async () => {
    await expectCode(() => fitted({}, { indptr: [0, 2, 1], indices: [0, 1], data: [1, 1], rows: 2, cols: 2 }), 'INVALID_DATA', /indptr is not non-decreasing.*indptr\[2\] = 1/)
    await expectCode(() => fitted({}, { indptr: [0, 2], indices: [0, 5], data: [1, 1], rows: 1, cols: 3 }), 'INVALID_DATA', /indices\[1\] is 5, outside the 3 columns/)
    await expectCode(() => fitted({}, { indptr: [0, 2], indices: [0, 1], data: [1, 1], rows: 2, cols: 3 }), 'SHAPE_MISMATCH', /rows \+ 1 = 3/)
  })

  it('a vocabulary whose length is not cols; misspelt options', async () => {
    const lda = await fitted()
    await expectCode(() => lda.topWords(['a', 'b'], 3), 'SHAPE_MISMATCH', /vocabulary has 2 terms but the model was fitted with 30/)
    await expectCode(() => new LatentDirichletAllocation({ nComponent: 3 } as never), 'INVALID_OPTION', /nComponents/)
    await expectCode(() => new LatentDirichletAllocation({ learningMethod: 'onlin' } as never), 'INVALID_OPTION', /did you mean 'online'/)
    await expectCode(() => fitted({ init: { topicWord: [[1, 2]] } }), 'INVALID_OPTION', /1 x 2, the fit needs nComponents x nTerms = 3 x 30/)
  })

  it('partialFit with another vocabulary size is refused and leaves the model unchanged; inputs are not mutated', async () => {
    const lda = await fitted()
    const before = JSON.stringify(lda.toJSON())
    await expectCode(() => lda.partialFit(corpus(8, 5, 31)), 'SHAPE_MISMATCH', /nTerms = 31 but the model was fitted with nTerms = 30/)
    await expectCode(() => lda.partialFit([[1, -1, ...new Array(28).fill(0)]]), 'INVALID_DATA', /-1/)
    expect(JSON.stringify(lda.toJSON())).toBe(before)
    const csr = toCsr(X), copy = JSON.parse(JSON.stringify(csr))
    const trip = toTriplets(X), tcopy = JSON.parse(JSON.stringify(trip))
    await fitted({}, csr); await fitted({}, trip)
    expect(csr).toEqual(copy)
    expect(trip).toEqual(tcopy)
  })
})
