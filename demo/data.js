// Tables for the demo: named columns, each numeric (fitted) or text (offered for
// colouring). Numbers come from emkit's parseCsv (delimiter, header and number rules
// in one place); parseCsv reads numbers only, so the header and the text columns are
// read here, split by the same tokenizer parseCsv uses.
import { faithful, parseCsv } from '../dist/src/browser.js'
import { CsvTokenizer } from '../dist/src/io/csv-tokenize.js'

/** A table from numeric rows. */
export function numericTable(name, names, rows) {
  return {
    name,
    n: rows.length,
    columns: names.map((col, j) => ({ name: col, kind: 'number', values: rows.map((r) => r[j]) })),
  }
}

export function faithfulTable() {
  return numericTable('Old Faithful', [...faithful.columns], faithful.rows)
}

/** Records of a delimited text, split by the tokenizer parseCsv reads with (quoting, blank records, trimming alike). */
function records(text, delimiter) {
  const out = []
  const tokenizer = new CsvTokenizer(delimiter, (record) => out.push(record.fields))
  tokenizer.push(text)
  tokenizer.finish()
  return out
}

/**
 * A table from CSV text. Columns that parse as numbers are numeric (empty cells and NA
 * become NaN); the others are text.
 */
export function csvTable(name, text) {
  let numericColumns = null
  let parsed
  try {
    parsed = parseCsv(text, { missing: 'nan' })
  } catch (e) {
    // parseCsv names the columns that would parse when some do not: keep those as numbers.
    numericColumns = e?.details?.numericColumns
    if (!Array.isArray(numericColumns)) throw e
    if (numericColumns.length === 0) throw new Error(`${name} has no numeric column: emkit fits numbers.`)
    parsed = parseCsv(text, { missing: 'nan', columns: numericColumns })
  }
  const { matrix, delimiter } = parsed
  const recs = records(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, delimiter)
  const width = recs[0]?.length ?? matrix.cols
  const hasHeader = parsed.columns !== null
  const header = hasHeader ? recs[0] : Array.from({ length: width }, (_, j) => `V${j + 1}`)
  const body = hasHeader ? recs.slice(1) : recs
  const numericIndex = numericColumns === null
    ? header.map((_, j) => j)
    : numericColumns.map((c) => (typeof c === 'number' ? c : header.indexOf(c)))
  const columns = []
  for (let j = 0; j < width; j++) {
    const c = numericIndex.indexOf(j)
    const colName = header[j] || `V${j + 1}`
    if (c >= 0) {
      columns.push({ name: colName, kind: 'number', values: Array.from({ length: matrix.rows }, (_, i) => matrix.data[i * matrix.cols + c]) })
    } else if (body.length === matrix.rows) {
      columns.push({ name: colName, kind: 'text', values: body.map((r) => r[j] ?? '') })
    }
  }
  return { name, n: matrix.rows, columns }
}

/** Rows of the chosen numeric columns where every value is present, and which rows they are. */
export function completeRows(table, chosen) {
  const rows = []
  const index = []
  for (let i = 0; i < table.n; i++) {
    const row = chosen.map((j) => table.columns[j].values[i])
    if (row.every(Number.isFinite)) { rows.push(row); index.push(i) }
  }
  return { rows, index }
}

/** Integer codes of a text column (in order of first appearance) and the distinct values. */
export function codes(values) {
  const names = []
  const seen = new Map()
  const out = values.map((v) => {
    if (!seen.has(v)) { seen.set(v, names.length); names.push(v) }
    return seen.get(v)
  })
  return { codes: out, names }
}
