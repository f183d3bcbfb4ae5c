/**
 * The GMMHMM estimator (one file over HmmEstimator): with one Gaussian per state it
 * fits as GaussianHMM (tied: as its full model); a 2-state x 2-Gaussian chain is
 * recovered; restarts on 2 pool workers equal 1; saving and loading predicts bit for
 * bit; wrong init shapes are typed errors; the bootstrap aligns states and their
 * Gaussians.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { bootstrap, closePool, GaussianHMM, GMMHMM, InputError, loadModel, OptionError } from '../../src/node.js'
import { matchComponents } from '../../src/core/math/assignment.js'
import { COVARIANCE_TYPES } from '../../src/models/gmm/covariance.js'
import { poolThreads } from '../../src/parallel/pool.js'
import { kindOf } from '../../src/registry/registry.js'
import { fitSnapshot } from '../helpers/snapshot.js'

afterAll(async () => {
  await closePool()
})

/** Two sticky states, each a mixture of two correlated Gaussians in d = 2. */
const TRUE = {
  startProb: [0.5, 0.5], transMat: [[0.92, 0.08], [0.1, 0.9]],
  weights: [[0.4, 0.6], [0.7, 0.3]],
  means: [[[-3, 0], [0, 3]], [[5, -2], [8, 1]]],
  covariances: [[[[1, 0.3], [0.3, 0.8]], [[0.6, -0.2], [-0.2, 1.2]]], [[[1.5, 0], [0, 0.5]], [[0.7, 0.25], [0.25, 0.9]]]],
}
const generator = new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'full', seed: 11, init: TRUE })
const lengths = Array.from({ length: 10 }, () => 400)
const X = lengths.flatMap((n) => generator.sample(n).X)

const CHAIN = { startProb: [0.5, 0.3, 0.2], transMat: [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.15, 0.25, 0.6]] }
const MEANS = [[-1, 0], [4, -2], [6, -3]]
/** GaussianHMM's covariances in each type's shape (3 states, d = 2). */
const GAUSS_COV = { full: MEANS.map(() => [[3, 0.4], [0.4, 2]]), diag: MEANS.map(() => [3, 2]), spherical: MEANS.map(() => 2.5) }

describe('one Gaussian per state is GaussianHMM', () => {
  it.each(COVARIANCE_TYPES)('%s: the same history, parameters and paths (tied: GaussianHMM full, to 1e-12)', async (type) => {
    // tied ties the Gaussians of one state: with one of them it is GaussianHMM's full model
    const gaussType = type === 'tied' ? 'full' : type
    const cov = GAUSS_COV[gaussType]
    const gauss = await new GaussianHMM({ nComponents: 3, covarianceType: gaussType, maxIter: 25, tol: 0, init: { means: MEANS, covariances: cov } }).fit(X, { lengths })
    const init = { means: MEANS.map((m) => [m]), covariances: type === 'tied' ? cov : (cov as unknown[]).map((c) => [c]) }
    const mix = await new GMMHMM({ nComponents: 3, nMix: 1, covarianceType: type, maxIter: 25, tol: 0, init }).fit(X, { lengths })
    expect(gauss.nIter).toBe(25)
    expect(mix.weights).toEqual([[1], [1], [1]])
    expect(mix.nParameters()).toBe(gauss.nParameters())
    expect(mix.predict(X, { lengths })).toEqual(gauss.predict(X, { lengths }))
    if (type !== 'tied') {
      expect(mix.history).toEqual(gauss.history)
      expect(mix.transMat).toEqual(gauss.transMat)
      expect(mix.means).toEqual(gauss.means.map((m) => [m]))
      expect(mix.covariances).toEqual((gauss.covariances as unknown[]).map((c) => [c]))
      expect(mix.score(X, { lengths })).toBe(gauss.score(X, { lengths }))
    } else {
      // tied divides the pooled scatter by the mass, full multiplies by its inverse: equal to rounding
      gauss.history.forEach((v, t) => expect(Math.abs(mix.history[t]! - v)).toBeLessThan(1e-12 * Math.abs(v)))
      const mixCovariances = mix.covariances as number[][][]
      mixCovariances.flat(2).forEach((v, p) => expect(Math.abs(v - (gauss.covariances as number[][][]).flat(2)[p]!)).toBeLessThan(1e-11))
    }
  })

  it('every parameter given: scores, decodes and samples before fit as GaussianHMM does', () => {
    const gauss = new GaussianHMM({ nComponents: 3, covarianceType: 'diag', seed: 5, init: { ...CHAIN, means: MEANS, covariances: GAUSS_COV.diag } })
    const mix = new GMMHMM({ nComponents: 3, covarianceType: 'diag', seed: 5, init: { ...CHAIN, weights: [[1], [1], [1]], means: MEANS.map((m) => [m]), covariances: GAUSS_COV.diag.map((c) => [c]) } })
    expect(mix.score(X, { lengths })).toBe(gauss.score(X, { lengths }))
    expect(mix.decode(X, { lengths })).toEqual(gauss.decode(X, { lengths }))
    expect(mix.predictProba(X.slice(0, 50))).toEqual(gauss.predictProba(X.slice(0, 50)))
    const draw = mix.sample(20)
    expect(draw.X).toHaveLength(20)
    expect(draw.X[0]).toHaveLength(2)
  })
})

