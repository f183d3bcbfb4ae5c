import { InputError } from './errors.js'
import { isMatrix, type Matrix, type MatrixInput } from './matrix.js'
import { show, showNonNumber } from './show.js'

/**
 * Copy user data into a fresh Matrix, checking shape and values. The input is never
 * mutated or retained. `allowMissing` lets NaN through (models that handle missing
 * values); Infinity is never allowed. A flat `{ data, rows, cols }` gets the checks
 * rows get: every entry must be a number, so junk never becomes a silent NaN.
 */
export function toMatrix(input: MatrixInput, what = 'X', opts: { allowMissing?: boolean } = {}): Matrix {
  let m: Matrix
  if (isMatrix(input)) {
    m = flatMatrix(input, what)
  } else if (input && typeof input === 'object' && typeof (input as ArrayLike<unknown>).length === 'number') {
    m = rowsMatrix(input as ArrayLike<unknown>, what)
  } else {
    throw new InputError('INVALID_DATA', `${what} must be a 2-D array (an array of rows) or { data: Float64Array, rows, cols }, got ${show(input)}.`)
  }
  if (m.rows === 0 || m.cols === 0) {
    throw new InputError('EMPTY_DATA', `${what} is empty (${m.rows} rows x ${m.cols} columns); give at least one row with at least one feature.`, { rows: m.rows, cols: m.cols })
  }
  checkFinite(m, what, opts.allowMissing ?? false)
  return m
}

/** Float64Arrays emkit made itself and hands to no one else (markOwned): checked, never copied. */
const OWNED = new WeakSet<Float64Array>()

/**
 * Let toMatrix check `m` without copying it: for a matrix emkit itself made and owns,
 * which nothing will write to while a fit reads it (the command's parsed file, where a
 * copy would hold the data twice). User data is always copied, since a caller may
 * change it while an asynchronous fit is still reading it.
 */
export function markOwned(m: Matrix): Matrix {
  OWNED.add(m.data)
  return m
}

/**
 * An owned matrix of `rows` x `cols` entries of the array `whole()` gives, from row
 * `from`: its `data` is viewed afresh (and marked owned) whenever that array's memory
 * has moved, since wasm's memory.grow detaches the views taken before it. The new view
 * keeps what was found of the old one (scanned, complete): the values did not change,
 * only where they are mapped (else every check after a move would scan them again).
 */
export function ownedRows(whole: () => Float64Array, from: number, rows: number, cols: number): Matrix {
  let view: Float64Array | null = null
  return {
    rows, cols,
    get data(): Float64Array {
      const all = whole()
      if (view === null || view.buffer !== all.buffer) {
        const next = markOwned({ rows, cols, data: all.subarray(from * cols, (from + rows) * cols) }).data
        if (view !== null) {
          const scan = SCANNED.get(view)
          if (scan) SCANNED.set(next, scan)
          if (COMPLETE.has(view)) COMPLETE.add(next)
        }
        view = next
      }
      return view
    },
  }
}

/** Per column: the sum of squares (in row order), the least and the largest value (RowsScan, below), of a matrix of `cols` columns. */
interface ColumnScan extends RowsScan {
  readonly cols: number
}

/** Owned matrices that one pass found finite, NaN-free and with finite column squares (scanOwned). */
const SCANNED = new WeakMap<Float64Array, ColumnScan>()

/**
 * One row-major pass over an owned matrix (markOwned: nothing writes to it later) that
 * settles, for the later checks of a fit, what they would each find in a pass of their
 * own: every entry finite (toMatrix), no NaN (`knownComplete`, the missing-value
 * checks), and the columns' squares and ranges (checkFitScale), summed in the same row
 * order, so the same bits. A sharded fit's rows, copied once on the calling thread,
 * cost one pass there instead of four (the checks run before the shards can start). A
 * matrix with anything unusual (a NaN, an infinity, squares that overflow) is not
 * recorded: the checks then take their own passes and find it exactly.
 */
export function scanOwned(m: Matrix): Matrix {
  const { data, cols } = m
  if (!OWNED.has(data) || cols < 1) return m
  const { squares, lo, hi } = scanRows(data, cols, 0, data.length)
  // a NaN or an infinity makes its column's squares NaN or infinite, as does overflow
  for (let j = 0; j < cols; j++) if (!Number.isFinite(squares[j]!)) return m
  SCANNED.set(data, { cols, squares, lo, hi })
  return m
}

/** Per column of some rows: the sum of squares in row order, the least and the largest value (a NaN or an infinity carried into the squares). */
export interface RowsScan {
  readonly squares: Float64Array
  readonly lo: Float64Array
  readonly hi: Float64Array
}

