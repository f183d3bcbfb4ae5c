/**
 * Linear-memory management for the wasm backend: a first-fit free list with
 * coalescing over the module's memory from `heapBase()` upwards, growing the
 * memory when no free block is large enough, and arenas whose buffers are freed
 * together. Every block is 16-byte aligned (and a multiple of 16 bytes), so v128
 * loads of buffer starts are aligned, and zero-filled like a fresh typed array.
 *
 * `memory.grow` detaches every view of the old ArrayBuffer: buffers therefore hand
 * out `view` through a getter that re-creates the typed array when the memory's
 * buffer has changed. Do not keep a view across an allocation (or a kernel call,
 * which may enlarge the kernels' scratch block); re-read `buffer.view`.
 */
import { BackendError, EmkitError } from '../../core/errors.js'
import type { Arena, F64Buffer, I32Buffer } from '../types.js'
import { checkSubarray } from '../buffers.js'

const ALIGN = 16
const PAGE = 65536

function roundUp(bytes: number): number {
  return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN)
}

export class WasmHeap {
  readonly memory: WebAssembly.Memory
  /** Free blocks, sorted by address, never adjacent (coalesced). */
  private readonly freePtr: number[] = []
  private readonly freeSize: number[] = []
  /** End of the managed region (= memory.buffer.byteLength). */
  private top: number
  /**
   * Memory from here up was grown by this heap and never handed out: still zero, as
   * memory.grow gives it, so alloc need not fill it (a data set's rows, copied in once
   * per fit, were written twice: zeros, then the rows).
   */
  private clean: number

  constructor(memory: WebAssembly.Memory, heapBase: number) {
    this.memory = memory
    const start = roundUp(heapBase)
    this.top = memory.buffer.byteLength
    this.clean = this.top
    if (this.top < start) {
      this.grow(start - this.top)
    } else if (this.top > start) {
      this.release(start, this.top - start)
    }
  }

  /** Allocate `bytes` (rounded up to 16), zero-filled; returns the address. */
  alloc(bytes: number): number {
    const size = roundUp(bytes)
    for (;;) {
      for (let b = 0; b < this.freePtr.length; b++) {
        const blockSize = this.freeSize[b]!
        if (blockSize < size) continue
        const ptr = this.freePtr[b]!
        if (blockSize === size) {
          this.freePtr.splice(b, 1)
          this.freeSize.splice(b, 1)
        } else {
          this.freePtr[b] = ptr + size
          this.freeSize[b] = blockSize - size
        }
        if (ptr < this.clean) new Uint8Array(this.memory.buffer, ptr, Math.min(size, this.clean - ptr)).fill(0)
        this.clean = Math.max(this.clean, ptr + size)
        return ptr
      }
      // Nothing fits: grow by what the last block (if it reaches the top) lacks.
      this.grow(size - this.freeAtTop())
    }
  }

  /** Bytes of the last free block if it reaches the top of the memory, else 0. */
  private freeAtTop(): number {
    const last = this.freePtr.length - 1
    return last >= 0 && this.freePtr[last]! + this.freeSize[last]! === this.top ? this.freeSize[last]! : 0
  }

  /**
   * Make at least `bytes` free at the top of the memory, in one grow, and map its pages
   * now: one zero written per 4 KiB page of memory never handed out (zero already, so it
   * stays clean). A sharded fit's worker does this while the calling thread is still
   * copying the rows (pool.ts), so that copying them in later finds its pages mapped.
   */
  reserve(bytes: number): void {
    const tail = this.freeAtTop()
    if (tail < bytes) this.grow(bytes - tail)
    const pages = new Uint8Array(this.memory.buffer)
    for (let p = Math.ceil(this.clean / 4096) * 4096; p < this.top; p += 4096) pages[p] = 0
  }

