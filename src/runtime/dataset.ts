/**
 * The data of a bootstrap or a model selection, as one structured-cloneable value: X
 * and the arrays that go with its rows (y, sampleWeight, exposure, trials, groups) or
 * split it into sequences (lengths).
 *
 * Why one shape for every estimator: `fit` signatures differ (fit(X), fit(X, y),
 * fit(counts, { exposure }), fit(X, { lengths })), but a replicate only needs to
 * resample or simulate "the data" and hand it to the kind's `fit` (kinds/*.ts). Every
 * array is a Float64Array, so the whole dataset goes to workers as SharedArrayBuffers.
 */
import { InputError, OptionError } from '../core/errors.js'
import { isMatrix, type Matrix, type MatrixInput } from '../core/matrix.js'
import { toLengths, toMatrix, toSampleWeight } from '../core/validate.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { show, showNonNumber } from '../core/show.js'
import { aliasOf, closest } from '../core/options.js'

/** What `bootstrap` and `selectModel` take besides a bare X: X plus the arrays the estimator's fit needs. */
export interface BootstrapData {
  /** Rows (number[][] or { data, rows, cols }); a flat array of numbers (counts, symbols, d = 1) is one column. */
  readonly X: MatrixInput | ArrayLike<number>
  /** Responses, one per row (regressions; booleans become 0/1). */
  readonly y?: ArrayLike<number | boolean>
  /** Frequency weights, one per row. */
  readonly sampleWeight?: ArrayLike<number>
  /** Exposure of each count (GammaPoisson). */
  readonly exposure?: ArrayLike<number>
  /** Rows of each sequence, in order (HMMs): nonparametric replicates resample whole sequences. */
  readonly lengths?: ArrayLike<number>
  /** Trials per row (binomial responses). */
  readonly trials?: ArrayLike<number>
  /** Group label of each row (numbers or strings; mixed models): kinds with unit 'groups' resample whole groups. */
  readonly groups?: ArrayLike<string | number>
}

export type DataField = 'y' | 'sampleWeight' | 'exposure' | 'trials' | 'groups' | 'lengths'
export const DATA_FIELDS: readonly DataField[] = ['y', 'sampleWeight', 'exposure', 'trials', 'groups', 'lengths']
/** Fields with one value per row of X: resampled with the rows (groups as codes). */
const ROW_FIELDS = ['y', 'sampleWeight', 'exposure', 'trials', 'groups'] as const

/** The validated, flat form: what tasks carry and kinds fit. */
export interface Dataset {
  readonly X: Matrix
  readonly y?: Float64Array
  readonly sampleWeight?: Float64Array
  readonly exposure?: Float64Array
  readonly trials?: Float64Array
  /** Group codes 0..G-1, in order of first appearance of the labels (only the grouping matters to a fit). */
  readonly groups?: Float64Array
  /** Integers, summing to X.rows. */
  readonly lengths?: Float64Array
  /** Columns of a sparse matrix stored as (column, value) rows of X, one run of `lengths` rows per matrix row (LDA's document-term counts: the vocabulary size). */
  readonly nTerms?: number
}

/** What a nonparametric replicate draws with replacement: rows (with their row-aligned arrays), whole sequences, or whole groups. */
export type ResampleUnit = 'rows' | 'sequences' | 'groups'

function isBootstrapData(input: unknown): input is BootstrapData {
  return !!input && typeof input === 'object' && !isMatrix(input as MatrixInput) && typeof (input as ArrayLike<unknown>).length !== 'number' && 'X' in input
}

/** Numbers as given, booleans as 0/1; anything else is an INVALID_DATA error naming the entry. */
export function toColumn(values: ArrayLike<unknown>, what: string): Float64Array {
  const out = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    out[i] = v === true ? 1 : v === false ? 0 : typeof v === 'number' ? v : NaN
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new InputError('INVALID_DATA', `${what}[${i}] is ${showNonNumber(v)}.`, { row: i })
  }
  return out
}

/** X as a Matrix: NaN allowed here (models with missing values); each estimator's fit checks its own rules. */
function toX(X: unknown): Matrix {
  const flat = X as ArrayLike<unknown> | null
  if (flat && typeof flat === 'object' && typeof flat.length === 'number' && flat.length > 0 && typeof flat[0] !== 'object') {
    return toMatrix({ rows: flat.length, cols: 1, data: toColumn(flat, 'X') }, 'X', { allowMissing: true })
  }
  return toMatrix(X as MatrixInput, 'X', { allowMissing: true })
}

/**
 * Validate data for a kind that accepts `fields` besides X (and needs `required`).
 * Unknown or unaccepted fields are an OptionError, so nothing is silently left out of
 * the fits. Weights are checked as fit checks them (finite, >= 0, not all 0): a fit
 * from a Dataset does not see them again.
 */
