/**
 * A Gaussian (or Poisson) mixture fitted by plain EM evaluates its rows in blocks of SHARD_BLOCK_ROWS
 * (engine/blocks.ts): kernel memory holds one block's responsibilities, the E-step's
 * sums are the blocks' added in block order (a sharded fit's order: test/parallel
 * checks the two fits are bit-identical), and the statistics agree with one pass over
 * every row to rounding. The algorithms that read every row's responsibilities (cem,
 * sem, init 'hc', missing values) keep every row's buffers.
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture, PoissonMixture } from '../../src/index.js'
import { GaussianMixtureModel } from '../../src/models/gmm/model.js'
import { kernelMemoryInUse, loadKernels } from '../../src/kernels/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { SHARD_BLOCK_ROWS } from '../../src/runtime/statistics.js'
import { blobs } from '../helpers/synthetic.js'

const SEED = 4471
console.log(`blocked-fit test data seed ${SEED}`)

const N = 2 * SHARD_BLOCK_ROWS + 77
const K = 5
const X = blobs(N, 3, K, SEED, { spread: 5 })

describe('a Gaussian mixture evaluated in blocks of rows', { timeout: 60_000 }, () => {
  for (const backend of ['wasm', 'js'] as const) {
    it(`gives the statistics and log-likelihood of one pass over every row to rounding (${backend})`, async () => {
      const kernels = await loadKernels(backend)
      const model = new GaussianMixtureModel({ kernels, k: K, d: 3, covarianceType: 'full', regCovar: 1e-6 })
      const whole = model.prepare(X)
      const blocked = model.prepare(X, null, SHARD_BLOCK_ROWS)
      try {
        expect(whole.resp.length).toBe(N * K)
        expect(blocked.resp.length).toBe(SHARD_BLOCK_ROWS * K)
        const gm = await new GaussianMixture({ nComponents: K, seed: 1, maxIter: 2, backend }).fit(X)
        const params = model.makeParams(new Float64Array(gm.weights), new Float64Array(gm.means.flat()), new Float64Array(gm.covariances.flat(2)))
        const a = model.eStep(whole, params), b = model.eStep(blocked, params)
        expect(Math.abs(b.logLik - a.logLik) / Math.abs(a.logLik)).toBeLessThan(1e-13)
        // statistics around the means: some are near zero, so relative to the largest
        const scale = a.stats.reduce((m, v) => Math.max(m, Math.abs(v)), 0)
        a.stats.forEach((v, i) => expect(Math.abs(b.stats[i]! - v)).toBeLessThanOrEqual(1e-13 * scale))
        // the objective alone (no statistics) is the E-step's, bit for bit
        expect(model.logLik(blocked, params)).toBe(b.logLik)
      } finally {
        model.release(whole)
        model.release(blocked)
        model.dispose()
      }
    })
  }

  it('holds one block of responsibilities during a fit by plain EM and an accelerated one, every row\'s for cem', async () => {
    const kernels = await loadKernels('wasm')
    const inUse = async (options: Record<string, unknown>) => {
      let most = 0
      await new GaussianMixture({ nComponents: K, seed: 2, maxIter: 3, tol: 0, ...options }).fit(X, { onIteration: () => { most = Math.max(most, kernelMemoryInUse(kernels)) } })
      return most
    }
    const before = kernelMemoryInUse(kernels)
    const em = await inUse({}) - before
    const squarem = await inUse({ accelerate: 'squarem' }) - before
    const cem = await inUse({ algorithm: 'cem' }) - before
    const rows = 8 * N * 3
    console.log(`kernel memory during a fit of ${N} x 3 rows, K = ${K}: em ${em}, squarem ${squarem}, cem ${cem} bytes (rows ${rows})`)
    // the rows, one block of K + 1 values per row and small buffers; cem adds (N - block) x (K + 1) values
    expect(em).toBeLessThan(rows + 8 * (K + 1) * SHARD_BLOCK_ROWS + 2 ** 20)
    expect(squarem).toBeLessThan(rows + 8 * (K + 1) * SHARD_BLOCK_ROWS + 2 ** 20)
    expect(cem).toBeGreaterThan(rows + 8 * (K + 1) * N)
    expect(kernelMemoryInUse(kernels)).toBe(before)
  })

  it('holds one block of responsibilities in a Poisson mixture\'s fit by plain EM, every row\'s for gem', async () => {
    const kernels = await loadKernels('wasm')
    const rng = new Rng(SEED + 1)
    const counts = Array.from({ length: N }, (_, i) => Math.max(0, Math.round([3, 12, 30][i % 3]! + 2 * rng.normal())))
    const run = async (algorithm: 'em' | 'gem') => {
      let most = 0
      const pm = await new PoissonMixture({ nComponents: 3, seed: 1, maxIter: 4, tol: 0, algorithm }).fit(counts, { onIteration: () => { most = Math.max(most, kernelMemoryInUse(kernels)) } })
      return { most, pm }
    }
    const before = kernelMemoryInUse(kernels)
    const em = await run('em'), gem = await run('gem')
    console.log(`kernel memory during a Poisson mixture's fit of ${N} counts, K = 3: em ${em.most - before}, gem ${gem.most - before} bytes`)
    // counts and log-factorials (16 bytes a row) and one block of K + 1 values per row; gem: every row's
    expect(em.most - before).toBeLessThan(16 * N + 8 * 4 * SHARD_BLOCK_ROWS + 2 ** 20)
    expect(gem.most - before).toBeGreaterThan(16 * N + 8 * 4 * N)
    expect(Number.isFinite(em.pm.logLik) && Number.isFinite(gem.pm.logLik)).toBe(true)
  })

  it('starts every algorithm from the same bits, whether k-means\' per-row state is lent from every row\'s buffers (cem, incremental) or in JS arrays (em)', async () => {
    const start = (gm: GaussianMixture) => ({ weights: gm.weights, means: gm.means, covariances: gm.covariances })
    for (const init of ['kmeans++', 'kmeans'] as const) {
      const em = start(await new GaussianMixture({ nComponents: K, seed: 3, maxIter: 0, init }).fit(X))
      for (const algorithm of ['cem', 'incremental'] as const) {
        expect(start(await new GaussianMixture({ nComponents: K, seed: 3, maxIter: 0, init, algorithm }).fit(X)), `${init} ${algorithm}`).toEqual(em)
      }
    }
  })

  it('fits by the algorithms and starts that read every row\'s responsibilities (cem, sem, init hc, missing values)', async () => {
    const withNaN = { ...X, data: X.data.map((v, i) => (i % 101 === 0 ? NaN : v)) }
    const fits = await Promise.all([
      new GaussianMixture({ nComponents: K, seed: 3, maxIter: 3, algorithm: 'cem' }).fit(X),
      new GaussianMixture({ nComponents: K, seed: 3, algorithm: 'sem', sem: { burnIn: 1, iterations: 2 } }).fit(X),
      new GaussianMixture({ nComponents: K, seed: 3, maxIter: 3, init: 'hc' }).fit(X),
      new GaussianMixture({ nComponents: K, seed: 3, maxIter: 3 }).fit(withNaN),
    ])
    for (const gm of fits) expect(Number.isFinite(gm.logLik)).toBe(true)
  })
})
