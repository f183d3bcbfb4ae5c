/** Buffers in a backend's memory, the only things kernels read and write. */
import { EmkitError } from '../core/errors.js'

export interface F64Buffer {
  /** Byte offset in wasm linear memory; 0 for the JS backend. */
  readonly ptr: number
  readonly length: number
  /**
   * A live view; re-read it after any allocation or kernel call (wasm memory may
   * have grown: kernels with a large d enlarge the backend's scratch space).
   */
  readonly view: Float64Array
  /**
   * Elements begin..end as a buffer of their own over the same memory (no copy), as
   * `Float64Array.subarray`: a block of rows for the kernels (incremental EM's blocks).
   * It lives as long as this buffer's arena.
   */
  subarray(begin: number, end: number): F64Buffer
}

export interface I32Buffer {
  readonly ptr: number
  readonly length: number
  readonly view: Int32Array
  /** Elements begin..end over the same memory, as F64Buffer's (an HMM's block of symbols). */
  subarray(begin: number, end: number): I32Buffer
}

/** A null buffer stands for "not given" (e.g. no sample weights: every weight is 1). */
export type OptionalF64 = F64Buffer | null

/** Refuse a sub-buffer outside its buffer (a typed array's subarray would clamp it silently). */
export function checkSubarray(begin: number, end: number, length: number): void {
  if (!(Number.isInteger(begin) && Number.isInteger(end) && begin >= 0 && begin <= end && end <= length)) {
    throw new EmkitError('INVALID_DATA', `A sub-buffer must satisfy 0 <= begin <= end <= ${length} (integers), got begin = ${begin}, end = ${end}.`, { begin, end, length })
  }
}
