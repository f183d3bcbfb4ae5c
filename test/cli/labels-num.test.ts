/**
 * The labels' numbers: labels.ts's num writes String(Number(v.toPrecision(15))) without
 * going through String(number) (whose cache of strings promoted a large file's labels to
 * V8's old generation: test/cli/memory.test.ts); the text must not change.
 */
import { describe, expect, it } from 'vitest'
import { num } from '../../src/cli/labels.js'
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
