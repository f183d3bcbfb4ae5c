/**
 * The labels' numbers: labels.ts's num writes String(Number(v.toPrecision(15))) without
 * going through String(number) (whose cache of strings promoted a large file's labels to
 * V8's old generation: test/cli/memory.test.ts); the text must not change.
 */
import { describe, expect, it } from 'vitest'
import { num, rowsInOrder } from '../../src/cli/labels.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

const before = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(15))) : 'NA')

describe('labels: num', () => {
  it('writes what String(Number(v.toPrecision(15))) writes, edges included', () => {
    const edges = [0, -0, 1, -1, 0.5, 1e-6, 9.999999999999999e-7, 1e-7, 5e-7, 1e-300, 5e-324, -5e-324, 2.2250738585072014e-308, 2.225073858507201e-308,
      1e14, 99999999999999.99, 999999999999999.9, 1e15, 1.5e20, 1e21, 123456789012345680, 0.1 + 0.2, 1 - 1e-16, 1e-15, Number.MAX_VALUE, -Number.MAX_VALUE, 1e308, 1.0000000000000002e308,
      NaN, Infinity, -Infinity]
    for (const v of edges) expect(num(v), String(v)).toBe(before(v))
  })

  it('on 200,000 random probabilities and values of every magnitude (seed 5)', () => {
    const rng = new Rng(5)
    for (let i = 0; i < 50000; i++) {
      const r = rng.uniform()
      for (const v of [r, 1 - r, r * 10 ** Math.floor(rng.uniform() * 60 - 40), -r * 10 ** Math.floor(rng.uniform() * 640 - 320)]) {
        if (num(v) !== before(v)) expect(num(v), String(v)).toBe(before(v))
      }
    }
  })
})

describe('labels: rowsInOrder', () => {
  it('gives rows start..end of a matrix read a block at a time: a view within a block, a copy across blocks; the blocks read once', () => {
    const cols = 2, cuts = [0, 3, 8, 10]
    const flat = Float64Array.from({ length: 10 * cols }, (_, p) => p + 0.5)
    let reads = 0
    const rows = rowsInOrder({
      rows: 10, cols,
      blocks: { *[Symbol.iterator]() {
        reads++
        for (let b = 0; b + 1 < cuts.length; b++) {
          // each block in a buffer that the next block overwrites, as kernel memory is
          const scratch = new Float64Array(flat.subarray(cuts[b]! * cols, cuts[b + 1]! * cols))
          yield { start: cuts[b]!, rows: cuts[b + 1]! - cuts[b]!, data: scratch }
          scratch.fill(NaN)
        }
      } },
    })
    for (const [start, end] of [[0, 2], [2, 4], [4, 8], [8, 9], [9, 10]]) expect(Array.from(rows(start!, end!)), `${start}..${end}`).toEqual(Array.from(flat.subarray(start! * cols, end! * cols)))
    expect(reads).toBe(1)
    expect(() => rowsInOrder({ rows: 4, cols, blocks: [] })(0, 1)).toThrow(/blocks of posteriors end at row 0 of 4/)
  })
})
