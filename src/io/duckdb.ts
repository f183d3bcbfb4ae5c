/**
 * A DuckDB query as a stream of row chunks, through @duckdb/node-api (an optional peer
 * dependency, imported only when a query is read: a native module, Node only). The
 * query's result is streamed chunk by chunk (DuckDB's vectors of up to 2048 rows,
 * gathered into chunks of at least `chunkRows`), so a table larger than memory is read with one
 * chunk held at a time.
 */
import { InputError } from '../core/errors.js'
import { show } from '../core/show.js'
import { emptyChunk, fillColumn } from './columns.js'
import { checkChunkRows, type ChunkOptions, type NamedChunk } from './csv-stream.js'
import { optionalImport } from './parquet.js'

export interface DuckDBOptions extends ChunkOptions {
  /** The database file (default ':memory:'), when no `connection` is given. */
  database?: string
  /** An open @duckdb/node-api connection to run the query on (it stays open). */
  connection?: DuckDBConnection
}

interface DuckDBChunk { rowCount: number; getColumns(): ArrayLike<unknown>[] }
interface DuckDBResult { columnNames(): string[]; fetchChunk(): Promise<DuckDBChunk | null> }
export interface DuckDBConnection { stream(sql: string): Promise<DuckDBResult>; closeSync?(): void }
interface DuckDBApi { DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckDBConnection>; closeSync?(): void }> } }

/**
 * Chunks of rows of the result of `sql` (numeric columns; NULL as NaN). One stream per
 * call: for exact EM, call it again each pass (`gm.fit(() => fromDuckDB(sql, { connection }))`).
 */
export async function* fromDuckDB(sql: string, options: DuckDBOptions = {}): AsyncGenerator<NamedChunk> {
  if (typeof sql !== 'string' || sql.trim() === '') throw new InputError('INVALID_DATA', `fromDuckDB needs the SQL query as a non-empty string, got ${show(sql)}.`)
  const size = checkChunkRows(options.chunkRows)
  let own: { closeSync?(): void } | null = null
  let connection = options.connection
  if (!connection) {
    const duckdb = await optionalImport<DuckDBApi>('@duckdb/node-api', 'a DuckDB query')
    const instance = await duckdb.DuckDBInstance.create(options.database ?? ':memory:')
    own = instance
    connection = await instance.connect()
  }
  try {
    const result = await connection.stream(sql)
    const names = result.columnNames()
    let parts: ArrayLike<unknown>[][] = []
    let rows = 0, seen = 0
    const flush = (): NamedChunk => {
      const chunk = emptyChunk(rows, names)
      let at = 0
      for (const columns of parts) {
        const n = columns[0]?.length ?? 0
        for (let c = 0; c < names.length; c++) fillColumn(chunk.data.subarray(at * names.length), names.length, c, columns[c]!, 0, n, names[c]!, 'The DuckDB query', seen + at)
        at += n
      }
      seen += rows
      parts = []
      rows = 0
      return chunk
    }
    for (;;) {
      const chunk = await result.fetchChunk()
      if (!chunk || chunk.rowCount === 0) break
      parts.push(chunk.getColumns())
      rows += chunk.rowCount
      if (rows >= size) yield flush()
    }
    if (rows > 0) yield flush()
  } finally {
    if (own && !options.connection) { connection.closeSync?.(); own.closeSync?.() }
  }
}
