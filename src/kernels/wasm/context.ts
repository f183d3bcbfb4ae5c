/**
 * What the wrappers of one kernel family (a module of assembly/, listed in
 * ../exports.ts) get from the backend they join: the checked pointer helpers of its heap
 * (ownership, disposal, length) and its scratch block. Apart from index.ts so that the
 * family modules, which index.ts imports on demand, do not import it back.
 */
import type { EmkitError } from '../../core/errors.js'
import type { F64Buffer, I32Buffer, OptionalF64 } from '../types.js'

export interface PointerChecks {
  ptr(buffer: F64Buffer, minLength: number, what: string): number
  i32Ptr(buffer: I32Buffer, minLength: number, what: string): number
  /** 0 for `null`, else as ptr. */
  optPtr(buffer: OptionalF64, minLength: number, what: string): number
  sizes(...values: number[]): void
  /** Address of the backend's scratch block of at least `bytes` (grown on demand). */
  scratch(bytes: number): number
  tooShort(what: string, length: number, needed: number): EmkitError
}
