/**
 * A file of known size is parsed straight into kernel memory (cli/resident.ts) and the
 * Gaussian mixture's fit reads it there (Arena.lend) instead of copying it: the numbers
 * exist once. The rows, names and errors are readCsv's; the fits, labels and plots are
 * the bits of the JS path; the lent rows never become a copy in the fit's arena; and
 * views detached by memory.grow are never read (the matrix hands out a fresh view).
 */
import { describe, expect, it } from 'vitest'
import { readResident } from '../../src/cli/resident.js'
import { run, type CliIO } from '../../src/cli/run.js'
import type { Matrix } from '../../src/core/matrix.js'
import { markOwned, toMatrix } from '../../src/core/validate.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { GaussianMixture } from '../../src/index.js'
import { readCsv } from '../../src/io/csv.js'
import { loadKernels } from '../../src/kernels/index.js'
import { heaps, kernelMemoryInUse, reserveKernelMemory } from '../../src/kernels/wasm/memory-use.js'

const SEED = 11
console.log(`resident test seed ${SEED}`)

/** A CSV of `n` rows of 3 values from two clusters, R's text row names when `names`, some NA cells when `na`. */
function csv(n: number, names: boolean, na = false): string {
  const rng = new Rng(SEED)
  const lines = [names ? ',a,b,c' : 'a,b,c']
  for (let i = 0; i < n; i++) {
    const v = [0, 1, 2].map((j) => (na && i % 501 === 7 && j === 1 ? 'NA' : (rng.normal() + (i % 2) * (j + 2)).toFixed(3)))
    lines.push((names ? [`r${i}`, ...v] : v).join(','))
  }
  return lines.join('\n') + '\n'
}

/** The text in pieces of `size` characters, as a file stream gives it. */
async function* pieces(text: string, size = 16384): AsyncGenerator<string> {
  for (let p = 0; p < text.length; p += size) yield text.slice(p, p + size)
}

describe('a CSV read into kernel memory', () => {
  it('gives readCsv\'s rows, columns and row names, blocks apart and moved to a larger buffer when the size was underestimated', async () => {
    const kernels = await loadKernels('wasm')
    for (const [text, hint] of [[csv(20000, true), 1], [csv(20000, false, true), undefined], [csv(300, true), undefined]] as const) {
      const options = { missing: 'nan', rowNames: 'auto' } as const
      const want = await readCsv(text, options)
      // hint 1: the file "should" hold one row: the buffer moves twice as the rows arrive
      const got = await readResident(pieces(text), options, hint ?? text.length, kernels)
      try {
        expect([got.data.rows, got.data.cols]).toEqual([want.matrix.rows, want.matrix.cols])
        expect(Object.is(got.data.data[0], want.matrix.data[0])).toBe(true)
        expect(Array.from(got.data.data)).toEqual(Array.from(want.matrix.data))
        expect(got.columns).toEqual(want.columns)
        expect(got.rowNames).toEqual(want.rowNames)
        expect(got.hasRowNames).toBe(want.hasRowNames)
        // in the backend's memory
        expect(got.data.data.buffer).toBe(heaps.get(kernels)!.memory.buffer)
      } finally {
        got.release()
      }
    }
  })

  it('gives readCsv\'s errors (the first bad value; a header without rows)', async () => {
    const kernels = await loadKernels('wasm')
    const options = { missing: 'nan', rowNames: 'auto' } as const
    for (const text of ['a,b\n1,2\n3,x\n', 'a,b\n', 'a,b\n1,2\n3\n']) {
      const want = await readCsv(text, options).then(() => null, (e: Error) => e)
      const got = await readResident(pieces(text, 3), options, text.length, kernels).then(() => null, (e: Error) => e)
      expect(want).not.toBeNull()
      expect(got?.message).toBe(want!.message)
      expect((got as { code?: string }).code).toBe((want as { code?: string }).code)
    }
  })

  it('hands out a fresh view after memory.grow; the fit reads the rows in place and gives the bits of a copy', async () => {
    const kernels = await loadKernels('wasm')
    const text = csv(5000, false)
    const got = await readResident(pieces(text), { missing: 'nan' }, text.length, kernels)
    try {
      const before = got.data.data
      // more than every free byte: the heap must grow the memory
      reserveKernelMemory(kernels, heaps.get(kernels)!.freeBytes() + (1 << 20))
      expect(before.length).toBe(0) // detached
      const after = got.data.data
      expect(after.length).toBe(5000 * 3)
      // toMatrix keeps the owned matrix itself (its getter), not an object over today's view
      expect(toMatrix(got.data)).toBe(got.data)
      const copy = { rows: 5000, cols: 3, data: Float64Array.from(after) }
      const used: number[] = [], copied: number[] = []
      const fit = (X: Matrix, seen: number[]) => new GaussianMixture({ nComponents: 2, seed: 3, maxIter: 5, nInit: 2 })
        .fit(X, { onIteration: () => { seen.push(kernelMemoryInUse(kernels)) } })
      const a = await fit(got.data, used)
      const b = await fit(copy, copied)
      expect(a.history).toEqual(b.history)
      expect(a.means).toEqual(b.means)
      // lent, not copied: the fit's arena holds no second n x d
      expect(Math.max(...copied) - Math.max(...used)).toBeGreaterThanOrEqual(5000 * 3 * 8)
      expect(Array.from(got.data.data)).toEqual(Array.from(copy.data)) // never written
    } finally {
      got.release()
    }
  })

  it('a matrix marked owned is kept as given by toMatrix (no new object over its array)', () => {
    const m = markOwned({ rows: 2, cols: 1, data: Float64Array.from([1, 2]) })
    expect(toMatrix(m)).toBe(m)
    const given = { rows: 2, cols: 1, data: Float64Array.from([1, 2]) }
    expect(toMatrix(given)).not.toBe(given)
  })
})

