/**
 * Genetic linkage (Dempster, Laird & Rubin 1977) written as a user's own model through
 * the low-level fitEM, with the Monte Carlo capability: EM, MCEM (both sample-size
 * rules) and SEM. The MLE is 0.6268214978709072 (published.json).
 */
import { describe, expect, it } from 'vitest'
import { type EMModel, fitEM, makeStepper } from '../../src/index.js'
import { type Linkage, linkage as emLinkage } from './genetic-linkage.example.js'
import type { MonteCarloReport } from '../../src/engine/types.js'
import { normalUpperQuantile } from '../../src/engine/variants/mcem.js'
import type { Rng } from '../../src/core/rng/xoshiro128.js'
import published from '../fixtures/published.json' with { type: 'json' }

/**
 * Successes in n Bernoulli(p) draws, one uniform each. Not Rng.binomial (inversion, one
 * uniform per draw): the seeded assertions below were set on this stream.
 */
function bernoulliCount(rng: Rng, n: number, p: number): number {
  let x = 0
  for (let i = 0; i < n; i++) if (rng.uniform() < p) x++
  return x
}

// docs/fitEM.md's model, with the Monte Carlo capability added
const linkage: EMModel<number, Linkage> = {
  ...emLinkage,
  // SEM / MCEM: draws of the hidden split of cell 1, as complete-data statistics.
  monteCarlo: {
    sampleLatent(data, t, rng, m) {
      const [y1, y2, y3, y4] = data.counts
      const out = new Float64Array(2 * m)
      for (let r = 0; r < m; r++) {
        out[2 * r] = bernoulliCount(rng, y1, (t / 4) / (0.5 + t / 4)) + y4
        out[2 * r + 1] = y2 + y3
      }
      return out
    },
    completeLogLik: (s, t) => s[0]! * Math.log(t) + s[1]! * Math.log(1 - t),
  },
}

const data: Linkage = { counts: [125, 18, 20, 34], totalWeight: 197 }
const MLE = 0.6268214978709072

/** Monte Carlo SE of one MCEM update at t with m draws (delta method on x-bar). */
function updateSE(t: number, m: number): number {
  const [y1, y2, y3, y4] = data.counts
  const p = (t / 4) / (0.5 + t / 4)
  const xbar = y1 * p
  const sdX = Math.sqrt(y1 * p * (1 - p))
  return ((y2 + y3) / (xbar + y4 + y2 + y3) ** 2) * sdX / Math.sqrt(m)
}

