/**
 * Brute force on tiny HMMs: enumerate all K^T state paths (T <= 8) and compare the
 * log-likelihood, the posteriors and the Viterbi path of every backend's kernels
 * (scaled and log-space passes) and of the estimators.
 */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, PoissonHMM } from '../../src/index.js'
import { loadKernels } from '../../src/kernels/index.js'
import type { BackendName } from '../../src/kernels/types.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { BACKENDS } from '../helpers/data.js'

interface Tiny { k: number; T: number; logB: Float64Array; start: Float64Array; trans: Float64Array }

function distribution(rng: Rng, n: number): Float64Array {
  const p = Float64Array.from({ length: n }, () => 0.05 + rng.uniform())
  const s = p.reduce((a, b) => a + b, 0)
  return p.map((v) => v / s)
}

function tiny(seed: number, k: number, T: number): Tiny {
  const rng = new Rng(seed)
  const trans = new Float64Array(k * k)
  for (let i = 0; i < k; i++) trans.set(distribution(rng, k), i * k)
  return { k, T, start: distribution(rng, k), trans, logB: Float64Array.from({ length: T * k }, () => -3 * rng.uniform() - 0.1) }
}

function brute(h: Tiny): { logLik: number; post: Float64Array; xi: Float64Array; best: number[]; bestScore: number } {
  const { k, T } = h
  const post = new Float64Array(T * k)
  const xi = new Float64Array(k * k)
  let total = 0, bestScore = -Infinity
  let best: number[] = []
  const path = new Array<number>(T).fill(0)
  const count = k ** T
  for (let code = 0; code < count; code++) {
    let c = code
    for (let t = T - 1; t >= 0; t--) { path[t] = c % k; c = Math.floor(c / k) }
    let lp = Math.log(h.start[path[0]!]!) + h.logB[path[0]!]!
    for (let t = 1; t < T; t++) lp += Math.log(h.trans[path[t - 1]! * k + path[t]!]!) + h.logB[t * k + path[t]!]!
    const p = Math.exp(lp)
    total += p
    for (let t = 0; t < T; t++) post[t * k + path[t]!] += p
    for (let t = 0; t + 1 < T; t++) xi[path[t]! * k + path[t + 1]!] += p
    if (lp > bestScore) { bestScore = lp; best = path.slice() }
  }
  return { logLik: Math.log(total), post: post.map((v) => v / total), xi: xi.map((v) => v / total), best, bestScore }
}

const CASES: [number, number][] = [[1, 5], [2, 1], [2, 8], [3, 3], [3, 7], [4, 6], [5, 5]]

describe.each(BACKENDS)('brute force, %s kernels', (backend) => {
  it.each(CASES)('k=%i T=%i', async (k, T) => {
    const seed = 1000 * k + T
    console.log(`[hmm-brute] ${backend} k=${k} T=${T} seed ${seed}`)
    const h = tiny(seed, k, T)
    const bf = brute(h)
    const kernels = await loadKernels(backend as BackendName)
    const a = kernels.arena()
    try {
      const lengths = a.i32(1); lengths.view[0] = T
      const b = a.f64From(h.logB), alpha = a.f64(T * k), scale = a.f64(T), xi = a.f64(k * k)
      const logLik = kernels.hmmForward(b, lengths, 1, k, a.f64From(h.start), a.f64From(h.trans), alpha, scale, a.f64(k), false)
      kernels.hmmSmooth(b, lengths, 1, k, a.f64From(h.trans), scale, alpha, xi, a.f64(2 * k + 1), false)
      xi.view.forEach((x, p) => { xi.view[p] = h.trans[p]! * x })
      const gamma = alpha
      expect(Math.abs(logLik - bf.logLik)).toBeLessThan(1e-12 * Math.max(1, Math.abs(bf.logLik)))
      gamma.view.forEach((g, p) => expect(Math.abs(g - bf.post[p]!)).toBeLessThan(1e-12))
      xi.view.forEach((x, p) => expect(Math.abs(x - bf.xi[p]!)).toBeLessThan(1e-12 * T))
      const la = a.f64(T * k), lb = a.f64(T * k), g2 = a.f64(T * k)
      const ls = a.f64From(h.start.map(Math.log)), lt = a.f64From(h.trans.map(Math.log)), lB = a.f64From(h.logB)
      const logLik2 = kernels.hmmForwardLog(lB, lengths, 1, k, ls, lt, la)
      kernels.hmmBackwardLog(lB, lengths, 1, k, lt, lb)
      kernels.hmmPosteriorsLog(la, lb, T, k, g2)
      expect(Math.abs(logLik2 - bf.logLik)).toBeLessThan(1e-12 * Math.max(1, Math.abs(bf.logLik)))
      g2.view.forEach((g, p) => expect(Math.abs(g - bf.post[p]!)).toBeLessThan(1e-12))
      const psi = a.i32(T * k), path = a.i32(T)
      const score = kernels.hmmViterbi(lB, lengths, 1, k, ls, lt, psi, path, a.f64(k), false, false, -1)
      expect(Array.from(path.view)).toEqual(bf.best)
      expect(Math.abs(score - bf.bestScore)).toBeLessThan(1e-12 * Math.max(1, Math.abs(bf.bestScore)))
    } finally {
      a.dispose()
    }
  })
})

