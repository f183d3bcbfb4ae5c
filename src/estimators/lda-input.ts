/**
 * A document-term count matrix as LatentDirichletAllocation takes it, in one of three
 * forms, turned into one Dataset: X holds the nonzero entries as (term, count) rows,
 * document by document in term order, `lengths` the entries of each document and
 * `nTerms` the vocabulary size.
 *   - dense rows: number[][] (or { data, rows, cols }), one row per document;
 *   - CSR: { indptr, indices, data, rows, cols } (scipy's layout, 0-based);
 *   - triplets: { doc, term, count } (0-based, equal lengths; optional rows, cols;
 *     repeated (doc, term) pairs are added).
 * Counts must be finite and >= 0 (not necessarily integers, as scikit-learn's); the
 * input is never modified.
 */
import { InputError } from '../core/errors.js'
import { show } from '../core/show.js'
import type { Dataset } from '../runtime/dataset.js'

export interface CsrCounts {
  readonly indptr: ArrayLike<number>
  readonly indices: ArrayLike<number>
  readonly data: ArrayLike<number>
  readonly rows: number
  readonly cols: number
}

export interface TripletCounts {
  readonly doc: ArrayLike<number>
  readonly term: ArrayLike<number>
  readonly count: ArrayLike<number>
  readonly rows?: number
  readonly cols?: number
}

export type DenseCounts = ArrayLike<ArrayLike<number>> | { readonly data: ArrayLike<number>; readonly rows: number; readonly cols: number }
export type CountsInput = DenseCounts | CsrCounts | TripletCounts

const bad = (message: string, details: Record<string, unknown> = {}) => new InputError('INVALID_DATA', message, details)

function checkCount(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw bad(`${where} is ${show(v)}; counts must be finite numbers >= 0: remove or correct that entry.`, { value: show(v) })
  }
  return v
}

function checkSize(v: unknown, name: string): number {
  if (!(typeof v === 'number' && Number.isInteger(v) && v >= 0)) throw bad(`${name} must be an integer >= 0, got ${show(v)}.`)
  return v
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as ArrayLike<unknown>).length === 'number'
}

/** Any of the three forms as the Dataset described above. */
export function countsDataset(input: unknown): Dataset {
  if (!input || typeof input !== 'object') throw bad(`Counts must be dense rows (number[][]), a CSR matrix { indptr, indices, data, rows, cols } or triplets { doc, term, count }, got ${show(input)}.`)
  const o = input as Record<string, unknown>
  if ('indptr' in o) return fromCsr(o)
  if ('doc' in o || 'term' in o) return fromTriplets(o)
  return fromDense(o)
}

function build(nDocs: number, nTerms: number, entries: (d: number, push: (term: number, count: number) => void) => void): Dataset {
  const terms: number[] = [], counts: number[] = []
  const lengths = new Float64Array(nDocs)
  for (let d = 0; d < nDocs; d++) {
    const before = terms.length
    entries(d, (t, c) => { if (c !== 0) { terms.push(t); counts.push(c) } })
    lengths[d] = terms.length - before
  }
  const data = new Float64Array(2 * terms.length)
  for (let j = 0; j < terms.length; j++) { data[2 * j] = terms[j]!; data[2 * j + 1] = counts[j]! }
  if (nDocs === 0) throw new InputError('EMPTY_DATA', 'The count matrix has no documents; give at least one.')
  if (nTerms === 0) throw new InputError('EMPTY_DATA', 'The count matrix has no terms (0 columns); give a vocabulary of at least one term.')
  return { X: { rows: terms.length, cols: 2, data }, lengths, nTerms }
}

function fromDense(o: Record<string, unknown>): Dataset {
  if (!Array.isArray(o) && isArrayLike(o['data']) && typeof o['rows'] === 'number') {
    const rows = checkSize(o['rows'], 'rows'), cols = checkSize(o['cols'], 'cols')
    const flat = o['data'] as ArrayLike<unknown>
    if (flat.length !== rows * cols) throw new InputError('SHAPE_MISMATCH', `data has ${flat.length} values but rows x cols = ${rows * cols}.`)
    return build(rows, cols, (d, push) => {
      for (let w = 0; w < cols; w++) push(w, checkCount(flat[d * cols + w], `Count [${d}][${w}]`))
    })
  }
  if (!isArrayLike(o)) throw bad(`Counts must be dense rows, CSR or triplets, got ${show(o)}.`)
  const rows = o as ArrayLike<unknown>
  const first = rows[0]
  if (rows.length > 0 && !isArrayLike(first)) throw bad(`Dense counts must be rows (arrays), got ${show(first)} as row 0.`)
  const cols = rows.length > 0 ? (first as ArrayLike<unknown>).length : 0
  return build(rows.length, cols, (d, push) => {
    const row = rows[d]
    if (!isArrayLike(row) || row.length !== cols) throw new InputError('RAGGED_ROWS', `Row ${d} has ${isArrayLike(row) ? row.length : show(row)} values, row 0 has ${cols}; every document needs one count per term.`, { row: d })
    for (let w = 0; w < cols; w++) push(w, checkCount(row[w], `Count [${d}][${w}]`))
  })
}