export function toDataset(input: MatrixInput | ArrayLike<number> | BootstrapData, kind: string, fields: readonly DataField[], required: readonly DataField[] = []): Dataset {
  const given: BootstrapData = isBootstrapData(input) ? input : { X: input }
  for (const key of Object.keys(given)) {
    if (key === 'X') continue
    if (!(DATA_FIELDS as readonly string[]).includes(key)) {
      const near = closest(key, DATA_FIELDS) ?? aliasOf(key)
      throw new OptionError(key, `is not a data field (known: X, ${DATA_FIELDS.join(', ')})${near ? `; did you mean '${near}'?` : ''}.`, near ? { suggestion: near } : {})
    }
    if (given[key as DataField] !== undefined && !fields.includes(key as DataField)) {
      throw new OptionError(key, `is not used by '${kind}' (its data: X${fields.map((f) => `, ${f}`).join('')}).`)
    }
  }
  for (const key of required) {
    if (given[key] === undefined) throw new OptionError(key, `is required: give '${kind}' the data { X, ${required.join(', ')} }.`)
  }
  const X = toX(given.X)
  const out: { -readonly [K in keyof Dataset]: Dataset[K] } = { X }
  for (const key of ROW_FIELDS) {
    const v = given[key]
    if (v === undefined) continue
    if (!v || typeof v !== 'object' || typeof v.length !== 'number') throw new InputError('INVALID_DATA', `${key} must be an array with one value per row of X, got ${show(v)}.`)
    if (v.length !== X.rows) throw new InputError('SHAPE_MISMATCH', `${key} has ${v.length} values but X has ${X.rows} rows; give one per row.`, { rows: X.rows })
    out[key] = key === 'groups' ? groupCodes(v as ArrayLike<string | number>) : key === 'sampleWeight' ? toSampleWeight(toColumn(v, key), X.rows)! : toColumn(v, key)
  }
  if (given.lengths !== undefined) out.lengths = Float64Array.from(toLengths(given.lengths, X.rows))
  return out
}

/** Labels as codes 0..G-1 by first appearance (strings and numbers are distinct labels). */
function groupCodes(labels: ArrayLike<string | number>): Float64Array {
  const codes = new Map<string | number, number>()
  return Float64Array.from({ length: labels.length }, (_, i) => {
    const label = labels[i]!
    if (typeof label !== 'string' && typeof label !== 'number') throw new InputError('INVALID_DATA', `groups[${i}] is ${show(label)}; give a number or string label per row.`, { row: i })
    let c = codes.get(label)
    if (c === undefined) codes.set(label, (c = codes.size))
    return c
  })
}

/** How many units a nonparametric replicate of `unit` draws from (rows, sequences, groups). */
export function unitCount(data: Dataset, unit: ResampleUnit): number {
  if (unit === 'sequences') return data.lengths?.length ?? 1
  if (unit === 'groups') {
    // a loop, not Math.max(...groups): spreading 1e5+ arguments overflows the stack
    let count = 1
    if (data.groups) for (const code of data.groups) count = Math.max(count, code + 1)
    return count
  }
  return data.X.rows
}

/** Rows `index` of X and of every row-aligned array. */
function takeRows(data: Dataset, index: Int32Array): Dataset {
  const { X } = data
  const cols = X.cols, rows = index.length
  const x = new Float64Array(rows * cols)
  const src = X.data
  // an element loop: subarray + set per row cost ~5x more for the narrow rows typical here
  for (let i = 0; i < rows; i++) {
    const from = index[i]! * cols, to = i * cols
    for (let j = 0; j < cols; j++) x[to + j] = src[from + j]!
  }
  const out: { -readonly [K in keyof Dataset]: Dataset[K] } = { X: { rows, cols, data: x } }
  for (const key of ROW_FIELDS) {
    const v = data[key]
    if (v) out[key] = Float64Array.from(index, (i) => v[i]!)
  }
  return out
}

/**
 * A nonparametric replicate: n rows drawn with replacement (one `rng.integer(n)` per
 * row, in order); or as many whole sequences (groups) as there are, each drawn with
 * one `rng.integer`, put back to back. A group drawn twice becomes two groups (codes
 * in draw order), as a cluster bootstrap needs.
 */
export function resample(data: Dataset, rng: Rng, unit: ResampleUnit): Dataset {
  const n = data.X.rows
  if (unit === 'rows') return takeRows(data, Int32Array.from({ length: n }, () => rng.integer(n)))
  const members = unit === 'sequences' ? sequenceRows(data) : groupRows(data)
  const picked = Array.from(members, () => rng.integer(members.length))
  const index: number[] = [], codes: number[] = []
  picked.forEach((u, b) => {
    for (const i of members[u]!) { index.push(i); codes.push(b) }
  })
  const out = takeRows(data, Int32Array.from(index))
  return unit === 'sequences'
    ? { ...out, lengths: Float64Array.from(picked, (u) => members[u]!.length) }
    : { ...out, groups: Float64Array.from(codes) }
}

/** The rows of each sequence (one sequence without lengths). */
function sequenceRows(data: Dataset): number[][] {
  const lengths = data.lengths ?? Float64Array.of(data.X.rows)
  let start = 0
  return Array.from(lengths, (len) => Array.from({ length: len }, () => start++))
}

/** The rows of each group, groups in code order. */
function groupRows(data: Dataset): number[][] {
  const out = Array.from({ length: unitCount(data, 'groups') }, (): number[] => [])
  data.groups?.forEach((c, i) => out[c]!.push(i))
  return out
}

/** The dataset with every array copied into shared memory (`share` of the runner), for workers. */
export function shareDataset(data: Dataset, share: (m: Matrix) => Matrix): Dataset {
  const out: { -readonly [K in keyof Dataset]: Dataset[K] } = { X: share(data.X) }
  for (const key of [...ROW_FIELDS, 'lengths'] as const) {
    const v = data[key]
    if (v) out[key] = share({ rows: 1, cols: v.length, data: v }).data
  }
  return out
}

/** Rows of a number of observations (X with one column) as a plain array, e.g. counts for fit(). */
export function column(m: Matrix): Float64Array {
  if (m.cols !== 1) throw new InputError('SHAPE_MISMATCH', `X has ${m.cols} columns; this estimator takes one value per row (a flat array or one column).`, { cols: m.cols })
  return m.data
}
