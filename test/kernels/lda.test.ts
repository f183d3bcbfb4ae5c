/**
 * ldaEStep on the SIMD and scalar wasm builds against the JS twin, bit for bit: topic
 * counts K odd and even (the SIMD pairs and the pad lane), empty documents, a range of
 * documents (docBegin > 0), with and without the statistics; and against a plain
 * re-statement of the fixed-point loop (test-local, sklearn's order of operations)
 * to rounding.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { BackendName, Kernels } from '../../src/kernels/types.js'
import { digamma } from '../../src/core/math/special.js'
import { expectClose, expectIdentical, loadAll, seeded } from './backends.js'
import type { Rng } from '../../src/core/rng/rng.js'

let K: Record<BackendName, Kernels>
beforeAll(async () => {
  K = await loadAll()
})

interface Corpus { indptr: Int32Array; indices: Int32Array; counts: Float64Array; nDocs: number; nTerms: number }

function corpus(rng: Rng, nDocs: number, nTerms: number): Corpus {
  const indptr = new Int32Array(nDocs + 1)
  const indices: number[] = [], counts: number[] = []
  for (let d = 0; d < nDocs; d++) {
    const len = d % 7 === 3 ? 0 : 1 + Math.floor(rng.uniform() * Math.min(nTerms, 30))
    const terms = new Set<number>()
    while (terms.size < len) terms.add(Math.floor(rng.uniform() * nTerms))
    for (const w of [...terms].sort((a, b) => a - b)) { indices.push(w); counts.push(1 + Math.floor(rng.uniform() * 5)) }
    indptr[d + 1] = indices.length
  }
  return { indptr, indices: Int32Array.from(indices), counts: Float64Array.from(counts), nDocs, nTerms }
}

/** exp E[log beta], term-major with stride kp (pad zero), from a random lambda. */
function expElogBetaT(rng: Rng, k: number, nTerms: number): Float64Array {
  const kp = (k + 1) & ~1
  const lambda = Array.from({ length: k }, () => Array.from({ length: nTerms }, () => 0.1 + 3 * rng.uniform()))
  const out = new Float64Array(nTerms * kp)
  for (let t = 0; t < k; t++) {
    const ps = digamma(lambda[t]!.reduce((a, b) => a + b, 0))
    for (let w = 0; w < nTerms; w++) out[w * kp + t] = Math.exp(digamma(lambda[t]![w]!) - ps)
  }
  return out
}

function run(kernels: Kernels, c: Corpus, k: number, ebT: Float64Array, alpha: number, withStats: boolean, begin = 0, end = c.nDocs, maxIter = 100, tol = 1e-3, start?: Float64Array) {
  const arena = kernels.arena()
  try {
    const kp = (k + 1) & ~1
    const ip = arena.i32(c.indptr.length); ip.view.set(c.indptr)
    const ix = arena.i32(Math.max(1, c.indices.length)); ix.view.set(c.indices)
    const ct = arena.f64From(c.counts.length ? c.counts : [0])
    const eb = arena.f64From(ebT)
    const gamma = start ? arena.f64From(start) : arena.f64(c.nDocs * k)
    const wb = arena.f64(c.nDocs)
    const stats = withStats ? arena.f64(c.nTerms * kp) : null
    if (stats) stats.view.fill(0.5)
    const iters = kernels.ldaEStep(ip, ix, ct, begin, end, k, eb, alpha, maxIter, tol, gamma, stats, wb, start !== undefined)
    return { iters, gamma: gamma.view.slice(begin * k, end * k), wb: wb.view.slice(begin, end), stats: stats ? stats.view.slice() : null }
  } finally {
    arena.dispose()
  }
}

/** sklearn's per-document loop, restated directly (dense vectors, no pairing). */
function plain(c: Corpus, k: number, ebT: Float64Array, alpha: number, maxIter = 100, tol = 1e-3) {
  const kp = (k + 1) & ~1
  const gamma = new Float64Array(c.nDocs * k), wb = new Float64Array(c.nDocs)
  const EPS = 2.220446049250313e-16
  const expDir = (g: number[]) => { const s = digamma(g.reduce((a, b) => a + b, 0)); return g.map((v) => Math.exp(digamma(v) - s)) }
  for (let d = 0; d < c.nDocs; d++) {
    let g = new Array(k).fill(1), et = expDir(g)
    const col = (j: number) => Array.from({ length: k }, (_, t) => ebT[c.indices[j]! * kp + t]!)
    for (let it = 0; it < maxIter; it++) {
      const acc = new Array(k).fill(0)
      for (let j = c.indptr[d]!; j < c.indptr[d + 1]!; j++) {
        const b = col(j)
        const norm = b.reduce((s, v, t) => s + v * et[t]!, 0) + EPS
        for (let t = 0; t < k; t++) acc[t] += c.counts[j]! / norm * b[t]!
      }
      const last = g
      g = et.map((e, t) => e * acc[t]! + alpha)
      et = expDir(g)
      if (g.reduce((s, v, t) => s + Math.abs(v - last[t]!), 0) / k < tol) break
    }
    for (let j = c.indptr[d]!; j < c.indptr[d + 1]!; j++) wb[d] += c.counts[j]! * Math.log(col(j).reduce((s, v, t) => s + v * et[t]!, 0))
    gamma.set(g, d * k)
  }
  return { gamma, wb }
}