function fromCsr(o: Record<string, unknown>): Dataset {
  const { indptr, indices, data } = o as Record<string, ArrayLike<unknown>>
  for (const [name, v] of [['indptr', indptr], ['indices', indices], ['data', data]] as const) {
    if (!isArrayLike(v)) throw bad(`CSR ${name} must be an array, got ${show(v)}.`)
  }
  const rows = checkSize(o['rows'], 'CSR rows'), cols = checkSize(o['cols'], 'CSR cols')
  if (indptr!.length !== rows + 1) throw new InputError('SHAPE_MISMATCH', `CSR indptr has ${indptr!.length} entries; a matrix of ${rows} rows needs rows + 1 = ${rows + 1}.`)
  if (indices!.length !== data!.length) throw new InputError('SHAPE_MISMATCH', `CSR indices has ${indices!.length} entries but data has ${data!.length}; they must match.`)
  if (indptr![0] !== 0) throw bad(`CSR indptr[0] is ${show(indptr![0])}; it must be 0.`)
  for (let d = 0; d < rows; d++) {
    const a = indptr![d] as number, b = indptr![d + 1]
    if (!(typeof b === 'number' && Number.isInteger(b) && b >= a && b <= indices!.length)) {
      throw bad(`CSR indptr is not non-decreasing within [0, ${indices!.length}]: indptr[${d + 1}] = ${show(b)} after indptr[${d}] = ${show(a)}; give each row's start offset in order.`, { index: d + 1 })
    }
  }
  return build(rows, cols, (d, push) => {
    const a = indptr![d] as number, b = indptr![d + 1] as number
    const seen: [number, number][] = []
    for (let j = a; j < b; j++) {
      const t = indices![j]
      if (!(typeof t === 'number' && Number.isInteger(t) && t >= 0 && t < cols)) {
        throw bad(`CSR indices[${j}] is ${show(t)}, outside the ${cols} columns [0, ${cols - 1}]; fix the index or give cols large enough.`, { index: j })
      }
      seen.push([t, checkCount(data![j], `CSR data[${j}]`)])
    }
    seen.sort((x, y) => x[0] - y[0])
    for (let i = 0; i < seen.length; i++) {
      let c = seen[i]![1]
      while (i + 1 < seen.length && seen[i + 1]![0] === seen[i]![0]) c += seen[++i]![1]
      push(seen[i]![0], c)
    }
  })
}

function fromTriplets(o: Record<string, unknown>): Dataset {
  const { doc, term, count } = o as Record<string, ArrayLike<unknown>>
  for (const [name, v] of [['doc', doc], ['term', term], ['count', count]] as const) {
    if (!isArrayLike(v)) throw bad(`Triplet ${name} must be an array, got ${show(v)}.`)
  }
  const n = doc!.length
  if (term!.length !== n || count!.length !== n) throw new InputError('SHAPE_MISMATCH', `Triplets doc, term and count must have equal lengths, got ${n}, ${term!.length}, ${count!.length}.`)
  let maxDoc = -1, maxTerm = -1
  for (let j = 0; j < n; j++) {
    const d = doc![j], t = term![j]
    if (!(typeof d === 'number' && Number.isInteger(d) && d >= 0)) throw bad(`Triplet doc[${j}] is ${show(d)}; document indices are integers >= 0 (0-based).`, { index: j })
    if (!(typeof t === 'number' && Number.isInteger(t) && t >= 0)) throw bad(`Triplet term[${j}] is ${show(t)}; term indices are integers >= 0 (0-based).`, { index: j })
    checkCount(count![j], `Triplet count[${j}]`)
    maxDoc = Math.max(maxDoc, d); maxTerm = Math.max(maxTerm, t)
  }
  const rows = o['rows'] === undefined ? maxDoc + 1 : checkSize(o['rows'], 'rows')
  const cols = o['cols'] === undefined ? maxTerm + 1 : checkSize(o['cols'], 'cols')
  if (maxDoc >= rows) throw bad(`Triplet doc index ${maxDoc} is outside rows = ${rows}; give rows large enough.`)
  if (maxTerm >= cols) throw bad(`Triplet term index ${maxTerm} is outside cols = ${cols}; give cols large enough.`)
  const indptr = new Array<number>(rows + 1).fill(0)
  for (let j = 0; j < n; j++) indptr[(doc![j] as number) + 1]!++
  for (let d = 0; d < rows; d++) indptr[d + 1]! += indptr[d]!
  const fill = indptr.slice(0, rows), indices = new Array<number>(n), data = new Array<number>(n)
  for (let j = 0; j < n; j++) {
    const p = fill[doc![j] as number]!++
    indices[p] = term![j] as number
    data[p] = count![j] as number
  }
  return fromCsr({ indptr, indices, data, rows, cols })
}
