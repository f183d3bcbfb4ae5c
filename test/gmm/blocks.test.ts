/**
 * The models' incremental-EM capability (gmm/blocks.ts, the Poisson mixture's): the
 * blocks' E-steps add up to the whole's, on every backend and covariance type and with
 * missing values and sample weights; recentring moves statistics between parameters
 * exactly (against statistics gathered there from the same responsibilities); Q from
 * the statistics equals sum_i sum_c r_ic log(w_c p(x_i | c)) computed row by row.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { OptionError } from '../../src/core/errors.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { toMatrix } from '../../src/core/validate.js'
import { loadKernels } from '../../src/kernels/index.js'
import { COVARIANCE_TYPES } from '../../src/models/gmm/covariance.js'
import { loadCovarianceStrategy } from '../../src/models/gmm/mclust/index.js'
import { gmmIncremental } from '../../src/models/gmm/blocks.js'
import { initialParams, loadInit } from '../../src/models/gmm/init.js'
import { loadMissingStatistics } from '../../src/models/gmm/missing-load.js'
import { GaussianMixtureModel, type GmmData, type GmmParams } from '../../src/models/gmm/model.js'
import { PoissonMixtureModel } from '../../src/models/poisson-mixture.js'
import { BACKENDS, fixtureMatrix } from '../helpers/data.js'

// the data-driven starts are loaded on demand (a fit's loadParts does it)
// the start's and the missing values' fit code are imported on demand (the estimator's loadParts does it for a fit)
// the models here are built directly: what a fit's loadParts and loadStepper would load (the blocks' recentring and Q: incremental.load)
beforeAll(() => Promise.all([loadInit('random-from-data'), loadMissingStatistics(), gmmIncremental(null as never).load!(), ...COVARIANCE_TYPES.map(loadCovarianceStrategy)]))

/** max |a - b| / max(1, |b|) */
function scaledDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)))
  return worst
}

function sumOf(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts[0]!.length)
  for (const p of parts) p.forEach((v, j) => { out[j]! += v })
  return out
}

/** Rows of the synthetic set, some entries NaN when `missing` > 0 (never a whole row). */
function rowsWithMissing(missing: number, seed: number): number[][] {
  const rng = new Rng(seed)
  return fixtureMatrix('synth_gmm_n5000_d5_k4.csv').slice(0, 700).map((row) => {
    const out = row.map((v) => (rng.uniform() < missing ? NaN : v))
    if (out.every(Number.isNaN)) out[0] = row[0]!
    return out
  })
}

async function gmmSetup(backend: (typeof BACKENDS)[number], covarianceType: (typeof COVARIANCE_TYPES)[number], X: number[][], weights: Float64Array | null) {
  const kernels = await loadKernels(backend)
  const model = new GaussianMixtureModel({ kernels, k: 4, d: 5, covarianceType, regCovar: 1e-6 })
  const data = model.prepare(toMatrix(X, 'X', { allowMissing: true }), weights)
  const a = initialParams(model, data, 'kmeans++', new Rng(1), weights)
  const b = initialParams(model, data, 'random-from-data', new Rng(2), weights)
  return { model, data, a, b }
}

