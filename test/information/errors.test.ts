/**
 * Bad input to standardErrors: before fit, after loading (no training data kept), a
 * misspelt option, a method the model cannot honour (UNSUPPORTED listing the ones it
 * can), a parameter on the boundary and a singular information (SINGULAR_INFORMATION
 * naming the parameters).
 */
import { describe, expect, it } from 'vitest'
import { type EMModel, GammaPoisson, GaussianMixture, InformationError, standardErrorsOf, TobitRegression } from '../../src/index.js'
import { type Linkage, linkage } from '../variants/genetic-linkage.example.js'
import { tobinData } from '../helpers/data.js'

async function rejection(p: Promise<unknown>): Promise<any> {
  try { await p } catch (e) { return e }
  throw new Error('expected a rejection')
}
function thrown(f: () => unknown): any {
  try { f() } catch (e) { return e }
  throw new Error('expected a throw')
}

const { X, y } = tobinData()
const data: Linkage = { counts: [125, 18, 20, 34], totalWeight: 197 }

describe('standardErrors: bad input', () => {
  it('before fit: NOT_FITTED', async () => {
    const e = await rejection(new TobitRegression({ left: 0 }).standardErrors())
    expect(e.code).toBe('NOT_FITTED')
    expect(e.message).toMatch(/standardErrors needs a fitted model/)
  })
  it('a loaded model keeps no training data: NOT_FITTED saying to fit again', async () => {
    const est = await new TobitRegression({ left: 0 }).fit(X, y)
    const loaded = await TobitRegression.fromJSON(est.toJSON())
    const e = await rejection(loaded.standardErrors({ method: 'hessian' }))
    expect(e.code).toBe('NOT_FITTED')
    expect(e.message).toMatch(/fit it again/)
  })
  it('a misspelt option: INVALID_OPTION with a suggestion; the input is not mutated', async () => {
    const est = await new TobitRegression({ left: 0 }).fit(X, y)
    const options = Object.freeze({ methd: 'sem' })
    const e = await rejection(est.standardErrors(options as never))
    expect(e.code).toBe('INVALID_OPTION')
    expect(e.message).toMatch(/method/)
  })
  it("a method the model cannot honour: UNSUPPORTED listing the ones it can", async () => {
    const est = await new GammaPoisson().fit([3, 0, 5, 2, 8, 1, 0, 4, 6, 2], { exposure: [1, 1, 2, 1, 3, 1, 1, 2, 2, 1] })
    const e = await rejection(est.standardErrors({ method: 'louis' }))
    expect(e.code).toBe('UNSUPPORTED')
    expect(e.details.supported).toEqual(['sem', 'hessian'])
    expect(e.message).toMatch(/supports 'sem', 'hessian'/)
    const u = await rejection(est.standardErrors({ method: 'fisher' as never }))
    expect(u.code).toBe('UNSUPPORTED')
    expect(u.message).toMatch(/Unknown standard-error method "fisher"/)
    // a model without Q or Louis's terms has only the Hessian
    expect(thrown(() => standardErrorsOf(linkage, data, 0.6268, 'sem')).details.supported).toEqual(['hessian'])
  })
  it('a parameter on the boundary: SINGULAR_INFORMATION naming it', () => {
    const e = thrown(() => standardErrorsOf(linkage, data, 1e-9, 'hessian'))
    expect(e).toBeInstanceOf(InformationError)
    expect(e.code).toBe('SINGULAR_INFORMATION')
    expect(e.details.parameters).toEqual(['theta[0]'])
    expect(e.message).toMatch(/theta\[0\] = 1e-9 is on the boundary/)
  })
  it('a component on one point (its variance at regCovar, the boundary): SINGULAR_INFORMATION naming var[1]', async () => {
    const rows = [...Array.from({ length: 40 }, (_, i) => [i / 10, Math.sin(i)]), [50, 50]]
    const est = await new GaussianMixture({ nComponents: 2, covarianceType: 'spherical', seed: 3 }).fit(rows)
    const e = await rejection(est.standardErrors({ method: 'hessian' }))
    expect(e.code).toBe('SINGULAR_INFORMATION')
    expect(est.weights[1]).toBeCloseTo(1 / 41, 12)
    expect(e.details.parameters).toEqual(['var[1]'])
    expect(e.message).toMatch(/var\[1\] = 0.000001 is on the boundary/)
  })
  it('a singular information (parameters not identified): names the parameters', () => {
    // log L depends on a + b only: the information is singular along (1, -1)
    const flat: EMModel<Float64Array, { totalWeight: number }> = {
      name: 'sum-only',
      eStep: () => ({ stats: new Float64Array(0), logLik: 0 }),
      mStep: (_s, p) => p,
      logLik: (_d, p) => -((p[0]! + p[1]! - 1) ** 2) - (p[2]! - 2) ** 2,
      nParameters: () => 3,
      pack: (p) => p.slice(),
      unpack: (v) => v.slice(),
      isValid: () => true,
    }
    const e = thrown(() => standardErrorsOf(flat, { totalWeight: 1 }, Float64Array.of(0.5, 0.5, 2), 'hessian'))
    expect(e.code).toBe('SINGULAR_INFORMATION')
    expect(e.details.parameters).toEqual(['theta[0]', 'theta[1]'])
    expect(e.message).toMatch(/singular at the estimate/)
  })
})

describe('standardErrors of a variational fit', () => {
  it('UNSUPPORTED: a posterior has no observed information', async () => {
    const { BayesianGaussianMixture } = await import('../../src/index.js')
    const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i) + (i % 2) * 4, Math.cos(i)])
    const est = await new BayesianGaussianMixture({ nComponents: 2, seed: 1 }).fit(rows)
    const e = await rejection(est.standardErrors())
    expect(e.code).toBe('UNSUPPORTED')
    expect(e.details.supported).toEqual([])
    expect(e.message).toMatch(/variational Bayes/)
  })
})
