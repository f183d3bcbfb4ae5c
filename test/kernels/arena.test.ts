/** The wasm backend's arenas: a free-list allocator over linear memory. */
import { beforeAll, describe, expect, it } from 'vitest'
import { BackendError, EmkitError } from '../../src/core/errors.js'
import { jsKernels } from '../../src/kernels/js/index.js'
import { reserveKernelMemory } from '../../src/kernels/index.js'
import type { Kernels } from '../../src/kernels/types.js'
import { expectSame, loadAll, normals, seeded, spdMatrices } from './backends.js'

let K: Awaited<ReturnType<typeof loadAll>>
beforeAll(async () => {
  K = await loadAll()
})

describe.each(['wasm', 'wasm-scalar'] as const)('%s arena', (name) => {
  const kernels = (): Kernels => K[name]

  it('buffers are 16-byte aligned, zero-filled and distinct', () => {
    const a = kernels().arena()
    const bufs = [0, 1, 3, 16, 17, 1000].map((len) => a.f64(len))
    const ints = [1, 3, 5].map((len) => a.i32(len))
    for (const b of [...bufs, ...ints]) {
      expect(b.ptr % 16).toBe(0)
      expect(Array.from(b.view).every((v) => v === 0)).toBe(true)
    }
    const ptrs = new Set([...bufs, ...ints].map((b) => b.ptr))
    expect(ptrs.size).toBe(bufs.length + ints.length)
    // write everything, reallocate after dispose: still zero
    for (const b of bufs) b.view.fill(5)
    a.dispose()
    const again = kernels().arena()
    const c = again.f64(1000)
    expect(Array.from(c.view).every((v) => v === 0)).toBe(true)
    again.dispose()
  })

  it('buffers in memory just grown (not filled: still zero) and in that memory reused are zero-filled', () => {
    const a = kernels().arena()
    const big = a.f64(3 * 1024 * 1024 + 5) // beyond what earlier tests grew: fresh pages
    expect(big.view.every((v) => v === 0)).toBe(true)
    big.view.fill(7)
    a.dispose()
    const b = kernels().arena()
    const parts = [b.f64(1024 * 1024), b.f64(2 * 1024 * 1024 + 17), b.f64(3 * 1024 * 1024)]
    for (const p of parts) expect(p.view.every((v) => v === 0)).toBe(true)
    b.dispose()
  })

  it('growing the memory keeps earlier buffers intact (views are re-read)', () => {
    const a = kernels().arena()
    const small = a.f64From(Float64Array.from({ length: 1000 }, (_, i) => i * 0.5))
    const ints = a.i32(4)
    ints.view.set([1, -2, 3, -4])
    const oldView = small.view
    const oldBytes = oldView.buffer.byteLength
    const big = a.f64(8 * 1024 * 1024) // 64 MB: forces memory.grow
    big.view[big.length - 1] = 42
    const newBuffer = small.view.buffer
    expect(newBuffer.byteLength).toBeGreaterThan(oldBytes)
    expect(oldView.byteLength).toBe(0) // the old view was detached by memory.grow...
    expect(small.view.length).toBe(1000) // ...and the getter made a new one
    for (let i = 0; i < 1000; i++) expect(small.view[i]).toBe(i * 0.5)
    expect(Array.from(ints.view)).toEqual([1, -2, 3, -4])
    expect(big.view[big.length - 1]).toBe(42)
    a.dispose()
  })

  it('dispose frees the blocks: the same address is handed out again, and memory stops growing', () => {
    const a1 = kernels().arena()
    const b1 = a1.f64(300)
    const b2 = a1.f64(5000)
    const p1 = b1.ptr
    a1.dispose()
    const a2 = kernels().arena()
    expect(a2.f64(300).ptr).toBe(p1)
    // the two freed blocks coalesced: one block of both sizes fits right after
    expect(a2.f64(5000).ptr).toBe(b2.ptr)
    a2.dispose()
    const a3 = kernels().arena()
    expect(a3.f64(300 + 5000).ptr).toBe(p1)
    a3.dispose()
    let bytes = 0
    for (let r = 0; r < 20; r++) {
      const a = kernels().arena()
      const b = a.f64(1 << 18) // 2 MB
      if (r === 0) bytes = b.view.buffer.byteLength
      else expect(b.view.buffer.byteLength).toBe(bytes)
      a.dispose()
    }
  })

  it('reserve grows the memory once and maps it; buffers allocated in it after are zero, earlier ones intact, and it grows no more', () => {
    const a = kernels().arena()
    const small = a.f64From(Float64Array.from({ length: 100 }, (_, i) => i + 0.25))
    const heap = (small as unknown as { arena: { heap: { memory: WebAssembly.Memory } } }).arena.heap
    const before = heap.memory.buffer.byteLength
    const bytes = before + 16 * 1024 * 1024 + 8 // more than the whole memory now: it must grow
    reserveKernelMemory(kernels(), bytes)
    const reserved = heap.memory.buffer.byteLength
    expect(reserved).toBeGreaterThan(before)
    reserveKernelMemory(kernels(), bytes) // enough free at the top already: nothing grows
    expect(heap.memory.buffer.byteLength).toBe(reserved)
    const big = a.f64(bytes / 8)
    expect(heap.memory.buffer.byteLength).toBe(reserved)
    expect(big.view.every((v) => v === 0)).toBe(true)
    for (let i = 0; i < 100; i++) expect(small.view[i]).toBe(i + 0.25)
    a.dispose()
    expect(() => reserveKernelMemory(jsKernels, bytes)).not.toThrow() // the JS backend holds no linear memory
  })

  it('f64From copies its argument', () => {
    const a = kernels().arena()
    const src = new Float64Array([1, 2, 3])
    const b = a.f64From(src)
    expect(Array.from(b.view)).toEqual([1, 2, 3])
    src[0] = 99
    expect(b.view[0]).toBe(1)
    b.view[1] = -5
    expect(src[1]).toBe(2)
    expect(Array.from(a.f64From([4, 5]).view)).toEqual([4, 5])
    a.dispose()
  })

  it('a disposed arena cannot be used, and kernels refuse foreign, disposed or short buffers', () => {
    const k = kernels()
    const a = k.arena()
    const A = a.f64From(spdMatrices(seeded(3, 'arena errors'), 1, 2))
    const L = a.f64(4)
    expect(() => k.cholesky(jsKernels.arena().f64(4), 1, 2, L)).toThrow(BackendError)
    expect(() => k.cholesky(A, 1, 2, a.f64(3))).toThrow(EmkitError)
    try {
      k.cholesky(A, 1, 2, a.f64(3))
    } catch (e) {
      expect((e as EmkitError).code).toBe('SHAPE_MISMATCH')
    }
    expect(() => k.cholesky(A, 1.5, 2, L)).toThrow(EmkitError)
    const other = name === 'wasm' ? K['wasm-scalar'] : K.wasm
    expect(() => other.cholesky(A, 1, 2, other.arena().f64(4))).toThrow(BackendError)
    a.dispose()
    expect(() => A.view).toThrow(BackendError)
    expect(() => a.f64(1)).toThrow(BackendError)
    expect(() => k.cholesky(A, 1, 2, L)).toThrow(BackendError)
  })

  it('large d and k enlarge the kernels\' scratch space (and may grow memory) without corrupting buffers', () => {
    const n = 5, d = 120, k = 12
    const rng = seeded(11, 'large scratch')
    const X = normals(rng, n * d)
    const M = normals(rng, k * d)
    const R = Float64Array.from({ length: n * k }, () => rng.uniform())
    const run = (kk: Kernels): Float64Array => {
      const a = kk.arena()
      const x = a.f64From(X)
      const out = a.f64(k + k * d + k * d * d)
      kk.statsFull(x, n, d, a.f64From(R), k, null, a.f64From(M), out)
      const copy = out.view.slice()
      expect(Array.from(x.view)).toEqual(Array.from(X))
      a.dispose()
      return copy
    }
    expectSame(run(kernels()), run(jsKernels), `${name} statsFull d=${d} k=${k}`)
  })
})
