/** RegressionMixture, GLMMixture and CEM restarts on the Piscina pool (the Node entry's): bit-identical to the same restarts run serially. */
import { afterAll, describe, expect, it } from 'vitest'
import { closePool, GaussianMixture, GLMMixture, RegressionMixture } from '../../src/node.js'
import { poolThreads } from '../../src/parallel/pool.js'
import { npreg } from '../regression-mixture/data.js'

const { x, yn, yp } = npreg()

afterAll(async () => {
  await closePool()
})

describe('mixtures of regressions on the pool', () => {
  it('nInit 4 on 2 workers gives the fit of 1 worker, bit for bit', async () => {
    const snap = (m: RegressionMixture | GLMMixture | GaussianMixture) => ({ params: m.fitResult.params, history: m.history, nIter: m.nIter })
    const serial = snap(await new RegressionMixture({ nInit: 4, seed: 3, workers: 1 }).fit(x, yn))
    expect(poolThreads()).toEqual([])
    const pooled = snap(await new RegressionMixture({ nInit: 4, seed: 3, workers: 2 }).fit(x, yn))
    expect(poolThreads()).toEqual([2])
    expect(pooled).toEqual(serial)
    const glm = (workers: number) => new GLMMixture({ nInit: 4, seed: 3, workers }).fit(x, yp)
    expect(snap(await glm(2))).toEqual(snap(await glm(1)))
    const X = x.map((r, i) => [r[0]!, yn[i]!])
    const cem = (workers: number) => new GaussianMixture({ nComponents: 3, algorithm: 'cem', covarianceType: 'EII', equalWeights: true, nInit: 4, seed: 3, workers }).fit(X)
    expect(snap(await cem(2))).toEqual(snap(await cem(1)))
  })
})
