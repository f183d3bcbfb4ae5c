/**
 * Factor rotations against R (rotation_R.json, script in fixtures/scripts):
 * stats::varimax and stats::promax loadings and rotation matrices to 1e-8 (measured
 * far closer), quartimax against the same orthomax iteration with gamma 0.
 */
import { describe, expect, it } from 'vitest'
import { orthomax, promax } from '../../src/core/math/rotation.js'
import ref from '../fixtures/rotation_R.json' with { type: 'json' }

const flat = (rows: number[][]): Float64Array => Float64Array.from(rows.flat())
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!))
  return m
}

describe('rotations against R', () => {
  for (const [name, c] of Object.entries(ref.cases)) {
    const d = c.input.length, q = c.input[0]!.length
    const input = flat(c.input)
    for (const [method, rotate] of [
      ['varimax', () => orthomax(input, d, q, 1)],
      ['quartimax', () => orthomax(input, d, q, 0)],
      ['promax', () => promax(input, d, q)],
    ] as const) {
      it(`${name}: ${method} loadings and rotation within 1e-8 of R's`, () => {
        const before = Float64Array.from(input)
        const got = rotate()
        const want = c[method]
        const err = Math.max(maxDiff(got.loadings, flat(want.loadings)), maxDiff(got.rotation, flat(want.rotmat)))
        console.log(`[rotation] ${name} ${method}: largest difference from R ${err.toExponential(2)}`)
        expect(err).toBeLessThan(1e-8)
        expect(input).toEqual(before)
      })
    }
  }
})
