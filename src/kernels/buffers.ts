/** Buffers in a backend's memory, the only things kernels read and write. */

export interface F64Buffer {
  /** Byte offset in wasm linear memory; 0 for the JS backend. */
  readonly ptr: number
  readonly length: number
  /**
   * A live view; re-read it after any allocation or kernel call (wasm memory may
   * have grown: kernels with a large d enlarge the backend's scratch space).
   */
  readonly view: Float64Array
}

export interface I32Buffer {
  readonly ptr: number
  readonly length: number
  readonly view: Int32Array
}

/** A null buffer stands for "not given" (e.g. no sample weights: every weight is 1). */
export type OptionalF64 = F64Buffer | null