/**
 * scanOwned's pass over the entries from..to (whole rows) of row-major `data`, going on
 * from `into` (the scan of the rows before, in order) if given: what each helper of a
 * shared copy scans of its part (parallel/pool.ts's shareAhead).
 */
export function scanRows(data: Float64Array, cols: number, from: number, to: number, into?: RowsScan): RowsScan {
  const { squares, lo, hi } = into ?? emptyScan(cols)
  for (let p = from; p < to;) {
    for (let j = 0; j < cols; j++, p++) {
      const v = data[p]!
      squares[j] += v * v
      if (v < lo[j]!) lo[j] = v
      if (v > hi[j]!) hi[j] = v
    }
  }
  return { squares, lo, hi }
}

/** The scan of no rows: sums 0, bounds that any value replaces. */
function emptyScan(cols: number): RowsScan {
  return { squares: new Float64Array(cols), lo: new Float64Array(cols).fill(Infinity), hi: new Float64Array(cols).fill(-Infinity) }
}

/**
 * What scanOwned records, from scans of consecutive parts of an owned matrix's rows
 * (in row order, together every row) made apart, e.g. on several threads. Their squares
 * add in another order than one pass's, so they are recorded only where that order
 * cannot change a check's outcome: every column's total finite and at most half the
 * limit checkFitScale applies (two orders of n >= 0 terms differ by about n x 2^-53 of
 * the total, far less than half). Otherwise nothing is recorded and the checks take
 * their own passes, as after scanOwned of such rows.
 */
export function recordScans(m: Matrix, parts: readonly RowsScan[]): Matrix {
  const { data, cols } = m
  if (!OWNED.has(data) || cols < 1 || parts.length === 0) return m
  const { squares, lo, hi } = emptyScan(cols)
  for (const part of parts) {
    for (let j = 0; j < cols; j++) {
      squares[j] += part.squares[j]!
      lo[j] = Math.min(lo[j]!, part.lo[j]!)
      hi[j] = Math.max(hi[j]!, part.hi[j]!)
    }
  }
  for (let j = 0; j < cols; j++) if (!(squares[j]! <= MAX_FIT_SQUARES / 2)) return m
  SCANNED.set(data, { cols, squares, lo, hi })
  return m
}

/** Views known to be finite everywhere without a scan of their own (markComplete). */
const COMPLETE = new WeakSet<Float64Array>()

/** Whether a pass (scanOwned) found every entry of `m` finite (no NaN, no infinity), or markComplete said so. */
export function knownComplete(m: Matrix): boolean {
  return COMPLETE.has(m.data) || SCANNED.get(m.data)?.cols === m.cols
}

/**
 * Record that `m` (rows of a matrix a scan found finite: a sharded fit's shard, on its
 * worker) holds no NaN or infinity, so that its preparation does not look again.
 */
export function markComplete(m: Matrix): Matrix {
  COMPLETE.add(m.data)
  return m
}

function flatMatrix(m: Matrix, what: string): Matrix {
  const { rows, cols, data } = m
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows < 0 || cols < 0) {
    throw new InputError('INVALID_DATA', `${what}: rows and cols must be non-negative integers (got rows=${show(rows)}, cols=${show(cols)}).`, { rows, cols })
  }
  const values = data as unknown
  if (!values || typeof values !== 'object' || typeof (values as ArrayLike<unknown>).length !== 'number') {
    throw new InputError('INVALID_DATA', `${what}.data must be a Float64Array (or an array of numbers) of rows*cols values, row-major; got ${show(values)}.`, { rows, cols })
  }
  const length = (values as ArrayLike<unknown>).length
  if (length !== rows * cols) {
    throw new InputError('SHAPE_MISMATCH', `${what}: data has ${length} values but rows*cols = ${rows * cols}; pass a Float64Array of exactly rows*cols values, row-major.`, { rows, cols })
  }
  // an owned matrix is kept as given, not as a new object over its array: the command's
  // rows in kernel memory give a fresh view from their getter after the memory has moved
  // and scanned once (scanOwned): its later checks (finite, NaN, scale) read the record, not the rows
  if (values instanceof Float64Array) return OWNED.has(values) ? (knownComplete(m) ? m : scanOwned(m)) : { rows, cols, data: Float64Array.from(values) }
  const out = new Float64Array(length)
  for (let p = 0; p < length; p++) {
    const v = (values as ArrayLike<unknown>)[p]
    if (typeof v !== 'number') {
      throw new InputError('INVALID_DATA', `${what}.data[${p}] (row ${Math.floor(p / cols)}, column ${p % cols}) is ${showNonNumber(v)}.`, { row: Math.floor(p / cols), column: p % cols })
    }
    out[p] = v
  }
  return { rows, cols, data: out }
}

