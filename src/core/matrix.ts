import { InputError } from './errors.js'

/** A dense row-major matrix: the one shape data takes inside emkit. */
export interface Matrix {
  readonly rows: number
  readonly cols: number
  readonly data: Float64Array
}

/** Rows start .. start + rows - 1 of a matrix, row-major (rows x the matrix's cols). */
export interface MatrixBlock {
  readonly start: number
  readonly rows: number
  readonly data: Float64Array
}

/**
 * A matrix read a block of rows at a time, in row order: one that is never whole in
 * memory (a long sequence's posteriors). A block's data may be valid only until the
 * next block is read.
 */
export interface MatrixBlocks {
  readonly rows: number
  readonly cols: number
  readonly blocks: Iterable<MatrixBlock>
}

/**
 * The block of `m` that holds row t, for rows asked for in order (never before the
 * current block): blocks are read one after another, each checked to start where the
 * one before ended and to hold rows x cols values. `name` and `unit` word the errors
 * ("... end at step 172 of 272").
 */
export function blockCursor(m: MatrixBlocks, name: string, unit = 'row'): (t: number) => MatrixBlock {
  let blocks: Iterator<MatrixBlock> | null = null
  let current: MatrixBlock = { start: 0, rows: 0, data: new Float64Array(0) }
  return (t) => {
    if (t < current.start) throw new Error(`emkit: ${name} read out of order (${unit} ${t} after ${current.start})`)
    while (t >= current.start + current.rows) {
      const end = current.start + current.rows
      const next = (blocks ??= m.blocks[Symbol.iterator]()).next()
      if (next.done) throw new InputError('SHAPE_MISMATCH', `${name} end at ${unit} ${end} of ${m.rows}; give blocks that cover every ${unit}.`)
      const { start, rows, data } = next.value
      if (start !== end || !Number.isInteger(rows) || rows < 1 || data?.length !== rows * m.cols) {
        throw new InputError('SHAPE_MISMATCH', `${name}: one starts at ${unit} ${String(start)} with ${String(rows)} rows and ${String(data?.length)} values; they come in order from ${unit} 0 (the next starts at ${end}) with rows x ${m.cols} values.`)
      }
      current = next.value
    }
    return current
  }
}

/** What the public API accepts as a data matrix. */
export type MatrixInput = ArrayLike<ArrayLike<number>> | Matrix

export function isMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && 'data' in x && 'rows' in x && 'cols' in x
}

/** Row-major nested arrays of a flat matrix (for results handed to users). */
export function toRows(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  const out: number[][] = []
  for (let i = 0; i < rows; i++) out.push(Array.from({ length: cols }, (_, j) => data[i * cols + j]!))
  return out
}
