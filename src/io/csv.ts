/**
 * CSV text -> numeric Matrix. Pure string processing (no Node built-ins): the same
 * reader runs in Node, browsers and edge runtimes. The text may come whole
 * (`parseCsv`) or in chunks (`CsvReader`, `readCsv`): values go straight into one
 * Float64Array that doubles when full, so reading a file takes about the memory of
 * its numbers, not of its text.
 *
 * - Delimiter: `,`, `;` or tab, detected from the first lines (or given).
 * - Quoted fields (RFC 4180): `"a, b"`, doubled quotes `""`, newlines inside quotes.
 * - Header: detected when the first row has a non-numeric field in a column whose
 *   values below it are numeric (or forced with `header: true | false`).
 * - Row names (`rowNames: 'auto'`): R's write.csv / write.table column of row names,
 *   a first column with an empty or missing header holding distinct text or 1..n, is
 *   skipped (its text kept in `rowNames`).
 * - Blank lines (and lines whose fields are all empty) are ignored.
 * - With `;` or tab as the delimiter, a decimal comma (`3,6`) is accepted.
 * - Any non-numeric value in a data column is a ParseError naming the line and the
 *   column (header name and 1-based index) and saying what to do.
 */
import { InputError, OptionError, ParseError } from '../core/errors.js'
import { isAnyIterable } from '../core/async-iterable.js'
import type { Matrix } from '../core/matrix.js'
import { show } from '../core/show.js'
import { CsvTokenizer, type CsvRecord } from './csv-tokenize.js'

export type CsvDelimiter = ',' | ';' | '\t'

export interface CsvOptions {
  /** Field separator; detected from the first lines when omitted. */
  delimiter?: CsvDelimiter
  /** Is the first row a header? `'auto'` (default) detects it. */
  header?: boolean | 'auto'
  /**
   * Keep only these columns, in this order: header names, or 0-based indices (counted
   * without a skipped row-name column). Values in the other columns are not parsed
   * (they may be text).
   */
  columns?: ReadonlyArray<string | number>
  /**
   * What to do with empty fields and NA/NaN: `'error'` (default) raises a ParseError;
   * `'nan'` stores NaN (for models that handle missing values).
   */
  missing?: 'error' | 'nan'
  /**
   * A first column of row names, as R writes them: `false` (default) reads it as data;
   * `'auto'` skips it when its header is empty (`""`) or missing (the header row one
   * field shorter than the rows) and the first rows hold distinct text or 1, 2, 3, ...
   * (every later row is then checked too); `true` always skips the first column.
   */
  rowNames?: boolean | 'auto'
  /**
   * The text's expected length in characters (e.g. a file's size in bytes), when known:
   * the numbers' array is then sized once, from it and the width of the first rows,
   * instead of doubling from small (each doubling leaves the old array to the garbage
   * collector, which frees it late).
   */
  sizeHint?: number
}