describe('brute force through the estimators', () => {
  it('CategoricalHMM: score, predictProba and predict on a T = 8 sequence', () => {
    const rng = new Rng(5)
    const k = 3, S = 4, T = 8
    const start = distribution(rng, k)
    const trans = Array.from({ length: k }, () => Array.from(distribution(rng, k)))
    const emission = Array.from({ length: k }, () => Array.from(distribution(rng, S)))
    const X = Array.from({ length: T }, () => rng.integer(S))
    const logB = new Float64Array(T * k)
    for (let t = 0; t < T; t++) for (let c = 0; c < k; c++) logB[t * k + c] = Math.log(emission[c]![X[t]!]!)
    const bf = brute({ k, T, logB, start, trans: Float64Array.from(trans.flat()) })
    for (const backend of BACKENDS) {
      const hmm = new CategoricalHMM({ nComponents: k, backend, init: { startProb: Array.from(start), transMat: trans, emissionProb: emission } })
      expect(Math.abs(hmm.score(X) - bf.logLik)).toBeLessThan(1e-12 * Math.abs(bf.logLik))
      hmm.predictProba(X).forEach((row, t) => row.forEach((p, c) => expect(Math.abs(p - bf.post[t * k + c]!)).toBeLessThan(1e-12)))
      expect(hmm.predict(X)).toEqual(bf.best)
      const map = hmm.decode(X, { algorithm: 'map' })
      expect(map.states).toEqual(Array.from({ length: T }, (_, t) => {
        let b = 0
        for (let c = 1; c < k; c++) if (bf.post[t * k + c]! > bf.post[t * k + b]!) b = c
        return b
      }))
    }
  })

  it('PoissonHMM: score equals the sum over all paths', () => {
    const k = 2, T = 7
    const rates = [1.5, 6]
    const start = [0.3, 0.7], trans = [[0.8, 0.2], [0.35, 0.65]]
    const X = [0, 3, 7, 5, 1, 0, 9]
    const logFact = (y: number): number => { let s = 0; for (let v = 2; v <= y; v++) s += Math.log(v); return s }
    const logB = new Float64Array(T * k)
    for (let t = 0; t < T; t++) for (let c = 0; c < k; c++) logB[t * k + c] = X[t]! * Math.log(rates[c]!) - rates[c]! - logFact(X[t]!)
    const bf = brute({ k, T, logB, start: Float64Array.from(start), trans: Float64Array.from(trans.flat()) })
    const hmm = new PoissonHMM({ nComponents: k, init: { startProb: start, transMat: trans, rates } })
    expect(Math.abs(hmm.score(X) - bf.logLik)).toBeLessThan(1e-12 * Math.abs(bf.logLik))
    expect(hmm.predict(X)).toEqual(bf.best)
  })
})
