/**
 * Arrow IPC data (a stream or file, e.g. from DuckDB, Polars or pyarrow) as a stream of
 * row chunks, through apache-arrow (an optional dependency, imported only when used):
 * one chunk per record batch, read as the batches arrive.
 */
import { InputError } from '../core/errors.js'
import { show } from '../core/show.js'
import { emptyChunk, fillColumn, pickColumns } from './columns.js'
import type { NamedChunk } from './csv-stream.js'
import { optionalImport } from './parquet.js'

export interface ArrowOptions {
  /** Columns to read, by name (default: every column). */
  columns?: string[]
}

interface ArrowBatch {
  numRows: number
  schema: { fields: Array<{ name: string }> }
  getChild(name: string): { toArray(): ArrayLike<unknown> } | null
}

interface ApacheArrow {
  RecordBatchReader: { from(source: unknown): Promise<AsyncIterable<ArrowBatch>> | AsyncIterable<ArrowBatch> | Iterable<ArrowBatch> }
}

/**
 * Chunks of rows, one per record batch, of Arrow IPC data: bytes (Uint8Array), an
 * async iterable of byte pieces (a file stream), or an apache-arrow Table / batches.
 */
export async function* fromArrow(source: unknown, options: ArrowOptions = {}): AsyncGenerator<NamedChunk> {
  if (typeof source !== 'object' || source === null) throw new InputError('INVALID_DATA', `fromArrow needs Arrow IPC bytes (a Uint8Array), an iterable or async iterable of byte pieces, or an apache-arrow Table, got ${show(source)}.`)
  const arrow = await optionalImport<ApacheArrow>('apache-arrow', 'Arrow data')
  const batches: AsyncIterable<ArrowBatch> | Iterable<ArrowBatch> = isTable(source) ? source.batches : await arrow.RecordBatchReader.from(source)
  let columns: string[] | null = null
  let seen = 0
  for await (const batch of batches) {
    columns ??= pickColumns(batch.schema.fields.map((f) => f.name), options.columns, 'The Arrow data')
    if (batch.numRows === 0) continue
    const chunk = emptyChunk(batch.numRows, columns)
    for (let c = 0; c < columns.length; c++) fillColumn(chunk.data, columns.length, c, batch.getChild(columns[c]!)!.toArray(), 0, batch.numRows, columns[c]!, 'The Arrow data', seen)
    seen += batch.numRows
    yield chunk
  }
}

function isTable(x: unknown): x is { batches: ArrowBatch[] } {
  return typeof x === 'object' && x !== null && Array.isArray((x as { batches?: unknown }).batches)
}
