/**
 * Observations of the HMM estimators, checked and turned into the Dataset the base
 * fits and scores: rows of a Gaussian HMM, integer symbols and counts (one column),
 * and `lengths` splitting the rows into sequences.
 */
import { InputError } from '../../core/errors.js'
import { isMatrix, type Matrix, type MatrixInput } from '../../core/matrix.js'
import { show, showNonNumber } from '../../core/show.js'
import { countProblem, toLengths, toMatrix } from '../../core/validate.js'
import type { Dataset } from '../../runtime/dataset.js'

/** One value per time step: a flat array, or rows of one value each. */
export type IntegerSequence = ArrayLike<number> | ArrayLike<readonly [number]>

/** X and, when given, the sequence lengths (validated: positive integers summing to the rows). */
export function withLengths(X: Matrix, lengths: unknown): Dataset {
  if (lengths === undefined) return { X }
  return { X, lengths: Float64Array.from(toLengths(lengths as ArrayLike<number>, X.rows)) }
}

/** Rows of observations (number[][] or { data, rows, cols }); a flat array of numbers is one column (d = 1). */
export function toObservationMatrix(X: unknown): Matrix {
  const first = !isMatrix(X) && X && typeof X === 'object' && typeof (X as ArrayLike<unknown>).length === 'number' ? (X as ArrayLike<unknown>)[0] : undefined
  if (typeof first === 'number' || typeof first === 'bigint') {
    const flat = X as ArrayLike<unknown>
    const data = new Float64Array(flat.length)
    for (let i = 0; i < flat.length; i++) {
      const v = flat[i]
      if (typeof v !== 'number') throw new InputError('INVALID_DATA', `X[${i}] is ${showNonNumber(v)}.`, { row: i })
      data[i] = v
    }
    return toMatrix({ rows: flat.length, cols: 1, data }, 'X')
  }
  return toMatrix(X as MatrixInput, 'X')
}

/** Rows of a Gaussian emission's X; `d` (from init.means, null: not given) fixes the columns. */
export function gaussianRows(X: unknown, d: number | null): Matrix {
  const m = toObservationMatrix(X)
  if (d !== null && m.cols !== d) {
    throw new InputError('SHAPE_MISMATCH', `X has ${m.cols} features but init.means has ${d}; pass rows with ${d} columns.`, { expected: d, got: m.cols })
  }
  return m
}

/** Non-negative integers (symbols or counts), one per time step, as a one-column matrix. */
export function toIntegerColumn(X: unknown, kind: 'symbols' | 'counts'): Matrix {
  if (!X || typeof X !== 'object' || typeof (X as ArrayLike<unknown>).length !== 'number') {
    throw new InputError('INVALID_DATA', `X must be an array of ${kind} (one per time step), got ${show(X)}.`)
  }
  const arr = X as ArrayLike<unknown>
  if (arr.length === 0) throw new InputError('EMPTY_DATA', 'X is empty; give at least one observation.')
  const out = new Float64Array(arr.length)
  for (let t = 0; t < arr.length; t++) {
    let v = arr[t]
    if (v && typeof v === 'object' && (v as ArrayLike<unknown>).length === 1) v = (v as ArrayLike<unknown>)[0]
    const problem = kind === 'symbols' ? symbolProblem(v) : countProblem(v, 'Poisson counts must be non-negative integers')
    if (problem) throw new InputError('INVALID_DATA', `X[${t}] is ${problem}.`, { index: t, value: typeof v === 'number' ? v : show(v) })
    out[t] = v as number
  }
  return { rows: arr.length, cols: 1, data: out }
}

/** Symbols are indices into 32-bit integer buffers: at most 2^31 - 1. */
export const MAX_SYMBOL = 0x7fffffff

/** What is wrong with `v` as a symbol, or null. */
function symbolProblem(v: unknown): string | null {
  if (typeof v !== 'number') return showNonNumber(v)
  if (Number.isInteger(v) && v >= 0 && v <= MAX_SYMBOL) return null
  if (Number.isInteger(v) && v > MAX_SYMBOL) return `${show(v)}: symbols are 32-bit indices, at most 2^31 - 1 = ${MAX_SYMBOL}; recode the symbols to 0, 1, ..., S - 1 (one index per distinct value)`
  return `${show(v)}; symbols must be integers 0, 1, ..., nSymbols - 1 (recode labels to indices)`
}

/** Symbols 0..max of a validated symbol column: max + 1. */
export function symbolCount(X: Matrix): number {
  let max = 0
  for (let t = 0; t < X.data.length; t++) max = Math.max(max, X.data[t]!)
  return max + 1
}

/**
 * Symbols must lie in [0, nSymbols): `bound` says whether nSymbols was given as an
 * option (raise it) or is the fitted model's (refit).
 */
export function checkSymbols(X: Matrix, nSymbols: number, bound: 'option' | 'model'): void {
  const t = X.data.findIndex((v) => v >= nSymbols)
  if (t < 0) return
  const v = X.data[t]
  const message = bound === 'option'
    ? `X[${t}] is symbol ${v} but nSymbols is ${nSymbols}; symbols must be integers in [0, ${nSymbols}) (raise nSymbols or recode the data).`
    : `X[${t}] is symbol ${v} but the model has nSymbols = ${nSymbols}; symbols must be integers in [0, ${nSymbols}) (refit with more symbols or recode the data).`
  throw new InputError('INVALID_DATA', message, { index: t, value: v, nSymbols })
}
