/**
 * digamma and logGamma on the SIMD and scalar wasm builds against the JS twin (bit
 * for bit, at sizes that are not multiples of the SIMD width, with the edge values
 * 0, negatives, NaN, Infinity and the branch points 1/2, 8 and 10), and against
 * mpmath (test/fixtures/scripts/special_mpmath.py).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Kernels } from '../../src/kernels/types.js'
import { logGammaStepped } from '../../src/kernels/js/special.js'
import { fixtureJson } from '../helpers/data.js'
import { copyOf, expectIdentical, loadAll, seeded } from './backends.js'

let K: Awaited<ReturnType<typeof loadAll>>
beforeAll(async () => {
  K = await loadAll()
})

const EDGES = [0, -0, -1, -2.5, NaN, Infinity, -Infinity, 5e-324, 1e-300, 0.5, 0.49999999999999994, 0.5000000000000001, 8, 7.999999999999999, 10, 9.999999999999998, 1, 2]

function run(kernels: Kernels, which: 'digamma' | 'logGamma', x: Float64Array, inPlace = false): Float64Array {
  const arena = kernels.arena()
  try {
    const input = arena.f64From(x)
    const out = inPlace ? input : arena.f64(x.length)
    kernels[which](input, x.length, out)
    return copyOf(out).slice(0, x.length)
  } finally {
    arena.dispose()
  }
}

/** Arguments spread over many decades, the edges mixed in. */
function argumentsOf(n: number, seed: number): Float64Array {
  const rng = seeded(seed, `special functions n=${n}`)
  const x = new Float64Array(n)
  for (let i = 0; i < n; i++) x[i] = i < EDGES.length && n > EDGES.length ? EDGES[i]! : Math.exp(-12 + 26 * rng.uniform())
  return x
}

describe('digamma and logGamma: wasm builds against the JS twin', () => {
  let seed = 900
  for (const n of [1, 2, 3, 17, 257, 1001]) {
    const s = seed++
    for (const which of ['digamma', 'logGamma'] as const) {
      it(`${which} n=${n} (seed ${s})`, () => {
        const x = argumentsOf(n, s)
        const expected = run(K.js, which, x)
        for (const name of ['wasm', 'wasm-scalar'] as const) {
          expectIdentical(run(K[name], which, x), expected, `${name} ${which}`)
          expectIdentical(run(K[name], which, x, true), expected, `${name} ${which} in place`)
        }
      })
    }
  }

  it('edge values: NaN for x < 0 and NaN; at 0, NaN (digamma) and Infinity (logGamma)', () => {
    const x = Float64Array.of(0, -1, NaN, Infinity)
    for (const name of ['wasm', 'wasm-scalar', 'js'] as const) {
      const psi = run(K[name], 'digamma', x)
      const lg = run(K[name], 'logGamma', x)
      expect(Array.from(psi)).toEqual([NaN, NaN, NaN, Infinity])
      expect(Array.from(lg.slice(0, 3))).toEqual([Infinity, NaN, NaN])
    }
  })
})

describe('digamma and logGamma against mpmath', () => {
  const ref = fixtureJson<{ x: number[]; digamma: number[]; lgamma: number[] }>('special_functions_mpmath.json')
  const x = Float64Array.from(ref.x)
  for (const name of ['wasm', 'js'] as const) {
    it(`${name}: within a few ulps of the exact values (absolute near the roots)`, () => {
      const psi = run(K[name], 'digamma', x)
      const lg = run(K[name], 'logGamma', x)
      let worstPsi = 0, worstLg = 0
      for (let i = 0; i < x.length; i++) {
        worstPsi = Math.max(worstPsi, Math.abs(psi[i]! - ref.digamma[i]!) / Math.max(1, Math.abs(ref.digamma[i]!)))
        worstLg = Math.max(worstLg, Math.abs(lg[i]! - ref.lgamma[i]!) / Math.max(1, Math.abs(ref.lgamma[i]!)))
      }
      console.log(`[special] ${name}: worst digamma error ${worstPsi.toExponential(2)}, worst logGamma error ${worstLg.toExponential(2)} (relative, absolute below 1)`)
      expect(worstPsi).toBeLessThan(4e-15)
      expect(worstLg).toBeLessThan(4e-15)
    })
  }

  it('logGamma below 1/2 is log Gamma(x + 1) - log x', () => {
    expect(logGammaStepped(0.25)).toBe(logGammaStepped(1.25) - Math.log(0.25))
  })
})
