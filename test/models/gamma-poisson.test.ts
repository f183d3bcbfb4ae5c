/**
 * GammaPoisson on the pump failures (published.json: x_i ~ Poisson(theta_i t_i),
 * theta_i ~ Gamma(alpha, rate beta)): EM and GEM within 1e-5 of the exact MLE
 * (0.82297, 1.26166), MCEM within 0.04 (NIMBLE's tolerance); the log-likelihood is the
 * exact negative-binomial marginal.
 */
import { describe, expect, it } from 'vitest'
import { GammaPoisson } from '../../src/estimators/GammaPoisson.js'
import published from '../fixtures/published.json' with { type: 'json' }

const pump = published.pump_failures
const [A, B] = pump.mle_alpha_beta as [number, number]

describe('GammaPoisson on the pump failures', () => {
  for (const algorithm of ['em', 'gem'] as const) {
    it(`${algorithm} reaches the MLE within 1e-5 and the marginal log-likelihood`, async () => {
      const x = pump.x.slice(), t = pump.t.slice()
      const gp = await new GammaPoisson({ algorithm, tol: 1e-10 }).fit(x, { exposure: t })
      console.log(`[gamma-poisson] ${algorithm}: alpha ${gp.alpha}, beta ${gp.beta}, logLik ${gp.logLik}, ${gp.nIter} iterations`)
      expect(gp.status).toBe('converged')
      expect(Math.abs(gp.alpha - A)).toBeLessThan(1e-5)
      expect(Math.abs(gp.beta - B)).toBeLessThan(1e-5)
      expect(Math.abs(gp.logLik - pump.marginal_loglik)).toBeLessThan(1e-5)
      expect(gp.fitResult.decreases).toEqual([])
      expect(x).toEqual(pump.x)
      expect(t).toEqual(pump.t)
    })
  }

  it('SQUAREM reaches the same point in fewer iterations', async () => {
    const em = await new GammaPoisson({ tol: 1e-10 }).fit(pump.x, { exposure: pump.t })
    const sq = await new GammaPoisson({ tol: 1e-10, accelerate: 'squarem' }).fit(pump.x, { exposure: pump.t })
    expect(Math.abs(sq.alpha - em.alpha)).toBeLessThan(1e-7)
    expect(sq.nIter).toBeLessThan(em.nIter)
  })

  it('MCEM (gamma draws from the kernels) lands within 0.04; same seed, same fit on every backend', async () => {
    const fits = []
    for (const backend of ['wasm', 'wasm-scalar', 'js'] as const) {
      for (const seed of [1, 2, 3]) {
        console.log(`[gamma-poisson] mcem ${backend}: seed ${seed}`)
        const gp = await new GammaPoisson({ algorithm: 'mcem', seed, backend, maxIter: 500 }).fit(pump.x, { exposure: pump.t })
        expect(gp.status).toBe('converged')
        expect(Math.abs(gp.alpha - A)).toBeLessThan(0.04)
        expect(Math.abs(gp.beta - B)).toBeLessThan(0.04)
        fits.push(gp)
        if (backend === 'wasm') console.log(`  alpha ${gp.alpha}, beta ${gp.beta}, ${gp.nIter} iterations, last M ${gp.fitResult.monteCarlo!.iterations.at(-1)!.samples}`)
      }
    }
    for (let i = 3; i < 9; i++) expect(fits[i]!.fitResult.params).toEqual(fits[i % 3]!.fitResult.params)
    const other = await new GammaPoisson({ algorithm: 'mcem', seed: 1, mcem: { seed: 99, initialSamples: 20, sampleSize: 'geometric' } }).fit(pump.x, { exposure: pump.t })
    expect(other.fitResult.params).not.toEqual(fits[0]!.fitResult.params)
    expect(other.fitResult.monteCarlo!.iterations[0]!.samples).toBe(20)
  })

  it('exposure defaults to 1; typed errors', async () => {
    const a = await new GammaPoisson({ tol: 1e-10 }).fit([1, 4, 0, 7, 2, 9])
    const b = await new GammaPoisson({ tol: 1e-10 }).fit([1, 4, 0, 7, 2, 9], { exposure: [1, 1, 1, 1, 1, 1] })
    expect(a.alpha).toBe(b.alpha)
    expect(() => new GammaPoisson({ algorithm: 'ecm' as never })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
    expect(() => new GammaPoisson({ algorithm: 'mcem', accelerate: 'aitken' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new GammaPoisson({ nInit: 2 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new GammaPoisson().alpha).toThrow(expect.objectContaining({ code: 'NOT_FITTED' }))
    const gp = new GammaPoisson()
    await expect(gp.fit([])).rejects.toMatchObject({ code: 'EMPTY_DATA' })
    await expect(gp.fit([1, 2.5])).rejects.toMatchObject({ code: 'INVALID_DATA' })
    await expect(gp.fit([1, -1])).rejects.toMatchObject({ code: 'INVALID_DATA' })
    await expect(gp.fit([1, 2], { exposure: [1] })).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
    await expect(gp.fit([1, 2], { exposure: [1, 0] })).rejects.toMatchObject({ code: 'INVALID_DATA' })
    await expect(gp.fit([1, 2], { offset: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})
