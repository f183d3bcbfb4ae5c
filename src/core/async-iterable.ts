/** Whether `x` can be read with `for await` (a one-shot stream of chunks). Apart from estimators/stream.ts so that telling streams from rows does not load the stream readers. */
export function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
}

/** Whether `x` can be read with `for await` at all: an async iterable, or an iterable (arrays, generators, strings). */
export function isAnyIterable(x: unknown): x is AsyncIterable<unknown> | Iterable<unknown> {
  return isAsyncIterable(x) || typeof x === 'string' || (typeof x === 'object' && x !== null && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function')
}