export interface CsvResult {
  /** Column names from the header (of the kept columns), or null when there is none. */
  columns: string[] | null
  /** The numeric data, rows x kept columns. */
  matrix: Matrix
  /** The delimiter used. */
  delimiter: CsvDelimiter
  /** 1-based line number in the text where each data row starts. */
  lines: Uint32Array
  /** Whether a first column of row names was skipped. */
  hasRowNames: boolean
  /** The skipped row names when they were text (null when they were 1..n or there were none). */
  rowNames: string[] | null
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const DECIMAL_COMMA_RE = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/
const MISSING_RE = /^(?:|NA|N\/A|NaN|nan|NAN|null|NULL|\.)$/
const INF_RE = /^[+-]?(?:Inf|inf|INF|Infinity|infinity)$/
/** Lines the delimiter is detected from, and rows below the header its detection looks at. */
const SAMPLE_LINES = 20
const PROBE_ROWS = 10
/** Rows read before the size of the whole is estimated from sizeHint, and the margin on that estimate. */
const ESTIMATE_ROWS = 256
const ESTIMATE_MARGIN = 1.1

/**
 * Characters per piece a whole string is pushed to the reader in, by parseCsv, readCsv
 * and fromCsvStream alike, so that they read it the same way: large, as one push per
 * character (a string iterates by character) is slow; not the whole string, whose rows
 * would all be read before a stream's first chunk comes out or a sizeHint is used.
 */
export const TEXT_PIECE = 65536

/** A string in pieces of `size` characters (a character outside the BMP, two UTF-16 units, kept whole). */
export function* textPieces(text: string, size = TEXT_PIECE): Generator<string> {
  for (let from = 0; from < text.length;) {
    let to = Math.min(from + size, text.length)
    const last = text.charCodeAt(to - 1)
    if (to < text.length && to - from > 1 && last >= 0xd800 && last <= 0xdbff) to--
    yield text.slice(from, to)
    from = to
  }
}

/** The rows a text of `sizeHint` characters holds, from the `rows` read in its first `pushed` characters, with a margin. */
export function expectedRows(sizeHint: number, pushed: number, rows: number): number {
  return Math.ceil((sizeHint / Math.max(1, pushed)) * rows * ESTIMATE_MARGIN)
}

/** Parse one field as a number: a finite number, NaN for a missing marker, or undefined if not numeric. */
function parseNumber(raw: string, decimalComma: boolean): number | undefined {
  const s = raw.trim()
  if (NUMBER_RE.test(s)) return Number(s)
  if (decimalComma && DECIMAL_COMMA_RE.test(s)) return Number(s.replace(',', '.'))
  if (MISSING_RE.test(s)) return Number.NaN
  if (INF_RE.test(s)) return s.startsWith('-') ? -Infinity : Infinity
  return undefined
}

/** A field that holds an actual number (not empty, not a missing marker). */
function isRealNumber(raw: string, decimalComma: boolean): boolean {
  const v = parseNumber(raw, decimalComma)
  return v !== undefined && !Number.isNaN(v)
}

/** Count delimiter characters outside quotes in one physical line. */
function countOutsideQuotes(lineText: string, ch: string): number {
  let inQ = false
  let count = 0
  for (let i = 0; i < lineText.length; i++) {
    const c = lineText[i]
    if (c === '"') inQ = !inQ
    else if (c === ch && !inQ) count++
  }
  return count
}

/** Pick the delimiter that splits the first lines into the same number (> 1) of fields. */
function delimiterOf(sample: readonly string[]): CsvDelimiter {
  let best: CsvDelimiter = ','
  let bestScore = -1
  for (const d of [',', ';', '\t'] as const) {
    const counts = sample.map((l) => countOutsideQuotes(l, d))
    if (counts.length === 0 || counts[0] === 0) continue
    const consistent = counts.filter((c) => c === counts[0]).length / counts.length
    // Prefer a consistent split; among those, more fields.
    const score = consistent * 1000 + counts[0]!
    if (score > bestScore) { bestScore = score; best = d }
  }
  return best
}

/**
 * The first SAMPLE_LINES non-blank lines of `text`, or null when the text may go on
 * (`final` false) and fewer complete lines have arrived; `end` is the length of the
 * shortest start of `text` that would already have given them (text arriving a
 * character at a time is sampled there), or the whole length when the text ended first.
 */
function firstLines(text: string, final: boolean): { lines: string[]; end: number } | null {
  const out: string[] = []
  const re = /\r\n|\n|\r/g
  let from = 0
  while (out.length < SAMPLE_LINES) {
    const m = re.exec(text)
    if (!m) {
      if (!final) return null
      const rest = text.slice(from)
      if (rest.trim() !== '') out.push(rest)
      return { lines: out, end: text.length }
    }
    // A CR at the very end may be half of a CR LF pair: wait for the next chunk.
    if (!final && m[0] === '\r' && m.index === text.length - 1) return null
    const line = text.slice(from, m.index)
    if (line.trim() !== '') out.push(line)
    from = m.index + m[0].length
  }
  // a lone CR is only known to end a line once the character after it has come
  return { lines: out, end: Math.min(text.length, from + (text.charCodeAt(from - 1) === 13 ? 1 : 0)) }
}

function columnLabel(j: number, names: readonly string[] | null): string {
  const name = names?.[j]
  return name !== undefined && name !== '' ? `column ${j + 1} ("${name}")` : `column ${j + 1}`
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** How the records are read once the first rows have been seen. */
interface Layout {
  readonly hasHeader: boolean
  /** Header names (without the row-name column), or null. */
  readonly names: string[] | null
  /** Fields per data record, and the line whose width every data record must have. */
  readonly width: number
  readonly widthLine: number
  /** 1 when the first field of each data record holds row names (skipped), else 0. */
  readonly skip: number
  /** 'text' (distinct names, kept) or 'index' (1..n) when checked row by row; null when forced or absent. */
  readonly rowNameKind: 'text' | 'index' | null
  /** Kept columns, in the data columns' numbering (the row-name column excluded). */
  readonly keep: number[]
  /** The data columns not kept: only checked for being numeric (for the error message). */
  readonly unkept: number[]
  readonly decimalComma: boolean
}

/**
 * A CSV read chunk by chunk: `push` each piece of text as it arrives, then `end()`
 * for the result. Errors about the data are raised by `end()` (or by `push` for
 * malformed quoting), exactly as parseCsv raises them for the whole text.
 */
export class CsvReader {
  private readonly options: Required<Omit<CsvOptions, 'delimiter' | 'columns' | 'sizeHint'>> & Pick<CsvOptions, 'delimiter' | 'columns'>
  private started = false
  private textEnded = false
  /** Characters pushed so far, and the expected total (null: unknown, or the arrays already sized from it). */
  private pushed = 0
  private sizeHint: number | null
  /** Text held until the delimiter is known. */
  private pending = ''
  private tokenizer: CsvTokenizer | null = null
  private delimiter: CsvDelimiter = ','
  /** Records held until the header and the row names are decided. */
  private head: CsvRecord[] | null = []
  private layout: Layout | null = null

  private data = new Float64Array(1024)
  private lines = new Uint32Array(256)
  private rows = 0
  /** Rows already handed out by `take` (streaming). */
  private taken = 0
  /** Streaming in chunks (`chunkEvery`): rows per chunk (0: off), and the chunks cut and not yet handed out. */
  private chunkRows = 0
  private cut: Matrix[] = []
  /** Reading the text the delimiter was detected from, which is one step (see startTokenizer): no chunk is cut inside it. */
  private sampling = false
  private rowNames: string[] | null = null
  private seenNames: Set<string> | null = null

  /** Per data column: every field so far numeric (or a missing marker), and any field so far. */
  private allNumeric: Uint8Array = new Uint8Array(0)
  private anyNumeric: Uint8Array = new Uint8Array(0)
  /** The first ragged record (reported before anything else, as it makes the rest meaningless). */
  private ragged: ParseError | null = null
  /** The first error about the data; reading goes on only to find a ragged line and to describe the columns. */
  private failure: (() => Error) | null = null

  constructor(options: CsvOptions = {}) {
    const { header = 'auto', missing = 'error', rowNames = false } = options
    if (options.delimiter !== undefined && ![',', ';', '\t'].includes(options.delimiter)) {
      throw new OptionError('delimiter', `must be ',', ';' or a tab, got ${JSON.stringify(options.delimiter)}.`)
    }
    if (header !== 'auto' && typeof header !== 'boolean') {
      throw new OptionError('header', `must be true, false or 'auto', got ${JSON.stringify(header)}.`)
    }
    if (missing !== 'error' && missing !== 'nan') {
      throw new OptionError('missing', `must be 'error' or 'nan', got ${JSON.stringify(missing)}.`)
    }
    if (rowNames !== 'auto' && typeof rowNames !== 'boolean') {
      throw new OptionError('rowNames', `must be true, false or 'auto', got ${JSON.stringify(rowNames)}.`)
    }
    if (options.columns !== undefined && (!Array.isArray(options.columns) || options.columns.length === 0)) {
      throw new OptionError('columns', 'give a non-empty list of column names or 0-based indices.')
    }
    const { sizeHint } = options
    if (sizeHint !== undefined && (typeof sizeHint !== 'number' || !(sizeHint >= 0) || !Number.isFinite(sizeHint))) {
      throw new OptionError('sizeHint', `must be the expected number of characters (a finite number >= 0), got ${JSON.stringify(sizeHint)}.`)
    }
    this.options = { header, missing, rowNames, delimiter: options.delimiter, columns: options.columns }
    this.sizeHint = sizeHint ?? null
  }

  /** The next piece of the text (any size; it may end anywhere). */
  push(chunk: string): void {
    if (typeof chunk !== 'string') throw new OptionError('chunk', `CsvReader.push expects text, got ${typeof chunk}.`)
    if (!this.started && chunk.length > 0) {
      this.started = true
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1) // byte-order mark
    }
    this.pushed += chunk.length
    if (this.tokenizer) {
      this.tokenizer.push(chunk)
    } else {
      this.pending += chunk
      this.startTokenizer(false)
    }
    if (this.sizeHint !== null && this.rows >= ESTIMATE_ROWS) this.reserve()
  }

  /** Size the arrays for the rows the whole text will hold at the width of the rows read so far. */
  private reserve(): void {
    const expected = expectedRows(this.sizeHint!, this.pushed, this.rows)
    this.sizeHint = null
    const cols = this.layout!.keep.length
    if (expected * cols > this.data.length) this.data = resized(this.data, expected * cols)
    if (expected > this.lines.length) this.lines = resized(this.lines, expected)
  }

  /** The text is complete: the numbers, or the first error in the data. */
  end(): CsvResult {
    if (!this.tokenizer) this.startTokenizer(true)
    this.tokenizer!.finish()
    if (this.head !== null) this.decideLayout()
    if (this.ragged) throw this.ragged
    if (this.failure) throw this.failure()
    const layout = this.layout!
    if (this.rows === 0) {
      throw new InputError('EMPTY_DATA', `The CSV has a header (${layout.names!.join(', ')}) but no data rows.`, { columns: layout.names })
    }
    const cols = layout.keep.length
    return {
      columns: layout.names ? layout.keep.map((j) => layout.names![j]!) : null,
      // A view, not a copy: copying would hold the numbers twice at the peak.
      matrix: { rows: this.rows, cols, data: this.data.subarray(0, this.rows * cols) },
      delimiter: this.delimiter,
      lines: this.lines.subarray(0, this.rows),
      hasRowNames: layout.skip === 1,
      rowNames: this.rowNames,
    }
  }

  /**
   * Streaming: cut a chunk (with `take`) as soon as `rows` rows are pending, checking
   * after every record as if the text came a character at a time, so the chunks are the
   * same however the text is split into pieces (the first may be longer: it holds the
   * rows read in the step that decided the delimiter and header, up to 20). A chunk's
   * error is thrown by the `push` that reads to it, as `take` throws it.
   */
  chunkEvery(rows: number): void { this.chunkRows = rows }

  /** Streaming: the chunks cut so far (see chunkEvery), removed from the reader. */
  takeChunks(): Matrix[] {
    const out = this.cut
    this.cut = []
    return out
  }

  /** A chunk cut when enough rows are pending (not while sampling, nor once the text has ended: finish takes the rest). */
  private maybeCut(): void {
    if (this.chunkRows > 0 && this.rows >= this.chunkRows && !this.sampling && !this.textEnded) this.cut.push(this.take()!)
  }

  /** Data rows read and not yet taken (streaming: take them once there are enough). */
  get pendingRows(): number { return this.rows }

  /** Streaming: the text row names of the rows not yet taken (take drops them; null when the rows have no text names). */
  get pendingRowNames(): readonly string[] | null { return this.rowNames }

  /** Whether a first column of row names is skipped (known once the header is decided). */
  get hasRowNames(): boolean { return this.layout?.skip === 1 }

  /**
   * Streaming: the data rows read since the last call, removed from the reader (a
   * copy; null when there are none yet), so that a file of any size is read in chunks
   * of rows with one chunk's numbers in memory. The first error in the data so far is
   * thrown here, as `end()` would throw it.
   */
  take(): Matrix | null {
    if (this.ragged) throw this.ragged
    if (this.failure) throw this.failure()
    if (this.layout === null || this.rows === 0) return null
    const cols = this.layout.keep.length
    const out = { rows: this.rows, cols, data: this.data.slice(0, this.rows * cols) }
    this.taken += this.rows
    this.rows = 0
    // the text row names of the rows handed over go with them (a stream holds one chunk's);
    // only their set stays, to check the names further down are distinct
    if (this.rowNames) this.rowNames = []
    return out
  }

  /**
   * Streaming: the text is complete, so its last records are read (and the header and
   * row names decided, for a text shorter than the records they need): the rows not yet
   * taken are pending, with their names (pendingRowNames). finish() calls it; once is enough.
   */
  endText(): void {
    if (this.textEnded) return
    this.textEnded = true
    if (!this.tokenizer) this.startTokenizer(true)
    this.tokenizer!.finish()
    if (this.head !== null) this.decideLayout()
  }

  /** Streaming: the text is complete; the rows not yet taken (null when none are left; EMPTY_DATA when the text had none). */
  finish(): Matrix | null {
    this.endText()
    const rest = this.take()
    if (rest === null && this.taken === 0) {
      const names = this.layout?.names
      throw new InputError('EMPTY_DATA', names ? `The CSV has a header (${names.join(', ')}) but no data rows.` : 'The CSV has no data rows.', names ? { columns: names } : {})
    }
    return rest
  }

  /** Column names of the kept columns once the header is decided (null without a header or before). */
  get columnNames(): string[] | null {
    const layout = this.layout
    return layout?.names ? layout.keep.map((j) => layout.names![j]!) : null
  }

  private startTokenizer(final: boolean): void {
    let delimiter = this.options.delimiter
    let sampled = 0
    if (delimiter === undefined) {
      const sample = firstLines(this.pending, final)
      if (sample === null) return
      delimiter = delimiterOf(sample.lines)
      sampled = sample.end
    }
    this.delimiter = delimiter
    this.tokenizer = new CsvTokenizer(delimiter, (r) => this.record(r))
    const text = this.pending
    this.pending = ''
    // Text coming a character at a time would have its sampled start read in one step
    // and the rest record by record: chunks are cut that way (chunkEvery) whatever the pieces.
    this.sampling = true
    try {
      this.tokenizer.push(text.slice(0, sampled))
    } finally {
      this.sampling = false
    }
    this.maybeCut()
    this.tokenizer.push(text.slice(sampled))
  }

  private record(r: CsvRecord): void {
    if (this.head !== null) {
      this.head.push(r)
      if (this.head.length > PROBE_ROWS) this.decideLayout()
    } else {
      this.row(r)
    }
    this.maybeCut()
  }

  /** Header, row names and kept columns from the first record and the rows below it; then those rows are read. */
  private decideLayout(): void {
    const recs = this.head!
    this.head = null
    if (recs.length === 0) {
      throw new InputError('EMPTY_DATA', 'The CSV has no data: it is empty or has only blank lines.')
    }
    const { header, rowNames } = this.options
    const decimalComma = this.delimiter !== ','
    const first = recs[0]!
    const probe = recs.slice(1, PROBE_ROWS + 1)
    // R's write.table: the header has no field for the row names, every row one more.
    const headerShort = rowNames !== false && header !== false && probe.length > 0
      && probe.every((r) => r.fields.length === first.fields.length + 1)
    const shift = headerShort ? 1 : 0
    let hasHeader: boolean
    if (header === 'auto') {
      // A non-numeric field over a column whose values below are numbers.
      hasHeader = first.fields.some((f, j) => {
        if (parseNumber(f, decimalComma) !== undefined) return false // a number or a missing marker: data-like
        return probe.length === 0 || probe.some((r) => isRealNumber(r.fields[j + shift] ?? '', decimalComma))
      })
    } else {
      hasHeader = header
    }
    const dataRecs = hasHeader ? recs.slice(1) : recs

    let skip = 0
    let rowNameKind: Layout['rowNameKind'] = null
    if (rowNames === true) {
      skip = 1
    } else if (rowNames === 'auto' && hasHeader && (headerShort || first.fields[0] === '')) {
      rowNameKind = rowNameKindOf(dataRecs.slice(0, PROBE_ROWS).map((r) => r.fields[0] ?? ''), decimalComma)
      if (rowNameKind !== null) skip = 1
    }
    // Without row names, a header one field short is a ragged line like any other.
    const unnamed = hasHeader && headerShort && skip === 1
    const widthRec = unnamed ? dataRecs[0]! : first
    const width = widthRec.fields.length
    const dataWidth = width - skip
    const names = hasHeader ? first.fields.slice(unnamed ? 0 : skip).map((f, j) => (f.trim() === '' ? `V${j + 1}` : f.trim())) : null

    let keep: number[] = []
    try {
      keep = this.keptColumns(names, dataWidth)
    } catch (e) {
      // Reported after the ragged lines, as every other error about the text.
      this.failure = () => e as Error
    }
    const kept = new Set(keep)
    const unkept = Array.from({ length: dataWidth }, (_, j) => j).filter((j) => !kept.has(j))
    this.layout = { hasHeader, names, width, widthLine: widthRec.line, skip, rowNameKind, keep, unkept, decimalComma }
    this.allNumeric = new Uint8Array(dataWidth).fill(1)
    this.anyNumeric = new Uint8Array(dataWidth)
    if (rowNameKind === 'text') { this.rowNames = []; this.seenNames = new Set() }
    for (const r of dataRecs) this.row(r)
  }

  /** The kept columns (numbered without a row-name column) from the columns option. */
  private keptColumns(names: readonly string[] | null, dataWidth: number): number[] {
    if (this.options.columns === undefined) return Array.from({ length: dataWidth }, (_, j) => j)
    return this.options.columns.map((c) => {
      if (typeof c === 'number') {
        if (!Number.isInteger(c) || c < 0 || c >= dataWidth) {
          throw new OptionError('columns', `index ${c} is out of range: the CSV has ${dataWidth} columns (0-based indices 0..${dataWidth - 1}).`, { column: c })
        }
        return c
      }
      const j = names ? names.indexOf(c) : -1
      if (j < 0) {
        throw new OptionError('columns', names
          ? `no column named ${JSON.stringify(c)}; the header has ${names.map((s) => JSON.stringify(s)).join(', ')}.`
          : `no column named ${JSON.stringify(c)}: the CSV has no header row, select columns by index.`, { column: c })
      }
      return j
    })
  }

  private raggedAt(r: CsvRecord): void {
    if (this.ragged) return
    const { width, widthLine } = this.layout!
    const got = r.fields.length
    this.ragged = new ParseError(
      `line ${r.line} has ${plural(got, 'field')} but line ${widthLine} has ${width} (delimiter ${JSON.stringify(this.delimiter)}); every line needs the same number of fields: fix or remove that line.`,
      { line: r.line, expected: width, got, delimiter: this.delimiter },
    )
  }

  /** One data record: its row name checked, its kept fields parsed into the matrix. */
  private row(r: CsvRecord): void {
    const layout = this.layout!
    if (r.fields.length !== layout.width) { this.raggedAt(r); return }
    if (this.ragged) return
    const { keep, unkept, skip, decimalComma } = layout
    const fields = r.fields
    if (this.failure) { this.describe(fields, null); return }
    if (layout.rowNameKind !== null && !this.rowNameOk(fields[0]!, decimalComma)) {
      const raw = fields[0]!
      this.failure = () => new ParseError(
        `line ${r.line}, column 1: ${JSON.stringify(raw)} breaks the row names (the first rows' column 1, with an empty header, held ${layout.rowNameKind === 'text' ? 'distinct names' : '1, 2, 3, ...'}, so it was skipped as R's row names); give that column a header name to read it as data, or make the row names distinct.`,
        { line: r.line, column: 0, value: raw },
      )
      this.describe(fields, null)
      return
    }
    const cols = keep.length
    const at = this.rows * cols
    if (at + cols > this.data.length) this.data = grown(this.data, at + cols)
    if (this.rows >= this.lines.length) this.lines = grown(this.lines, this.rows + 1)
    const data = this.data
    const any = this.anyNumeric
    for (let c = 0; c < cols; c++) {
      const j = keep[c]!
      const raw = fields[j + skip]!
      const v = parseNumber(raw, decimalComma)
      if (v === undefined || (v !== v && this.options.missing === 'error') || v === Infinity || v === -Infinity) {
        this.failure = () => this.valueError(r, j, raw, v)
        this.describe(fields, null)
        return
      }
      any[j] = 1
      data[at + c] = v
    }
    if (unkept.length > 0) this.describe(fields, unkept)
    this.lines[this.rows] = r.line
    this.rows++
  }

  /** Note, per column (of `columns`, default all), whether every field so far is numeric and whether any is (for the error message). */
  private describe(fields: readonly string[], columns: readonly number[] | null): void {
    const { skip, decimalComma } = this.layout!
    const all = this.allNumeric, any = this.anyNumeric
    const n = columns ? columns.length : all.length
    for (let c = 0; c < n; c++) {
      const j = columns ? columns[c]! : c
      if (all[j] === 0 && any[j] === 1) continue
      if (parseNumber(fields[j + skip]!, decimalComma) !== undefined) any[j] = 1
      else all[j] = 0
    }
  }

  private rowNameOk(raw: string, decimalComma: boolean): boolean {
    if (this.layout!.rowNameKind === 'index') return parseNumber(raw, decimalComma) === this.taken + this.rows + 1
    if (parseNumber(raw, decimalComma) !== undefined || this.seenNames!.has(raw)) return false
    this.seenNames!.add(raw)
    this.rowNames!.push(raw)
    return true
  }

  private valueError(r: CsvRecord, j: number, raw: string, v: number | undefined): Error {
    const { names } = this.layout!
    const where = `line ${r.line}, ${columnLabel(j, names)}`
    const details = { line: r.line, column: j, columnName: names?.[j] ?? null, value: raw }
    if (v === undefined) {
      // Is the whole column text? Say so: that column needs removing or encoding.
      const allText = this.anyNumeric[j] === 0
      // The columns that would parse, so a caller can suggest a selection.
      const numericColumns: (string | number)[] = []
      this.allNumeric.forEach((ok, jj) => { if (ok) numericColumns.push(names ? names[jj]! : jj) })
      const label = columnLabel(j, names)
      const head = allText
        ? `${label} is not numeric (${JSON.stringify(raw)} at line ${r.line})`
        : `${where}: ${JSON.stringify(raw)} is not a number`
      const remedy = allText
        ? 'remove or encode that column, or select the numeric columns only'
        : 'fix that value, remove or encode that column, or select the numeric columns only'
      return new ParseError(`${head}. emkit fits numeric columns only: ${remedy}.`, { ...details, wholeColumn: allText, numericColumns })
    }
    if (Number.isNaN(v)) {
      return new ParseError(
        `missing value ${raw.trim() === '' ? '(empty field)' : JSON.stringify(raw.trim())} at ${where}; this data must be complete: drop or impute that row.`,
        details,
      )
    }
    return new ParseError(`infinite value ${JSON.stringify(raw.trim())} at ${where}; infinite values cannot be fitted: fix or remove that row.`, details)
  }
}

/** 'text' when the values are distinct non-numbers, 'index' when they are 1, 2, 3, ...; else null. */
function rowNameKindOf(values: readonly string[], decimalComma: boolean): 'text' | 'index' | null {
  if (values.length === 0) return null
  if (values.every((v, i) => parseNumber(v, decimalComma) === i + 1)) return 'index'
  if (values.every((v) => parseNumber(v, decimalComma) === undefined) && new Set(values).size === values.length) return 'text'
  return null
}

/** A typed array at least `need` long: the capacity doubles, so n rows cost O(n) copying in all. */
function grown<T extends Float64Array | Uint32Array>(a: T, need: number): T {
  let size = Math.max(a.length, 1)
  while (size < need) size *= 2
  return resized(a, size)
}

function resized<T extends Float64Array | Uint32Array>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size)
  b.set(a)
  return b
}

/**
 * Parse CSV text into a numeric matrix (and the column names when there is a header).
 * Throws ParseError (code PARSE_ERROR) for malformed or non-numeric input, and
 * InputError (EMPTY_DATA) when there are no data rows.
 */
export function parseCsv(text: string, options: CsvOptions = {}): CsvResult {
  if (typeof text !== 'string') {
    throw new OptionError('text', `parseCsv expects the CSV content as a string, got ${typeof text}.`)
  }
  const reader = new CsvReader(options)
  for (const piece of textPieces(text)) reader.push(piece)
  return reader.end()
}

/** Read a CSV given as chunks of text (e.g. a decoded file stream), holding one chunk at a time. */
export async function readCsv(chunks: string | Iterable<string> | AsyncIterable<string>, options: CsvOptions = {}): Promise<CsvResult> {
  if (!isAnyIterable(chunks)) throw new InputError('INVALID_DATA', `readCsv needs the CSV as text, or an iterable or async iterable of text pieces, got ${show(chunks)}.`)
  const reader = new CsvReader(options)
  for await (const chunk of typeof chunks === 'string' ? textPieces(chunks) : chunks) reader.push(chunk)
  return reader.end()
}
