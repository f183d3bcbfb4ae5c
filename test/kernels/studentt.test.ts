/**
 * logDensityT on the SIMD and scalar wasm builds against the JS twin (bit-identical),
 * with sizes that are not multiples of the SIMD width, own and shared factors, and
 * with and without log-weights; plus the t density itself against a direct formula.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Kernels } from '../../src/kernels/types.js'
import { copyOf, expectSame, loadAll, normals, seeded, spdMatrices, uniforms } from './backends.js'

let K: Awaited<ReturnType<typeof loadAll>>
beforeAll(async () => {
  K = await loadAll()
})

function runT(kernels: Kernels, n: number, d: number, k: number, shared: boolean, withLogTau: boolean, seed: number) {
  const rng = seeded(seed, `logDensityT n=${n} d=${d} k=${k} shared=${shared}`)
  const x = normals(rng, n * d, 2)
  const means = normals(rng, k * d)
  const cov = spdMatrices(rng, shared ? 1 : k, d)
  const nu = uniforms(rng, k, 0.5, 30)
  const logNorm = normals(rng, k)
  const arena = kernels.arena()
  try {
    const count = shared ? 1 : k
    const chol = arena.f64(count * d * d), prec = arena.f64(count * d * d)
    kernels.cholesky(arena.f64From(cov), count, d, chol)
    kernels.invertLower(chol, count, d, prec)
    const out = arena.f64(n * k), tau = arena.f64(n * k), logTau = withLogTau ? arena.f64(n * k) : null
    kernels.logDensityT(arena.f64From(x), n, d, arena.f64From(means), k, prec, shared ? 0 : d * d, arena.f64From(nu), arena.f64From(logNorm), out, tau, logTau)
    return { out: copyOf(out), tau: copyOf(tau), logTau: logTau ? copyOf(logTau) : null, x, means, prec: copyOf(prec), nu, logNorm }
  } finally {
    arena.dispose()
  }
}

describe('logDensityT: wasm builds against the JS twin', () => {
  let seed = 700
  for (const n of [1, 3, 257]) for (const d of [1, 3, 7]) for (const k of [1, 2, 5]) for (const shared of [false, true]) {
    const s = seed++
    it(`n=${n} d=${d} k=${k}${shared ? ' shared' : ''} (seed ${s})`, () => {
      const expected = runT(K.js, n, d, k, shared, true, s)
      for (const name of ['wasm', 'wasm-scalar'] as const) {
        const actual = runT(K[name], n, d, k, shared, true, s)
        expectSame(actual.out, expected.out, `${name} out`)
        expectSame(actual.tau, expected.tau, `${name} tau`)
        expectSame(actual.logTau!, expected.logTau!, `${name} logTau`)
      }
    })
  }

  it('computes logNorm - (nu + d)/2 log(1 + delta/nu) and the weights (nu + d)/(nu + delta)', () => {
    for (const name of ['wasm', 'js'] as const) {
      const n = 5, d = 3, k = 2
      const r = runT(K[name], n, d, k, false, false, 42)
      expect(r.logTau).toBeNull()
      for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) {
        let delta = 0
        for (let j = 0; j < d; j++) {
          let y = 0
          for (let l = 0; l <= j; l++) y += r.prec[c * d * d + j * d + l]! * (r.x[i * d + l]! - r.means[c * d + l]!)
          delta += y * y
        }
        const v = r.nu[c]!
        expect(r.out[i * k + c]).toBeCloseTo(r.logNorm[c]! - 0.5 * (v + d) * Math.log(1 + delta / v), 10)
        expect(r.tau[i * k + c]).toBeCloseTo((v + d) / (v + delta), 10)
      }
    }
  })
})
