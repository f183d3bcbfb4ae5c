/**
 * The fit's missing-value statistics (gmm/missing-statistics.ts) are imported on demand
 * by the estimator's loadParts for data with NaN. Each case starts from fresh modules
 * (nothing imported yet), where the NaN arrive only after a first complete chunk or
 * fit, and must still fit and score.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'

type Lib = typeof import('../../src/index.js')

function rows(n: number, seed: number, missingFrom: number): number[][] {
  const out: number[][] = []
  let s = seed
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648)
  for (let i = 0; i < n; i++) {
    const c = i % 2
    const row = [c * 5 + u(), c * 3 + u(), u() - c]
    if (i >= missingFrom && i % 7 === 0) row[i % 3] = NaN
    out.push(row)
  }
  return out
}

describe('a Gaussian mixture whose missing values arrive after its code was loaded', () => {
  let lib: Lib
  beforeEach(async () => {
    vi.resetModules()
    lib = await import('../../src/index.js')
  })

  it('fits a stream whose first chunk is complete and a later one has NaN, as it fits the rows in memory', async () => {
    const X = rows(300, 3, 150)
    const streamed = await new lib.GaussianMixture({ nComponents: 2, seed: 1, maxIter: 20 }).fit(() => [X.slice(0, 150), X.slice(150)])
    const here = await new lib.GaussianMixture({ nComponents: 2, seed: 1, maxIter: 20 }).fit(X)
    expect(Number.isFinite(streamed.logLik)).toBe(true)
    expect(streamed.logLik).toBeCloseTo(here.logLik, 6)
  })

  it('takes a partialFit chunk with NaN after a complete one', async () => {
    const X = rows(300, 5, 150)
    const online = new lib.GaussianMixture({ nComponents: 2, seed: 1 })
    await online.partialFit(X.slice(0, 150))
    await online.partialFit(X.slice(150))
    expect(online.history.every(Number.isFinite)).toBe(true)
  })

  it('scores rows with NaN after a fit on complete rows (the observed-data densities need no fit code)', async () => {
    const fitted = await new lib.GaussianMixture({ nComponents: 2, seed: 1 }).fit(rows(200, 7, Infinity))
    const labels = fitted.predict(rows(60, 9, 0))
    expect(labels).toHaveLength(60)
    expect(fitted.scoreSamples(rows(60, 9, 0)).every(Number.isFinite)).toBe(true)
  })
})