describe('genetic linkage through fitEM', () => {
  it('EM gives 0.6268215 within 1e-7 (the published MLE)', async () => {
    expect(published.genetic_linkage ?? published).toBeDefined()
    const em = await fitEM(linkage, data, 0.5, { tol: 1e-12, criterion: 'parameters', maxIter: 1000 })
    expect(em.status).toBe('converged')
    expect(Math.abs(em.params - 0.6268215)).toBeLessThan(1e-7)
    expect(em.monteCarlo).toBeUndefined()
  })

  for (const sampleSize of ['ascent', 'geometric'] as const) {
    it(`MCEM (${sampleSize}) lands within 3 Monte Carlo SE of the MLE and stops by the relative-change rule`, async () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        console.log(`[mcem-linkage] ${sampleSize}: seed ${seed}`)
        const stepper = makeStepper(linkage, { algorithm: 'mcem', mcem: { seed, initialSamples: 50, sampleSize } })
        const fit = await fitEM(linkage, data, 0.5, { maxIter: 200, stepper })
        expect(fit.status).toBe('converged')
        const mc = fit.monteCarlo as MonteCarloReport
        expect(mc.algorithm).toBe('mcem')
        expect(mc.iterations).toHaveLength(fit.nIter)
        const last = mc.iterations.at(-1)!
        // the stopping rule: 3 consecutive relative changes below 0.02
        expect(mc.iterations.slice(-3).every((it) => it.relativeChange < 0.02)).toBe(true)
        expect(mc.iterations.every((it) => Number.isFinite(it.mcError) && it.mcError >= 0)).toBe(true)
        expect(mc.mcError).toBe(last.mcError)
        const se = updateSE(fit.params, last.samples)
        console.log(`  theta ${fit.params.toFixed(6)}, iterations ${fit.nIter}, final M ${last.samples}, MC SE ${se.toExponential(2)}, |error|/SE ${(Math.abs(fit.params - MLE) / se).toFixed(2)}`)
        expect(Math.abs(fit.params - MLE)).toBeLessThan(3 * se)
        if (sampleSize === 'geometric') {
          for (let i = 1; i < mc.iterations.length; i++) {
            expect(mc.iterations[i]!.samples).toBe(Math.ceil(mc.iterations[i - 1]!.samples * 1.2))
          }
        }
      }
    })
  }

  it('MCEM: same seed, same run; other seed, other run; options are observed', async () => {
    const run = (mcem: object) => fitEM(linkage, data, 0.5, { maxIter: 200, stepper: makeStepper(linkage, { algorithm: 'mcem', mcem }) })
    const a = await run({ seed: 9 })
    const b = await run({ seed: 9 })
    const c = await run({ seed: 10 })
    expect(b.params).toBe(a.params)
    expect(b.history).toEqual(a.history)
    expect(c.params).not.toBe(a.params)
    expect(a.monteCarlo!.iterations[0]!.samples).toBeGreaterThanOrEqual(100) // default initialSamples
    const strict = await run({ seed: 9, epsilon: 1e-4, delta: 0, consecutive: 2, maxSamples: 400, sampleSize: 'geometric', growth: 2, initialSamples: 10 })
    const its = strict.monteCarlo!.iterations
    expect(its[0]!.samples).toBe(10)
    expect(its[1]!.samples).toBe(20)
    expect(Math.max(...its.map((i) => i.samples))).toBe(400)
    expect(its.slice(-2).every((i) => i.relativeChange < 1e-4)).toBe(true)
    expect(its.length).toBeGreaterThan(a.monteCarlo!.iterations.length)
    // near the MLE the change in Q is swamped by Monte Carlo error: the ascent rule augments
    const asc = await run({ seed: 3, epsilon: 1e-6, maxSamples: 800, augment: 1, maxAugmentations: 5 })
    const augmented = asc.monteCarlo!.iterations.filter((i) => i.augmentations > 0)
    expect(augmented.length).toBeGreaterThan(0)
    expect(augmented.every((i) => i.augmentations <= 5)).toBe(true)
    const none = await run({ seed: 3, epsilon: 1e-6, maxSamples: 800, maxAugmentations: 0 })
    expect(none.monteCarlo!.iterations.every((i) => i.augmentations === 0)).toBe(true)
    expect(normalUpperQuantile(0.25)).toBeCloseTo(0.6744897501960817, 8)
    expect(normalUpperQuantile(0.01)).toBeCloseTo(2.3263478740408408, 8)
  })

  it('MCEM ascent rule: the next sample size follows alpha and beta; augment sets the augmentation size', async () => {
    for (const [alpha, beta, augment] of [[0.25, 0.25, 3], [0.1, 0.2, 1]] as const) {
      console.log(`[mcem-linkage] ascent rule alpha ${alpha} beta ${beta} augment ${augment}: seed 21`)
      const cap = 20000
      const mcem = { seed: 21, initialSamples: 20, alpha, beta, augment, maxSamples: cap, epsilon: 1e-3 }
      const fit = await fitEM(linkage, data, 0.5, { maxIter: 8, stepper: makeStepper(linkage, { algorithm: 'mcem', mcem }) })
      const its = fit.monteCarlo!.iterations
      const z = normalUpperQuantile(alpha) + normalUpperQuantile(beta)
      let start = 20 // M at the start of iteration t, before any augmentation
      let checked = 0
      for (const it of its) {
        // augmentations: M -> M + ceil(M / augment), each time
        let m = start
        for (let a = 0; a < it.augmentations; a++) m += Math.min(Math.ceil(m / augment), cap - m)
        expect(it.samples, `iteration ${it.iteration}`).toBe(m)
        const variance = it.mcError ** 2 * it.samples
        start = Math.min(cap, Math.max(start, Math.ceil((variance * z * z) / it.deltaQ ** 2)))
        checked++
      }
      expect(checked).toBe(its.length)
    }
  })

  it('SEM: reports the chain and averages the iterates after burn-in', async () => {
    console.log('[mcem-linkage] sem: seed 4')
    const stepper = makeStepper(linkage, { algorithm: 'sem', sem: { seed: 4, burnIn: 20, iterations: 2000 } })
    const fit = await fitEM(linkage, data, 0.5, { maxIter: 5000, stepper })
    expect(fit.status).toBe('converged')
    expect(fit.nIter).toBe(2020)
    const mc = fit.monteCarlo!
    expect(mc.algorithm).toBe('sem')
    expect(mc.chain).toHaveLength(2021)
    expect(mc.chain![0]![0]).toBe(0.5)
    const tail = mc.chain!.slice(21).map((v) => v[0]!)
    const avg = tail.reduce((s, v) => s + v, 0) / tail.length
    expect(fit.params).toBeCloseTo(avg, 12)
    expect(mc.estimate![0]).toBeCloseTo(avg, 12)
    // the SEM chain fluctuates around the MLE (its mean is close to it, not equal)
    expect(Math.abs(fit.params - MLE)).toBeLessThan(0.01)
    const sd = Math.sqrt(tail.reduce((s, v) => s + (v - avg) ** 2, 0) / tail.length)
    expect(sd).toBeGreaterThan(0.005)
    // draws option: more draws per iteration, a tighter chain
    const many = await fitEM(linkage, data, 0.5, { maxIter: 5000, stepper: makeStepper(linkage, { algorithm: 'sem', sem: { seed: 4, burnIn: 20, iterations: 500, draws: 50 } }) })
    const t2 = many.monteCarlo!.chain!.slice(21).map((v) => v[0]!)
    const sd2 = Math.sqrt(t2.reduce((s, v) => s + (v - many.params) ** 2, 0) / t2.length)
    expect(sd2).toBeLessThan(sd / 3)
    expect(many.monteCarlo!.iterations[0]!.samples).toBe(50)
  })

  it('bad options and unsupported models are typed errors', () => {
    const { monteCarlo: _, ...plain } = linkage
    expect(() => makeStepper(plain as EMModel<number, Linkage>, { algorithm: 'mcem' })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
    expect(() => makeStepper(linkage, { algorithm: 'mcem', accelerate: 'squarem' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    for (const mcem of [{ initialSamples: 1 }, { growth: 0.5 }, { seed: 1.5 }, { sampleSize: 'fast' }, { epsilon: 0 }, { alpha: 0.7 }, { nope: 1 }]) {
      expect(() => makeStepper(linkage, { algorithm: 'mcem', mcem: mcem as never }), JSON.stringify(mcem)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    }
    for (const sem of [{ burnIn: -1 }, { iterations: 0 }, { draws: 1.5 }, { other: 1 }]) {
      expect(() => makeStepper(linkage, { algorithm: 'sem', sem: sem as never }), JSON.stringify(sem)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    }
  })
})