describe('Gaussian mixture blocks', () => {
  for (const backend of BACKENDS) {
    for (const covarianceType of COVARIANCE_TYPES) {
      for (const missing of [0, 0.15]) {
        it(`${backend}, ${covarianceType}${missing ? ', 15% missing' : ''}, weighted: 7 blocks' E-steps add up to the whole's; recentring is exact`, async () => {
          const X = rowsWithMissing(missing, 4)
          const weights = Float64Array.from(X, (_, i) => 0.5 + (i % 4))
          const { model, data, a, b } = await gmmSetup(backend, covarianceType, X, weights)
          const whole = model.eStep(data, a)
          const blocks = model.incremental.splitBlocks(data, 7)
          expect(blocks.map((p) => p.n)).toEqual([100, 100, 100, 100, 100, 100, 100])
          expect(blocks.reduce((s, p) => s + p.totalWeight, 0)).toBeCloseTo(data.totalWeight, 9)
          const parts = blocks.map((p) => model.eStep(p, a))
          expect(scaledDiff(sumOf(parts.map((e) => e.stats)), whole.stats)).toBeLessThan(1e-11)
          expect(Math.abs(parts.reduce((s, e) => s + e.logLik, 0) - whole.logLik)).toBeLessThan(1e-11 * Math.abs(whole.logLik))

          // statistics at a, moved to b's means, against the same responsibilities' statistics gathered around b's means
          model.expectation(data, a)
          const atA = model.statistics(data, a.means, a)
          const aroundB = model.statistics(data, b.means, a)
          expect(scaledDiff(model.incremental.recentre(atA, a, b), aroundB)).toBeLessThan(1e-9)
          expect(model.incremental.recentre(atA, a, a)).toEqual(atA)
          model.release(data)
        })
      }
    }
  }

  for (const covarianceType of COVARIANCE_TYPES) {
    it(`${covarianceType}: Q from the statistics (recentred to other parameters) equals sum r log(w p(x | c)) row by row`, async () => {
      const X = rowsWithMissing(0, 0)
      const { model, data, a, b } = await gmmSetup('js', covarianceType, X, null)
      model.expectation(data, a)
      const r = data.resp.view.slice(0, data.n * 4)
      const moved = model.incremental.recentre(model.statistics(data, a.means, a), a, b)
      // Q's code is imported on demand (loadStepper awaits it for incremental EM)
      await model.incremental.load!()
      const q = model.incremental.completeLogLik(moved, b, data)
      // log w_c + log N(x_i | b_c) through the density kernel, weighted by the responsibilities at a
      const lp = data.arena.f64(data.n * 4)
      model.gaussian.logDensities(data, data.n, b, lp)
      let direct = 0
      for (let i = 0; i < data.n; i++) for (let c = 0; c < 4; c++) direct += r[i * 4 + c]! * (Math.log(b.weights[c]!) + lp.view[i * 4 + c]!)
      expect(Math.abs(q - direct)).toBeLessThan(1e-10 * Math.abs(direct))
      model.release(data)
    })
  }

  it('more blocks than rows is an OptionError naming the row count', async () => {
    const { model, data } = await gmmSetup('js', 'full', rowsWithMissing(0, 0).slice(0, 12), null)
    expect(() => model.incremental.splitBlocks(data, 13)).toThrow(OptionError)
    expect(() => model.incremental.splitBlocks(data, 13)).toThrow(/13 blocks but the data have 12 rows; use at most 12 blocks/)
    expect(model.incremental.splitBlocks(data, 12).map((p) => p.n)).toEqual(Array(12).fill(1))
  })
})

describe('Poisson mixture blocks', () => {
  it('blocks add up to the whole (weighted counts); recentring is exact; Q is the complete-data log-likelihood up to log y!', async () => {
    const kernels = await loadKernels('wasm')
    const model = new PoissonMixtureModel(kernels, 2)
    const y = Float64Array.from({ length: 10 }, (_, i) => i)
    const freq = Float64Array.from([162, 267, 271, 185, 111, 61, 27, 8, 3, 1])
    const data = model.prepare(y, freq)
    const a = model.makeParams(Float64Array.from([0.4, 0.6]), Float64Array.from([1, 4]))
    const b = model.makeParams(Float64Array.from([0.3, 0.7]), Float64Array.from([1.5, 3]))
    const whole = model.eStep(data, a)
    const parts = model.incremental.splitBlocks(data, 3).map((p) => model.eStep(p, a))
    expect(scaledDiff(sumOf(parts.map((e) => e.stats)), whole.stats)).toBeLessThan(1e-13)
    const aroundB = new Float64Array(4)
    model.poisson.statistics(data, data.n, data.resp, data.sampleWeight, b, aroundB)
    expect(scaledDiff(model.incremental.recentre(whole.stats, a, b), aroundB)).toBeLessThan(1e-12)
    const r = data.resp.view
    let direct = 0
    for (let i = 0; i < 10; i++) for (let c = 0; c < 2; c++) direct += freq[i]! * r[i * 2 + c]! * (Math.log(b.weights[c]!) + y[i]! * Math.log(b.rates[c]!) - b.rates[c]!)
    expect(Math.abs(model.incremental.completeLogLik(aroundB, b, data) - direct)).toBeLessThan(1e-12 * Math.abs(direct))
    model.release(data)
  })
})

describe('data prepared for blocks only (a shard: prepare(X, w, blockRows))', () => {
  for (const backend of BACKENDS) {
    it(`holds one block's work buffers and gives the blocks the statistics of the whole's (${backend})`, async () => {
      const kernels = await loadKernels(backend)
      const model = new GaussianMixtureModel({ kernels, k: 4, d: 5, covarianceType: 'full', regCovar: 1e-6 })
      const X = toMatrix(fixtureMatrix('synth_gmm_n5000_d5_k4.csv').slice(0, 703))
      const w = Float64Array.from({ length: X.rows }, (_, i) => 1 + (i % 3))
      const whole = model.prepare(X, w)
      const blocked = model.prepare(X, w, 100)
      try {
        expect(blocked.resp.length).toBe(100 * 4)
        expect(whole.resp.length).toBe(703 * 4)
        const params = initialParams(model, whole, 'kmeans++', new Rng(3), w)
        for (let lo = 0; lo < X.rows; lo += 100) {
          const hi = Math.min(X.rows, lo + 100)
          const a = model.eStep(model.incremental.rowBlock!(whole, lo, hi), params)
          const b = model.eStep(model.incremental.rowBlock!(blocked, lo, hi), params)
          expect(b).toEqual(a)
        }
      } finally {
        model.release(blocked)
        model.release(whole)
        model.dispose()
      }
    })
  }
})
