/**
 * The loop's final evaluation at the parameters the last M-step returned: when the model
 * cannot evaluate them (a DegenerateError, e.g. a scatter no longer positive definite),
 * the fit is degenerate and keeps the parameters whose objective was last recorded, as
 * when the same happens to a step inside the loop; any other error still propagates.
 */
import { describe, expect, it } from 'vitest'
import { DegenerateError } from '../../src/core/errors.js'
import { fitEM } from '../../src/engine/fitEM.js'
import type { EMModel, PreparedData } from '../../src/engine/types.js'

/** A mean moved halfway to 10 per step; parameters at or past `breaksAt` steps cannot be evaluated. */
function toy(breaksAt: number, error: () => Error): EMModel<{ mu: number; t: number }, PreparedData> {
  const objective = (p: { mu: number; t: number }) => {
    if (p.t >= breaksAt) throw error()
    return -((p.mu - 10) ** 2)
  }
  return {
    name: 'toy',
    eStep: (_data, p) => ({ stats: Float64Array.of(p.mu), logLik: objective(p) }),
    mStep: (stats, p) => ({ mu: (stats[0]! + 10) / 2, t: p.t + 1 }),
    logLik: (_data, p) => objective(p),
    nParameters: () => 1,
    pack: (p) => Float64Array.of(p.mu),
    unpack: (v, like) => ({ mu: v[0]!, t: like.t }),
    isValid: () => true,
  }
}

const data: PreparedData = { totalWeight: 1 }
const singular = () => new DegenerateError('SINGULAR_COVARIANCE', 'The scatter of component 0 is not positive definite.')

describe("the loop's final evaluation", () => {
  it('is degenerate, with the last evaluated parameters, when the last M-step left parameters the model cannot evaluate', async () => {
    const r = await fitEM(toy(3, singular), data, { mu: 0, t: 0 }, { maxIter: 3, tol: 0 })
    expect(r.status).toBe('degenerate')
    expect(r.converged).toBe(false)
    expect(r.error?.code).toBe('SINGULAR_COVARIANCE')
    expect(r.params).toEqual({ mu: 7.5, t: 2 })
    expect(r.logLik).toBe(-(2.5 ** 2))
    expect(r.history).toEqual([-100, -25, -(2.5 ** 2), -(2.5 ** 2)])
    expect(r.nIter).toBe(3)
  })

  it('is the same degenerate fit as when a step inside the loop meets such parameters', async () => {
    const inside = await fitEM(toy(3, singular), data, { mu: 0, t: 0 }, { maxIter: 5, tol: 0 })
    expect(inside.status).toBe('degenerate')
    expect(inside.params).toEqual({ mu: 7.5, t: 2 })
    expect(inside.logLik).toBe(-(2.5 ** 2))
  })

  it('passes any other error on, and a model that cannot evaluate its start throws', async () => {
    await expect(fitEM(toy(3, () => new RangeError('boom')), data, { mu: 0, t: 0 }, { maxIter: 3, tol: 0 })).rejects.toThrow('boom')
    await expect(fitEM(toy(0, singular), data, { mu: 0, t: 0 }, { maxIter: 0, tol: 0 })).rejects.toThrow(DegenerateError)
  })
})
