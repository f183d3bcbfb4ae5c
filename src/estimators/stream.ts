/**
 * Chunks from a stream as the estimators read them: async iterables of matrices
 * ({ data, rows, cols } or row arrays), the errors a stream can raise turned into
 * typed EmkitErrors, and a chunk's checks against the first chunk.
 */
import { EmkitError, InputError, OptionError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import { show } from '../core/show.js'
import type { Dataset } from '../runtime/dataset.js'

/** Whether `x` is an async iterable (a stream of chunks). */
export { isAsyncIterable } from '../core/async-iterable.js'

/** What fit and partialFit take besides the rows: a re-readable stream (a function returning a fresh iterable of chunks) or a one-shot async iterable of chunks. */
export type StreamInput = ChunkSource | AsyncIterable<unknown>

/** A source of exact EM over a stream: a function that returns a fresh async iterable (or iterable) of chunks on each call. */
export type ChunkSource = () => AsyncIterable<unknown> | Iterable<unknown>

/**
 * The chunks of `source`, each with its index. An error the stream itself throws
 * (a file that cannot be read, a query that fails) becomes an EmkitError
 * 'STREAM_FAILED' naming the chunk it came at; an EmkitError passes unchanged.
 */
export async function* readChunks(source: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<{ chunk: unknown; index: number }> {
  let index = 0
  let iterator: AsyncIterator<unknown> | Iterator<unknown>
  try {
    iterator = Symbol.asyncIterator in source ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]() : (source as Iterable<unknown>)[Symbol.iterator]()
  } catch (e) {
    throw streamFailed(e, 0)
  }
  for (;;) {
    let next: IteratorResult<unknown>
    try {
      next = await iterator.next()
    } catch (e) {
      throw streamFailed(e, index)
    }
    if (next.done) return
    yield { chunk: next.value, index: index++ }
  }
}

/** A fresh pass of a re-readable source; a source that throws (or gives no iterable) is STREAM_FAILED too. */
export function openSource(source: ChunkSource): AsyncIterable<unknown> | Iterable<unknown> {
  let pass: unknown
  try {
    pass = source()
  } catch (e) {
    throw streamFailed(e, 0)
  }
  if (typeof pass !== 'object' || pass === null || !(Symbol.asyncIterator in pass || Symbol.iterator in pass)) {
    throw new EmkitError('STREAM_FAILED', `The stream's function returned ${show(pass)}, not an iterable of chunks; give a function that returns a fresh (async) iterable of chunks on each call.`)
  }
  return pass as AsyncIterable<unknown> | Iterable<unknown>
}

function streamFailed(e: unknown, index: number): EmkitError {
  if (e instanceof EmkitError) return e
  const message = e instanceof Error ? e.message : String(e)
  return new EmkitError('STREAM_FAILED', `The stream failed before chunk ${index} (${message}); the fit was abandoned and the estimator left as it was. Fix the source and fit again.`, { chunk: index, cause: message })
}

/**
 * One chunk as a Dataset through the estimator's own `toDataset` (so a chunk is
 * checked as fit's X is: ragged rows, non-finite values), its errors naming the chunk,
 * and its column count checked against the first chunk's.
 */
export function chunkDataset(toDataset: (X: unknown) => Dataset, chunk: unknown, index: number, firstCols: number | null): Dataset {
  let data: Dataset
  try {
    data = toDataset(chunk)
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.code, `Chunk ${index} of the stream: ${e.message}`, { ...e.details, chunk: index })
    throw e
  }
  if (firstCols !== null && data.X.cols !== firstCols) {
    throw new InputError('SHAPE_MISMATCH', `Chunk ${index} of the stream has ${data.X.cols} columns but the first chunk had ${firstCols}; every chunk must have the same columns.`, { chunk: index, expected: firstCols, got: data.X.cols })
  }
  return data
}

/**
 * Every chunk of a one-shot stream as one matrix (fit's input when it is given an
 * async iterable rather than a function: batch EM needs the rows again each iteration).
 */
export async function collectChunks(source: AsyncIterable<unknown>, toDataset: (X: unknown) => Dataset): Promise<Matrix> {
  const parts: Matrix[] = []
  let rows = 0
  for await (const { chunk, index } of readChunks(source)) {
    const m = chunkDataset(toDataset, chunk, index, parts[0]?.cols ?? null).X
    parts.push(m)
    rows += m.rows
  }
  if (parts.length === 0) throw new InputError('EMPTY_DATA', 'The stream gave no chunks; give at least one chunk of rows.')
  const cols = parts[0]!.cols
  const data = new Float64Array(rows * cols)
  let at = 0
  for (const m of parts) { data.set(m.data.subarray(0, m.rows * cols), at); at += m.rows * cols }
  return { rows, cols, data }
}

/** A stream's chunks are plain matrices: fit-call options that describe rows (sampleWeight, lengths, ...) cannot go with them. */
export function refuseRowOptions(options: Readonly<Record<string, unknown>>, call: string): void {
  for (const name of Object.keys(options)) {
    if (name === 'signal' || name === 'onIteration' || options[name] === undefined) continue
    throw new OptionError(name, `${call} of a stream takes no ${name} (${show(options[name])}): it would describe rows of one chunk; give whole sequences or unweighted rows as chunks.`)
  }
}
