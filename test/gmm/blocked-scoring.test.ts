/**
 * A fitted mixture scores data a block of rows at a time (estimators/mixture.ts
 * eachBlock): kernel memory holds one block's responsibilities, not n x K, and the
 * values are those of one pass over every row (rows are scored independently; the
 * totals of scoreDataset are summed in row order across the blocks); withPosteriorBlocks
 * hands the blocks' probabilities out one at a time.
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture, PoissonMixture } from '../../src/index.js'
import { mapLogPosterior } from '../../src/core/math/criteria.js'
import { loadKernels } from '../../src/kernels/index.js'
import { heaps } from '../../src/kernels/wasm/memory-use.js'
import { blobs } from '../helpers/synthetic.js'

const SEED = 9203
console.log(`blocked-scoring test data seed ${SEED}`)

const BLOCK = 65_536
const N = 3 * BLOCK + 77
const K = 8
const D = 3
const X = blobs(N, D, K, SEED, { spread: 5 })

/** Rows from..to of X (a piece shorter than a block is scored in one pass). */
const rowsOf = (from: number, to: number) => ({ data: X.data.slice(from * D, to * D), rows: to - from, cols: D })

/** The concatenated results of `score` over pieces of 50,000 rows (not aligned with the blocks). */
function inPieces<T>(score: (rows: ReturnType<typeof rowsOf>) => T[]): T[] {
  const out: T[] = []
  for (let from = 0; from < N; from += 50_000) out.push(...score(rowsOf(from, Math.min(N, from + 50_000))))
  return out
}

describe('a fitted mixture scoring more rows than a block', { timeout: 60_000 }, () => {
  // first: kernel memory never shrinks, so the file's other tests would hide its growth
  it('grows kernel memory by about one block\'s buffers, not n x K', async () => {
    const kernels = await loadKernels('wasm')
    const gm = await new GaussianMixture({ nComponents: K, seed: 3, maxIter: 5 }).fit(rowsOf(0, 3000))
    const bytes = () => heaps.get(kernels)!.memory.buffer.byteLength
    const before = bytes()
    gm.predictProba(X)
    const grown = bytes() - before
    const wholePass = N * (D + K + 1) * 8
    const oneBlock = BLOCK * (D + K + 1) * 8
    console.log(`kernel memory grown by ${grown} bytes (one block's buffers ${oneBlock}, a whole pass's ${wholePass})`)
    expect(grown).toBeLessThan(1.5 * oneBlock)
  })

  for (const backend of ['wasm', 'js'] as const) {
    it(`gives every row's values of one pass and the sums in row order (${backend})`, async () => {
      const gm = await new GaussianMixture({ nComponents: K, seed: 3, maxIter: 5, backend }).fit(rowsOf(0, 3000))
      expect(gm.predictProba(X)).toEqual(inPieces((r) => gm.predictProba(r)))
      expect(gm.predict(X)).toEqual(inPieces((r) => gm.predict(r)))
      const rows = gm.scoreSamples(X)
      expect(rows).toEqual(inPieces((r) => gm.scoreSamples(r)))
      const weight = Float64Array.from({ length: N }, (_, i) => 1 + (i % 3))
      for (const sampleWeight of [undefined, weight]) {
        const score = gm.scoreDataset({ X, ...(sampleWeight ? { sampleWeight } : {}) })
        let logLik = 0, n = 0
        for (let i = 0; i < N; i++) { logLik += (sampleWeight?.[i] ?? 1) * rows[i]!; n += sampleWeight?.[i] ?? 1 }
        const proba = gm.predictProba(X)
        expect(score.logLik).toBe(logLik)
        expect(score.n).toBe(n)
        expect(score.classification).toBe(mapLogPosterior(proba.flat(), N, K, sampleWeight))
      }
    })
  }

  it('withPosteriorBlocks gives predictProba\'s values a block at a time in row order, at each iteration; X\'s values checked at the call', async () => {
    const gm = await new GaussianMixture({ nComponents: K, seed: 3, maxIter: 5 }).fit(rowsOf(0, 3000))
    const proba = gm.predictProba(X).flat()
    const seen = gm.withPosteriorBlocks(X, (post) => [0, 1].map(() => {
      const starts: number[] = [], all: number[] = []
      for (const b of post.blocks) { starts.push(b.start); for (const v of b.data) all.push(v); expect(b.data.length).toBe(b.rows * post.cols) }
      return { rows: post.rows, cols: post.cols, starts, all }
    }))
    for (const pass of seen) expect(pass).toEqual({ rows: N, cols: K, starts: [0, BLOCK, 2 * BLOCK, 3 * BLOCK], all: proba })
    let read = false
    expect(() => gm.withPosteriorBlocks({ data: new Float64Array([0, Infinity, 1]), rows: 1, cols: 3 }, () => { read = true })).toThrow(/Infinity/)
    expect(read).toBe(false)
    // the columns against the fit's as the first block is read
    expect(() => gm.withPosteriorBlocks({ data: new Float64Array(20), rows: 10, cols: 2 }, (post) => [...post.blocks])).toThrow(/2 features|3/)
    expect(() => new GaussianMixture().withPosteriorBlocks(X, () => 0)).toThrow(/withPosteriorBlocks/)
  })

  it('scores a Poisson mixture the same way', async () => {
    const counts = Array.from({ length: N }, (_, i) => (i * 7919) % 23)
    const pm = await new PoissonMixture({ nComponents: 3, seed: 1, maxIter: 5 }).fit(counts.slice(0, 2000))
    const pieces: number[] = []
    for (let from = 0; from < N; from += 50_000) pieces.push(...pm.scoreSamples(counts.slice(from, from + 50_000)))
    expect(pm.scoreSamples(counts)).toEqual(pieces)
  })
})
