/**
 * The binary statistics format (src/runtime/statistics.ts) reads the same values
 * whether the buffer's f64 part is 8-byte aligned or not (a Uint8Array at an odd
 * offset, as a buffer cut out of a larger message is), encodes what it decodes, and
 * merges blocks in block order whatever the order of the buffers.
 */
import { describe, expect, it } from 'vitest'
import { decodeStatistics } from '../../src/runtime/statistics.js'
import { encodeStatistics, mergeStatistics } from '../../src/runtime/statistics-write.js'

describe('statistics format', () => {
  const blocks = [0, 1, 2].map((index) => ({ index, rows: 10 + index, totalWeight: 9.5 + index, logLik: -3.25 * (index + 1), stats: Float64Array.from({ length: 7 }, (_, i) => Math.sin(index * 7 + i) * 1e3) }))
  const buffer = encodeStatistics({ fingerprint: 123456789, merged: false, blocks })

  it('round-trips, aligned or not', () => {
    const aligned = decodeStatistics(buffer)
    expect(aligned).toEqual({ fingerprint: 123456789, merged: false, blocks })
    const host = new Uint8Array(buffer.byteLength + 3)
    host.set(buffer, 3)
    const unaligned = decodeStatistics(host.subarray(3))
    expect(unaligned).toEqual(aligned)
    expect(encodeStatistics(unaligned)).toEqual(buffer)
  })

  it('merges the blocks of buffers given in any order to the same bits', () => {
    const a = encodeStatistics({ fingerprint: 1, merged: false, blocks: [blocks[2]!, blocks[0]!] })
    const b = encodeStatistics({ fingerprint: 1, merged: false, blocks: [blocks[1]!] })
    expect(mergeStatistics([b, a])).toEqual(mergeStatistics([a, b]))
    const sum = decodeStatistics(mergeStatistics([a, b])).blocks[0]!
    expect(sum.rows).toBe(33)
    expect(sum.stats[3]).toBe(blocks[0]!.stats[3]! + blocks[1]!.stats[3]! + blocks[2]!.stats[3]!)
  })
})
