/**
 * Several EM iterations with every backend: logDensityFull -> responsibilities ->
 * statsFull -> new means and covariances (the same plain-TS M-step for all) ->
 * cholesky -> invertLower -> again. All three backends are compared after every
 * step of every iteration; they stay bit-identical, so the fits do not drift apart.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { BackendName, Kernels } from '../../src/kernels/types.js'
import { BACKENDS, copyOf, expectSame, loadAll, normal, seeded } from './backends.js'

let K: Awaited<ReturnType<typeof loadAll>>
beforeAll(async () => {
  K = await loadAll()
})

interface Step {
  lp: Float64Array, resp: Float64Array, rowLogLik: Float64Array, total: number
  stats: Float64Array, means: Float64Array, cov: Float64Array, prec: Float64Array, logDetP: Float64Array
}

/** One backend's run of `iters` EM iterations; returns every intermediate result. */
function emRun(
  kernels: Kernels, X: Float64Array, n: number, d: number, k: number, means0: Float64Array,
  weights: Float64Array | null, iters: number, tied: boolean,
): Step[] {
  const a = kernels.arena()
  const steps: Step[] = []
  try {
    const x = a.f64From(X)
    const means = a.f64From(means0)
    const count = tied ? 1 : k
    const cov = a.f64(count * d * d)
    for (let c = 0; c < count; c++) for (let j = 0; j < d; j++) cov.view[c * d * d + j * d + j] = 1
    const L = a.f64(count * d * d)
    const prec = a.f64(count * d * d)
    const logDetP = a.f64(k)
    const logW = a.f64From(new Array<number>(k).fill(-Math.log(k)))
    const lp = a.f64(n * k)
    const rowLogLik = a.f64(n)
    const stats = a.f64(k + k * d + k * d * d)
    const sw = weights ? a.f64From(weights) : null
    for (let it = 0; it < iters; it++) {
      expect(kernels.cholesky(cov, count, d, L)).toBe(-1)
      kernels.invertLower(L, count, d, prec)
      const P = prec.view, LD = logDetP.view
      for (let c = 0; c < k; c++) {
        const o = (tied ? 0 : c) * d * d
        let s = 0
        for (let j = 0; j < d; j++) s += Math.log(P[o + j * d + j]!)
        LD[c] = s
      }
      kernels.logDensityFull(x, n, d, means, k, prec, tied ? 0 : d * d, logDetP, lp)
      const lpCopy = copyOf(lp)
      const total = kernels.responsibilities(lp, n, k, logW, rowLogLik, sw)
      kernels.statsFull(x, n, d, lp, k, sw, means, stats)
      const step: Step = {
        lp: lpCopy, resp: copyOf(lp), rowLogLik: copyOf(rowLogLik), total, stats: copyOf(stats),
        means: copyOf(means), cov: copyOf(cov), prec: copyOf(prec), logDetP: copyOf(logDetP),
      }
      steps.push(step)
      // M-step in plain TS (identical for every backend): around the old means
      const S = stats.view, M = means.view, C = cov.view, LW = logW.view
      let Ntot = 0
      for (let c = 0; c < k; c++) Ntot += S[c]!
      C.fill(0)
      for (let c = 0; c < k; c++) {
        const N = S[c]!
        LW[c] = Math.log(N / Ntot)
        const o = tied ? 0 : c * d * d
        const scale = tied ? Ntot : N
        for (let j = 0; j < d; j++) {
          const dj = S[k + c * d + j]! / N
          for (let l = 0; l < d; l++) {
            const dl = S[k + c * d + l]! / N
            C[o + j * d + l] = C[o + j * d + l]! + (S[k + k * d + c * d * d + j * d + l]! - N * dj * dl) / scale
          }
        }
        for (let j = 0; j < d; j++) M[c * d + j] = M[c * d + j]! + S[k + c * d + j]! / N
      }
      for (let c = 0; c < count; c++) for (let j = 0; j < d; j++) C[c * d * d + j * d + j] = C[c * d * d + j * d + j]! + 1e-6
    }
  } finally {
    a.dispose()
  }
  return steps
}

const CASES: [number, number, number, boolean, boolean][] = [
  // n, d, k, sample weights, tied
  [257, 3, 2, false, false],
  [257, 7, 5, false, false],
  [257, 7, 5, true, false],
  [3, 1, 1, false, false],
  [101, 3, 5, true, true],
  [1000, 8, 8, false, false],
]

describe.each(CASES)('EM loop n=%i d=%i k=%i weights=%s tied=%s', (n, d, k, weighted, tied) => {
  it('stays bit-identical across backends for 5 iterations', () => {
    const seed = 9000 + n + 10 * d + k + (weighted ? 1 : 0) + (tied ? 2 : 0)
    const rng = seeded(seed, `EM loop n=${n} d=${d} k=${k} weights=${weighted} tied=${tied}`)
    const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => 3 * normal(rng)))
    const X = new Float64Array(n * d)
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = centers[i % k]![j]! + normal(rng)
    const means0 = new Float64Array(k * d)
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means0[c * d + j] = X[((c * 7) % n) * d + j]! + 0.1
    const weights = weighted ? Float64Array.from({ length: n }, () => 2 * rng.uniform()) : null
    const runs = {} as Record<BackendName, Step[]>
    for (const name of BACKENDS) runs[name] = emRun(K[name], X, n, d, k, means0, weights, 5, tied)
    for (let it = 0; it < 5; it++) {
      const ref = runs.js[it]!
      for (const name of ['wasm', 'wasm-scalar'] as const) {
        const s = runs[name][it]!
        const at = `iteration ${it} ${name}`
        expectSame(s.prec, ref.prec, `${at} prec`)
        expectSame(s.logDetP, ref.logDetP, `${at} logDetP`)
        expectSame(s.lp, ref.lp, `${at} logDensityFull`)
        expectSame(s.resp, ref.resp, `${at} responsibilities`)
        expectSame(s.rowLogLik, ref.rowLogLik, `${at} rowLogLik`)
        expectSame([s.total], [ref.total], `${at} total`)
        expectSame(s.stats, ref.stats, `${at} statsFull`)
        expectSame(s.means, ref.means, `${at} means`)
      }
    }
    // EM increases the likelihood (a sanity check of the loop itself)
    const totals = runs.js.map((s) => s.total)
    for (let it = 1; it < totals.length; it++) expect(totals[it]!).toBeGreaterThan(totals[it - 1]! - 1e-6 * Math.abs(totals[it - 1]!))
  })
})
