import { describe, expect, it } from 'vitest'
import { missingPatterns } from '../../src/models/common/missing-patterns.js'

describe('missingPatterns', () => {
  it('groups rows by which entries are NaN: patterns in order of first appearance, rows in data order, each row its pattern', () => {
    const N = NaN
    const x = Float64Array.from([1, 2, 3, N, 5, 6, 7, 8, 9, N, N, N, 1, N, 3, 4, 5, 6].slice(0, 18))
    // rows: [1,2,3] [N,5,6] [7,8,9] [N,N,N] [1,N,3] [4,5,6]
    const { patterns, patternOf } = missingPatterns(x, 6, 3)
    expect(patterns.map((p) => [Array.from(p.observed), Array.from(p.missing), Array.from(p.rows)])).toEqual([
      [[0, 1, 2], [], [0, 2, 5]],
      [[1, 2], [0], [1]],
      [[], [0, 1, 2], [3]],
      [[0, 2], [1], [4]],
    ])
    expect(Array.from(patternOf)).toEqual([0, 1, 0, 2, 3, 0])
  })
})
