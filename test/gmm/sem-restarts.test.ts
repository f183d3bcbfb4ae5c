/**
 * SEM/MCEM seeds per restart (src/estimators/restarts.ts chainSeed): restart r's chain is
 * seeded from the restart's own seed, so restarts draw different chains, seed s at
 * restart 1 is not seed s + 1 at restart 0, and serial and pooled restarts agree bit for
 * bit. The pool runs dist/: `npm run build:ts` first.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { closePool, GaussianMixture } from '../../src/node.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { chainSeed, restartSeeds } from '../../src/runtime/restarts.js'
import { gmmSnapshot } from '../helpers/snapshot.js'

const X = faithfulRows()
const SEM = { nComponents: 2, algorithm: 'sem', sem: { burnIn: 10, iterations: 20 } } as const

afterAll(async () => {
  await closePool()
})

/** The fit and its Monte Carlo chain. */
function withChain(gm: GaussianMixture) {
  return { ...gmmSnapshot(gm), chain: gm.fitResult.monteCarlo!.chain }
}

describe('SEM seeds per restart', () => {
  it('restarts draw different chains; the rule does not collide across seeds', async () => {
    const gm = new GaussianMixture({ ...SEM, seed: 4, nInit: 2, workers: 1 })
    const m = { rows: X.length, cols: 2, data: Float64Array.from(X.flat()) }
    const [s0, s1] = restartSeeds(4, 2) as [number, number]
    const r0 = await gm.fitRestart({ X: m }, s0, 0), r1 = await gm.fitRestart({ X: m }, s1, 1)
    expect(r1.monteCarlo!.chain).not.toEqual(r0.monteCarlo!.chain)
    // the same start, different chains: only the seeds differ
    const given = new GaussianMixture({ ...SEM, seed: 4, init: { weights: [0.5, 0.5], means: [[2, 55], [4.5, 80]], covariances: [[[1, 0], [0, 25]], [[1, 0], [0, 25]]] } })
    const a = await given.fitRestart({ X: m }, s0, 0), b = await given.fitRestart({ X: m }, s1, 1)
    expect(b.monteCarlo!.chain!.slice(1)).not.toEqual(a.monteCarlo!.chain!.slice(1))
    // a given sem seed s at restart 1 is not seed s + 1 at restart 0 (the old `s + r` rule)
    expect(chainSeed(0, 1, 7)).not.toBe(chainSeed(0, 0, 8))
    expect(chainSeed(0, 1, 7)).toBe(chainSeed(restartSeeds(7, 2)[1]!, 1))
  })

  it('nInit 2 gives the same fit with workers 1 and 2 (SEM and MCEM, with and without a chain seed)', async () => {
    for (const options of [{ ...SEM }, { ...SEM, sem: { ...SEM.sem, seed: 5 } }, { nComponents: 2, algorithm: 'mcem', maxIter: 10, mcem: { initialSamples: 20, maxSamples: 200 } }] as const) {
      const serial = withChain(await new GaussianMixture({ ...options, seed: 3, nInit: 2, workers: 1 }).fit(X))
      const pooled = withChain(await new GaussianMixture({ ...options, seed: 3, nInit: 2, workers: 2 }).fit(X))
      expect(pooled).toEqual(serial)
    }
  })
})
