/**
 * The regression kernels (assembly/regression.ts and its JS twin): linear predictors,
 * GLM row terms (Gaussian, Poisson, binomial; from eta and from glm.fit's start) and
 * the weighted cross-products are bit-identical on wasm SIMD, wasm scalar and JS for
 * odd row counts and p = 1, 2, 3, 5 (so the SIMD pairs of rows and columns have tails),
 * and agree with direct formulas.
 */
import { describe, expect, it } from 'vitest'
import type { BackendName, Kernels } from '../../src/kernels/types.js'
import { BACKENDS, expectClose, expectIdentical, loadAll, seeded, uniforms } from './backends.js'

function problem(n: number, p: number, k: number, seed: number) {
  const rng = seeded(seed, `regression n=${n} p=${p} k=${k}`)
  const z = uniforms(rng, n * p, -2, 2)
  const coef = uniforms(rng, k * p, -0.7, 0.7)
  const trials = Float64Array.from({ length: n }, () => 1 + rng.integer(9))
  const y = Float64Array.from(trials, (t) => rng.integer(t + 1))
  const resp = uniforms(rng, n * k)
  resp[3 % (n * k)] = 0
  const sw = uniforms(rng, n, 0.5, 2)
  const logConst = uniforms(rng, n, 0, 3)
  const a = uniforms(rng, k, -2, -1), b = uniforms(rng, k, 0.5, 2)
  return { z, coef, trials, y, resp, sw, logConst, a, b }
}

function run(K: Kernels, n: number, p: number, k: number, family: number, start: number, seed: number) {
  const P = problem(n, p, k, seed)
  const ar = K.arena()
  try {
    const z = ar.f64From(P.z), coef = ar.f64From(P.coef), eta = ar.f64(n * k), y = ar.f64From(P.y), t = ar.f64From(P.trials)
    const lc = ar.f64From(P.logConst), a = ar.f64From(P.a), b = ar.f64From(P.b)
    const dens = ar.f64(n * k), target = ar.f64(n * k), weight = ar.f64(n * k), resp = ar.f64From(P.resp), sw = ar.f64From(P.sw)
    const size = p * p + p + 3
    const out = ar.f64(3 * k * size + 2 * p)
    K.regressionEta(z, n, p, coef, k, eta)
    K.glmRowTerms(family, y, t, lc, eta, n, k, a, b, start, dens, target, weight)
    K.weightedCrossProducts(z, n, p, k, resp, sw, family === 0 ? null : weight, target, dens, out)
    return { eta: eta.view.slice(), dens: dens.view.slice(), target: target.view.slice(), weight: family === 0 ? new Float64Array() : weight.view.slice(), out: out.view.slice(0, k * size), P }
  } finally {
    ar.dispose()
  }
}

describe('regression kernels', async () => {
  const all = await loadAll()
  const cases = [[1, 1, 1], [7, 2, 2], [33, 3, 3], [101, 5, 2], [258, 2, 4]] as const
  for (const [n, p, k] of cases) {
    for (const family of [0, 1, 2]) {
      for (const start of family === 0 ? [0] : [0, 1]) {
        it(`n=${n} p=${p} k=${k} family ${family} start ${start}: backends bit-identical, formulas hold`, () => {
          const seed = 1000 + n + 10 * p + family
          const ref = run(all.js, n, p, k, family, start, seed)
          for (const name of BACKENDS.filter((b): b is BackendName => b !== 'js')) {
            const got = run(all[name], n, p, k, family, start, seed)
            for (const key of ['eta', 'dens', 'target', 'weight', 'out'] as const) expectIdentical(got[key], ref[key], `${name} ${key}`)
          }
          // direct formulas
          const { z, coef, y, trials, resp, sw, logConst, a, b } = ref.P
          const size = p * p + p + 3
          const expected = new Float64Array(k * size)
          for (let i = 0; i < n; i++) {
            for (let c = 0; c < k; c++) {
              let e = 0
              for (let j = 0; j < p; j++) e += z[i * p + j]! * coef[c * p + j]!
              const o = i * k + c
              expect(ref.eta[o]).toBeCloseTo(e, 12)
              let dens: number, w = 1, tgt: number
              if (family === 0) {
                dens = a[c]! - 0.5 * ((y[i]! - e) * b[c]!) ** 2
                tgt = y[i]! - e
              } else if (family === 1) {
                const eta = start ? Math.log(y[i]! + 0.1) : e
                const mu = Math.exp(eta)
                dens = y[i]! * eta - mu - logConst[i]!
                w = mu
                tgt = (start ? eta : 0) + (y[i]! - mu) / mu
              } else {
                const m0 = (y[i]! + 0.5) / (trials[i]! + 1)
                const eta = start ? Math.log(m0 / (1 - m0)) : e
                const mu = 1 / (1 + Math.exp(-eta))
                dens = y[i]! * eta - trials[i]! * Math.log1p(Math.exp(eta)) + logConst[i]!
                w = trials[i]! * mu * (1 - mu)
                tgt = (start ? eta : 0) + (y[i]! - trials[i]! * mu) / w
              }
              expectClose([ref.dens[o]!, ref.target[o]!], [dens, tgt], `row ${i} c ${c}`, 1e-10)
              const aw = resp[o]! * sw[i]! * w
              const blk = c * size
              expected[blk] += resp[o]! * sw[i]!
              for (let j = 0; j < p; j++) {
                for (let l = 0; l < p; l++) expected[blk + 1 + j * p + l] += aw * z[i * p + j]! * z[i * p + l]!
                expected[blk + 1 + p * p + j] += aw * tgt * z[i * p + j]!
              }
              expected[blk + 1 + p * p + p] += aw * tgt * tgt
              expected[blk + 2 + p * p + p] += resp[o]! * sw[i]! * dens
            }
          }
          expectClose(ref.out, expected, 'cross products', 1e-9)
        })
      }
    }
  }
})

