/**
 * A CSV file parsed straight into kernel memory: the reader's rows are taken a block at
 * a time and copied into one buffer of the fit's backend, so the numbers exist once.
 * A fit lends them (`Arena.lend`) instead of copying them into its own arena: with a
 * JS copy beside the kernel copy (kernel memory never shrinks), a 50 MB file of short
 * values cost 3x its size in numbers alone.
 */
import type { Matrix } from '../core/matrix.js'
import { ownedRows } from '../core/validate.js'
import { type CsvOptions, CsvReader, expectedRows } from '../io/csv.js'
import type { Arena, F64Buffer, Kernels } from '../kernels/types.js'

/** Rows taken from the reader at a time (each block is copied in, then dropped). */
const BLOCK_ROWS = 8192

export interface ResidentData {
  readonly data: Matrix
  readonly columns: string[] | null
  readonly rowNames: string[] | null
  readonly hasRowNames: boolean
  readonly release: () => void
}

/** The CSV of `chunks` (about `sizeHint` characters) in kernel memory of `kernels`. */
export async function readResident(chunks: AsyncIterable<string>, options: CsvOptions, sizeHint: number, kernels: Kernels): Promise<ResidentData> {
  const reader = new CsvReader(options)
  const rows = new ResidentRows(kernels)
  let names: string[] | null = null
  let pushed = 0
  const take = (m: Matrix | null, pending: readonly string[] | null): void => {
    if (pending) {
      names ??= []
      for (const name of pending) names.push(name)
    }
    // every row read so far over every character pushed (not this block's rows alone: the estimate of a buffer grown later)
    if (m) rows.append(m, expectedRows(sizeHint, pushed, rows.count + m.rows))
  }
  try {
    for await (const chunk of chunks) {
      reader.push(chunk)
      pushed += chunk.length
      if (reader.pendingRows >= BLOCK_ROWS) {
        const pending = reader.pendingRowNames // before take, which drops them
        take(reader.take(), pending)
      }
    }
    // the last records read (and a short file's header and row names decided) before their names are read
    reader.endText()
    const pending = reader.pendingRowNames
    take(reader.finish(), pending)
  } catch (e) {
    rows.free()
    throw e
  }
  return { data: rows.matrix(), columns: reader.columnNames, rowNames: names, hasRowNames: reader.hasRowNames, release: () => rows.free() }
}

/** Rows appended into one kernel buffer, moved to a larger one when the estimate was short. */
class ResidentRows {
  private arena: Arena | null = null
  private buffer: F64Buffer | null = null
  private rows = 0
  private cols = 0

  constructor(private readonly kernels: Kernels) {}

  /** Rows appended so far. */
  get count(): number { return this.rows }

  append(m: Matrix, expectedRows: number): void {
    this.cols = m.cols
    const need = (this.rows + m.rows) * m.cols
    if (this.buffer === null || need > this.buffer.length) {
      const arena = this.kernels.arena()
      const buffer = arena.f64(Math.max(need, expectedRows * m.cols, this.buffer ? Math.ceil(need * 1.5) : 0))
      // after the allocation (it may grow the memory and detach earlier views)
      if (this.buffer) buffer.view.set(this.buffer.view.subarray(0, this.rows * m.cols))
      this.arena?.dispose()
      this.arena = arena
      this.buffer = buffer
    }
    this.buffer.view.set(m.data, this.rows * m.cols)
    this.rows += m.rows
  }

  free(): void {
    this.arena?.dispose()
    this.arena = this.buffer = null
  }

  /**
   * The rows as an owned matrix whose `data` is a view taken afresh whenever the kernel
   * memory has moved (memory.grow detaches the views taken before it): each new view is
   * marked owned, so fits check it without copying and lend it to the kernels.
   */
  matrix(): Matrix {
    const buffer = this.buffer!
    return ownedRows(() => buffer.view, 0, this.rows, this.cols)
  }
}
