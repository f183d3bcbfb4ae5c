import { InputError } from './errors.js'
import { isMatrix, type Matrix, type MatrixInput } from './matrix.js'

/**
 * Copy user data into a fresh Matrix, checking shape and values. The input is never
 * mutated or retained. `allowMissing` lets NaN through (models that handle missing
 * values); Infinity is never allowed.
 */
export function toMatrix(input: MatrixInput, what = 'X', opts: { allowMissing?: boolean } = {}): Matrix {
  let m: Matrix
  if (isMatrix(input)) {
    const { rows, cols, data } = input
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new InputError('INVALID_DATA', `${what}: rows and cols must be non-negative integers (got rows=${rows}, cols=${cols}).`)
    }
    if (!data || data.length !== rows * cols) {
      throw new InputError('SHAPE_MISMATCH', `${what}: data has ${data?.length} values but rows*cols = ${rows * cols}; pass a Float64Array of exactly rows*cols values, row-major.`, { rows, cols })
    }
    m = { rows, cols, data: Float64Array.from(data) }
  } else if (input && typeof input === 'object' && typeof (input as ArrayLike<unknown>).length === 'number') {
    const rowsIn = input as ArrayLike<ArrayLike<number>>
    const rows = rowsIn.length
    const first = rows > 0 ? rowsIn[0] : undefined
    if (rows > 0 && (first === null || typeof first !== 'object' || typeof first.length !== 'number')) {
      throw new InputError('INVALID_DATA', `${what} must be a 2-D array (an array of rows) or { data, rows, cols }; row 0 is not an array.`, { row: 0 })
    }
    const cols = rows > 0 ? first!.length : 0
    const data = new Float64Array(rows * cols)
    for (let i = 0; i < rows; i++) {
      const r = rowsIn[i]
      if (!r || typeof r !== 'object' || r.length !== cols) {
        throw new InputError('RAGGED_ROWS', `${what}: row ${i} has ${r?.length ?? 'no'} values but row 0 has ${cols}; every row needs the same number of features.`, { row: i, expected: cols, got: r?.length })
      }
      for (let j = 0; j < cols; j++) {
        const v = r[j]
        if (typeof v !== 'number') {
          throw new InputError('INVALID_DATA', `${what}[${i}][${j}] is ${JSON.stringify(v)}, not a number.`, { row: i, column: j })
        }
        data[i * cols + j] = v
      }
    }
    m = { rows, cols, data }
  } else {
    throw new InputError('INVALID_DATA', `${what} must be a 2-D array (an array of rows) or { data: Float64Array, rows, cols }.`)
  }
  if (m.rows === 0 || m.cols === 0) {
    throw new InputError('EMPTY_DATA', `${what} is empty (${m.rows} rows x ${m.cols} columns); give at least one row with at least one feature.`, { rows: m.rows, cols: m.cols })
  }
  checkFinite(m, what, opts.allowMissing ?? false)
  return m
}

function checkFinite(m: Matrix, what: string, allowMissing: boolean): void {
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

/** Sample weights: one finite, non-negative value per row, not all zero. */
export function toSampleWeight(w: ArrayLike<number> | undefined, rows: number): Float64Array | null {
  if (w === undefined) return null
  if (!w || typeof w.length !== 'number' || w.length !== rows) {
    throw new InputError('SHAPE_MISMATCH', `sampleWeight has ${w?.length} values but X has ${rows} rows; give one weight per row.`, { rows, got: w?.length })
  }
  const out = Float64Array.from(w)
  let total = 0
  for (let i = 0; i < rows; i++) {
    const v = out[i]!
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new InputError('INVALID_DATA', `sampleWeight[${i}] is ${v}; weights must be finite and >= 0.`, { row: i, value: v })
    }
    total += v
  }
  if (!(total > 0)) throw new InputError('INVALID_DATA', 'sampleWeight sums to 0; at least one row needs a positive weight.')
  return out
}

/** Sequence lengths: positive integers summing to the number of rows. */
export function toLengths(lengths: ArrayLike<number> | undefined, n: number): number[] {
  if (lengths === undefined) return [n]
  if (!lengths || typeof lengths !== 'object' || typeof lengths.length !== 'number' || lengths.length === 0) {
    throw new InputError('INVALID_DATA', 'lengths must be a non-empty array of sequence lengths (one positive integer per sequence).')
  }
  const out = Array.from(lengths)
  let total = 0
  for (let s = 0; s < out.length; s++) {
    const v = out[s]!
    if (!Number.isInteger(v) || v < 0) {
      throw new InputError('INVALID_DATA', `lengths[${s}] is ${v}; sequence lengths must be positive integers.`, { index: s, value: v })
    }
    if (v === 0) {
      throw new InputError('EMPTY_DATA', `lengths[${s}] is 0: sequence ${s} is empty; remove zero-length sequences from lengths.`, { index: s })
    }
    total += v
  }
  if (total !== n) {
    throw new InputError('SHAPE_MISMATCH', `lengths sum to ${total} but X has ${n} rows; lengths must split X's rows into consecutive sequences exactly.`, { sum: total, rows: n })
  }
  return out
}
