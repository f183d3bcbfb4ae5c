/**
 * A sharded fit's shared copy with its scan made by the workers behind the copy
 * (parallel/shared-copy.ts, the pool's shareAhead): the same values as the caller's,
 * and recorded as the one-pass scan records them, whether the workers scan their parts
 * (a running pool), the calling thread does (no helper, a helper that never comes), or
 * they split them; rows with a NaN or an infinity are not recorded (their checks take
 * their own passes, as before).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { closePool, GaussianMixture } from '../../src/node.js'
import { shareAhead } from '../../src/parallel/pool.js'
import { type CopyHelp, dropSpareCopy, helpCopy, scannedSharedCopy } from '../../src/parallel/shared-copy.js'
import { spawnSync } from 'node:child_process'
import { checkFitScale, knownComplete, scanRows } from '../../src/core/validate.js'
import { hasMissing } from '../../src/models/gmm/missing.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { collectGarbage } from '../helpers/gc.js'

const SEED = 20261204
console.log(`shared-copy test data seed ${SEED}`)

/** rows x cols values of a seeded generator (rows not a multiple of the copy's step). */
function matrix(rows: number, cols: number, seed = SEED) {
  const rng = new Rng(seed)
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => 3 * rng.normal() + 1) }
}

/** The same values, bit for bit (toEqual walks large typed arrays slowly). */
function same(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
}

afterAll(async () => {
  await closePool()
})

describe('scannedSharedCopy', () => {
  it('copies into shared memory and records the scan when no helper comes (this thread scans every part)', () => {
    const m = matrix(100_003, 3)
    const copy = scannedSharedCopy(m, 2, () => {})
    expect(copy.data.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(same(copy.data, m.data)).toBe(true)
    expect(copy.data).not.toBe(m.data)
    expect(knownComplete(copy)).toBe(true)
    expect(hasMissing(copy)).toBe(false)
    expect(() => checkFitScale(copy)).not.toThrow()
  })

  it('takes the result of a helper on another thread that scans behind the copy', async () => {
    const { Worker } = await import('node:worker_threads')
    const module = new URL('../../dist/src/parallel/shared-copy.js', import.meta.url).href
    const worker = new Worker(`const { parentPort } = require('node:worker_threads'); import(${JSON.stringify(module)}).then(({ helpCopy }) => { parentPort.on('message', (h) => { helpCopy(h); parentPort.postMessage('done') }); parentPort.postMessage('ready') })`, { eval: true })
    try {
      await new Promise((resolve) => worker.once('message', resolve))
      const m = matrix(600_001, 4)
      let helps: CopyHelp[] = []
      const done = new Promise((resolve) => worker.once('message', resolve))
      // part 1 to the helper (it waits for the copy to pass its rows), part 0 left to this thread
      const copy = scannedSharedCopy(m, 2, (h) => {
        helps = h
        worker.postMessage(h[1])
        // the copy begins once the helper has claimed its part (sync[1 + part] leaves 0), so the test does not race it
        const t = performance.now()
        while (Atomics.load(h[1]!.sync, 2) === 0 && performance.now() - t < 10_000) Atomics.wait(h[1]!.sync, 2, 0, 10)
      })
      await done
      expect(same(copy.data, m.data)).toBe(true)
      expect(knownComplete(copy)).toBe(true)
      const [from, to] = helps[1]!.entries
      expect([from, to]).toEqual([300_000 * 4, 600_001 * 4])
      // the helper's sums are there (the part it claimed), in one pass's bits over its rows
      const { squares, lo, hi } = scanRows(m.data, 4, from, to)
      expect(Array.from(helps[1]!.out.subarray(12, 24))).toEqual([...squares, ...lo, ...hi])
      // a helper arriving after the copy finds its part taken and changes nothing
      const before = Float64Array.from(helps[0]!.out)
      helpCopy(helps[0]!)
      expect(helps[0]!.out).toEqual(before)
    } finally {
      await worker.terminate()
    }
  })

  it('does not record rows with a NaN or an infinity, and leaves data that are not whole rows to validation', () => {
    for (const bad of [NaN, Infinity]) {
      const m = matrix(1000, 2)
      m.data[1501] = bad
      const copy = scannedSharedCopy(m, 2, () => {})
      expect(same(copy.data, m.data)).toBe(true)
      expect(knownComplete(copy)).toBe(false)
    }
    const ragged = { rows: 3, cols: 2, data: Float64Array.of(1, 2, 3, 4, 5) }
    const copy = scannedSharedCopy(ragged, 2, () => {})
    expect(Array.from(copy.data)).toEqual([1, 2, 3, 4, 5])
    expect(knownComplete(copy)).toBe(false)
  })
})

describe('shareAhead on the pool', () => {
  it('the workers scan behind the copy: the same values, recorded, and the next sharded fit is the same as without', async () => {
    const X = matrix(3 * 65_536 + 77, 3, SEED + 1)
    const reference = await new GaussianMixture({ nComponents: 3, seed: 5, maxIter: 4, tol: 0 }).fit(X, { workers: 2 })
    for (let round = 0; round < 3; round++) {
      const copy = shareAhead(X, 2, 1 << 20, 'wasm') // the pool of 2 is running: its workers take their parts
      expect(same(copy.data, X.data)).toBe(true)
      expect(knownComplete(copy)).toBe(true)
      expect(() => checkFitScale(copy)).not.toThrow()
    }
    const m = matrix(200_000, 2, SEED + 2)
    m.data[123_457] = NaN
    expect(knownComplete(shareAhead(m, 2, 0, 'wasm'))).toBe(false)
    const again = await new GaussianMixture({ nComponents: 3, seed: 5, maxIter: 4, tol: 0 }).fit(X, { workers: 2 })
    expect(again.means).toEqual(reference.means)
    expect(again.history).toEqual(reference.history)
  }, 60_000)
})

describe('a sharded fit reads the caller\'s rows before its first await', () => {
  // a fresh process whose first statement after importing the Node entry is the fit: no
  // await between them in which a lazily imported module could settle
  const changeAfterFit = (entry: string) => `
    import { closePool, GaussianMixture } from ${JSON.stringify(new URL(entry, import.meta.url).href)}
    const rows = 2 * 65_536 + 5, cols = 3
    let s = 7
    const values = Float64Array.from({ length: rows * cols }, () => ((s = (s * 48271) % 2147483647) / 2147483647) * 6 - 3)
    const options = { nComponents: 2, seed: 9, maxIter: 3, tol: 0 }
    const mine = { rows, cols, data: values.slice() }
    const fitting = new GaussianMixture(options).fit(mine, { workers: 2 })
    mine.data.fill(1e6)
    const gm = await fitting
    const reference = await new GaussianMixture(options).fit({ rows, cols, data: values }, { workers: 2 })
    console.log(JSON.stringify({ same: JSON.stringify([gm.means, gm.history]) === JSON.stringify([reference.means, reference.history]) }))
    await closePool()`

  it.each(['../../dist/src/node.js', '../../dist/emkit.node.js'])('a change to X right after fit() returns its promise does not reach the fit (%s, in a new process)', (entry) => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', changeAfterFit(entry)], { encoding: 'utf8', timeout: 60_000 })
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual({ same: true })
  }, 70_000)
})

