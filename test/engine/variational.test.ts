/**
 * Variational EM as an engine capability. With q(theta) a point mass and q(z) left
 * unrestricted, the VE-step's q(z) is the exact posterior, the bound equals the
 * log-likelihood, and variational EM is EM: the Gaussian mixture run through the
 * variational stepper reproduces EM's history and parameters bit for bit (plain and
 * accelerated), and the bound computed term by term from q(z) is the log-likelihood.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { UnsupportedError } from '../../src/core/errors.js'
import { fitEM } from '../../src/engine/fitEM.js'
import { supportedAlgorithms } from '../../src/engine/strategy.js'
import { makeStepper } from '../../src/engine/steppers.js'
import type { EMModel, PreparedData } from '../../src/engine/types.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { loadKernels } from '../../src/kernels/index.js'
import type { Kernels } from '../../src/kernels/types.js'
import { COVARIANCE_TYPES, type CovarianceType } from '../../src/models/gmm/covariance.js'
import { loadCovarianceStrategy } from '../../src/models/gmm/mclust/index.js'
import { initialParams, loadInit } from '../../src/models/gmm/init.js'
import { GaussianMixtureModel, type GmmData, type GmmParams } from '../../src/models/gmm/model.js'
import { fixtureMatrix } from '../helpers/data.js'

// the data-driven starts are loaded on demand (a fit's loadParts does it)
beforeAll(() => Promise.all([loadInit('kmeans++'), ...COVARIANCE_TYPES.map(loadCovarianceStrategy)]))

/** The Gaussian mixture with q(theta) = a point mass at the parameters and q(z) unrestricted. */
function pointMassVariational(gmm: GaussianMixtureModel): EMModel<GmmParams, GmmData> {
  return {
    name: 'gaussian-mixture (variational, point mass)',
    eStep: (data, params) => gmm.eStep(data, params),
    mStep: (stats, params) => gmm.mStep(stats, params),
    logLik: (data, params) => gmm.logLik(data, params),
    nParameters: () => gmm.nParameters(),
    pack: (params) => gmm.pack(params),
    unpack: (vec, like) => gmm.unpack(vec, like),
    isValid: (vec, like) => gmm.isValid(vec, like),
    variational: {
      // q(z) = p(z | x, theta): KL(q || posterior) = 0, so the bound is log p(x | theta)
      veStep(data, params) {
        const logLik = gmm.expectation(data, params)
        return { stats: gmm.statistics(data, params.means, params), logLik }
      },
      vmStep: (stats, params) => gmm.fromStats(stats, params.means),
    },
  }
}

/** E_q[log p(x, z | theta)] + H(q) with q(z) = the posterior, term by term over rows and components. */
function boundTermByTerm(gmm: GaussianMixtureModel, data: GmmData, params: GmmParams): number {
  const { k, d, kernels } = gmm
  data.means.view.set(params.means)
  data.precision.view.set(params.precision)
  data.logDetP.view.set(params.logDetP)
  gmm.covariance.logDensity(kernels, { x: data.x, n: data.n, means: data.means, precision: data.precision, logDetP: data.logDetP, out: data.resp }, k, d)
  const lp = data.resp.view.slice(0, data.n * k)
  let bound = 0
  const rho = new Float64Array(k)
  for (let i = 0; i < data.n; i++) {
    let m = -Infinity
    for (let c = 0; c < k; c++) { rho[c] = lp[i * k + c]! + Math.log(params.weights[c]!); m = Math.max(m, rho[c]!) }
    let s = 0
    for (let c = 0; c < k; c++) s += Math.exp(rho[c]! - m)
    const logZ = m + Math.log(s)
    for (let c = 0; c < k; c++) {
      const r = Math.exp(rho[c]! - logZ)
      if (r > 0) bound += r * (rho[c]! - Math.log(r))
    }
  }
  return bound
}

async function setup(kernels: Kernels, covarianceType: CovarianceType, k: number) {
  const rows = fixtureMatrix('faithful.csv')
  const gmm = new GaussianMixtureModel({ kernels, k, d: 2, covarianceType, regCovar: 1e-6 })
  const data = gmm.prepare({ rows: rows.length, cols: 2, data: Float64Array.from(rows.flat()) })
  const start = initialParams(gmm, data, 'kmeans++', new Rng(3), null)
  return { gmm, data, start }
}

