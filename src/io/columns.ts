/**
 * Columns of a columnar source (Parquet, Arrow, DuckDB) as one row-major chunk of
 * numbers: what the three readers share. Numbers, bigints and booleans are read as
 * numbers (a DECIMAL through its toDouble); null (and undefined) as NaN, a missing value (the Gaussian mixture models
 * it; other estimators refuse it as non-finite); anything else is a ParseError naming
 * the column and the row.
 */
import { InputError, OptionError, ParseError } from '../core/errors.js'
import { show } from '../core/show.js'
import type { NamedChunk } from './csv-stream.js'

/** Write column `c` (values for rows `from`..) into the row-major `data` of `cols` columns. */
export function fillColumn(data: Float64Array, cols: number, c: number, values: ArrayLike<unknown>, from: number, count: number, name: string, source: string, firstRow: number): void {
  if (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array || values instanceof Int16Array || values instanceof Int8Array || values instanceof Uint8Array || values instanceof Uint16Array || values instanceof Uint32Array) {
    for (let i = 0; i < count; i++) data[i * cols + c] = values[from + i]!
    return
  }
  for (let i = 0; i < count; i++) {
    const v = values[from + i]
    let x: number
    if (typeof v === 'number') x = v
    else if (typeof v === 'bigint') x = Number(v)
    else if (typeof v === 'boolean') x = v ? 1 : 0
    else if (v === null || v === undefined) x = Number.NaN
    else if (typeof (v as { toDouble?: unknown }).toDouble === 'function') x = (v as { toDouble(): number }).toDouble() // DuckDB's DECIMAL
    else throw new ParseError(`${source}, column ${JSON.stringify(name)}, row ${firstRow + from + i + 1}: ${show(v)} is not a number; select numeric columns only (the columns option, or the query).`, { column: name, row: firstRow + from + i, value: show(v) })
    data[i * cols + c] = x
  }
}

/** The columns to read: the given names (each must exist) or every column. */
export function pickColumns(available: readonly string[], wanted: readonly string[] | undefined, source: string): string[] {
  if (wanted === undefined) return available.slice()
  if (!Array.isArray(wanted) || wanted.length === 0) throw new OptionError('columns', `give a non-empty list of column names, got ${show(wanted)}.`)
  for (const name of wanted) {
    if (!available.includes(name)) throw new InputError('INVALID_DATA', `${source} has no column ${JSON.stringify(name)}; its columns are ${available.map((a) => JSON.stringify(a)).join(', ')}.`, { column: name })
  }
  return wanted.slice()
}

/** An empty chunk of `rows` x `names.length`, to be filled column by column. */
export function emptyChunk(rows: number, names: readonly string[]): NamedChunk {
  return { rows, cols: names.length, data: new Float64Array(rows * names.length), columns: names.slice() }
}
