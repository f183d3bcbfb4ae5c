/**
 * A fitted estimator keeps no kernel memory between calls: wasm memory is not
 * garbage-collected, so a service fitting in a loop must stay flat without any
 * dispose(). Measured in bytes of linear memory in use (exact, not time).
 */
import { describe, expect, it } from 'vitest'
import * as lib from '../../src/index.js'
import { GaussianMixture, loadKernels } from '../../src/index.js'
import { kernelMemoryInUse } from '../../src/kernels/index.js'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { makeRounds } from './memory/rounds.mjs'

// A full garbage collection before each reading, so RSS compares live memory, not garbage not yet collected.
setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as () => void

const rounds = makeRounds(lib)
const X = Array.from({ length: 12 }, (_, i) => [Math.sin(i) * 3 + (i % 2) * 5, Math.cos(i * 1.3) + (i % 3), ((i * 7) % 11) / 3])

describe('no kernel memory is kept after a fit', () => {
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

  it('10,000 GaussianMixture fits leave wasm memory, the JS heap and array buffers flat, with no dispose()', async () => {
    const kernels = await loadKernels('wasm')
    const fitOnce = (i: number) => new GaussianMixture({ nComponents: 2, seed: i, maxIter: 2 }).fit(X)
    for (let i = 0; i < 500; i++) await fitOnce(i)
    const memory = kernelMemoryInUse(kernels)
    collect()
    const before = process.memoryUsage()
    for (let i = 500; i < 10_000; i++) await fitOnce(i)
    expect(kernelMemoryInUse(kernels)).toBe(memory)
    collect()
    const after = process.memoryUsage()
    console.log(`[memory] after 9,500 more fits: RSS ${(before.rss / 2 ** 20).toFixed(1)} -> ${(after.rss / 2 ** 20).toFixed(1)} MiB, heap ${(before.heapUsed / 2 ** 20).toFixed(1)} -> ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB, array buffers ${(before.arrayBuffers / 2 ** 20).toFixed(1)} -> ${(after.arrayBuffers / 2 ** 20).toFixed(1)} MiB`)
    // what a fit could leak (wasm bytes above; JavaScript objects and array buffers here) stays
    // flat after a full collection; RSS is asserted below, in a process of its own.
    expect(after.heapUsed).toBeLessThan(before.heapUsed * 1.05)
    expect(after.arrayBuffers).toBeLessThan(before.arrayBuffers * 1.05 + 2 ** 20)
  }, 120_000)

  it('10,000 consecutive rounds of every estimator (bootstrap included) leave RSS flat, within 5%, in a process of their own', async () => {
    // The child's heap sizes are fixed (young generation 4 MiB, old generation capped at
    // 32 MiB, collections on one thread, one malloc arena): otherwise V8 grows its heap
    // capacity under allocation pressure and keeps it (RSS +30% with 7 MiB of live
    // objects), which says nothing about what a fit keeps.
    const script = fileURLToPath(new URL('./memory/rss-loop.mjs', import.meta.url))
    const flags = ['--expose-gc', '--single-threaded-gc', '--max-semi-space-size=4', '--max-old-space-size=32']
    const { stdout } = await promisify(execFile)(process.execPath, [...flags, script, '8000', '10000'], { env: { ...process.env, MALLOC_ARENA_MAX: '1' } })
    const { before, after, fits } = JSON.parse(stdout) as { before: number[]; after: number[]; fits: number }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[1]!
    const mib = (v: number[]) => v.map((b) => (b / 2 ** 20).toFixed(1)).join(', ')
    console.log(`[memory] RSS after the warm-up: ${mib(before)} MiB; after ${fits} more rounds: ${mib(after)} MiB`)
    expect(fits).toBe(10_000)
    expect(median(after)).toBeLessThanOrEqual(median(before) * 1.05)
  }, 180_000)
})
