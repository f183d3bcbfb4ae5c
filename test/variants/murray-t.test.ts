import { describe, expect, it } from 'vitest'
import { MultivariateT } from '../../src/index.js'
import { fixtureJson } from '../helpers/data.js'
import { tData } from '../helpers/synthetic.js'

/**
 * Murray's bivariate data with missing values (Liu & Rubin 1995, Tables 1-3): the
 * multivariate t with unknown nu. The data are symmetric in the sign of the
 * correlation, so starts need sigma12 != 0 to reach the maximum.
 */
const murray = fixtureJson('published.json').murray_t_missing
const X: number[][] = murray.x1.map((v: number | null, i: number) => [v ?? NaN, murray.x2[i] ?? NaN])
const top = murray.stationary_points_t[0]
const normal = murray.normal_model

describe("Murray's data: ECME (Liu & Rubin 1995)", () => {
  it('reaches nu = 1.4030, Table 2 scatter and log-likelihood -57.0016 (full constant)', async () => {
    const t = new MultivariateT({ algorithm: 'ecme', tol: 1e-9, criterion: 'parameters', maxIter: 10000, init: { mean: [0, 0], scatter: [[1, 0.5], [0.5, 1]], nu: 10 } })
    await t.fit(X)
    expect(t.status).toBe('converged')
    expect(Math.abs(t.degreesOfFreedom - top.nu)).toBeLessThan(1e-3)
    expect(Math.abs(t.scatter[0]![0]! - top.sigma11)).toBeLessThan(1e-3)
    expect(Math.abs(t.scatter[1]![1]! - top.sigma22)).toBeLessThan(1e-3)
    expect(Math.abs(t.scatter[0]![1]! - 4.3883)).toBeLessThan(1e-3) // +/-4.3883: the sign follows the start
    expect(Math.abs(t.logLik - top.loglik_full_constant)).toBeLessThan(1e-3)
    expect(t.fitResult.decreases).toEqual([])
  })

  it('from nu0 = 1000 at tol 1e-5, ECME needs fewer than 1/20 of ECM\'s iterations (L&R: 130 vs 7061)', async () => {
    // Start at the normal model's MLE (Liu & Rubin's Table 1), nu0 = 1000; stop when the
    // parameters move by less than 1e-5.
    const init = { mean: [0, 0], scatter: [[normal.sigma11, 36.9865], [36.9865, normal.sigma22]], nu: 1000 }
    const run = async (algorithm: 'ecm' | 'ecme' | 'em') => {
      const t = new MultivariateT({ algorithm, tol: 1e-5, criterion: 'parameters', maxIter: 100000, init })
      await t.fit(X)
      expect(t.status).toBe('converged')
      expect(Math.abs(t.degreesOfFreedom - top.nu)).toBeLessThan(1e-2)
      return t.nIter
    }
    const ecm = await run('ecm'), ecme = await run('ecme'), em = await run('em')
    console.log(`Murray from nu0 = 1000: ECM ${ecm} iterations, ECME ${ecme}, EM ${em}`)
    expect(ecme * 20).toBeLessThan(ecm)
    expect(em).toBe(ecm) // EM = ECM for the t: Q separates (Liu & Rubin's Table 3)
  }, 60_000)

  it('ECM, EM and PX-EM reach the same maximum; ECME needs a free nu', async () => {
    const lls = []
    for (const algorithm of ['em', 'ecm', 'px-em'] as const) {
      const t = new MultivariateT({ algorithm, tol: 1e-10, criterion: 'parameters', maxIter: 100000, init: { mean: [0, 0], scatter: [[1, 0.5], [0.5, 1]], nu: 10 } })
      await t.fit(X)
      expect(t.fitResult.decreases).toEqual([])
      lls.push(t.logLik)
      expect(Math.abs(t.degreesOfFreedom - top.nu)).toBeLessThan(1e-3)
    }
    for (const ll of lls) expect(Math.abs(ll - top.loglik_full_constant)).toBeLessThan(1e-3)
    expect(() => new MultivariateT({ nu: 3, algorithm: 'ecme' })).toThrow(/supports 'em', 'ecm', 'px-em'/)
  })
})

describe('t with known nu: PX-EM', () => {
  for (const [name, data, nu] of [
    ["Murray's data", X, 3],
    ['seeded sample (seed 11, n = 400, nu = 4, 15% missing)', tData(11, 400, 4, 0.15), 4],
    ['seeded sample (seed 12, n = 300, nu = 2, complete)', tData(12, 300, 2), 2],
  ] as const) {
    it(`reaches EM's fixed point in fewer iterations: ${name}`, async () => {
      const init = { mean: [0.5, 0.5], scatter: [[2, 0.3], [0.3, 2]] }
      const em = new MultivariateT({ nu, algorithm: 'em', tol: 1e-10, criterion: 'parameters', maxIter: 100000, init })
      const px = new MultivariateT({ nu, algorithm: 'px-em', tol: 1e-10, criterion: 'parameters', maxIter: 100000, init })
      await em.fit(data as number[][])
      await px.fit(data as number[][])
      console.log(`PX-EM vs EM, nu = ${nu}, ${name}: ${px.nIter} vs ${em.nIter} iterations`)
      expect(px.nIter).toBeLessThan(em.nIter)
      expect(Math.abs(px.logLik - em.logLik) / Math.abs(em.logLik)).toBeLessThan(1e-10)
      em.mean.forEach((v, j) => expect(Math.abs(v - px.mean[j]!)).toBeLessThan(1e-7))
      em.scatter.flat().forEach((v, j) => expect(Math.abs(v - px.scatter.flat()[j]!)).toBeLessThan(1e-7))
      expect(px.fitResult.decreases).toEqual([])
    })
  }
})
