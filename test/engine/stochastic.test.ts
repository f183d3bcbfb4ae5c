/**
 * The engine's 'stochastic' algorithm on a toy model (no network): an epoch is an
 * E-step and an M-step per mini-batch in the model's order; the recorded objective is
 * the batches' sum; its falls are not listed as decreases; the moving-window rule stops
 * only after two windows; accelerators and models without the capability are refused.
 */
import { describe, expect, it } from 'vitest'
import { fitEM } from '../../src/engine/fitEM.js'
import { makeStepper } from '../../src/engine/steppers.js'
import type { EMModel, PreparedData, StochasticCapability } from '../../src/engine/types.js'

interface Data extends PreparedData { readonly x: Float64Array; readonly lo: number; readonly hi: number }
interface Params { readonly mu: number; readonly t: number }

/** Estimates a mean by gradient steps on -0.5 sum (x - mu)^2, with a +-1 wobble in the objective (a noisy estimate). */
function toy(window: number, batches = 3): EMModel<Params, Data> & { stochastic: StochasticCapability<Params, Data>; calls: number[] } {
  const calls: number[] = []
  return {
    name: 'toy', calls,
    eStep(data, p) {
      calls.push(data.lo)
      let g = 0, l = 0
      for (let i = data.lo; i < data.hi; i++) { g += data.x[i]! - p.mu; l -= 0.5 * (data.x[i]! - p.mu) ** 2 }
      return { stats: Float64Array.of(g, data.hi - data.lo), logLik: l + (p.t % 2 === 0 ? 1 : -1) }
    },
    mStep: (stats, p) => ({ mu: p.mu + 0.5 * stats[0]! / stats[1]!, t: p.t + 1 }),
    logLik(data, p) { let l = 0; for (let i = data.lo; i < data.hi; i++) l -= 0.5 * (data.x[i]! - p.mu) ** 2; return l },
    nParameters: () => 1,
    pack: (p) => Float64Array.of(p.mu),
    unpack: (v, like) => ({ mu: v[0]!, t: like.t }),
    isValid: () => true,
    stochastic: {
      window,
      batches: (data) => Array.from({ length: batches }, (_, b) => {
        const size = Math.ceil(data.x.length / batches)
        const lo = b * size, hi = Math.min(data.x.length, lo + size)
        return { ...data, lo, hi, totalWeight: hi - lo }
      }).reverse(),
    },
  }
}

const x = Float64Array.from({ length: 30 }, (_, i) => 10 + Math.sin(i))
const data: Data = { x, lo: 0, hi: 30, totalWeight: 30 }

describe("the engine's stochastic algorithm", () => {
  it('runs every batch in the order given, records their sum, lists no decreases', async () => {
    const model = toy(5)
    const r = await fitEM(model, data, { mu: 0, t: 0 }, { maxIter: 4, tol: 0, stepper: makeStepper(model, { algorithm: 'stochastic' }) })
    expect(model.calls.slice(0, 3)).toEqual([20, 10, 0])
    expect(r.history.length).toBe(5)
    expect(r.fixedPointEvaluations).toBe(12)
    expect(r.decreases).toEqual([])
    expect(r.status).toBe('max-iter')
  })

  it('the moving window: converged only after two windows, when their means agree within tol per row', async () => {
    const model = toy(4)
    const r = await fitEM(model, data, { mu: 0, t: 0 }, { maxIter: 500, tol: 1e-6, stepper: makeStepper(model, { algorithm: 'stochastic' }) })
    expect(r.status).toBe('converged')
    expect(r.nIter).toBeGreaterThanOrEqual(8)
    expect(r.nIter).toBeLessThan(500)
    // the +-1 wobble alone would stop the plain rule never (a change of 2/30 per row each epoch)
    // a constant step cycles near the mean (each batch pulls toward its own)
    expect(Math.abs(r.params.mu - x.reduce((s, v) => s + v, 0) / 30)).toBeLessThan(0.1)
  })

  it('refuses accelerators, and models without the capability', () => {
    const model = toy(3)
    expect(() => makeStepper(model, { algorithm: 'stochastic', accelerate: 'squarem' })).toThrow(/stochastic/)
    const { stochastic: _s, ...plain } = model
    expect(() => makeStepper(plain as EMModel<Params, Data>, { algorithm: 'stochastic' })).toThrow(/cannot run algorithm 'stochastic'/)
  })
})
