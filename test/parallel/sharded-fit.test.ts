/**
 * One fit sharded by rows over the pool (`fit(X, { workers })`): bit-identical for any
 * worker count (statistics added per 65,536-row block in block order) and to the serial
 * fit (whose plain EM adds the same blocks the same way: engine/blocks.ts), and the faults: a worker dying mid-fit. The
 * start (k-means++, k-means, random-from-data, random) runs on the shards with the serial
 * start's bits, and then the main thread prepares none of the rows.
 */
import { afterAll, describe, expect, it, vi } from 'vitest'
import { closePool, EmkitError, GaussianMixture, PoissonMixture } from '../../src/node.js'
import { poolWorkers, reserveOnPool } from '../../src/parallel/pool.js'
import { parallelRunner, setParallelRunner } from '../../src/runtime/runner.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { SHARD_BLOCK_ROWS } from '../../src/runtime/statistics.js'
import { reserveShards } from '../../src/estimators/shard.js'
import { kernelMemoryInUse, loadKernels } from '../../src/kernels/index.js'
import { blobs } from '../helpers/synthetic.js'
import { gmmSnapshot } from '../helpers/snapshot.js'

const SEED = 20261203
console.log(`sharded-fit test data seed ${SEED}`)

const N = 3 * SHARD_BLOCK_ROWS + 1234
// three blocks and a part: every worker count has whole blocks and a short last one; wider noise in later columns
const X = blobs(N, 3, 4, SEED, { stretch: 0.3 })
const OPTIONS = { nComponents: 4, seed: 7, maxIter: 15, tol: 0 }

afterAll(async () => {
  await closePool()
})

