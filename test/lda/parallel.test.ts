/**
 * A batch LDA fit whose VE-steps are sharded over 2 worker threads (whole blocks of
 * documents per worker, statistics added in block order on this thread) gives the
 * serial fit bit for bit. The corpus (seed printed) spans three blocks.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { closePool, LatentDirichletAllocation } from '../../src/node.js'
import { poolThreads } from '../../src/parallel/pool.js'
import { BLOCK_DOCS } from '../../src/models/lda/model.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

afterAll(async () => { await closePool() })

function corpus(seed: number, nDocs: number, V: number) {
  console.log(`[lda parallel] corpus seed ${seed}`)
  const rng = new Rng(seed)
  const doc: number[] = [], term: number[] = [], count: number[] = []
  for (let d = 0; d < nDocs; d++) {
    const topic = d % 3
    const seen = new Map<number, number>()
    for (let t = 0; t < 12; t++) {
      const w = rng.uniform() < 0.8 ? topic * 10 + rng.integer(10) : rng.integer(V)
      seen.set(w, (seen.get(w) ?? 0) + 1)
    }
    for (const [w, c] of [...seen].sort((a, b) => a[0] - b[0])) { doc.push(d); term.push(w); count.push(c) }
  }
  return { doc, term, count, rows: nDocs, cols: V }
}

describe('LDA VE-steps on the worker pool', () => {
  it('2 workers give the serial fit bit for bit', async () => {
    const X = corpus(21, 2 * BLOCK_DOCS + 500, 40)
    const options = { nComponents: 3, maxIter: 3, seed: 5 }
    const serial = await new LatentDirichletAllocation({ ...options, workers: 1 }).fit(X)
    expect(poolThreads()).toEqual([])
    const parallel = await new LatentDirichletAllocation({ ...options, workers: 2 }).fit(X)
    expect(poolThreads()).toEqual([2])
    expect(parallel.history).toEqual(serial.history)
    expect(parallel.components).toEqual(serial.components)
    expect(parallel.perplexity(X)).toBe(serial.perplexity(X))
  }, 60_000)
})
