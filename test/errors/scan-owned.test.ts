/**
 * scanOwned: the one pass over a sharded fit's own copy of X that stands for the checks
 * a fit makes (finite entries, no NaN, the columns' scale). A clean matrix is recorded
 * and skips the later passes; anything unusual is not recorded, so each check takes its
 * own pass and reports exactly what it reports without the scan.
 */
import { describe, expect, it } from 'vitest'
import { checkFitScale, knownComplete, markComplete, markOwned, MAX_FIT_SQUARES, ownedRows, recordScans, scanOwned, scanRows, toMatrix } from '../../src/core/validate.js'
import { hasMissing } from '../../src/models/gmm/missing.js'
import type { Matrix } from '../../src/core/matrix.js'
import { shardTasks } from '../../src/estimators/shard.js'
import { SHARD_BLOCK_ROWS } from '../../src/runtime/statistics.js'

const owned = (values: number[], cols: number): Matrix => markOwned({ rows: values.length / cols, cols, data: Float64Array.from(values) })

function thrown(f: () => void): unknown {
  try {
    f()
  } catch (e) {
    return e
  }
  return null
}

describe('scanOwned', () => {
  it('records a clean owned matrix: complete, no missing values, the scale checks pass without a pass', () => {
    const m = scanOwned(owned([1, 2, 3, 4, 5, 6], 2))
    expect(knownComplete(m)).toBe(true)
    expect(hasMissing(m)).toBe(false)
    expect(() => checkFitScale(m)).not.toThrow()
    expect(toMatrix(m).data).toBe(m.data) // owned: checked, not copied
  })

  it('keeps what it found of rows viewed afresh after their memory moved (ownedRows), and reads the getter once per check', () => {
    // two arrays of the same values stand for kernel memory before and after memory.grow
    let whole = Float64Array.of(9, 9, 1, 2, 3, 4, 5, 6)
    const m = ownedRows(() => whole, 1, 3, 2)
    scanOwned(m)
    const before = m.data
    expect(knownComplete(m)).toBe(true)
    whole = whole.slice()
    expect(m.data).not.toBe(before)
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6])
    expect(knownComplete(m)).toBe(true)
    // data with a NaN: hasMissing's own pass reads the view once, not once per entry
    let reads = 0
    const values = Float64Array.of(1, 2, NaN, 4)
    const counted = { rows: 2, cols: 2, get data() { reads++; return values } }
    expect(hasMissing(counted)).toBe(true)
    expect(reads).toBeLessThanOrEqual(3)
  })

  it('is what toMatrix does with an owned matrix: its later checks read the record', () => {
    const m = owned([1, 2, 3, 4], 2)
    expect(knownComplete(m)).toBe(false)
    expect(toMatrix(m)).toBe(m)
    expect(knownComplete(m)).toBe(true)
    // with a NaN nothing is recorded, and the missing-value check looks for itself
    const gap = owned([1, NaN, 3, 4], 2)
    expect(toMatrix(gap, 'X', { allowMissing: true })).toBe(gap)
    expect(knownComplete(gap)).toBe(false)
    expect(hasMissing(gap)).toBe(true)
  })

  it('records nothing for data it does not own, or with a NaN, an infinity or squares that overflow', () => {
    const notOwned = { rows: 2, cols: 1, data: Float64Array.of(1, 2) }
    expect(knownComplete(scanOwned(notOwned))).toBe(false)
    for (const bad of [[1, NaN, 3, 4], [1, Infinity, 3, 4], [1, 1e300, 3, 1e300]]) {
      expect(knownComplete(scanOwned(owned(bad, 2)))).toBe(false)
    }
    expect(hasMissing(scanOwned(owned([1, NaN, 3, 4], 2)))).toBe(true)
  })

  it('leaves the errors as they were: the same code and message with the scan and without', () => {
    const cases: [number[], () => (m: Matrix) => void][] = [
      [[1, 2, Infinity, 4, -Infinity, 6], () => (m) => toMatrix(m)],
      [[1, 2, 3, NaN, 5, 6], () => (m) => toMatrix(m)],
      [[1, 1e160, 2, 1e160, 3, 1e160], () => (m) => checkFitScale(m)],
      [[1, 2 ** -510, 1, 2 ** -511, 1, 0], () => (m) => checkFitScale(m)],
    ]
    for (const [values, check] of cases) {
      const plain = thrown(() => check()(owned(values, 2)))
      const scanned = thrown(() => check()(scanOwned(owned(values, 2))))
      expect(plain).not.toBeNull()
      expect(scanned).toEqual(plain)
      expect((scanned as Error).message).toBe((plain as Error).message)
    }
  })

  it('a column too narrow to square is found on the scanned path too (its squares are finite)', () => {
    const m = scanOwned(owned([1, 2 ** -510, 1, 2 ** -511, 1, 0], 2))
    expect(knownComplete(m)).toBe(true)
    expect(() => checkFitScale(m)).toThrow(/values too small/)
  })

  it('markComplete vouches for a view (a shard of scanned rows) without a pass', () => {
    const view = { rows: 1, cols: 2, data: Float64Array.of(1, 2) }
    expect(knownComplete(view)).toBe(false)
    expect(hasMissing(markComplete(view))).toBe(false)
  })

  it('scanRows goes on from the rows before: parts scanned in turn give one pass\'s bits', () => {
    const values = Array.from({ length: 3 * 1001 }, (_, i) => Math.sin(i) * 1e3 + i / 7)
    const data = Float64Array.from(values)
    const whole = scanRows(data, 3, 0, data.length)
    const parts = scanRows(data, 3, 999 * 3, data.length, scanRows(data, 3, 0, 999 * 3))
    expect(parts).toEqual(whole)
  })

  it('recordScans records parts scanned apart as scanOwned would, when their order cannot change a check', () => {
    const values = Array.from({ length: 2 * 500 }, (_, i) => Math.cos(i) * 10)
    const m = owned(values, 2)
    const parts = [scanRows(m.data, 2, 0, 2 * 200), scanRows(m.data, 2, 2 * 200, 2 * 500)]
    expect(knownComplete(recordScans(m, parts))).toBe(true)
    expect(hasMissing(m)).toBe(false)
    expect(() => checkFitScale(m)).not.toThrow()
    // a NaN, an infinity, or squares past half the limit: nothing recorded, the checks take their own passes
    const bigValue = Math.sqrt(MAX_FIT_SQUARES / 4) // three of them: past half the limit, within it
    for (const bad of [[1, NaN, 3, 4], [1, Infinity, 3, 4], [bigValue, 1, bigValue, 1, bigValue, 1]]) {
      const b = owned(bad, 2)
      expect(knownComplete(recordScans(b, [scanRows(b.data, 2, 0, 2), scanRows(b.data, 2, 2, bad.length)]))).toBe(false)
    }
    const within = owned([bigValue, 1, bigValue, 1, bigValue, 1], 2)
    expect(() => checkFitScale(within)).not.toThrow() // the check's own pass: as without the parts
    const notOwned = { rows: 2, cols: 1, data: Float64Array.of(1, 2) }
    expect(knownComplete(recordScans(notOwned, [scanRows(notOwned.data, 1, 0, 2)]))).toBe(false)
  })

  it('a sharded fit\'s tasks carry what the scan found: complete (and marked) shards of scanned rows, nothing for rows not scanned', () => {
    const n = 2 * SHARD_BLOCK_ROWS + 1 // three blocks: two shards
    const values = Array.from({ length: 2 * n }, (_, i) => i % 7)
    const spec = { kind: 'GaussianMixture', options: {} }
    const scanned = shardTasks(spec, { X: scanOwned(owned(values, 2)) }, 2)
    expect(scanned.length).toBe(2)
    for (const t of scanned) {
      expect(t.complete).toBe(true)
      expect(knownComplete(t.data.X)).toBe(true)
    }
    for (const t of shardTasks(spec, { X: owned(values, 2) }, 2)) {
      expect(t.complete).toBeUndefined()
      expect(knownComplete(t.data.X)).toBe(false)
    }
  })
})
