/**
 * A Parquet file as a stream of row chunks, through hyparquet (pure JavaScript; an
 * optional dependency, imported only when a Parquet file is read). Each chunk is read
 * from the file as it is needed (its row range, the chosen columns), so a file larger
 * than memory holds one chunk at a time.
 */
import { BackendError, InputError } from '../core/errors.js'
import { show } from '../core/show.js'
import { emptyChunk, fillColumn, pickColumns } from './columns.js'
import { checkChunkRows, type ChunkOptions, type NamedChunk } from './csv-stream.js'

/** hyparquet's AsyncBuffer: a file's byte length and a ranged read (asyncBufferFromFile makes one in Node). */
export interface ParquetFile {
  byteLength: number
  slice(start: number, end?: number): ArrayBuffer | Promise<ArrayBuffer>
}

export interface ParquetOptions extends ChunkOptions {
  /** Columns to read, by name (default: every column). */
  columns?: string[]
}

/** Import an optional dependency, or say how to install it. */
export async function optionalImport<T>(name: string, what: string): Promise<T> {
  try {
    return await import(/* @vite-ignore */ name) as T
  } catch (e) {
    throw new BackendError(`Reading ${what} needs the package '${name}', which is not installed (${(e as Error).message.split('\n')[0]}); install it with \`npm install ${name}\`.`, { package: name })
  }
}

interface Hyparquet {
  parquetMetadataAsync(file: ParquetFile): Promise<{ num_rows: bigint | number }>
  parquetSchema(metadata: unknown): { children: Array<{ element: { name: string } }> }
  parquetRead(options: { file: ParquetFile; metadata: unknown; columns: string[]; rowStart: number; rowEnd: number; onChunk(chunk: { columnName: string; columnData: ArrayLike<unknown>; rowStart: number; rowEnd: number }): void }): Promise<void>
  asyncBufferFromFile?(path: string): Promise<ParquetFile>
}

/**
 * Chunks of rows of a Parquet file: `file` is an AsyncBuffer, an ArrayBuffer, or (in
 * Node) a path. Integer, float, boolean and decimal-free numeric columns are read as
 * numbers, nulls as NaN. One stream per call: for exact EM, call it again each pass.
 */
export async function* fromParquet(file: ParquetFile | ArrayBuffer | string, options: ParquetOptions = {}): AsyncGenerator<NamedChunk> {
  const size = checkChunkRows(options.chunkRows)
  const readable = typeof file === 'string' || file instanceof ArrayBuffer || (typeof file === 'object' && file !== null && typeof file.byteLength === 'number' && typeof file.slice === 'function')
  if (!readable) throw new InputError('INVALID_DATA', `fromParquet needs a file path, an ArrayBuffer or an AsyncBuffer { byteLength, slice } (hyparquet's asyncBufferFromFile), got ${show(file)}.`)
  const hp = await optionalImport<Hyparquet>('hyparquet', 'Parquet')
  const buffer: ParquetFile = typeof file === 'string' ? await hp.asyncBufferFromFile!(file) : file
  const metadata = await hp.parquetMetadataAsync(buffer)
  const available = hp.parquetSchema(metadata).children.map((c) => c.element.name)
  const columns = pickColumns(available, options.columns, 'The Parquet file')
  const total = Number(metadata.num_rows)
  for (let start = 0; start < total; start += size) {
    const end = Math.min(total, start + size)
    const chunk = emptyChunk(end - start, columns)
    // an error thrown inside hyparquet's callback would not reach its promise: keep it and throw it after
    let failure: unknown = null
    await hp.parquetRead({
      file: buffer, metadata, columns, rowStart: start, rowEnd: end,
      onChunk: ({ columnName, columnData, rowStart, rowEnd }) => {
        // a column chunk may cover more rows than asked (a whole page or row group): keep the overlap
        const from = Math.max(start, rowStart), to = Math.min(end, rowEnd)
        if (to <= from || failure !== null) return
        try {
          fillColumn(chunk.data.subarray((from - start) * columns.length), columns.length, columns.indexOf(columnName), columnData, from - rowStart, to - from, columnName, 'The Parquet file', rowStart)
        } catch (e) {
          failure = e
        }
      },
    })
    if (failure !== null) throw failure
    yield chunk
  }
}