function rowsMatrix(rowsIn: ArrayLike<unknown>, what: string): Matrix {
  const rows = rowsIn.length
  const first = rows > 0 ? rowsIn[0] : undefined
  if (rows > 0 && !isRow(first)) {
    const flat = typeof first === 'number' || typeof first === 'bigint' ? ' (for one feature, give rows of one value: [[x0], [x1], ...])' : ''
    throw new InputError('INVALID_DATA', `${what} must be a 2-D array (an array of rows) or { data, rows, cols }; row 0 is ${show(first)}, not an array of values${flat}.`, { row: 0 })
  }
  const cols = rows > 0 ? (first as ArrayLike<unknown>).length : 0
  const data = new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) {
    const r = rowsIn[i]
    if (!isRow(r) || r.length !== cols) {
      const got = isRow(r) ? `${r.length} values` : show(r)
      throw new InputError('RAGGED_ROWS', `${what}: row ${i} has ${got} but row 0 has ${cols} values; every row needs the same number of features.`, { row: i, expected: cols, got: isRow(r) ? r.length : undefined })
    }
    for (let j = 0; j < cols; j++) {
      const v = r[j]
      if (typeof v !== 'number') {
        throw new InputError('INVALID_DATA', `${what}[${i}][${j}] is ${showNonNumber(v)}.`, { row: i, column: j })
      }
      data[i * cols + j] = v
    }
  }
  return { rows, cols, data }
}

function isRow(r: unknown): r is ArrayLike<unknown> {
  return !!r && typeof r === 'object' && typeof (r as ArrayLike<unknown>).length === 'number'
}

function checkFinite(m: Matrix, what: string, allowMissing: boolean): void {
  if (knownComplete(m)) return
  const { data, cols } = m
  for (let p = 0; p < data.length; p++) {
    const v = data[p]!
    if (Number.isFinite(v) || (allowMissing && Number.isNaN(v))) continue
    const row = Math.floor(p / cols), column = p % cols
    const hint = Number.isNaN(v)
      ? 'this model does not handle missing values: drop or impute that row'
      : 'infinite values cannot be fitted: check the input or rescale it'
    throw new InputError('NON_FINITE', `${what}[${row}][${column}] is ${v}; ${hint}.`, { row, column, value: v })
  }
}

/** One number per entry of `values` (an array of `count` of them), checked by `ok`; `rule` says what is allowed. */
export function numbersOf(values: unknown, what: string, count: number | null, ok: (v: number) => boolean, rule: string): Float64Array {
  if (!isRow(values) || typeof values === 'string') {
    throw new InputError('INVALID_DATA', `${what} must be an array of numbers${count === null ? '' : ` (one per row: ${count})`}, got ${show(values)}.`)
  }
  if (count !== null && values.length !== count) {
    throw new InputError('SHAPE_MISMATCH', `${what} has ${values.length} values but X has ${count} rows; give one per row.`, { rows: count, got: values.length })
  }
  const out = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v !== 'number') throw new InputError('INVALID_DATA', `${what}[${i}] is ${showNonNumber(v)}.`, { index: i })
    if (!ok(v)) throw new InputError('INVALID_DATA', `${what}[${i}] is ${show(v)}; ${rule}.`, { index: i, value: v })
    out[i] = v
  }
  return out
}

/** Sample weights: one finite, non-negative value per row, not all zero. */
export function toSampleWeight(w: ArrayLike<number> | undefined, rows: number): Float64Array | null {
  if (w === undefined) return null
  const out = numbersOf(w, 'sampleWeight', rows, (v) => Number.isFinite(v) && v >= 0, 'weights must be finite and >= 0')
  let total = 0
  for (let i = 0; i < rows; i++) total += out[i]!
  if (!(total > 0)) throw new InputError('INVALID_DATA', 'sampleWeight sums to 0; at least one row needs a positive weight.')
  return out
}