describe('hardenResponsibilities (classification EM)', async () => {
  const all = await loadAll()
  for (const [n, k, weighted] of [[1, 1, false], [7, 3, true], [130, 2, false], [257, 5, true]] as const) {
    it(`n=${n} k=${k}${weighted ? ' weighted' : ''}: one-hot rows (first on ties), the classification log-likelihood, bit-identical`, () => {
      const rng = seeded(77 + n + k, `harden n=${n} k=${k}`)
      const raw = uniforms(rng, n * k, 0, 1)
      if (k > 1) { raw[0] = 0.5; raw[1] = 0.5 } // a tie in row 0: the first wins
      const resp = raw.slice()
      for (let i = 0; i < n; i++) {
        let s = 0
        for (let c = 0; c < k; c++) s += resp[i * k + c]!
        for (let c = 0; c < k; c++) resp[i * k + c] = resp[i * k + c]! / s
      }
      const rows = uniforms(rng, n, -5, -1), sw = uniforms(rng, n, 0.5, 2)
      const results = BACKENDS.map((name) => {
        const K = all[name], ar = K.arena()
        try {
          const r = ar.f64From(resp), l = ar.f64From(rows), w = weighted ? ar.f64From(sw) : null
          const total = K.hardenResponsibilities(r, n, k, l, w)
          return { total, hard: r.view.slice() }
        } finally {
          ar.dispose()
        }
      })
      let expected = 0
      for (let i = 0; i < n; i++) {
        let best = 0
        for (let c = 1; c < k; c++) if (resp[i * k + c]! > resp[i * k + best]!) best = c
        for (let c = 0; c < k; c++) expect(results[0]!.hard[i * k + c]).toBe(c === best ? 1 : 0)
        expected += (weighted ? sw[i]! : 1) * (rows[i]! + Math.log(resp[i * k + best]!))
      }
      expectClose([results[0]!.total], [expected], 'total', 1e-12)
      for (const r of results.slice(1)) {
        expectIdentical([r.total], [results[0]!.total], 'total')
        expectIdentical(r.hard, results[0]!.hard, 'hard')
      }
    })
  }
})

describe('glmRowTerms at the edges of exp (Poisson: SIMD pairs vs scalar)', async () => {
  const all = await loadAll()
  it('eta below the flush point, near it, huge and overflowing: bit-identical on every backend', () => {
    const etas = [-800, -460.5, -459.9, -30, 0, 1e-300, 3.5, 700, 709.9, 710, 800, -0]
    for (const k of [1, 2, 3]) {
      const n = Math.floor(etas.length / k)
      const results = BACKENDS.map((name) => {
        const K = all[name], ar = K.arena()
        try {
          const y = ar.f64From(Array.from({ length: n }, (_, i) => i % 4)), lc = ar.f64From(Array.from({ length: n }, (_, i) => i * 0.1))
          const eta = ar.f64From(etas.slice(0, n * k)), a = ar.f64(k), b = ar.f64(k)
          const dens = ar.f64(n * k), target = ar.f64(n * k), weight = ar.f64(n * k)
          K.glmRowTerms(1, y, null, lc, eta, n, k, a, b, 0, dens, target, weight)
          return [...dens.view, ...target.view, ...weight.view]
        } finally {
          ar.dispose()
        }
      })
      for (const r of results.slice(1)) expectIdentical(r, results[0]!, `k=${k}`)
    }
  })
})