/** Fitted states and Gaussians put in the order of TRUE (states by weighted means, Gaussians by means). */
function inTrueOrder(h: GMMHMM) {
  const weighted = (w: number[][], m: number[][][]) => m.map((g, s) => [0, 1].map((j) => g.reduce((a, mu, c) => a + w[s]![c]! * mu[j]!, 0)))
  const states = matchComponents(weighted(TRUE.weights, TRUE.means).flat(), weighted(h.weights, h.means).flat(), 2, 2)
  const mix = states.map((s, r) => matchComponents(TRUE.means[r]!.flat(), h.means[s]!.flat(), 2, 2))
  const cov = h.covariances as number[][][][]
  return {
    transMat: states.map((s) => states.map((c) => h.transMat[s]![c]!)),
    weights: states.map((s, r) => mix[r]!.map((c) => h.weights[s]![c]!)),
    means: states.map((s, r) => mix[r]!.map((c) => h.means[s]![c]!)),
    covariances: states.map((s, r) => mix[r]!.map((c) => cov[s]![c]!)),
  }
}

function expectClose(a: unknown, b: unknown, tol: number): void {
  if (Array.isArray(a)) (a as unknown[]).forEach((v, i) => expectClose(v, (b as unknown[])[i], tol))
  else expect(Math.abs((a as number) - (b as number))).toBeLessThan(tol)
}

describe('recovery and restarts', () => {
  it('2 states x 2 Gaussians (4000 steps): transitions, weights, means and covariances recovered', async () => {
    const h = await new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'full', nInit: 3, seed: 1 }).fit(X, { lengths })
    expect(h.converged).toBe(true)
    const got = inTrueOrder(h)
    expectClose(got.transMat, TRUE.transMat, 0.02)
    expectClose(got.weights, TRUE.weights, 0.03)
    expectClose(got.means, TRUE.means, 0.1)
    expectClose(got.covariances, TRUE.covariances, 0.1)
    // K - 1 + K (K - 1) + K ((M - 1) + M d + M d (d + 1) / 2)
    expect(h.nParameters()).toBe(1 + 2 + 2 * (1 + 4 + 6))
    expect(h.bic()).toBeCloseTo(-2 * h.score() + h.nParameters() * Math.log(X.length), 8)
  })

  it('nInit 3 on 2 pool workers gives the fit of 1 worker, bit for bit (every covariance type)', async () => {
    for (const covarianceType of COVARIANCE_TYPES) {
      await closePool()
      const make = (workers: number) => new GMMHMM({ nComponents: 2, nMix: 2, covarianceType, nInit: 3, seed: 7, maxIter: 30, workers })
      const serial = fitSnapshot(await make(1).fit(X, { lengths }))
      expect(poolThreads()).toEqual([])
      const pooled = fitSnapshot(await make(2).fit(X, { lengths }))
      expect(poolThreads()).toEqual([2])
      expect(pooled).toEqual(serial)
    }
    // Starting pools four times is slow on a loaded two-core machine, not wrong.
  }, 60_000)

  it('warm start: 5 warm fits of maxIter 1 reach exactly one fit of maxIter 5', async () => {
    const once = await new GMMHMM({ nComponents: 2, nMix: 2, seed: 2, maxIter: 5, tol: 0 }).fit(X, { lengths })
    const warm = new GMMHMM({ nComponents: 2, nMix: 2, seed: 2, maxIter: 1, tol: 0, warmStart: true })
    for (let i = 0; i < 5; i++) await warm.fit(X, { lengths })
    expect(warm.fitResult.params).toEqual(once.fitResult.params)
  })
})