/** Sequence lengths: positive integers summing to the number of rows. */
export function toLengths(lengths: ArrayLike<number> | undefined, n: number): number[] {
  if (lengths === undefined) return [n]
  if (!isRow(lengths) || typeof lengths === 'string' || lengths.length === 0) {
    throw new InputError('INVALID_DATA', `lengths must be a non-empty array of sequence lengths (one positive integer per sequence), got ${show(lengths)}.`)
  }
  const out: number[] = []
  let total = 0
  for (let s = 0; s < lengths.length; s++) {
    const v = lengths[s] as unknown
    if (typeof v !== 'number') throw new InputError('INVALID_DATA', `lengths[${s}] is ${showNonNumber(v)}.`, { index: s })
    if (!Number.isInteger(v) || v < 0) {
      throw new InputError('INVALID_DATA', `lengths[${s}] is ${show(v)}; sequence lengths must be positive integers.`, { index: s, value: v })
    }
    if (v === 0) {
      throw new InputError('EMPTY_DATA', `lengths[${s}] is 0: sequence ${s} is empty; remove zero-length sequences from lengths.`, { index: s })
    }
    out.push(v)
    total += v
  }
  if (total !== n) {
    throw new InputError('SHAPE_MISMATCH', `lengths sum to ${total} but X has ${n} rows; lengths must split X's rows into consecutive sequences exactly.`, { sum: total, rows: n })
  }
  return out
}

/**
 * The largest sum of squares of a column a fit accepts: models form sums of squares and
 * cross-products of the columns (covariances, Z'Z), which must stay finite with room
 * for a few more terms. Data beyond it would overflow and look singular, constant or
 * rank deficient to the model.
 */
export const MAX_FIT_SQUARES = Number.MAX_VALUE / 16
/** A column that varies, but by less than this, has squared deviations that underflow. */
export const MIN_FIT_SPREAD = 2 ** -500

/**
 * Refuse values a fit cannot square and sum without overflow, or whose spread
 * underflows when squared, naming the entry and the remedy (rescale) rather than
 * letting the model call the data singular, constant or rank deficient. NaN (a
 * missing value) is skipped.
 */
export function checkFitScale(m: Matrix, what = 'X'): void {
  const scan = SCANNED.get(m.data)
  if (scan?.cols === m.cols && scaleFits(scan)) return
  const { rows, cols, data } = m
  const one = cols === 1 && what !== 'X'
  const at = (i: number, j: number): string => (one ? `${what}[${i}]` : `${what}[${i}][${j}]`)
  const column = (j: number): string => (one ? what : `column ${j} of ${what}`)
  for (let j = 0; j < cols; j++) {
    let lo = Infinity, hi = -Infinity, squares = 0, largest = -1
    for (let i = 0; i < rows; i++) {
      const v = data[i * cols + j]!
      if (Number.isNaN(v)) continue
      squares += v * v
      if (largest < 0 || Math.abs(v) > Math.abs(data[largest * cols + j]!)) largest = i
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    if (!(squares <= MAX_FIT_SQUARES)) {
      const v = data[largest * cols + j]!
      throw new InputError('INVALID_DATA', `${at(largest, j)} is ${show(v)}: values too large (the squares of ${column(j)} sum beyond double precision); rescale ${what}, e.g. divide ${column(j)} by its largest absolute value.`, { row: largest, column: j, value: v })
    }
    const spread = hi - lo
    if (spread > 0 && spread < MIN_FIT_SPREAD) {
      throw new InputError('INVALID_DATA', `${one ? what : `Column ${j} of ${what}`} varies only by ${show(spread)}: values too small (their squared deviations underflow double precision); rescale ${what}, e.g. multiply ${column(j)} by 1 / its largest absolute value.`, { column: j, spread })
    }
  }
}

/** The scale checks of checkFitScale on a scan's sums (a failure is reported by checkFitScale's own pass, which names the entry). */
function scaleFits({ cols, squares, lo, hi }: ColumnScan): boolean {
  for (let j = 0; j < cols; j++) {
    const spread = hi[j]! - lo[j]!
    if (!(squares[j]! <= MAX_FIT_SQUARES) || (spread > 0 && spread < MIN_FIT_SPREAD)) return false
  }
  return true
}

/** The largest count emkit takes: counts are doubles, exact as integers up to 2^53 - 1. */
export const MAX_COUNT = Number.MAX_SAFE_INTEGER

/**
 * What is wrong with `v` as a count (a non-negative integer), or null: the value as
 * given and the rule it breaks, integer limits named as such.
 */
export function countProblem(v: unknown, rule = 'counts must be non-negative integers'): string | null {
  if (typeof v !== 'number') return showNonNumber(v)
  if (Number.isInteger(v) && v >= 0 && v <= MAX_COUNT) return null
  if (v > MAX_COUNT && v !== Infinity) return `${show(v)}: counts above 2^53 - 1 = ${MAX_COUNT} (Number.MAX_SAFE_INTEGER) are not exact integers in double precision`
  return `${show(v)}; ${rule}`
}