// pool start-up and 200,000-row fits on a shared 2-CPU machine: generous limits (no timing is asserted)
describe('one fit sharded over workers', { timeout: 60_000 }, () => {
  it('is bit-identical with 1, 2 and 3 workers and to the serial fit (which adds the same blocks in the same order)', async () => {
    const serial = gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X))
    const fits = []
    for (const workers of [1, 2, 3]) fits.push(gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X, { workers })))
    expect(fits[0]).toEqual(serial)
    expect(fits[1]).toEqual(serial)
    expect(fits[2]).toEqual(serial)
    // the history moved: the fit did something
    expect(serial.history.at(-1)! - serial.history[0]!).toBeGreaterThan(1)
  })

  it('starts on the shards with the serial start\'s bits, and the main thread prepares no rows', { timeout: 180_000 }, async () => {
    const w = new Float64Array(N).map((_, i) => (i % 7 === 0 ? 0 : 1 + (i % 3)))
    const prepare = vi.spyOn(GaussianMixture.prototype as unknown as { prepareFit: () => unknown }, 'prepareFit')
    const start = (gm: GaussianMixture) => ({ weights: gm.weights, means: gm.means, covariances: gm.covariances })
    try {
      const inits = ['kmeans++', 'kmeans', 'random-from-data', 'random', { method: 'kmeans', weights: [0.1, 0.2, 0.3, 0.4] }] as const
      for (const init of inits) {
        for (const weighted of [false, true]) {
          const opts = { ...OPTIONS, init, maxIter: 0 }
          const fitOptions = weighted ? { sampleWeight: w } : {}
          const serial = start(await new GaussianMixture(opts).fit(X, fitOptions))
          for (const workers of [1, 2, 3]) {
            prepare.mockClear()
            const sharded = await new GaussianMixture(opts).fit(X, { ...fitOptions, workers })
            expect(prepare).not.toHaveBeenCalled()
            expect(start(sharded)).toEqual(serial)
          }
        }
      }
      // with NaN the start imputes column means of all the rows: it runs here, from rows prepared here, as serially
      const data = X.data.slice()
      data[5] = NaN
      const Y = { ...X, data }
      const opts = { ...OPTIONS, maxIter: 0 }
      const serial = start(await new GaussianMixture(opts).fit(Y))
      prepare.mockClear()
      expect(start(await new GaussianMixture(opts).fit(Y, { workers: 2 }))).toEqual(serial)
      expect(prepare).toHaveBeenCalledTimes(1)
    } finally {
      prepare.mockRestore()
    }
  })

  it('gives the same fit without a pool (shards on this thread, as in browsers)', async () => {
    const pooled = gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X, { workers: 2 }))
    const runner = parallelRunner()
    setParallelRunner(null)
    try {
      const kernels = await loadKernels('wasm')
      const before = kernelMemoryInUse(kernels)
      const local = gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X, { workers: 2 }))
      expect(local).toEqual(pooled)
      // the shards' kernel memory is freed with the fit
      expect(kernelMemoryInUse(kernels)).toBe(before)
      const gm = await new GaussianMixture({ ...OPTIONS, maxIter: 0 }).fit(X)
      gm.mStep(await gm.eStepShard(X))
      expect(kernelMemoryInUse(kernels)).toBe(before)
    } finally {
      setParallelRunner(runner)
    }
  })

  it('weights rows by sampleWeight on the shards as serially', async () => {
    const w = new Float64Array(N).map((_, i) => 1 + (i % 3))
    const serial = await new GaussianMixture(OPTIONS).fit(X, { sampleWeight: w })
    const sharded = await new GaussianMixture(OPTIONS).fit(X, { sampleWeight: w, workers: 2 })
    expect(gmmSnapshot(sharded)).toEqual(gmmSnapshot(serial))
    const unweighted = await new GaussianMixture(OPTIONS).fit(X, { workers: 2 })
    expect(sharded.logLik).not.toBe(unweighted.logLik)
  })

  it('is bit-identical for 1 and 3 workers with missing values (NaN)', async () => {
    const rng = new Rng(SEED + 2)
    const data = X.data.slice()
    for (let i = 0; i < N; i++) {
      const u = rng.uniform()
      if (u < 0.1) data[i * 3 + (i % 3)] = NaN
      else if (u < 0.12) data[i * 3 + ((i + 1) % 3)] = NaN
    }
    const Y = { data, rows: N, cols: 3 }
    const opts = { ...OPTIONS, maxIter: 6 }
    const one = gmmSnapshot(await new GaussianMixture(opts).fit(Y, { workers: 1 }))
    const three = gmmSnapshot(await new GaussianMixture(opts).fit(Y, { workers: 3 }))
    expect(three).toEqual(one)
    const serial = await new GaussianMixture(opts).fit(Y)
    expect(Math.abs(one.history.at(-1)! - serial.logLik) / Math.abs(serial.logLik)).toBeLessThan(1e-12)
  })

  it('shards the Poisson mixture too, bit-identically for 1 and 2 workers and to the serial fit', async () => {
    const rng = new Rng(SEED + 1)
    const counts = Array.from({ length: 2 * SHARD_BLOCK_ROWS + 5 }, (_, i) => {
      const mean = [2, 9, 25][i % 3]!
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()))
    })
    const opts = { nComponents: 3, seed: 3, maxIter: 10, tol: 0 }
    const serial = await new PoissonMixture(opts).fit(counts)
    const one = await new PoissonMixture(opts).fit(counts, { workers: 1 })
    const two = await new PoissonMixture(opts).fit(counts, { workers: 2 })
    expect(two.history).toEqual(one.history)
    expect(two.rates).toEqual(one.rates)
    expect(one.history).toEqual(serial.history)
    expect(one.rates).toEqual(serial.rates)
    expect(one.weights).toEqual(serial.weights)
  })

  it('reports bad rows as the serial fit does (one pass on this thread checks them all)', async () => {
    const cases: [string, (data: Float64Array) => void][] = [
      ['an infinity', (data) => { data[5 * 3 + 1] = Infinity }],
      ['values too large', (data) => { for (let i = 0; i < 4; i++) data[i * 3 + 2] = 1e160 }],
      ['a column too narrow', (data) => { for (let i = 0; i < N; i++) data[i * 3] = (i % 2) * 2 ** -520 }],
    ]
    for (const [what, spoil] of cases) {
      const data = X.data.slice()
      spoil(data)
      const Y = { ...X, data }
      const serial = await new GaussianMixture(OPTIONS).fit(Y).then(() => null, (e: unknown) => e)
      const sharded = await new GaussianMixture(OPTIONS).fit(Y, { workers: 2 }).then(() => null, (e: unknown) => e)
      expect(serial, what).toBeInstanceOf(EmkitError)
      expect(sharded, what).toEqual(serial)
      expect((sharded as Error).message, what).toBe((serial as Error).message)
    }
  })

  it('asks the workers to map memory for their rows ahead of the copy only for shards of 32 MB or more', () => {
    const calls: unknown[][] = []
    const runner = { ...parallelRunner()!, available: 2, reserve: (...args: unknown[]) => { calls.push(args) } }
    const rows = (n: number, cols: number) => ({ rows: n, cols, data: new Float64Array(0) })
    reserveShards(runner, rows(10 * SHARD_BLOCK_ROWS, 8), 2, 'wasm') // 5 blocks of 4 MB per shard: 20 MB
    reserveShards(runner, rows(100, 8), 'auto', 'wasm')
    expect(calls).toEqual([])
    reserveShards(runner, rows(30 * SHARD_BLOCK_ROWS + 1, 8), 'auto', 'wasm-scalar') // 31 blocks: 16 and 15
    reserveShards(runner, rows(30 * SHARD_BLOCK_ROWS, 8), 1, 'wasm')
    expect(calls).toEqual([
      [2, 16 * SHARD_BLOCK_ROWS * 8 * 8 + 16 * 2 ** 20, 'wasm-scalar'],
      [1, 30 * SHARD_BLOCK_ROWS * 8 * 8 + 16 * 2 ** 20, 'wasm'],
    ])
  })

  it('workers map the memory they were asked to reserve, and the next sharded fit is the same', async () => {
    const reference = gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X, { workers: 2 }))
    const before = process.memoryUsage.rss()
    await reserveOnPool(2, 64 * 2 ** 20, 'wasm')
    expect(process.memoryUsage.rss() - before).toBeGreaterThan(64 * 2 ** 20) // 2 x 64 MB mapped (at least one worker's)
    expect(gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X, { workers: 2 }))).toEqual(reference)
  })

  it('refuses variants it cannot shard and a bad worker count', async () => {
    await expect(new GaussianMixture({ ...OPTIONS, accelerate: 'squarem' }).fit(X, { workers: 2 })).rejects.toMatchObject({ code: 'UNSUPPORTED' })
    await expect(new GaussianMixture(OPTIONS).fit(X, { workers: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
    await expect(new GaussianMixture(OPTIONS).fit(X, { workrs: 2 } as never)).rejects.toThrow(/workers/)
  })

  it('stops at an abort with status aborted, the shards closed, and the pool serves the next fit', async () => {
    const controller = new AbortController()
    const aborted = await new GaussianMixture(OPTIONS).fit(X, {
      workers: 2,
      signal: controller.signal,
      onIteration: ({ iteration }) => { if (iteration === 2) controller.abort() },
    })
    expect(aborted.status).toBe('aborted')
    expect(aborted.nIter).toBe(2)
    const next = gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X, { workers: 2 }))
    expect(next.nIter).toBe(OPTIONS.maxIter)
  })

  it('fails with WORKER_FAILED when a worker dies during the start on the shards, and the pool serves the next fit', async () => {
    const opts = { ...OPTIONS, init: 'kmeans' as const, maxIter: 2 }
    const reference = gmmSnapshot(await new GaussianMixture(opts).fit(X, { workers: 2 }))
    // the second shard's worker ends itself at the start's first request, after it took
    // its rows and before it answers: a known point, whatever the machine's load
    const pooled = parallelRunner()!
    const opened: boolean[] = []
    setParallelRunner({
      ...pooled,
      openShards: (tasks, backend) => {
        opened.push(true)
        return pooled.openShards!(tasks.map((t, i) => (i === 1 ? { ...t, debug: 'exit' as const } : t)), backend)
      },
    })
    try {
      await expect(new GaussianMixture(opts).fit(X, { workers: 2 })).rejects.toMatchObject({ code: 'WORKER_FAILED', message: expect.stringMatching(/worker/) })
    } finally {
      setParallelRunner(pooled)
    }
    expect(opened).toHaveLength(1) // the fit went through the shards (the wrapped runner)
    expect(gmmSnapshot(await new GaussianMixture(opts).fit(X, { workers: 2 }))).toEqual(reference)
  })

  it('fails with WORKER_FAILED when a worker dies holding its shard, and the pool serves the next fit', async () => {
    const reference = gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X, { workers: 2 }))
    let failure: unknown
    try {
      await new GaussianMixture(OPTIONS).fit(X, {
        workers: 2,
        onIteration: ({ iteration }) => { if (iteration === 3) void poolWorkers(2)[0]!.terminate() },
      })
    } catch (e) {
      failure = e
    }
    expect(failure).toBeInstanceOf(EmkitError)
    expect((failure as EmkitError).code).toBe('WORKER_FAILED')
    const after = gmmSnapshot(await new GaussianMixture(OPTIONS).fit(X, { workers: 2 }))
    expect(after).toEqual(reference)
  })
})
