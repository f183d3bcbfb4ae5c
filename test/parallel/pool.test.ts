import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { closePool, EmkitError, GaussianMixture } from '../../src/node.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { poolThreads, runOnPool, workerFile } from '../../src/parallel/pool.js'
import { AUTO_MIN_WORK, threadsFor } from '../../src/runtime/runner.js'
import { availableParallelism } from 'node:os'
import type { RestartTask } from '../../src/runtime/tasks.js'
import { blobs } from '../helpers/synthetic.js'
import { gmmSnapshot } from '../helpers/snapshot.js'

const X = faithfulRows()

afterAll(async () => {
  await closePool()
})

describe('restarts on the Piscina pool', () => {
  it('resolves the compiled worker entry in dist from the TypeScript source', () => {
    expect(workerFile()).toMatch(/dist[\\/]src[\\/]parallel[\\/]worker\.js$/)
    expect(existsSync(workerFile())).toBe(true)
  })

  it('gives bit-identical fits serially and with 1, 2 and 3 workers (faithful, K = 3, nInit = 8)', async () => {
    const fits = []
    for (const workers of [1, 2, 3] as const) {
      fits.push(gmmSnapshot(await new GaussianMixture({ nComponents: 3, nInit: 8, seed: 11, workers }).fit(X)))
    }
    // serial and parallel must agree to the last bit: toEqual compares numbers with Object.is
    expect(fits[1]).toEqual(fits[0])
    expect(fits[2]).toEqual(fits[0])
    for (const covarianceType of ['diag', 'spherical', 'tied'] as const) {
      const serial = gmmSnapshot(await new GaussianMixture({ nComponents: 2, covarianceType, nInit: 4, seed: 3, workers: 1 }).fit(X))
      const pooled = gmmSnapshot(await new GaussianMixture({ nComponents: 2, covarianceType, nInit: 4, seed: 3, workers: 2 }).fit(X))
      expect(pooled).toEqual(serial)
    }
  })

  it('runs incremental EM restarts on workers with the blocks the spec carries, bit-identical to serial', async () => {
    const make = (workers: number) => new GaussianMixture({ nComponents: 3, nInit: 4, seed: 5, workers, algorithm: 'incremental', blocks: 6 })
    const serial = gmmSnapshot(await make(1).fit(X))
    expect(gmmSnapshot(await make(2).fit(X))).toEqual(serial)
    // the blocks mattered: another count takes another path
    expect(gmmSnapshot(await new GaussianMixture({ nComponents: 3, nInit: 4, seed: 5, workers: 1, algorithm: 'incremental', blocks: 5 }).fit(X)).history).not.toEqual(serial.history)
  })

  it("goes parallel by default ('auto') only when the fit is large enough, with the same result", async () => {
    const cores = Math.min(8, availableParallelism())
    expect(threadsFor('auto', 8, 272 * 3 * 4)).toBe(1)
    expect(threadsFor('auto', 8, 100000 * 8 * 64)).toBe(Math.min(8, cores)) // the benchmark's fit: worth starting a pool
    expect(threadsFor('auto', 1, 1e12)).toBe(1)
    expect(threadsFor(4, 3, 1)).toBe(3)
    expect(threadsFor(1, 8, 1e12)).toBe(1)
    // a running pool takes smaller jobs; a cold one only when the whole fit pays for starting it
    await closePool()
    expect(threadsFor('auto', 2, AUTO_MIN_WORK)).toBe(1)
    await new GaussianMixture({ nComponents: 2, nInit: 2, workers: cores }).fit(X)
    expect(threadsFor('auto', 2, AUTO_MIN_WORK)).toBe(cores >= 2 ? 2 : 1)
    expect(threadsFor('auto', 2, AUTO_MIN_WORK - 1)).toBe(1)
    const data = blobs(20000, 5, 4, 9)
    const serial = gmmSnapshot(await new GaussianMixture({ nComponents: 4, nInit: 3, seed: 2, workers: 1, maxIter: 30 }).fit(data))
    const pooled = gmmSnapshot(await new GaussianMixture({ nComponents: 4, nInit: 3, seed: 2, workers: 2, maxIter: 30 }).fit(data))
    expect(pooled).toEqual(serial)
  })

  it('rejects a fit whose worker throws or dies with EmkitError WORKER_FAILED, and the pool stays usable', async () => {
    const good = await new GaussianMixture({ nComponents: 2, nInit: 2, seed: 1, workers: 2 }).fit(X)
    const spec = good.toSpec()
    const data = { rows: X.length, cols: 2, data: Float64Array.from(X.flat()) }
    const task = (debug?: 'throw' | 'exit'): RestartTask => ({ type: 'restart', spec, data: { X: data }, seed: 1, restart: 0, ...(debug ? { debug } : {}) })
    for (const debug of ['throw', 'exit'] as const) {
      const failure = await runOnPool([task(), task(debug)], 2).catch((e: unknown) => e)
      expect(failure).toBeInstanceOf(EmkitError)
      expect((failure as EmkitError).code).toBe('WORKER_FAILED')
      expect((failure as EmkitError).message).toMatch(/worker/)
    }
    // an unknown estimator kind fails inside the worker too
    const unknown = await runOnPool([{ ...task(), spec: { kind: 'NoSuchEstimator', options: {} } }], 2).catch((e: unknown) => e)
    expect((unknown as EmkitError).code).toBe('WORKER_FAILED')
    expect((unknown as EmkitError).message).toMatch(/NoSuchEstimator/)
    // still usable, and still identical
    const again = await new GaussianMixture({ nComponents: 2, nInit: 2, seed: 1, workers: 2 }).fit(X)
    expect(gmmSnapshot(again)).toEqual(gmmSnapshot(good))
  })

  it('closePool() ends the workers; the next parallel fit makes a new pool', async () => {
    await new GaussianMixture({ nComponents: 2, nInit: 2, workers: 2 }).fit(X)
    expect(poolThreads().length).toBeGreaterThan(0)
    await closePool()
    expect(poolThreads()).toEqual([])
    const gm = await new GaussianMixture({ nComponents: 2, nInit: 2, workers: 2 }).fit(X)
    expect(gm.converged).toBe(true)
  })

  it('a process that used the pool exits on its own, without close()', () => {
    const script = `
      import { GaussianMixture } from ${JSON.stringify(new URL('../../dist/src/node.js', import.meta.url).href)}
      import { faithfulRows } from ${JSON.stringify(new URL('../../dist/src/data/faithful.js', import.meta.url).href)}
      const gm = await new GaussianMixture({ nComponents: 2, nInit: 4, workers: 2 }).fit(faithfulRows())
      console.log(gm.fitResult.logLik)
    `
    const began = Date.now()
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20000 })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(Number(run.stdout.trim())).toBeLessThan(0)
    expect(Date.now() - began).toBeLessThan(10000)
  })

  it('validates the workers option', () => {
    expect(() => new GaussianMixture({ workers: 0 })).toThrow(/workers/)
    expect(() => new GaussianMixture({ workers: 'many' as never })).toThrow(/workers/)
    expect(new GaussianMixture().workers).toBe('auto')
  })
})