describe('variational EM with q(z) unrestricted and q(theta) a point mass is EM', () => {
  for (const backend of ['js', 'wasm'] as const) {
    for (const covarianceType of ['full', 'diag', 'spherical', 'tied'] as const) {
      for (const accelerate of ['none', 'squarem', 'quasi-newton'] as const) {
        it(`${covarianceType}, accelerate ${accelerate}, ${backend}: the same history and parameters, bit for bit`, async () => {
          const { gmm, data, start } = await setup(await loadKernels(backend), covarianceType, 3)
          const variational = pointMassVariational(gmm)
          const options = { tol: 1e-8, maxIter: 500 }
          const em = await fitEM(gmm, data, start, { ...options, stepper: makeStepper(gmm, { algorithm: 'em', accelerate }) })
          const vb = await fitEM(variational, data, start, { ...options, stepper: makeStepper(variational, { algorithm: 'variational', accelerate }) })
          expect(vb.status).toBe(em.status)
          expect(vb.nIter).toBe(em.nIter)
          expect(vb.history).toEqual(em.history)
          expect(vb.params.means).toEqual(em.params.means)
          expect(vb.params.covariances).toEqual(em.params.covariances)
          expect(vb.fixedPointEvaluations).toBe(em.fixedPointEvaluations)
          gmm.release(data)
          gmm.dispose()
        })
      }
    }
  }

  it('the bound term by term, E_q[log p(x, z | theta)] + H(q), is the log-likelihood at every iterate', async () => {
    const { gmm, data, start } = await setup(await loadKernels('js'), 'full', 4)
    const variational = pointMassVariational(gmm)
    const iterates: GmmParams[] = [start]
    const r = await fitEM(variational, data, start, { tol: 1e-10, maxIter: 200, stepper: makeStepper(variational, { algorithm: 'variational' }), onIteration: (info) => { iterates.push(info.params) } })
    expect(iterates.length).toBe(r.history.length)
    let worst = 0
    iterates.forEach((params, t) => { worst = Math.max(worst, Math.abs(boundTermByTerm(gmm, data, params) - r.history[t]!) / Math.abs(r.history[t]!)) })
    console.log(`[variational] ${iterates.length} iterates: bound term by term vs log-likelihood, worst relative difference ${worst.toExponential(2)}`)
    expect(worst).toBeLessThan(1e-13)
    gmm.release(data)
    gmm.dispose()
  })
})

describe('the variational capability in the strategy', () => {
  it('a model without it cannot run algorithm variational; one with it lists it', async () => {
    const gmm = new GaussianMixtureModel({ kernels: await loadKernels('js'), k: 2, d: 2, covarianceType: 'full', regCovar: 1e-6 })
    expect(() => makeStepper(gmm, { algorithm: 'variational' })).toThrow(UnsupportedError)
    expect(() => makeStepper(gmm, { algorithm: 'variational' })).toThrow(/supports 'em', 'sem', 'mcem'/)
    expect(supportedAlgorithms(pointMassVariational(gmm))).toContain('variational')
    gmm.dispose()
  })

  it("the objective's scale: a model that measures tol on its total objective stops later than per sample", async () => {
    // a one-parameter map x -> x / 2 + 1 with objective -n (x - 2)^2: the change shrinks by 4 each step
    interface Data extends PreparedData { readonly n: number }
    const model = (scale?: number): EMModel<number, Data> => ({
      name: 'halving',
      eStep: (data, x) => ({ stats: Float64Array.of(x), logLik: -data.n * (x - 2) ** 2 }),
      mStep: (stats) => stats[0]! / 2 + 1,
      logLik: (data, x) => -data.n * (x - 2) ** 2,
      nParameters: () => 1,
      pack: (x) => Float64Array.of(x),
      unpack: (v) => v[0]!,
      isValid: () => true,
      ...(scale === undefined ? {} : { objectiveScale: () => scale }),
      variational: {
        veStep: (data, x) => ({ stats: Float64Array.of(x), logLik: -data.n * (x - 2) ** 2 }),
        vmStep: (stats) => stats[0]! / 2 + 1,
      },
    })
    const data: Data = { n: 1000, totalWeight: 1000 }
    const run = (m: EMModel<number, Data>) => fitEM(m, data, 0, { tol: 1e-3, stepper: makeStepper(m, { algorithm: 'variational' }) })
    const perSample = await run(model())
    const total = await run(model(1))
    expect(perSample.converged && total.converged).toBe(true)
    const last = (r: typeof total) => Math.abs(r.history[r.nIter - 1]! - r.history[r.nIter - 2]!)
    expect(last(perSample) / 1000).toBeLessThan(1e-3)
    expect(last(total)).toBeLessThan(1e-3)
    expect(total.nIter).toBe(perSample.nIter + 5)
  })
})