describe('emkit on a file read into kernel memory', () => {
  function fakeIO(files: Record<string, string>, sized: boolean) {
    const out: string[] = [], err: string[] = [], written: Record<string, string> = {}
    const io: CliIO = {
      stdout: (t) => { out.push(t) },
      stderr: (t) => { err.push(t) },
      readFile: (p) => pieces(files[p]!),
      writeFile: (p, t) => { written[p] = t },
      ...(sized ? { fileSize: (p: string) => files[p]!.length } : {}),
    }
    return { io, out: () => out.join(''), err: () => err.join(''), written }
  }

  it('fits, labels, plots, saves and predicts as from the JS array (a file of unknown size), and frees the rows after', async () => {
    const kernels = await loadKernels('wasm')
    const files = { 'd.csv': csv(20000, true, true), 'h.csv': csv(20000, true) }
    const before = kernelMemoryInUse(kernels)
    const outputs = []
    for (const sized of [true, false]) {
      const f = fakeIO(files, sized)
      expect(await run(['fit', 'd.csv', '--k', '1-2', '--max-iter', '5', '--n-init', '2', '--quiet', '--labels', 'l.csv', '--svg', 'p.svg', '--save', 'm.json'], f.io), f.err()).toBe(0)
      const g = fakeIO({ ...files, 'm.json': f.written['m.json']! }, sized)
      expect(await run(['fit', 'd.csv', '--model', 'm.json', '--predict', '--quiet', '--labels', 'l2.csv'], g.io), g.err()).toBe(0)
      const h = fakeIO(files, sized)
      expect(await run(['hmm', 'h.csv', '--k', '2', '--max-iter', '3', '--n-init', '1', '--quiet', '--labels', 'h.csv'], h.io), h.err()).toBe(0)
      // the saved model's timings aside
      const written = Object.fromEntries(Object.entries(f.written).map(([k, v]) => [k, v.replace(/"timeMs":[\d.e-]+/g, '"timeMs":0')]))
      outputs.push({ out: f.out(), written, predicted: g.written['l2.csv'], hmm: [h.out(), h.written['h.csv']] })
    }
    expect(outputs[0]).toEqual(outputs[1])
    expect(outputs[0]!.out).toMatch(/20000 rows x 3 columns: a, b, c\), 40 missing values, row names skipped/)
    expect(outputs[0]!.written['l.csv']!.split('\n')[1]).toMatch(/^r0,/)
    expect(kernelMemoryInUse(kernels)).toBe(before)
  }, 60000)
})
