/** cholesky and invertLower on every backend against the JS twin (bit-identical). */
import { beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, copyOf, expectSame, loadAll, seeded, spdMatrices } from './backends.js'

let K: Awaited<ReturnType<typeof loadAll>>
beforeAll(async () => {
  K = await loadAll()
})

describe.each([1, 2, 3, 5, 7, 8, 9])('d=%i', (d) => {
  const count = 4
  const A = spdMatrices(seeded(500 + d, `linalg d=${d}`), count, d)

  it('cholesky and invertLower agree with the JS twin', () => {
    const ref: Record<string, Float64Array> = {}
    for (const name of BACKENDS) {
      const k = K[name]
      const a = k.arena()
      const L = a.f64(count * d * d)
      L.view.fill(7) // upper triangle must be zeroed by the kernel
      const P = a.f64(count * d * d)
      P.view.fill(7)
      expect(k.cholesky(a.f64From(A), count, d, L)).toBe(-1)
      k.invertLower(L, count, d, P)
      ref[`${name} L`] = copyOf(L)
      ref[`${name} P`] = copyOf(P)
      a.dispose()
    }
    for (const name of ['wasm', 'wasm-scalar']) {
      expectSame(ref[`${name} L`]!, ref['js L']!, `${name} cholesky d=${d}`)
      expectSame(ref[`${name} P`]!, ref['js P']!, `${name} invertLower d=${d}`)
    }
  })

  it.each(BACKENDS)('%s: L L^T = A and invertLower(L) L = I', (name) => {
    const k = K[name]
    const a = k.arena()
    const L = a.f64(count * d * d)
    const P = a.f64(count * d * d)
    k.cholesky(a.f64From(A), count, d, L)
    k.invertLower(L, count, d, P)
    const l = L.view, p = P.view
    for (let m = 0; m < count; m++) {
      const o = m * d * d
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let llt = 0, pl = 0
          for (let q = 0; q < d; q++) {
            llt += l[o + i * d + q]! * l[o + j * d + q]!
            pl += p[o + i * d + q]! * l[o + q * d + j]!
          }
          expect(Math.abs(llt - A[o + i * d + j]!)).toBeLessThan(1e-12 * (1 + Math.abs(A[o + i * d + j]!)) * d)
          expect(Math.abs(pl - (i === j ? 1 : 0))).toBeLessThan(1e-12 * d)
          if (j > i) {
            expect(l[o + i * d + j]).toBe(0)
            expect(p[o + i * d + j]).toBe(0)
          }
        }
      }
    }
    a.dispose()
  })

  it.each(BACKENDS)('%s: returns the index of the first matrix that is not positive definite', (name) => {
    const k = K[name]
    const a = k.arena()
    const bad = A.slice()
    // matrix 2: make it indefinite (negate its last diagonal element)
    bad[2 * d * d + (d - 1) * d + (d - 1)] = -1
    // matrix 3: NaN (also not positive definite), after the first failure
    bad[3 * d * d] = NaN
    const L = a.f64(count * d * d)
    expect(k.cholesky(a.f64From(bad), count, d, L)).toBe(2)
    const onlyNaN = A.slice()
    onlyNaN[1 * d * d] = NaN
    expect(k.cholesky(a.f64From(onlyNaN), count, d, L)).toBe(1)
    expect(k.cholesky(a.f64From(A), count, d, L)).toBe(-1)
    expect(k.cholesky(a.f64(0), 0, d, a.f64(0))).toBe(-1)
    a.dispose()
  })
})
