/**
 * Shared helpers for the kernel tests: the three backends, seeded random data
 * from the project's Rng, and comparisons against the JS twin.
 *
 * Backends agree BIT FOR BIT on this runtime (Node/V8): every kernel performs the
 * same operations in the same order per output element; exp is the same
 * polynomial on every backend and the wasm log is a port of fdlibm's log, which
 * is what V8's Math.log computes. The tests therefore check the brief's relative
 * tolerance (1e-12) AND bit identity; if a future engine's Math.log differs by an
 * ulp, only the bit-identity checks of results downstream of a log would fail.
 */
import { expect } from 'vitest'
import { loadKernels } from '../../src/kernels/index.js'
import type { BackendName, F64Buffer, Kernels } from '../../src/kernels/types.js'
import { Rng } from '../../src/core/rng/rng.js'
// the helpers draw only what emkit's generator has (the public Rng extends it)
import type { Rng as Generator } from '../../src/core/rng/xoshiro128.js'

export const BACKENDS: readonly BackendName[] = ['wasm', 'wasm-scalar', 'js']
export const REL_TOL = 1e-12

export async function loadAll(): Promise<Record<BackendName, Kernels>> {
  return {
    'wasm': await loadKernels('wasm'),
    'wasm-scalar': await loadKernels('wasm-scalar'),
    'js': await loadKernels('js'),
  }
}

/** A seeded generator whose seed shows in the log, so failures can be replayed. */
export function seeded(seed: number, what: string): Rng {
  console.log(`[kernels] ${what}: seed ${seed}`)
  return new Rng(seed)
}

/** Standard normal draw (Box-Muller) from the project's generator. */
export function normal(rng: Generator): number {
  const u = 1 - rng.uniform() // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.uniform())
}

export function normals(rng: Generator, length: number, scale = 1, shift = 0): Float64Array {
  const out = new Float64Array(length)
  for (let i = 0; i < length; i++) out[i] = shift + scale * normal(rng)
  return out
}

export function uniforms(rng: Generator, length: number, lo = 0, hi = 1): Float64Array {
  const out = new Float64Array(length)
  for (let i = 0; i < length; i++) out[i] = lo + (hi - lo) * rng.uniform()
  return out
}

/** `count` random symmetric positive definite d x d matrices, back to back (A = B B^T + d I / 4). */
export function spdMatrices(rng: Generator, count: number, d: number): Float64Array {
  const out = new Float64Array(count * d * d)
  for (let m = 0; m < count; m++) {
    const B = normals(rng, d * d)
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = i === j ? d / 4 : 0
        for (let q = 0; q < d; q++) s += B[i * d + q]! * B[j * d + q]!
        out[m * d * d + i * d + j] = s
      }
    }
  }
  return out
}

/** Per-element relative tolerance, with an absolute floor relative to the array's scale. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, tol = REL_TOL): void {
  expect(actual.length, `${label}: length`).toBe(expected.length)
  let scale = 0
  for (let i = 0; i < expected.length; i++) {
    const v = Math.abs(expected[i]!)
    if (Number.isFinite(v)) scale = Math.max(scale, v)
  }
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!
    const e = expected[i]!
    if (Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e))) continue
    const err = Math.abs(a - e)
    const bound = tol * Math.max(Math.abs(e), Math.abs(a), scale * 1e-3, Number.MIN_VALUE)
    if (!(err <= bound)) {
      expect.fail(`${label}[${i}]: ${a} vs expected ${e} (|diff| ${err} > ${bound})`)
    }
  }
}

/** Every element identical (NaN equals NaN; +0 and -0 differ). */
export function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!
    const e = expected[i]!
    if (!(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)))) {
      expect.fail(`${label}[${i}]: ${a} is not bit-identical to ${e} (diff ${a - e})`)
    }
  }
}

/** Both checks at once (see the file comment). */
export function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  expectClose(actual, expected, label)
  expectIdentical(actual, expected, label)
}

/** A copy of a buffer's current contents (views of wasm memory can be detached later). */
export function copyOf(buffer: F64Buffer): Float64Array {
  return buffer.view.slice()
}