describe('ldaEStep: wasm builds against the JS twin', () => {
  let seed = 1300
  for (const [k, nDocs, nTerms] of [[1, 9, 5], [2, 20, 13], [3, 31, 40], [5, 17, 23], [7, 40, 61], [10, 25, 100]] as const) {
    const s = seed++
    it(`K=${k}, ${nDocs} documents, ${nTerms} terms (seed ${s})`, () => {
      const rng = seeded(s, `lda K=${k}`)
      const c = corpus(rng, nDocs, nTerms)
      const ebT = expElogBetaT(rng, k, nTerms)
      const alpha = 1 / k
      const js = run(K.js, c, k, ebT, alpha, true)
      for (const name of ['wasm', 'wasm-scalar'] as const) {
        const w = run(K[name], c, k, ebT, alpha, true)
        expect(w.iters, `${name} inner iterations`).toBe(js.iters)
        expectIdentical(w.gamma, js.gamma, `${name} gamma`)
        expectIdentical(w.wb, js.wb, `${name} wordBound`)
        expectIdentical(w.stats!, js.stats!, `${name} sstats`)
        const part = run(K[name], c, k, ebT, alpha, false, 2, nDocs - 1)
        expectIdentical(part.gamma, js.gamma.slice(2 * k, (nDocs - 1) * k), `${name} gamma of a range`)
      }
      const ref = plain(c, k, ebT, alpha)
      expectClose(js.gamma, ref.gamma, 'gamma vs the plain loop', 1e-9)
      expectClose(js.wb, ref.wb, 'wordBound vs the plain loop', 1e-9)
      // the pad lane of the statistics stays as it was
      if (k % 2 === 1) for (let w = 0; w < nTerms; w++) expect(js.stats![w * (k + 1) + k]).toBe(0.5)
    })
  }

  it('maxIter and tol change the result; an empty document ends at gamma = alpha', () => {
    const rng = seeded(1399, 'lda options')
    const c = corpus(rng, 12, 20)
    const ebT = expElogBetaT(rng, 3, 20)
    const a = run(K.wasm, c, 3, ebT, 0.3, false, 0, 12, 100, 1e-3)
    const b = run(K.wasm, c, 3, ebT, 0.3, false, 0, 12, 2, 1e-3)
    const t = run(K.wasm, c, 3, ebT, 0.3, false, 0, 12, 100, 1e-8)
    expect(b.iters).toBeLessThan(a.iters)
    expect(t.iters).toBeGreaterThan(a.iters)
    expect([...a.gamma.slice(9, 12)]).toEqual([0.3, 0.3, 0.3])
  })

  it('fromGamma: documents start from the given gamma rows (K = 5, odd)', () => {
    const rng = seeded(1398, 'lda fromGamma')
    const c = corpus(rng, 23, 30)
    const ebT = expElogBetaT(rng, 5, 30)
    const start = Float64Array.from({ length: 23 * 5 }, () => rng.gamma(100, 100))
    const js = run(K.js, c, 5, ebT, 0.2, true, 0, 23, 100, 1e-3, start)
    const ones = run(K.js, c, 5, ebT, 0.2, true)
    expect(js.iters).not.toBe(ones.iters)
    for (const name of ['wasm', 'wasm-scalar'] as const) {
      const w = run(K[name], c, 5, ebT, 0.2, true, 0, 23, 100, 1e-3, start)
      expect(w.iters).toBe(js.iters)
      expectIdentical(w.gamma, js.gamma, `${name} gamma`)
      expectIdentical(w.stats!, js.stats!, `${name} sstats`)
    }
  })

  it('rejects term indices outside the vocabulary on the wasm builds', () => {
    const c: Corpus = { indptr: Int32Array.of(0, 2), indices: Int32Array.of(0, 7), counts: Float64Array.of(1, 1), nDocs: 1, nTerms: 3 }
    const ebT = new Float64Array(3 * 2).fill(0.3)
    expect(() => run(K.wasm, c, 2, ebT, 0.5, true)).toThrow(/indices\[1\]' is 7/)
  })
})
