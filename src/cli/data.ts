/** The command's data: the embedded Old Faithful rows or a CSV read as it streams in, and what to warn about in it. */
import type { Matrix } from '../core/matrix.js'
import { markOwned, toMatrix } from '../core/validate.js'
import { faithful } from '../data/faithful.js'
import { readCsv } from '../io/csv.js'
import { loadKernels } from '../kernels/index.js'
import type { BackendName } from '../kernels/types.js'
import { readResident } from './resident.js'
import { UsageError } from './args.js'
import { fmt } from './format.js'
import type { CliIO } from './io.js'

/** A file that could not be read or written: exit status 1, like a data error. */
export class FileError extends Error {}

export interface Loaded {
  readonly data: Matrix
  /** Column names (header or embedded), or null for a CSV without a header. */
  readonly columns: string[] | null
  /** What the data is, for messages: a path, 'standard input' or the embedded set. */
  readonly source: string
  /** Text row names of a CSV whose first column held them (skipped), else null. */
  readonly rowNames: string[] | null
  readonly hasRowNames: boolean
  /** Frees what holds the rows (kernel memory: resident.ts) once the command is done with them. */
  readonly release?: () => void
}

/**
 * `file` null: the embedded Old Faithful data; '-': standard input; else a CSV path. A
 * file of known size read for a wasm `backend` is parsed straight into that backend's
 * kernel memory (resident.ts), where fits read it without a copy.
 */
export async function loadData(file: string | null, columns: readonly (string | number)[] | null, io: CliIO, backend: BackendName = 'wasm'): Promise<Loaded> {
  if (file === null) return embedded(columns)
  const source = file === '-' ? 'standard input' : file
  let chunks: string | Iterable<string> | AsyncIterable<string>
  try {
    chunks = io.readFile(file)
  } catch (e) {
    throw new FileError(`cannot read ${source}: ${(e as Error).message}`)
  }
  const sizeHint = io.fileSize?.(file)
  const options = { missing: 'nan', rowNames: 'auto', ...(columns ? { columns } : {}) } as const
  if (sizeHint !== undefined && backend !== 'js') {
    return { ...await readResident(readErrorsAsFileErrors(chunks, source), options, sizeHint, await loadKernels(backend)), source }
  }
  const parsed = await readCsv(readErrorsAsFileErrors(chunks, source), { ...options, ...(sizeHint !== undefined ? { sizeHint } : {}) })
  return { data: markOwned(parsed.matrix), columns: parsed.columns, source, rowNames: parsed.rowNames, hasRowNames: parsed.hasRowNames }
}

/** A failure of the stream itself (ENOENT, EISDIR, ...) is a FileError; a failure of the parser is not. */
export async function* readErrorsAsFileErrors(chunks: string | Iterable<string> | AsyncIterable<string>, source: string): AsyncGenerator<string> {
  if (typeof chunks === 'string') { yield chunks; return }
  const it = Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : (chunks as Iterable<string>)[Symbol.iterator]()
  for (;;) {
    let next: IteratorResult<string>
    try {
      next = await it.next()
    } catch (e) {
      throw new FileError(`cannot read ${source}: ${(e as Error).message}`)
    }
    if (next.done) return
    yield next.value
  }
}

function embedded(columns: readonly (string | number)[] | null): Loaded {
  let rows: readonly (readonly number[])[] = faithful.rows
  let names = [...faithful.columns]
  if (columns) {
    const idx = columns.map((c) => {
      const j = typeof c === 'number' ? c : names.indexOf(c)
      if (j < 0 || j >= names.length) throw new UsageError(`--columns: the Old Faithful data has columns ${names.join(', ')} (or 1, 2), not '${typeof c === 'number' ? c + 1 : c}'`)
      return j
    })
    rows = rows.map((r) => idx.map((j) => r[j]!))
    names = idx.map((j) => names[j]!)
  }
  return { data: toMatrix(rows, 'faithful'), columns: names, source: 'Old Faithful (embedded)', rowNames: null, hasRowNames: false }
}

/** The name of column j in messages. */
export function columnName(columns: readonly string[] | null, j: number): string {
  return columns?.[j] ?? `x${j + 1}`
}

/**
 * Warnings about the data before fitting: a constant column (its variance is then
 * only regCovar, and every covariance is nearly singular in it) and a column with no
 * observed value.
 */
export function dataWarnings(data: Matrix, columns: readonly string[] | null): string[] {
  return rangeWarnings(columnRanges(data), columns)
}

/** Each column's observed range and the rows seen: what dataWarnings reads, gathered chunk by chunk when the rows stream. */
export interface ColumnRanges { rows: number; readonly min: Float64Array; readonly max: Float64Array }

/** The ranges of `data`'s columns, added to `into` (a later chunk of the same columns) when given. */
export function columnRanges(data: Matrix, into?: ColumnRanges): ColumnRanges {
  const { rows, cols, data: x } = data
  const r = into ?? { rows: 0, min: new Float64Array(cols).fill(Infinity), max: new Float64Array(cols).fill(-Infinity) }
  const { min, max } = r
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = x[i * cols + j]!
      if (v < min[j]!) min[j] = v
      if (v > max[j]!) max[j] = v
    }
  }
  r.rows += rows
  return r
}

/** The warnings of dataWarnings from column ranges. */
export function rangeWarnings(ranges: ColumnRanges, columns: readonly string[] | null): string[] {
  const { rows, min, max } = ranges
  const cols = min.length
  const out: string[] = []
  for (let j = 0; j < cols; j++) {
    const name = `column ${JSON.stringify(columnName(columns, j))}`
    if (min[j] === Infinity) out.push(`${name} has no observed value (all missing): drop it with --columns`)
    else if (min[j] === max[j] && rows > 1) out.push(`${name} is constant (every observed value is ${fmt(min[j]!, 6)}): it carries no information about the components and its variance is only --reg-covar; drop it with --columns`)
  }
  return out
}

/** A warning when a model has more free parameters than the data has rows: its likelihood and BIC then mean little. */
export function parameterWarning(what: string, nParameters: number, rows: number): string | null {
  if (nParameters <= rows) return null
  return `${what} has ${nParameters} free parameters but the data have only ${rows} rows: the fit is not identified and its BIC means little; use fewer components or a simpler --covariance`
}
