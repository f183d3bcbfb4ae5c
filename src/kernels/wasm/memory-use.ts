/**
 * Memory accounting of the wasm backends, apart from the backend itself (index.ts) so
 * that kernels/index.ts can export it without keeping the backend's wrappers in a
 * bundle's code loaded at start.
 */
import type { Kernels } from '../types.js'
import type { WasmHeap } from './heap.js'

/** The part of a backend's heap the accounting reads (a type-only import: no code of heap.ts here). */
type HeapUse = Pick<WasmHeap, 'memory' | 'freeBytes' | 'reserve'>

/** The heap behind each wasm backend (set by index.ts's wasmCoreFromExports). */
export const heaps = new WeakMap<object, HeapUse>()

/**
 * Bytes of linear memory in use (allocated, not free) by a backend; 0 for the JS
 * backend. What a fitted estimator must not keep: tests check it stays flat.
 */
export function kernelMemoryInUse(kernels: Kernels): number {
  const heap = heaps.get(kernels)
  return heap ? heap.memory.buffer.byteLength - heap.freeBytes() : 0
}

/** Grow a wasm backend's memory to hold `bytes` more, and map it now (WasmHeap.reserve); nothing for the JS backend. */
export function reserveKernelMemory(kernels: Kernels, bytes: number): void {
  heaps.get(kernels)?.reserve(bytes)
}