describe('saving, options and errors', () => {
  it('toJSON -> fromJSON and loadModel predict bit for bit', async () => {
    const h = await new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'tied', seed: 3, nInit: 2 }).fit(X, { lengths })
    const saved = JSON.stringify(h.toJSON())
    for (const back of [await GMMHMM.fromJSON(saved), await loadModel(saved) as GMMHMM]) {
      expect(back).toBeInstanceOf(GMMHMM)
      expect(back.predict(X, { lengths })).toEqual(h.predict(X, { lengths }))
      expect(back.scoreSamples(X, { lengths })).toEqual(h.scoreSamples(X, { lengths }))
      expect(back.decode(X, { algorithm: 'map', lengths })).toEqual(h.decode(X, { algorithm: 'map', lengths }))
      expect([back.weights, back.means, back.covariances, back.history]).toEqual([h.weights, h.means, h.covariances, h.history])
    }
  })

  it('getParams shows the defaults; misspelt names get a suggestion', () => {
    expect(new GMMHMM().getParams()).toMatchObject({
      nComponents: 2, nMix: 1, covarianceType: 'diag', regCovar: 1e-6, init: {},
      fitParams: { startProb: true, transMat: true, weights: true, means: true, covariances: true },
    })
    expect(() => new GMMHMM({ nmix: 2 } as never)).toThrow(/did you mean 'nMix'/)
    expect(() => new GMMHMM({ init: { weight: [[1]] } as never })).toThrow(/did you mean 'weights'/)
    expect(() => new GMMHMM({ fitParams: { weight: false } as never })).toThrow(/did you mean 'weights'/)
    expect(() => new GMMHMM({ nMix: 0 })).toThrow(OptionError)
  })

  it('wrong init shapes are OptionErrors naming the option; X unlike init.means is an InputError', async () => {
    const bad: [object, RegExp][] = [
      [{ means: [[[0, 0], [1, 1]]] }, /init\.means.*shape \[2, 2, 2\]/],
      [{ means: [[[0, 0], [1, 1]], [[0, 0]]] }, /init\.means/],
      [{ weights: [[1], [1]] }, /init\.weights.*shape \[2, 2\]/],
      [{ weights: [[0.5, 0.6], [1, 0]] }, /init\.weights.*sums to 1\.1/],
      [{ means: TRUE.means, covariances: TRUE.covariances[0] }, /init\.covariances.*shape \[2, 2, 2, 2\]/],
    ]
    for (const [init, message] of bad) {
      expect(() => new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'full', init })).toThrow(OptionError)
      expect(() => new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'full', init })).toThrow(message)
    }
    expect(() => new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'tied', init: { means: TRUE.means, covariances: TRUE.covariances } })).toThrow(/init\.covariances.*'tied'/)
    // without means, d is the data's: the covariances are checked when fit sees it
    await expect(new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'diag', init: { covariances: [[1, 1], [1, 1]] } }).fit(X, { lengths })).rejects.toThrow(OptionError)
    await expect(new GMMHMM({ nComponents: 2, nMix: 2, init: { means: TRUE.means } }).fit(X.map((r) => [...r, 0]))).rejects.toThrow(InputError)
  })
})

describe('bootstrap', () => {
  const make = () => new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'diag', seed: 1 })

  it.each(['nonparametric', 'parametric'] as const)('%s: 4 replicates, the same on 2 workers, states aligned to the full fit', async (kind) => {
    const serial = await bootstrap(make, { X, lengths }, { replicates: 4, seed: 3, workers: 1, kind })
    const pooled = await bootstrap(make, { X, lengths }, { replicates: 4, seed: 3, workers: 2, kind })
    expect(pooled.replicates).toEqual(serial.replicates)
    expect(serial.failures).toEqual([])
    expect(serial.names.slice(0, 10)).toEqual(['startProb[0]', 'startProb[1]', 'transMat[0][0]', 'transMat[0][1]', 'transMat[1][0]', 'transMat[1][1]', 'weight[0][0]', 'weight[0][1]', 'weight[1][0]', 'weight[1][1]'])
    expect(serial.names.slice(-2)).toEqual(['var[1][1][0]', 'var[1][1][1]'])
    expect(serial.names).toHaveLength(serial.estimate.length)
    for (const s of serial.standardErrors) expect(Number.isFinite(s)).toBe(true)
    // mean[s][m][j] at 10 + 4 s + 2 m + j: every replicate's Gaussians in the full fit's order
    for (const r of serial.replicates) expect(matchComponents(serial.estimate.subarray(10, 18), r.subarray(10, 18), 4, 2)).toEqual([0, 1, 2, 3])
  })

  it.each(['full', 'tied'] as const)('%s: align undoes a permutation of the states and of the Gaussians within each', async (covarianceType) => {
    const h = await new GMMHMM({ nComponents: 2, nMix: 2, covarianceType, seed: 1 }).fit(X, { lengths })
    const kind = kindOf('GMMHMM')
    const { values, names } = kind.vector(h)
    // swap both states and, within each, both Gaussians: every index after the name swaps, except a tied block's rows
    const swapped = (name: string) => {
      const [prefix, ...idx] = name.split(/[[\]]+/).filter((p) => p !== '')
      const mixed = prefix !== 'startProb' && prefix !== 'transMat' && !(prefix === 'cov' && covarianceType === 'tied')
      const moved = idx.map((v, a) => (a === 0 || (a === 1 && (prefix === 'transMat' || mixed)) ? String(1 - Number(v)) : v))
      return `${prefix}${moved.map((v) => `[${v}]`).join('')}`
    }
    const permuted = new Float64Array(values.length)
    names.forEach((n, i) => { permuted[names.indexOf(swapped(n))] = values[i]! })
    expect(permuted).not.toEqual(values)
    expect(kind.align!(permuted, values, h)).toEqual(values)
  })
})
