import { afterAll, describe, expect, it } from 'vitest'
import { closePool, GaussianHMM, GaussianMixture, selectModel } from '../../src/node.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { poolThreads } from '../../src/parallel/pool.js'
import { gmmSnapshot } from '../helpers/snapshot.js'

const X = faithfulRows()

afterAll(async () => {
  await closePool()
})

describe('selectModel on the worker pool', () => {
  const make = () => new GaussianMixture({ nInit: 3, seed: 5, tol: 1e-6, maxIter: 300 })
  const grid = { nComponents: [1, 2, 3, 4], covarianceType: ['full', 'diag', 'spherical', 'tied'] as const }

  it('2 workers give the serial table and a bit-identical best model (refitted on this thread)', async () => {
    const serial = await selectModel(make, X, { grid: { ...grid, covarianceType: [...grid.covarianceType] }, workers: 1 })
    expect(poolThreads()).toEqual([])
    const parallel = await selectModel(make, X, { grid: { ...grid, covarianceType: [...grid.covarianceType] }, workers: 2 })
    expect(poolThreads()).toEqual([2])
    expect(parallel.table).toEqual(serial.table)
    expect(parallel.best.index).toBe(serial.best.index)
    expect(parallel.best.params).toEqual({ nComponents: 3, covarianceType: 'tied' })
    expect(gmmSnapshot(parallel.best.model)).toEqual(gmmSnapshot(serial.best.model))
    expect(parallel.best.model.bic(X)).toBe(parallel.best.bic)
  })

  it('with sampleWeight and ICL too (the weights go to the workers as shared memory)', async () => {
    const sampleWeight = X.map((_, i) => 1 + (i % 4))
    const options = { grid: { nComponents: [2, 3] }, criterion: 'icl' as const }
    const serial = await selectModel(make, { X, sampleWeight }, { ...options, workers: 1 })
    const parallel = await selectModel(make, { X, sampleWeight }, { ...options, workers: 2 })
    expect(parallel.table).toEqual(serial.table)
    expect(gmmSnapshot(parallel.best.model)).toEqual(gmmSnapshot(serial.best.model))
  })

  it('callbacks cannot go to workers: an explicit thread count is an OptionError, auto runs serially', async () => {
    const onIteration = () => {}
    await expect(selectModel(make, X, { grid: { nComponents: [1, 2] }, workers: 2, fitOptions: { onIteration } }))
      .rejects.toMatchObject({ code: 'INVALID_OPTION', message: expect.stringMatching(/fitOptions.onIteration cannot go to worker threads/) })
    const s = await selectModel(make, X, { grid: { nComponents: [1, 2] }, workers: 'auto', fitOptions: { onIteration } })
    expect(s.table).toHaveLength(2)
  })

  it('an HMM with { X, lengths }: 2 workers give the serial table and best model', async () => {
    const truth = new GaussianHMM({
      nComponents: 2, covarianceType: 'full', seed: 3,
      init: { startProb: [0.5, 0.5], transMat: [[0.9, 0.1], [0.1, 0.9]], means: [[0, 0], [4, 1]], covariances: [[[1, 0], [0, 1]], [[1, 0.3], [0.3, 1]]] },
    })
    const lengths = [50, 70, 40, 60]
    const data = { X: lengths.flatMap((n) => truth.sample(n).X), lengths }
    const m = () => new GaussianHMM({ nInit: 2, seed: 9, tol: 1e-6, maxIter: 200 })
    const options = { grid: { nComponents: [1, 2, 3], covarianceType: ['full', 'diag'] as ('full' | 'diag')[] }, criterion: 'icl' as const }
    const serial = await selectModel(m, data, { ...options, workers: 1 })
    const parallel = await selectModel(m, data, { ...options, workers: 2 })
    expect(parallel.table).toEqual(serial.table)
    expect(parallel.best.index).toBe(serial.best.index)
    const fitted = (h: GaussianHMM) => ({ startProb: h.startProb, transMat: h.transMat, means: h.means, covariances: h.covariances, history: h.history })
    expect(fitted(parallel.best.model)).toEqual(fitted(serial.best.model))
    expect(parallel.best.model.bic(data.X, { lengths })).toBe(parallel.best.bic)
  })

  it('a degenerate cell on a worker is recorded as it is serially', async () => {
    // 3 distinct points, K = 3 full: every component collapses on one point
    const tiny = [[0, 0], [1, 1], [2, 0], [0, 0], [1, 1], [2, 0]]
    const m = () => new GaussianMixture({ regCovar: 0, seed: 1 })
    const serial = await selectModel(m, tiny, { grid: { nComponents: [1, 3] }, workers: 1 })
    const parallel = await selectModel(m, tiny, { grid: { nComponents: [1, 3] }, workers: 2 })
    expect(serial.table.map((r) => [r.status, r.error?.code])).toEqual([['converged', undefined], ['failed', 'SINGULAR_COVARIANCE']])
    expect(parallel.table).toEqual(serial.table)
  })
})
