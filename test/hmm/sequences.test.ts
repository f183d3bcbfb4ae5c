/**
 * Several sequences: the statistics of a multi-sequence E-step equal the sum of
 * each sequence's statistics; fitting several sequences differs from fitting their
 * concatenation; a 10^6-step sequence gives finite results on every backend.
 */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, GaussianHMM } from '../../src/index.js'
import { loadKernels } from '../../src/kernels/index.js'
import { GaussianEmission } from '../../src/models/hmm/emissions.js'
import { HmmModel, type HmmParams } from '../../src/models/hmm/model.js'
import type { GaussianEmissionParams } from '../../src/models/hmm/emissions.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { BACKENDS } from '../helpers/data.js'
import { expectClose } from '../kernels/backends.js'

const K = 3, D = 2

function makeModel(kernels: Awaited<ReturnType<typeof loadKernels>>): HmmModel<GaussianEmissionParams, any> {
  return new HmmModel({
    kernels, k: K, emission: new GaussianEmission(kernels, K, D, 'full', 1e-6, { means: true, covariances: true }),
    fit: { startProb: true, transMat: true }, startPseudoCounts: new Float64Array(K), transPseudoCounts: new Float64Array(K * K),
  })
}

describe.each(BACKENDS)('several sequences, %s', (backend) => {
  it('E-step statistics of all sequences = sum of per-sequence statistics (same parameters)', async () => {
    const seed = 4242
    console.log(`[hmm-seq] ${backend} seed ${seed}`)
    const rng = new Rng(seed)
    const lengths = [1, 40, 3, 257, 17]
    const n = lengths.reduce((a, b) => a + b, 0)
    const X = Float64Array.from({ length: n * D }, () => 3 * rng.normal())
    const kernels = await loadKernels(backend)
    const model = makeModel(kernels)
    const emission = model.emission as GaussianEmission
    const params: HmmParams<GaussianEmissionParams> = {
      startProb: Float64Array.from([0.2, 0.5, 0.3]),
      transMat: Float64Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.25, 0.25, 0.5]),
      emission: emission.makeParams(Float64Array.from([-2, 0, 0, 1, 2, -1]), Float64Array.from([1, 0.2, 0.2, 1, 2, 0, 0, 2, 0.5, 0, 0, 0.5])),
    }
    const all = model.prepare(lengths)
    emission.load(all.emission, { rows: n, cols: D, data: X })
    const joint = model.eStep(all, params)
    model.release(all)
    const sum = new Float64Array(joint.stats.length)
    let logLik = 0, row = 0
    for (const len of lengths) {
      const one = model.prepare([len])
      emission.load(one.emission, { rows: len, cols: D, data: X.subarray(row * D, (row + len) * D) })
      const r = model.eStep(one, params)
      r.stats.forEach((v, p) => { sum[p] += v })
      logLik += r.logLik
      model.release(one)
      row += len
    }
    expectClose(joint.stats, sum, 'stats', 1e-12)
    expectClose([joint.logLik], [logLik], 'logLik', 1e-13)
    // the start counts are the posteriors at the first row of each of the 5 sequences
    expect(joint.stats.subarray(0, K).reduce((a, b) => a + b, 0)).toBeCloseTo(lengths.length, 12)
    model.dispose()
  })

  it('fit with lengths treats the sequences as independent (differs from one long sequence)', async () => {
    const rng = new Rng(7)
    const X = Array.from({ length: 300 }, (_, t) => [((t / 50) | 0) % 2 === 0 ? rng.normal() : 5 + rng.normal()])
    const a = await new GaussianHMM({ nComponents: 2, backend, seed: 1, maxIter: 5, tol: 0 }).fit(X, { lengths: [100, 150, 50] })
    const b = await new GaussianHMM({ nComponents: 2, backend, seed: 1, maxIter: 5, tol: 0 }).fit(X)
    // from a uniform transition matrix the first objective is the same; the fitted chains differ
    expect(a.history.at(-1)).not.toBe(b.history.at(-1))
    expect(a.score(X, { lengths: [100, 150, 50] })).toBeCloseTo(a.history.at(-1)!, 8)
  })
})

