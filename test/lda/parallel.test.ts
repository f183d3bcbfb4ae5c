/**
 * A batch LDA fit whose VE-steps are sharded over 2 worker threads (whole blocks of
 * documents per worker, statistics added in block order on this thread) gives the
 * serial fit bit for bit. The corpus (seed printed) spans three blocks. Each worker
 * holds its shard of documents for the whole fit: the shards open once, get one message
 * per VE-step, and close at the end; no per-step tasks carry the corpus.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { closePool, LatentDirichletAllocation } from '../../src/node.js'
import { poolThreads } from '../../src/parallel/pool.js'
import { BLOCK_DOCS } from '../../src/models/lda/model.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { parallelRunner, setParallelRunner } from '../../src/runtime/runner.js'

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

  it('the shards are opened once per fit, each with its own documents (whole blocks), and closed at the end', async () => {
    const X = corpus(22, 3 * BLOCK_DOCS + 10, 40)
    const base = parallelRunner()!
    const log: string[] = []
    setParallelRunner({
      ...base, available: base.available, share: base.share,
      run: (tasks, threads, backend) => { log.push(`run ${tasks.length}`); return base.run(tasks, threads, backend) },
      openShards: async (tasks, backend) => {
        log.push(`open ${tasks.map((t) => `${t.firstBlock}:${t.data.lengths!.length}`).join(',')}`)
        const group = await base.openShards!(tasks, backend)
        return { ...group, eStep: (params) => { log.push('eStep'); return group.eStep(params) }, close: () => { log.push('close'); return group.close() } }
      },
    })
    try {
      const fitted = await new LatentDirichletAllocation({ nComponents: 3, maxIter: 3, seed: 1, workers: 2 }).fit(X)
      const serial = await new LatentDirichletAllocation({ nComponents: 3, maxIter: 3, seed: 1, workers: 1 }).fit(X)
      expect(fitted.history).toEqual(serial.history)
    } finally {
      setParallelRunner(base)
    }
    // 4 blocks (the last of 10 documents): blocks 0-1 on one worker, 2-3 on the other
    expect(log).toEqual([`open 0:${2 * BLOCK_DOCS},2:${BLOCK_DOCS + 10}`, 'eStep', 'eStep', 'eStep', 'close'])
  }, 60_000)
})