  /** Return a block obtained from alloc(bytes) to the free list. */
  release(ptr: number, bytes: number): void {
    const size = roundUp(bytes)
    const P = this.freePtr
    const S = this.freeSize
    // first free block after ptr (binary search)
    let lo = 0
    let hi = P.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (P[mid]! < ptr) lo = mid + 1
      else hi = mid
    }
    const mergePrev = lo > 0 && P[lo - 1]! + S[lo - 1]! === ptr
    const mergeNext = lo < P.length && ptr + size === P[lo]!
    if (mergePrev && mergeNext) {
      S[lo - 1] = S[lo - 1]! + size + S[lo]!
      P.splice(lo, 1)
      S.splice(lo, 1)
    } else if (mergePrev) {
      S[lo - 1] = S[lo - 1]! + size
    } else if (mergeNext) {
      P[lo] = ptr
      S[lo] = size + S[lo]!
    } else {
      P.splice(lo, 0, ptr)
      S.splice(lo, 0, size)
    }
  }

  /** Bytes currently free (for tests and diagnostics). */
  freeBytes(): number {
    let s = 0
    for (const size of this.freeSize) s += size
    return s
  }

  private grow(bytes: number): void {
    const pages = Math.ceil(bytes / PAGE)
    try {
      this.memory.grow(pages)
    } catch (cause) {
      throw new BackendError(
        `WebAssembly memory could not grow by ${pages} pages (${this.top} bytes in use): the data is too large for this runtime; use fewer rows per call or the 'js' backend.`,
        { pages, bytes: this.top, cause },
      )
    }
    const oldTop = this.top
    this.top = this.memory.buffer.byteLength
    this.release(oldTop, this.top - oldTop)
  }
}

export class WasmArena implements Arena {
  private blocks: number[] = [] // ptr, bytes pairs
  private disposed = false

  constructor(readonly heap: WasmHeap) {}

  get isDisposed(): boolean {
    return this.disposed
  }

  private alloc(bytes: number): number {
    if (this.disposed) throw new BackendError('This arena was disposed: allocate from a new arena.')
    const ptr = this.heap.alloc(bytes)
    this.blocks.push(ptr, bytes)
    return ptr
  }

  f64(length: number): WasmF64Buffer {
    checkLength(length)
    return new WasmF64Buffer(this, this.alloc(length * 8), length)
  }

  i32(length: number): WasmI32Buffer {
    checkLength(length)
    return new WasmI32Buffer(this, this.alloc(length * 4), length)
  }

  f64From(values: ArrayLike<number>): WasmF64Buffer {
    const buffer = this.f64(values.length)
    buffer.view.set(values)
    return buffer
  }

  lend(values: Float64Array): WasmF64Buffer | null {
    return values.buffer === this.heap.memory.buffer ? new WasmF64Buffer(this, values.byteOffset, values.length) : null
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    const b = this.blocks
    for (let i = 0; i < b.length; i += 2) this.heap.release(b[i]!, b[i + 1]!)
    this.blocks = []
  }
}

function disposedError(): BackendError {
  return new BackendError('This buffer\'s arena was disposed (its memory may be reused): allocate from a new arena.')
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0) {
    throw new EmkitError('INVALID_DATA', `Buffer length must be a non-negative integer, got ${length}.`, { length })
  }
}

/** A typed view into linear memory, re-made when memory.grow has detached the old one. */
abstract class WasmBuffer<V extends Float64Array | Int32Array> {
  private cached: V

  constructor(readonly arena: WasmArena, readonly ptr: number, readonly length: number) {
    this.cached = this.viewOf(arena.heap.memory.buffer)
  }

  protected abstract viewOf(buffer: ArrayBuffer): V

  get view(): V {
    if (this.arena.isDisposed) throw disposedError()
    const buffer = this.arena.heap.memory.buffer
    if (this.cached.buffer !== buffer) this.cached = this.viewOf(buffer)
    return this.cached
  }
}

export class WasmF64Buffer extends WasmBuffer<Float64Array> implements F64Buffer {
  protected viewOf(buffer: ArrayBuffer): Float64Array { return new Float64Array(buffer, this.ptr, this.length) }

  /** 8-byte aligned only: the kernels' v128 loads take any address (wasm alignment is a hint), and compute the same. */
  subarray(begin: number, end: number): WasmF64Buffer {
    checkSubarray(begin, end, this.length)
    return new WasmF64Buffer(this.arena, this.ptr + 8 * begin, end - begin)
  }
}

export class WasmI32Buffer extends WasmBuffer<Int32Array> implements I32Buffer {
  protected viewOf(buffer: ArrayBuffer): Int32Array { return new Int32Array(buffer, this.ptr, this.length) }

  subarray(begin: number, end: number): WasmI32Buffer {
    checkSubarray(begin, end, this.length)
    return new WasmI32Buffer(this.arena, this.ptr + 4 * begin, end - begin)
  }
}