/** Whether two buffers are the same memory: a byte written through one is read through the other (restored after). */
function sameMemory(a: ArrayBufferLike, b: ArrayBufferLike): boolean {
  if (a.byteLength !== b.byteLength) return false
  const x = new Uint8Array(a), y = new Uint8Array(b)
  const was = x[0]!
  x[0] = was ^ 0xff
  const shared = y[0] === x[0]
  x[0] = was
  return shared
}

/** Collect until `done` (the registry's callbacks run as tasks after a collection), at most 20 times. */
async function collectUntil(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 20 && !done(); i++) {
    collectGarbage() // the kept copy is a collected array's memory
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return done()
}

describe('the memory of a collected shared copy', () => {
  it('goes to the next copy of the same size once the copy\'s array is collected, never while it lives', async () => {
    dropSpareCopy()
    const m = matrix(50_001, 3)
    let first: { data: Float64Array } | null = scannedSharedCopy(m, 2, () => {})
    const memory = structuredClone(first.data.buffer) // another handle on the memory: holding the buffer object itself would keep it from collection
    // the first copy alive: fresh memory
    const second = scannedSharedCopy(m, 2, () => {})
    expect(sameMemory(second.data.buffer, memory)).toBe(false)
    first = null
    await collectUntil(() => false)
    const third = scannedSharedCopy(m, 2, () => {})
    // the first copy's memory (another handle on it: written through one, read through the other)
    expect(sameMemory(third.data.buffer, memory)).toBe(true)
    // every value written again, and the scan recorded as for fresh memory
    expect(same(third.data, m.data)).toBe(true)
    expect(knownComplete(third)).toBe(true)
    expect(sameMemory(second.data.buffer, third.data.buffer)).toBe(false)
  })

  it('is not given to a copy of another size, and closePool drops it and every copy made before it', async () => {
    dropSpareCopy()
    const m = matrix(30_000, 2)
    let kept: { data: Float64Array } | null = scannedSharedCopy(m, 1, () => {})
    const memory = structuredClone(kept.data.buffer)
    kept = null
    await collectUntil(() => false)
    // smaller: memory large enough for it is still not given (a copy's memory is exactly its size)
    const other = scannedSharedCopy(matrix(29_999, 2), 1, () => {})
    expect(sameMemory(other.data.buffer, memory)).toBe(false)
    // the size matched no longer: the other size's request dropped it
    expect(sameMemory(scannedSharedCopy(m, 1, () => {}).data.buffer, memory)).toBe(false)
    // a copy made before closePool is not kept, even when it is collected after it
    let again: { data: Float64Array } | null = scannedSharedCopy(m, 1, () => {})
    const second = structuredClone(again.data.buffer)
    again = null
    await closePool()
    await collectUntil(() => false)
    expect(sameMemory(scannedSharedCopy(m, 1, () => {}).data.buffer, second)).toBe(false)
    // and one made after it is kept as before
    let after: { data: Float64Array } | null = scannedSharedCopy(m, 1, () => {})
    const third = structuredClone(after.data.buffer)
    after = null
    await collectUntil(() => false)
    expect(sameMemory(scannedSharedCopy(m, 1, () => {}).data.buffer, third)).toBe(true)
  })
})