describe('a 10^6-step sequence', () => {
  const T = 1_000_000
  const rng = new Rng(99)
  const X = new Array<number>(T)
  let c = 0
  for (let t = 0; t < T; t++) {
    if (rng.uniform() < 0.05) c = rng.integer(3)
    X[t] = 3 * c + rng.normal()
  }
  const symbols = X.map((v) => Math.min(5, Math.max(0, Math.round(v))))
  const init = {
    startProb: [0.5, 0.3, 0.2], transMat: [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]],
    means: [[0], [3], [6]], covariances: [[1], [1], [1]],
  }

  it.each(BACKENDS)('%s: score, posteriors, Viterbi and one Baum-Welch step are finite', async (backend) => {
    const hmm = new GaussianHMM({ nComponents: 3, backend, init })
    const logLik = hmm.score(X)
    expect(Number.isFinite(logLik)).toBe(true)
    const { logProb, states } = hmm.decode(X)
    expect(Number.isFinite(logProb)).toBe(true)
    expect(states.length).toBe(T)
    const map = hmm.decode(X, { algorithm: 'map' })
    expect(map.logProb).toBe(logLik)
    await hmm.fit(X)
    // fit ran through the engine from the given start; every recorded objective finite
    expect(hmm.history.every(Number.isFinite)).toBe(true)
    const cat = new CategoricalHMM({ nComponents: 3, nSymbols: 6, backend, seed: 3, maxIter: 2, tol: 0 })
    await cat.fit(symbols)
    expect(cat.history.every(Number.isFinite)).toBe(true)
    console.log(`[hmm-long] ${backend}: logLik ${logLik}, viterbi ${logProb}, fitted ${hmm.history.at(-1)} in ${hmm.nIter} iterations`)
  }, 120_000)

  it('posteriors at 10^6 steps have no NaN and sum to 1 (wasm)', async () => {
    const kernels = await loadKernels('wasm')
    const k = 3, a = kernels.arena()
    try {
      const lengths = a.i32(1); lengths.view[0] = T
      const logB = a.f64(T * k)
      const lb = logB.view
      for (let t = 0; t < T; t++) for (let j = 0; j < k; j++) lb[t * k + j] = -0.5 * (X[t]! - 3 * j) ** 2 - 0.9189385332046728
      const logCopy = a.f64From(lb.slice()) // a copy first: the allocation may grow memory and detach lb
      const start = a.f64From(init.startProb), trans = a.f64From(init.transMat.flat())
      const alpha = a.f64(T * k), scale = a.f64(T), xi = a.f64(k * k)
      const ll = kernels.hmmForward(logB, lengths, 1, k, start, trans, alpha, scale, a.f64(k), false)
      kernels.hmmSmooth(logB, lengths, 1, k, trans, scale, alpha, xi, a.f64(2 * k + 1), false)
      xi.view.forEach((x, p) => { xi.view[p] = trans.view[p]! * x })
      const g = alpha.view
      for (let t = 0; t < T; t += 997) {
        const s = g[t * k]! + g[t * k + 1]! + g[t * k + 2]!
        expect(Math.abs(s - 1)).toBeLessThan(1e-12)
      }
      expect(g.every(Number.isFinite)).toBe(true)
      const xs = xi.view.reduce((p, v) => p + v, 0)
      expect(Math.abs(xs - (T - 1)) / T).toBeLessThan(1e-9)
      // the log-space forward pass agrees
      const la = a.f64(T * k)
      const ll2 = kernels.hmmForwardLog(logCopy, lengths, 1, k, a.f64From(init.startProb.map(Math.log)), a.f64From(init.transMat.flat().map(Math.log)), la)
      expect(Math.abs(ll - ll2) / Math.abs(ll)).toBeLessThan(1e-10)
    } finally {
      a.dispose()
    }
  }, 60_000)
})
