/**
 * The --labels CSV, as mclust reports a classification: each row's name (or number
 * from 1), its label (from 1), the probability of each component or state, and the
 * uncertainty 1 - the largest probability.
 */

/** A number at 15 significant digits, without trailing zeros. */
function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(15))) : 'NA'
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
      let line = `${rowNames ? quoted(rowNames[i]!) : String(i + 1)},${labels[i - start]! + 1}`
      for (let c = 0; c < k; c++) {
        line += `,${num(p[o + c]!)}`
        if (p[o + c]! > top) top = p[o + c]!
      }
      lines.push(`${line},${num(1 - top)}\n`)
    }
    yield lines.join('')
  }
}
