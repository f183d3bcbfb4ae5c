/**
 * The logistic-GLMM kernels (assembly/glmm.ts and its JS twin): the same seed gives
 * bit-identical Metropolis draws, acceptance rates, tuned scales and generator state on
 * wasm SIMD, wasm scalar and JS (group counts 1, 3, 257 and odd row counts, so the SIMD
 * row pairs have tails), and bit-identical per-row sums and per-draw Q; the sums agree
 * with direct formulas, and the tuned chains accept 15-40% of their moves.
 */
import { describe, expect, it } from 'vitest'
import type { BackendName, Kernels } from '../../src/kernels/types.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { BACKENDS, loadAll } from './backends.js'

const SEED = 20261122

/** Groups of 1..5 rows (so n is odd for most G), logits around 0 +- 2, binomial counts. */
function problem(G: number) {
  const rng = new Rng(SEED + G)
  const sizes = Array.from({ length: G }, (_, g) => 1 + ((g * 7) % 5))
  const groupStart = new Int32Array(G + 1)
  for (let g = 0; g < G; g++) groupStart[g + 1] = groupStart[g]! + sizes[g]!
  const n = groupStart[G]!
  const offset = Float64Array.from({ length: n }, () => 2 * rng.normal())
  const trials = Float64Array.from({ length: n }, () => 1 + rng.integer(12))
  const y = trials.map((t) => rng.integer(t + 1))
  const group = new Int32Array(n)
  for (let g = 0; g < G; g++) group.fill(g, groupStart[g], groupStart[g + 1])
  return { n, offset, trials, y, group, groupStart }
}

function run(K: Kernels, G: number, burnIn: number, thin: number, m: number, calls: number) {
  const P = problem(G)
  const a = K.arena()
  try {
    const state = a.i32(4)
    state.view.set(new Rng(SEED).state)
    const off = a.f64From(P.offset), y = a.f64From(P.y), t = a.f64From(P.trials), gs = a.i32(G + 1), grp = a.i32(P.n)
    gs.view.set(P.groupStart)
    grp.view.set(P.group)
    const b = a.f64(G), scale = a.f64(G), cur = a.f64(G), acc = a.f64(G), draws = a.f64(m * G)
    scale.view.fill(1)
    const out: { draws: Float64Array[]; accept: Float64Array[]; s: Float64Array; h: Float64Array; q: Float64Array; total: number } = { draws: [], accept: [], s: new Float64Array(), h: new Float64Array(), q: new Float64Array(), total: 0 }
    for (let c = 0; c < calls; c++) {
      expect(K.glmmSampleIntercepts(state, off, y, t, gs, G, 0.8, b, scale, cur, burnIn, thin, m, draws, acc)).toBe(-1)
      out.draws.push(draws.view.slice(0, m * G))
      out.accept.push(acc.view.slice(0, G))
    }
    const s = a.f64(P.n), h = a.f64(P.n), q = a.f64(m)
    out.total = K.glmmLogisticSums(off, y, t, grp, P.n, draws, m, G, s, h, q)
    out.s = s.view.slice(0, P.n)
    out.h = h.view.slice(0, P.n)
    out.q = q.view.slice(0, m)
    return { ...out, state: state.view.slice(0, 4), scale: scale.view.slice(0, G), P }
  } finally {
    a.dispose()
  }
}

describe('glmm kernels', () => {
  for (const G of [1, 3, 257]) {
    it(`G = ${G}: draws, acceptance, scales, state, sums and Q bit-identical on every backend (seed ${SEED})`, async () => {
      const all = await loadAll()
      const results = Object.fromEntries(BACKENDS.map((be) => [be, run(all[be], G, 60, 2, 33, 3)])) as Record<BackendName, ReturnType<typeof run>>
      const ref = results.js
      for (const be of ['wasm', 'wasm-scalar'] as const) {
        const r = results[be]
        expect(r.draws).toEqual(ref.draws)
        expect(r.accept).toEqual(ref.accept)
        expect(r.scale).toEqual(ref.scale)
        expect(r.state).toEqual(ref.state)
        expect(r.s).toEqual(ref.s)
        expect(r.h).toEqual(ref.h)
        expect(r.q).toEqual(ref.q)
        expect(Object.is(r.total, ref.total)).toBe(true)
      }
      // the chain moved and continued across calls
      expect(ref.draws[0]).not.toEqual(ref.draws[1])
      expect(ref.draws[2]!.every(Number.isFinite)).toBe(true)
    })
  }

  it('sums match the direct formulas (logistic mean, variance, log-likelihood)', async () => {
    const { js } = await loadAll()
    const r = run(js, 3, 10, 1, 5, 1)
    const { P } = r
    const last = r.draws[0]!
    const s = new Float64Array(P.n), h = new Float64Array(P.n), q = new Float64Array(5)
    for (let k = 0; k < 5; k++) {
      for (let i = 0; i < P.n; i++) {
        const x = P.offset[i]! + last[k * 3 + P.group[i]!]!
        const mu = 1 / (1 + Math.exp(-x))
        s[i]! += P.y[i]! - P.trials[i]! * mu
        h[i]! += P.trials[i]! * mu * (1 - mu)
        q[k]! += P.y[i]! * x - P.trials[i]! * Math.log1p(Math.exp(x))
      }
    }
    for (let i = 0; i < P.n; i++) {
      expect(r.s[i]).toBeCloseTo(s[i]!, 12)
      expect(r.h[i]).toBeCloseTo(h[i]!, 12)
    }
    for (let k = 0; k < 5; k++) expect(r.q[k]).toBeCloseTo(q[k]!, 10)
  })

  it('tuned chains accept 15-40% of their moves', async () => {
    const { wasm } = await loadAll()
    // from unit scales: a few E-steps of 500 burn-in sweeps (5 tuning batches each)
    const r = run(wasm, 257, 500, 1, 2000, 4)
    const acc = r.accept[3]!
    console.log(`[glmm kernels] acceptance after tuning: min ${Math.min(...acc).toFixed(3)}, max ${Math.max(...acc).toFixed(3)} (seed ${SEED})`)
    for (const a of acc) {
      expect(a).toBeGreaterThanOrEqual(0.15)
      expect(a).toBeLessThanOrEqual(0.4)
    }
  })

  it('reports a bad proposal scale by index and draws nothing', async () => {
    for (const K of Object.values(await loadAll())) {
      const a = K.arena()
      const P = problem(3)
      const state = a.i32(4)
      state.view.set(new Rng(1).state)
      const gs = a.i32(4)
      gs.view.set(P.groupStart)
      const scale = a.f64From([1, 0, 1])
      const before = state.view.slice()
      expect(K.glmmSampleIntercepts(state, a.f64From(P.offset), a.f64From(P.y), a.f64From(P.trials), gs, 3, 1, a.f64(3), scale, a.f64(3), 5, 1, 2, a.f64(6), a.f64(3))).toBe(1)
      expect(state.view).toEqual(before)
      a.dispose()
    }
  })
})
