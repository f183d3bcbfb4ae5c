/**
 * A CSV read as a stream of row chunks: the project's own reader (csv.ts, over the
 * RFC 4180 tokenizer) fed piece by piece, its rows taken every `chunkRows`, so a file
 * larger than memory is read with one chunk of numbers held at a time. Text or bytes
 * (UTF-8, decoded here with TextDecoder: no Node built-ins, so it runs in browsers and
 * edge runtimes too); for a Node file, pass `fs.createReadStream(path)`.
 */
import { isAnyIterable } from '../core/async-iterable.js'
import { InputError, OptionError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import { show } from '../core/show.js'
import { CsvReader, type CsvOptions, textPieces } from './csv.js'

/** Rows per chunk when `chunkRows` is left out. */
export const DEFAULT_CHUNK_ROWS = 65536

export interface ChunkOptions {
  /**
   * Rows per chunk (default 65536). The chunks do not depend on how the text is split
   * into pieces: each has chunkRows rows but the last, which may be shorter, and the
   * first, which holds at least the rows read while the delimiter and header are
   * decided (up to 20).
   */
  chunkRows?: number
}

/** A chunk of rows with the names of its columns (null when the source has none). */
export interface NamedChunk extends Matrix {
  readonly columns: string[] | null
}

/** The `chunkRows` option checked (an integer >= 1). */
export function checkChunkRows(value: unknown): number {
  if (value === undefined) return DEFAULT_CHUNK_ROWS
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  throw new OptionError('chunkRows', `must be an integer >= 1 (rows per chunk), got ${String(value)}.`, { value: String(value) })
}

/**
 * Chunks of rows of a CSV that arrives as pieces of text or bytes. Options are
 * parseCsv's (delimiter, header, columns, missing, rowNames) plus `chunkRows`. Bad data
 * throws as parseCsv does (ParseError naming the line and column), at the chunk that
 * holds it. Gives one chunk stream per call: for exact EM over the file, call it again
 * for every pass (`gm.fit(() => fromCsvStream(createReadStream(path)))`).
 */
export async function* fromCsvStream(source: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>, options: CsvOptions & ChunkOptions = {}): AsyncGenerator<NamedChunk> {
  if (!isAnyIterable(source)) throw new InputError('INVALID_DATA', `fromCsvStream needs the CSV as an iterable or async iterable of text or bytes (e.g. fs.createReadStream(path)), got ${show(source)}.`)
  const { chunkRows, ...csv } = options
  const size = checkChunkRows(chunkRows)
  const reader = new CsvReader(csv)
  reader.chunkEvery(size)
  const decoder = new TextDecoder()
  // a string in pieces, as parseCsv reads it: chunks come out between pieces, not all at the end of one push
  for await (const piece of typeof source === 'string' ? textPieces(source) : source) {
    let failed: { error: unknown } | null = null
    try {
      reader.push(typeof piece === 'string' ? piece : decoder.decode(piece, { stream: true }))
    } catch (error) {
      failed = { error }
    }
    // the chunks cut before an error in this piece come out first, as with any other split of the text
    for (const chunk of reader.takeChunks()) yield named(chunk, reader.columnNames)
    if (failed) throw failed.error
  }
  const tail = decoder.decode()
  if (tail) reader.push(tail)
  for (const chunk of reader.takeChunks()) yield named(chunk, reader.columnNames)
  const rest = reader.finish()
  if (rest) yield named(rest, reader.columnNames)
}

function named(m: Matrix, columns: string[] | null): NamedChunk {
  return { rows: m.rows, cols: m.cols, data: m.data, columns }
}
