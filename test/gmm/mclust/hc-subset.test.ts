/**
 * init 'hc' on more rows than `hcSubset` (default 2000, mclust.options('subset')):
 * hc agglomerates a random subset drawn with the restart's seed, and EM starts on every
 * row from one M-step on the subset's partition. Below the limit nothing is drawn (the
 * faithful fixtures, n = 272, are hc.test.ts's and stay identical).
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../../src/index.js'

// three clusters (weights 0.5, 0.3, 0.2), from a seeded generator (seed 5)
function clusters(n: number, seed: number): number[][] {
  let state = seed >>> 0
  const u = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())
  const centres = [[0, 0], [6, 1], [2, 7]], sd = [1, 1.4, 0.7]
  return Array.from({ length: n }, () => {
    const r = u(), c = r < 0.5 ? 0 : r < 0.8 ? 1 : 2
    return [centres[c]![0]! + sd[c]! * normal(), centres[c]![1]! + sd[c]! * normal()]
  })
}
const X = clusters(1200, 5)
const start = (options: Record<string, unknown>, rows = X) => new GaussianMixture({ nComponents: 3, init: 'hc', maxIter: 0, regCovar: 0, ...options }).fit(rows)
/** Largest distance of weights x m from an integer: 0 when the M-step counted m rows. */
const offIntegers = (weights: number[], m: number) => Math.max(...weights.map((w) => Math.abs(w * m - Math.round(w * m))))

describe("init 'hc' on more than hcSubset rows", () => {
  it('the first M-step is on a random subset of hcSubset rows, drawn with the seed', async () => {
    const a = await start({ seed: 1, hcSubset: 500 }), b = await start({ seed: 2, hcSubset: 500 })
    // weights are the subset's label counts over 500 (plus 10 eps each)
    expect(offIntegers(a.weights, 500)).toBeLessThan(1e-9)
    expect(offIntegers(b.weights, 500)).toBeLessThan(1e-9)
    expect(a.means).not.toEqual(b.means) // another seed, another subset
    expect((await start({ seed: 1, hcSubset: 500 })).means).toEqual(a.means) // the same seed, the same subset
    const c = await start({ seed: 1, hcSubset: 300 })
    expect(offIntegers(c.weights, 300)).toBeLessThan(1e-9)
    expect(c.means).not.toEqual(a.means)
  })

  it('hcSubset at or above n agglomerates every row: no draw, the same start for every seed', async () => {
    const a = await start({ seed: 1, hcSubset: 1200 }), b = await start({ seed: 2, hcSubset: 1200 })
    expect(a.means).toEqual(b.means)
    expect(offIntegers(a.weights, 1200)).toBeLessThan(1e-9)
  })

  it('by default (2000) on 2500 rows: the start counts 2000 rows', async () => {
    const a = await start({ seed: 1 }, clusters(2500, 6))
    expect(offIntegers(a.weights, 2000)).toBeLessThan(1e-9)
    expect(offIntegers(a.weights, 2500)).toBeGreaterThan(1e-3)
  }, 60_000)

  it('EM then runs on every row and finds the clusters', async () => {
    const gm = await new GaussianMixture({ nComponents: 3, init: 'hc', seed: 1, tol: 1e-8 }).fit(X)
    const w = [...gm.weights].sort((p, q) => q - p)
    expect(w[0]).toBeCloseTo(0.5, 1)
    expect(w[2]).toBeCloseTo(0.2, 1)
    expect(gm.converged).toBe(true)
  })
})
