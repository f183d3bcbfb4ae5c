/**
 * The command's parsed file is checked but not copied (markOwned); a caller's data
 * is always copied, so changing it during a fit cannot reach the fit.
 */
import { describe, expect, it } from 'vitest'
import { markOwned, toMatrix } from '../../src/core/validate.js'
import { GaussianMixture, faithfulRows } from '../../src/index.js'

const flat = () => {
  const rows = faithfulRows()
  return { rows: rows.length, cols: 2, data: Float64Array.from(rows.flat()) }
}

describe('data emkit owns', () => {
  it('is checked without a copy; anything else is copied', () => {
    const owned = markOwned(flat())
    const given = flat()
    expect(toMatrix(owned).data).toBe(owned.data)
    expect(toMatrix(given).data).not.toBe(given.data)
    expect(toMatrix(given).data).toEqual(given.data)
  })

  it('is still checked (a non-finite value is refused)', () => {
    const owned = markOwned(flat())
    owned.data[7] = Infinity
    expect(() => toMatrix(owned)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }))
  })

  it('fits exactly as a copy does', async () => {
    const a = await new GaussianMixture({ nComponents: 2, seed: 3 }).fit(markOwned(flat()))
    const b = await new GaussianMixture({ nComponents: 2, seed: 3 }).fit(flat())
    expect(a.history).toEqual(b.history)
  })
})
