import { afterAll, describe, expect, it } from 'vitest'
import { bootstrap, closePool, GaussianMixture } from '../../src/node.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { matchComponents, minCostAssignment } from '../../src/core/math/assignment.js'
import { quantileSorted } from '../../src/inference/bootstrap.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

const X = faithfulRows()

afterAll(async () => {
  await closePool()
})

function permutations(k: number): number[][] {
  if (k === 1) return [[0]]
  return permutations(k - 1).flatMap((p) => Array.from({ length: k }, (_, i) => [...p.slice(0, i), k - 1, ...p.slice(i)]))
}

describe('component alignment', () => {
  it('minCostAssignment finds the optimum (brute force, random costs, K = 1..6)', () => {
    const rng = new Rng(4)
    for (let k = 1; k <= 6; k++) {
      for (let t = 0; t < 20; t++) {
        const cost = Float64Array.from({ length: k * k }, () => rng.uniform())
        const a = minCostAssignment(cost, k)
        expect([...a].sort()).toEqual(Array.from({ length: k }, (_, i) => i))
        const total = (p: number[]) => p.reduce((s, c, r) => s + cost[r * k + c]!, 0)
        const best = Math.min(...permutations(k).map(total))
        expect(total(a)).toBeCloseTo(best, 12)
      }
    }
  })

  it('matchComponents undoes a permutation of the means', () => {
    const ref = [0, 0, 10, 0, 0, 10]
    expect(matchComponents(ref, [0, 10, 0, 0.1, 10, 0], 3, 2)).toEqual([1, 2, 0])
  })

  it('quantiles interpolate linearly (type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1)
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4)
  })
})

describe('bootstrap', () => {
  const make = () => new GaussianMixture({ nComponents: 2, seed: 0, workers: 1 })

  it('nonparametric: standard errors and percentile intervals, identical serially and on 2 workers', async () => {
    const serial = await bootstrap(make, X, { replicates: 40, seed: 7, workers: 1 })
    const pooled = await bootstrap(make, X, { replicates: 40, seed: 7, workers: 2 })
    expect(pooled.replicates).toEqual(serial.replicates)
    expect(pooled.standardErrors).toEqual(serial.standardErrors)
    expect(pooled.lower).toEqual(serial.lower)
    expect(serial.replicates).toHaveLength(40)
    expect(serial.names.slice(0, 4)).toEqual(['weight[0]', 'weight[1]', 'mean[0][0]', 'mean[0][1]'])
    expect(serial.names).toHaveLength(2 + 4 + 8)
    const p = serial.estimate.length
    for (let j = 0; j < p; j++) {
      expect(serial.standardErrors[j]).toBeGreaterThan(0)
      expect(serial.lower[j]).toBeLessThanOrEqual(serial.upper[j]!)
    }
    // aligned: every replicate's component c sits near the full fit's component c (faithful's two clusters are far apart)
    const waiting = (v: Float64Array, c: number) => v[2 + 2 * c + 1]!
    for (const r of serial.replicates) {
      for (const c of [0, 1]) expect(Math.abs(waiting(r, c) - waiting(serial.estimate, c))).toBeLessThan(5)
    }
    // the waiting-time means are known to about +-0.5 to 1 minute
    const se = serial.standardErrors
    expect(se[3]).toBeGreaterThan(0.2)
    expect(se[3]).toBeLessThan(2)
    for (let j = 0; j < p; j++) {
      if (serial.names[j]!.startsWith('mean')) {
        expect(serial.lower[j]).toBeLessThan(serial.estimate[j]!)
        expect(serial.upper[j]).toBeGreaterThan(serial.estimate[j]!)
      }
    }
  })

  it('aligns label-switched replicates (K = 3 with random initialisation)', async () => {
    const res = await bootstrap(() => new GaussianMixture({ nComponents: 3, init: 'random', seed: 3, workers: 1 }), X, { replicates: 20, seed: 1, workers: 1 })
    const k = 3, d = 2
    for (const r of res.replicates) {
      // after alignment the identity is the best match to the full fit
      expect(matchComponents(res.estimate.subarray(k, k + k * d), r.subarray(k, k + k * d), k, d)).toEqual([0, 1, 2])
    }
  })

  it('parametric: simulates from the full fit, identical serially and on 2 workers', async () => {
    const serial = await bootstrap(make, X, { replicates: 24, seed: 5, workers: 1, kind: 'parametric' })
    const pooled = await bootstrap(make, X, { replicates: 24, seed: 5, workers: 2, kind: 'parametric' })
    expect(serial.kind).toBe('parametric')
    expect(pooled.replicates).toEqual(serial.replicates)
    expect(serial.replicates).toHaveLength(24)
    for (let j = 0; j < serial.estimate.length; j++) expect(serial.standardErrors[j]).toBeGreaterThan(0)
  })

  it('rejects bad options and estimators that cannot be described', async () => {
    await expect(bootstrap(make, X, { replicates: 1 })).rejects.toThrow(/replicates/)
    await expect(bootstrap(make, X, { kind: 'jackknife' as never })).rejects.toThrow(/kind/)
    await expect(bootstrap(make, X, { bogus: 1 } as never)).rejects.toThrow(/bogus/)
    await expect(bootstrap(() => ({ fit: async () => undefined }), X)).rejects.toThrow(/toSpec/)
  })
})
