/**
 * A fitted estimator keeps no kernel memory between calls: wasm memory is not
 * garbage-collected, so a service fitting in a loop must stay flat without any
 * dispose(). Measured in bytes of linear memory in use (exact, not time).
 */
import { describe, expect, it } from 'vitest'
import * as lib from '../../src/index.js'
import { GaussianMixture, loadKernels } from '../../src/index.js'
import { kernelMemoryInUse } from '../../src/kernels/index.js'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { makeRounds } from './memory/rounds.mjs'
import { median, runLoop } from './memory/child.mjs'
import { collectGarbage } from '../helpers/gc.js'


const rounds = makeRounds(lib)
const X = Array.from({ length: 12 }, (_, i) => [Math.sin(i) * 3 + (i % 2) * 5, Math.cos(i * 1.3) + (i % 3), ((i * 7) % 11) / 3])

describe('no kernel memory is kept after a fit', () => {
  it('the rounds cover every exported estimator, bootstrap, bootstrapLRT and selectModel', () => {
    const estimators = Object.entries(lib).filter(([, v]) => typeof v === 'function' && v.prototype instanceof lib.Estimator).map(([name]) => name)
    expect(estimators.length).toBeGreaterThanOrEqual(24)
    for (const name of [...estimators, 'bootstrap', 'bootstrapLRT', 'selectModel']) expect(Object.keys(rounds), name).toContain(name)
  })

  it('the soak (npm run soak:memory) runs one estimator alone in a child and prints its row', async () => {
    const soak = fileURLToPath(new URL('./memory/soak.mjs', import.meta.url))
    // 60 rounds are too few for the RSS verdict (the exit code): the row's rounds and wasm bytes are what is checked
    const out = await promisify(execFile)(process.execPath, [soak, '--only', 'bootstrap', '--rounds', '60', '--warm-up', '20', '--jobs', '1'])
      .then((r) => r.stdout, (e: { stdout?: string }) => e.stdout ?? '')
    const row = out.split('\n').find((l) => l.startsWith('| bootstrap |'))!.split('|').map((c) => c.trim())
    expect(row[2]).toBe('60')
    expect(row[4]).toBe(row[5]) // wasm bytes before and after the 60
    expect(row[3]).toBe(row[5]) // and as before the first round: the rounds keep nothing
  }, 60_000)

  for (const backend of ['wasm', 'wasm-scalar'] as const) {
    it(`every estimator, on ${backend}: memory in use is the same after 40 more rounds as after 5`, async () => {
      const kernels = await loadKernels(backend)
      for (const [name, round] of Object.entries(rounds)) {
        for (let s = 0; s < 5; s++) await round(s, backend)
        const before = kernelMemoryInUse(kernels)
        for (let s = 5; s < 45; s++) await round(s, backend)
        expect(kernelMemoryInUse(kernels), name).toBe(before)
      }
    }, 60_000) // 45 rounds of every estimator: over vitest's 5 s default on a loaded 2-core machine
  }

  /**
   * Memory in use once garbage is collected and the backing stores it let go of are freed
   * (V8 frees them on another thread after the collection: a reading straight after it
   * counted up to 8 MiB of array buffers the earlier tests had dropped, either side).
   */
  async function settledMemory(): Promise<NodeJS.MemoryUsage> {
    for (let i = 0; i < 3; i++) {
      collectGarbage()
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return process.memoryUsage()
  }

  it('10,000 GaussianMixture fits leave wasm memory, the JS heap and array buffers flat, with no dispose()', async () => {
    const kernels = await loadKernels('wasm')
    const fitOnce = (i: number) => new GaussianMixture({ nComponents: 2, seed: i, maxIter: 2 }).fit(X)
    for (let i = 0; i < 500; i++) await fitOnce(i)
    const memory = kernelMemoryInUse(kernels)
    const before = await settledMemory()
    for (let i = 500; i < 10_000; i++) await fitOnce(i)
    expect(kernelMemoryInUse(kernels)).toBe(memory)
    const after = await settledMemory()
    console.log(`[memory] after 9,500 more fits: RSS ${(before.rss / 2 ** 20).toFixed(1)} -> ${(after.rss / 2 ** 20).toFixed(1)} MiB, heap ${(before.heapUsed / 2 ** 20).toFixed(1)} -> ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB, array buffers ${(before.arrayBuffers / 2 ** 20).toFixed(1)} -> ${(after.arrayBuffers / 2 ** 20).toFixed(1)} MiB`)
    // what a fit could leak (wasm bytes above; JavaScript objects and array buffers here) stays
    // flat after a full collection; RSS is asserted below, in a process of its own.
    expect(after.heapUsed).toBeLessThan(before.heapUsed * 1.05)
    expect(after.arrayBuffers).toBeLessThan(before.arrayBuffers * 1.05 + 2 ** 20)
  }, 120_000)

  it('10,000 consecutive rounds of every estimator (bootstrap included) leave RSS flat, within 5%, in a process of their own', async () => {
    // cycling through every estimator (~300 rounds of each); npm run soak:memory runs
    // 10,000 of each one alone (test/estimators/memory/soak.mjs; its table in bench/README.md).
    // The child's heap sizes are fixed (child.mjs says why).
    const { before, after, fits, kernelBefore, kernelAfter } = await runLoop({ warmUp: 8000, fits: 10_000 })
    const mib = (v: number[]) => v.map((b) => (b / 2 ** 20).toFixed(1)).join(', ')
    console.log(`[memory] RSS after the warm-up: ${mib(before)} MiB; after ${fits} more rounds: ${mib(after)} MiB; wasm bytes in use ${kernelBefore} -> ${kernelAfter}`)
    expect(fits).toBe(10_000)
    expect(kernelAfter).toBe(kernelBefore)
    expect(median(after)).toBeLessThanOrEqual(median(before) * 1.05)
  }, 180_000)
})
