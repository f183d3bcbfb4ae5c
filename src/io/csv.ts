/**
 * CSV text -> numeric Matrix. Pure string processing (no Node built-ins): the same
 * parser runs in Node, browsers and edge runtimes.
 *
 * - Delimiter: `,`, `;` or tab, detected from the first lines (or given).
 * - Quoted fields (RFC 4180): `"a, b"`, doubled quotes `""`, newlines inside quotes.
 * - Header: detected when the first row has a non-numeric field in a column whose
 *   values below it are numeric (or forced with `header: true | false`).
 * - Blank lines (and lines whose fields are all empty) are ignored.
 * - With `;` or tab as the delimiter, a decimal comma (`3,6`) is accepted.
 * - Any non-numeric value in a data column is a ParseError naming the line and the
 *   column (header name and 1-based index) and saying what to do.
 */
import { InputError, OptionError, ParseError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'

export type CsvDelimiter = ',' | ';' | '\t'

export interface CsvOptions {
  /** Field separator; detected from the first lines when omitted. */
  delimiter?: CsvDelimiter
  /** Is the first row a header? `'auto'` (default) detects it. */
  header?: boolean | 'auto'
  /**
   * Keep only these columns, in this order: header names, or 0-based indices.
   * Values in the other columns are not parsed (they may be text).
   */
  columns?: ReadonlyArray<string | number>
  /**
   * What to do with empty fields and NA/NaN: `'error'` (default) raises a ParseError;
   * `'nan'` stores NaN (for models that handle missing values).
   */
  missing?: 'error' | 'nan'
}

export interface CsvResult {
  /** Column names from the header (of the kept columns), or null when there is none. */
  columns: string[] | null
  /** The numeric data, rows x kept columns. */
  matrix: Matrix
  /** The delimiter used. */
  delimiter: CsvDelimiter
  /** 1-based line number in the text where each data row starts. */
  lines: number[]
}

interface Rec {
  fields: string[]
  /** Whether each field was quoted (a quoted field is never treated as blank-line filler). */
  quoted: boolean[]
  line: number
}

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const DECIMAL_COMMA_RE = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/
const MISSING_RE = /^(?:|NA|N\/A|NaN|nan|NAN|null|NULL|\.)$/
const INF_RE = /^[+-]?(?:Inf|inf|INF|Infinity|infinity)$/

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

/** Split the text into records, honouring quotes; blank records are dropped. */
function tokenize(text: string, delimiter: CsvDelimiter): Rec[] {
  const out: Rec[] = []
  let fields: string[] = []
  let quoted: boolean[] = []
  let field = ''
  let wasQuoted = false
  let line = 1
  let recLine = 1
  let i = 0
  const n = text.length
  const endField = () => {
    fields.push(wasQuoted ? field : field.trim())
    quoted.push(wasQuoted)
    field = ''
    wasQuoted = false
  }
  const endRecord = () => {
    endField()
    const blank = fields.every((f, j) => f === '' && !quoted[j])
    if (!blank) out.push({ fields, quoted, line: recLine })
    fields = []
    quoted = []
  }
  while (i < n) {
    const c = text[i]!
    if (c === '"' && field.trim() === '' && !wasQuoted) {
      // Opening quote (leading spaces before it are dropped).
      const startLine = line
      field = ''
      i++
      let closed = false
      while (i < n) {
        const q = text[i]!
        if (q === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue }
          i++
          closed = true
          break
        }
        if (q === '\n' || q === '\r') {
          // Newlines inside quotes are kept (as \n) and still counted as lines.
          line++
          field += '\n'
          i += q === '\r' && text[i + 1] === '\n' ? 2 : 1
          continue
        }
        field += q
        i++
      }
      if (!closed) {
        throw new ParseError(`line ${startLine}: a quoted field is never closed (missing '"'); close the quote or remove it.`, { line: startLine })
      }
      wasQuoted = true
      // Anything after the closing quote up to the delimiter must be blank.
      while (i < n && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') {
        if (text[i] !== ' ' && text[i] !== '\t') {
          throw new ParseError(`line ${line}: unexpected character ${JSON.stringify(text[i])} after a closing quote; quote the whole field and write a quote inside it as "".`, { line })
        }
        i++
      }
      continue
    }
    if (c === delimiter) { endField(); i++; continue }
    if (c === '\n' || c === '\r') {
      endRecord()
      if (c === '\r' && text[i + 1] === '\n') i++
      i++
      line++
      recLine = line
      continue
    }
    field += c
    i++
  }
  if (field !== '' || wasQuoted || fields.length > 0) endRecord()
  return out
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
export function detectDelimiter(text: string): CsvDelimiter {
  const sample = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').slice(0, 20)
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

function columnLabel(j: number, names: readonly string[] | null): string {
  const name = names?.[j]
  return name !== undefined && name !== '' ? `column ${j + 1} ("${name}")` : `column ${j + 1}`
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
  const { header = 'auto', missing = 'error' } = options
  if (options.delimiter !== undefined && ![',', ';', '\t'].includes(options.delimiter)) {
    throw new OptionError('delimiter', `must be ',', ';' or a tab, got ${JSON.stringify(options.delimiter)}.`)
  }
  if (header !== 'auto' && typeof header !== 'boolean') {
    throw new OptionError('header', `must be true, false or 'auto', got ${JSON.stringify(header)}.`)
  }
  if (missing !== 'error' && missing !== 'nan') {
    throw new OptionError('missing', `must be 'error' or 'nan', got ${JSON.stringify(missing)}.`)
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1) // byte-order mark
  const delimiter = options.delimiter ?? detectDelimiter(text)
  const decimalComma = delimiter !== ','
  const recs = tokenize(text, delimiter)
  if (recs.length === 0) {
    throw new InputError('EMPTY_DATA', 'The CSV has no data: it is empty or has only blank lines.')
  }

  const width = recs[0]!.fields.length
  // Ragged lines are an error wherever they are, header included.
  for (const r of recs) {
    if (r.fields.length !== width) {
      throw new ParseError(
        `line ${r.line} has ${r.fields.length} field${r.fields.length === 1 ? '' : 's'} but line ${recs[0]!.line} has ${width} (delimiter ${JSON.stringify(delimiter)}); every line needs the same number of fields: fix or remove that line.`,
        { line: r.line, expected: width, got: r.fields.length, delimiter },
      )
    }
  }

  // Header detection: the first row has a non-numeric field in a column whose values
  // below are numeric (looking at the next few rows).
  let hasHeader: boolean
  if (header === 'auto') {
    const first = recs[0]!
    const probe = recs.slice(1, 11)
    hasHeader = first.fields.some((f, j) => {
      const v = parseNumber(f, decimalComma)
      if (v !== undefined) return false // a number or a missing marker: data-like
      // Text: a header name if the values below it are numbers.
      return probe.length === 0 || probe.some((r) => isRealNumber(r.fields[j]!, decimalComma))
    })
  } else {
    hasHeader = header
  }
  const names = hasHeader ? recs[0]!.fields.map((f, j) => (f.trim() === '' ? `V${j + 1}` : f.trim())) : null
  const dataRecs = hasHeader ? recs.slice(1) : recs

  // Column selection.
  let keep: number[]
  if (options.columns !== undefined) {
    if (!Array.isArray(options.columns) || options.columns.length === 0) {
      throw new OptionError('columns', 'give a non-empty list of column names or 0-based indices.')
    }
    keep = options.columns.map((c) => {
      if (typeof c === 'number') {
        if (!Number.isInteger(c) || c < 0 || c >= width) {
          throw new OptionError('columns', `index ${c} is out of range: the CSV has ${width} columns (0-based indices 0..${width - 1}).`, { column: c })
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
  } else {
    keep = Array.from({ length: width }, (_, j) => j)
  }

  if (dataRecs.length === 0) {
    throw new InputError('EMPTY_DATA', `The CSV has a header (${names!.join(', ')}) but no data rows.`, { columns: names })
  }

  const cols = keep.length
  const rows = dataRecs.length
  const data = new Float64Array(rows * cols)
  const lines: number[] = new Array(rows)
  for (let i = 0; i < rows; i++) {
    const r = dataRecs[i]!
    lines[i] = r.line
    for (let c = 0; c < cols; c++) {
      const j = keep[c]!
      const raw = r.fields[j]!
      const v = parseNumber(raw, decimalComma)
      const where = `line ${r.line}, ${columnLabel(j, names)}`
      if (v === undefined) {
        // Is the whole column text? Say so: that column needs removing or encoding.
        const numericIn = (q: Rec, jj: number) => parseNumber(q.fields[jj]!, decimalComma) !== undefined
        const allText = dataRecs.every((q) => !numericIn(q, j))
        // The columns that would parse, so a caller can suggest a selection.
        const numericColumns: (string | number)[] = []
        for (let jj = 0; jj < width; jj++) {
          if (dataRecs.every((q) => numericIn(q, jj))) numericColumns.push(names ? names[jj]! : jj)
        }
        const label = columnLabel(j, names)
        const head = allText
          ? `${label} is not numeric (${JSON.stringify(raw)} at line ${r.line})`
          : `${where}: ${JSON.stringify(raw)} is not a number`
        const remedy = allText
          ? 'remove or encode that column, or select the numeric columns only'
          : 'fix that value, remove or encode that column, or select the numeric columns only'
        throw new ParseError(
          `${head}. emkit fits numeric columns only: ${remedy}.`,
          { line: r.line, column: j, columnName: names?.[j] ?? null, value: raw, wholeColumn: allText, numericColumns },
        )
      }
      if (Number.isNaN(v) && missing === 'error') {
        throw new ParseError(
          `missing value ${raw.trim() === '' ? '(empty field)' : JSON.stringify(raw.trim())} at ${where}; this data must be complete: drop or impute that row.`,
          { line: r.line, column: j, columnName: names?.[j] ?? null, value: raw },
        )
      }
      if (v === Infinity || v === -Infinity) {
        throw new ParseError(`infinite value ${JSON.stringify(raw.trim())} at ${where}; infinite values cannot be fitted: fix or remove that row.`,
          { line: r.line, column: j, columnName: names?.[j] ?? null, value: raw })
      }
      data[i * cols + c] = v
    }
  }
  return {
    columns: names ? keep.map((j) => names[j]!) : null,
    matrix: { rows, cols, data },
    delimiter,
    lines,
  }
}
