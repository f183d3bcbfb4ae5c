/** Checks shared by the plots' inputs: column choices, rows, sizes, a mixture's parameters. */
import { InputError, OptionError } from '../core/errors.js'
import { show } from '../core/show.js'

/** A plot's one argument must be an object of its inputs (`fields`, e.g. '{ points, ... }'): refuse anything else by name. */
export function checkInputObject(fn: string, input: unknown, fields: string): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError('INVALID_DATA', `${fn} needs an object ${fields}, got ${show(input)}.`)
}

/** Which columns to draw: all (default) or the chosen ones, by 0-based index or name. */
export function chooseColumns(fn: string, d: number, names: readonly string[] | null, chosen: readonly (number | string)[] | null | undefined): number[] {
  if (chosen === undefined || chosen === null) return Array.from({ length: d }, (_, j) => j)
  if (!Array.isArray(chosen) || chosen.length === 0) {
    throw new OptionError('select', `${fn} draws the columns listed: give a non-empty list of 0-based indices or names, got ${JSON.stringify(chosen)}.`)
  }
  return chosen.map((c) => {
    if (typeof c === 'number') {
      if (!Number.isInteger(c) || c < 0 || c >= d) throw new OptionError('select', `${fn}: column index ${c} is out of range: the data has ${d} columns (0-based indices 0..${d - 1}).`)
      return c
    }
    const j = names ? names.indexOf(c) : -1
    if (j < 0) {
      throw new OptionError('select', names
        ? `${fn}: no column named ${JSON.stringify(c)}; the columns are ${names.map((s) => JSON.stringify(s)).join(', ')}.`
        : `${fn}: no column named ${JSON.stringify(c)}: give the column names (columns) or select columns by index.`)
    }
    return j
  })
}

/** Rows as arrays: a 1-D series becomes one column. */
export function asRows(fn: string, what: string, data: ArrayLike<ArrayLike<number>> | ArrayLike<number>): ArrayLike<number>[] {
  const n = data?.length
  if (typeof n !== 'number') throw new InputError('INVALID_DATA', `${fn}: ${what} must be an array of rows (or of numbers), got ${data === null ? 'null' : typeof data}.`)
  const rows: ArrayLike<number>[] = []
  for (let i = 0; i < n; i++) {
    const r = (data as ArrayLike<unknown>)[i]
    if (typeof r === 'number') rows.push([r])
    else if (r !== null && typeof r === 'object' && typeof (r as ArrayLike<number>).length === 'number') rows.push(r as ArrayLike<number>)
    else throw new InputError('INVALID_DATA', `${fn}: row ${i} of ${what} is ${r === null ? 'null' : typeof r}; give numbers or arrays of numbers.`, { row: i })
  }
  return rows
}

/**
 * Rows as asRows reads them, refused when there are none or when their widths differ;
 * `unit` names a row in the messages ('row', or 'step' of a series). Returns the rows and their width.
 */
export function sameWidthRows(fn: string, what: string, data: ArrayLike<ArrayLike<number>> | ArrayLike<number>, unit: 'row' | 'step'): { rows: ArrayLike<number>[]; d: number } {
  const rows = asRows(fn, what, data)
  if (rows.length === 0) throw new InputError('EMPTY_DATA', `${fn}: ${what} is empty; give at least one ${unit === 'step' ? 'time step' : 'row'}.`)
  const d = rows[0]!.length
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.length !== d) throw new InputError('SHAPE_MISMATCH', `${fn}: ${unit} ${i} has ${rows[i]!.length} values but ${unit} 0 has ${d}; every ${unit} needs the same columns.`, { row: i })
  }
  return { rows, d }
}

/** A pixel size or count option: a finite number of at least `min`, or the default. */
export function sizeOption(fn: string, name: string, v: unknown, fallback: number, min: number): number {
  if (v === undefined || v === null) return fallback
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new OptionError(name, `${fn}: must be a number of at least ${min}, got ${typeof v === 'string' ? JSON.stringify(v) : String(v)}.`)
  }
  return v
}

/** Check a mixture's parameters against each other: K weights, K means of length d, K d x d covariances. */
export function checkMixture(fn: string, weights: readonly number[], means: readonly (readonly number[])[], covariances: readonly (readonly (readonly number[])[])[]): { K: number; d: number } {
  const K = weights?.length ?? 0
  if (K < 1) throw new InputError('INVALID_DATA', `${fn}: weights must list at least one component.`)
  if (!means || means.length !== K || !covariances || covariances.length !== K) {
    throw new InputError('SHAPE_MISMATCH', `${fn}: weights, means and covariances must all have K = ${K} entries (got ${means?.length}, ${covariances?.length}); pass covariances in full K x d x d form (GaussianMixture.fullCovariances).`)
  }
  const d = means[0]?.length ?? 0
  if (d < 1) throw new InputError('INVALID_DATA', `${fn}: means must have at least one column.`)
  for (let k = 0; k < K; k++) {
    const S = covariances[k]!
    if (means[k]?.length !== d || !S || S.length !== d || S.some((row) => !row || row.length !== d)) {
      throw new InputError('SHAPE_MISMATCH', `${fn}: component ${k + 1} must have a mean of length ${d} and a ${d} x ${d} covariance (full form).`, { component: k })
    }
  }
  return { K, d }
}
