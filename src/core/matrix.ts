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
