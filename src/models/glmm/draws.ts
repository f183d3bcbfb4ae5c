/**
 * The kernel-memory copy of the GLMM's Monte Carlo draws (m x nGroups), kept with the
 * prepared data. The engine holds the draws as a JS array and hands the same array to
 * the M-step (several Newton passes) and to delta-Q (two passes): the data never move
 * into kernel memory per iteration, and neither should the draws, whose m x nGroups
 * values are the largest thing an iteration has. The sampler writes them here, so the
 * passes that follow find them in place; a different array (MCEM's augmented sample,
 * a caller's own draws) is copied once.
 */
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'

export interface DrawCache {
  /** Owns `buffer` alone, so that growing frees the old one. */
  arena: Arena | null
  buffer: F64Buffer | null
  /** The JS array whose first `count` values the buffer holds (by identity: draws are never mutated once returned). */
  holds: Float64Array | null
  count: number
}

export function drawsCache(): DrawCache {
  return { arena: null, buffer: null, holds: null, count: 0 }
}

/** The buffer, with room for `size` values (grown only when m grows), about to be overwritten: it holds no array. */
export function drawTarget(kernels: Kernels, cache: DrawCache, size: number): F64Buffer {
  if (!cache.buffer || cache.buffer.length < size) {
    cache.arena?.dispose()
    cache.arena = kernels.arena()
    cache.buffer = cache.arena.f64(size)
  }
  cache.holds = null
  cache.count = size
  return cache.buffer
}

/** The first `size` values of `draws` in kernel memory: copied only if the buffer holds another array (or fewer of its values). */
export function drawsBuffer(kernels: Kernels, cache: DrawCache, draws: Float64Array, size: number): F64Buffer {
  if (cache.buffer && cache.holds === draws && cache.count >= size) return cache.buffer
  const buffer = drawTarget(kernels, cache, size)
  buffer.view.set(draws.subarray(0, size))
  cache.holds = draws
  return buffer
}

export function releaseDraws(cache: DrawCache): void {
  cache.arena?.dispose()
  cache.arena = null
  cache.buffer = null
  cache.holds = null
  cache.count = 0
}
