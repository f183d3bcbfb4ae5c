/**
 * The --labels CSV, as mclust reports a classification: each row's name (or number
 * from 1), its label (from 1), the probability of each component or state, and the
 * uncertainty 1 - the largest probability.
 */
import { blockCursor, type MatrixBlocks } from '../core/matrix.js'

/** A number at 15 significant digits, without trailing zeros: String(Number(v.toPrecision(15))). */
export function num(v: number): string {
  if (!Number.isFinite(v)) return 'NA'
  const a = Math.abs(v)
  // subnormals (fewer than 15 digits) and the largest doubles (15 digits round past them): as said
  if ((a < 2.2250738585072014e-308 && a !== 0) || a > 1e308) return String(Number(v.toPrecision(15)))
  // The digits of toPrecision without its trailing zeros, rather than String(number): V8
  // keeps each number's string in a cache, which promotes them all to the old generation
  // (~45 MB of a 50 MB file's labels at once); this string is left to the young one.
  // 15 digits always round-trip, so these are the shortest digits of the rounded number.
  const t = v.toPrecision(15)
  const e = t.indexOf('e')
  const mantissa = e < 0 ? t : t.slice(0, e)
  let end = mantissa.length
  if (mantissa.includes('.')) {
    while (mantissa.charCodeAt(end - 1) === 48) end-- // '0'
    if (mantissa.charCodeAt(end - 1) === 46) end-- // '.'
  }
  const digits = mantissa.slice(0, end)
  if (e < 0) return digits
  const exponent = Number(t.slice(e + 1))
  // toPrecision writes 1e15..1e21 with an exponent, String in full
  return exponent >= 15 && exponent < 21 ? String(Number(t)) : digits + t.slice(e)
}

function quoted(s: string): string {
  return /[",\n\r]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s
}

/** Rows of labels per chunk of the CSV text (and per block a mixture scores at once). */
export const LABEL_BLOCK_ROWS = 1024

/** One block of rows: their labels (0-based) and their probabilities, row-major (rows x k). */
export interface LabelBlock {
  readonly labels: ArrayLike<number>
  readonly probabilities: ArrayLike<number>
}

/**
 * The labels CSV as chunks of text, one per block of LABEL_BLOCK_ROWS rows, each made
 * when it is read (`block(start, end)` gives those rows): a large file's labels never
 * exist whole, neither as an array per row nor as one string.
 */
export function* labelsCsv(n: number, k: number, block: (start: number, end: number) => LabelBlock, rowNames: readonly string[] | null): Generator<string> {
  yield ['row', 'label', ...Array.from({ length: k }, (_, c) => `prob_${c + 1}`), 'uncertainty'].join(',') + '\n'
  for (let start = 0; start < n; start += LABEL_BLOCK_ROWS) {
    const end = Math.min(n, start + LABEL_BLOCK_ROWS)
    const { labels, probabilities: p } = block(start, end)
    const lines: string[] = []
    for (let i = start; i < end; i++) {
      const o = (i - start) * k
      let top = 0
      // the row number by toFixed, not String: V8's cache of number strings kept each one
      // alive into the old generation (~20 MB of them before a full collection)
      let line = `${rowNames ? quoted(rowNames[i]!) : (i + 1).toFixed(0)},${labels[i - start]! + 1}`
      for (let c = 0; c < k; c++) {
        line += `,${num(p[o + c]!)}`
        if (p[o + c]! > top) top = p[o + c]!
      }
      lines.push(`${line},${num(1 - top)}\n`)
    }
    yield lines.join('')
  }
}

/**
 * Rows start..end of a matrix read a block at a time, asked for in row order (as
 * labelsCsv asks): a view of the block they lie in, or, across blocks, the rows copied
 * together (each block's data may be valid only until the next is read).
 */
export function rowsInOrder(m: MatrixBlocks): (start: number, end: number) => Float64Array {
  const k = m.cols
  const blockAt = blockCursor(m, 'the blocks of posteriors')
  return (start, end) => {
    let b = blockAt(start)
    if (end <= b.start + b.rows) return b.data.subarray((start - b.start) * k, (end - b.start) * k)
    const out = new Float64Array((end - start) * k)
    for (let at = start; at < end;) {
      b = blockAt(at)
      const upTo = Math.min(end, b.start + b.rows)
      out.set(b.data.subarray((at - b.start) * k, (upTo - b.start) * k), (at - start) * k)
      at = upTo
    }
    return out
  }
}
