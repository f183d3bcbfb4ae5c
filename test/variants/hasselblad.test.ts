import { describe, expect, it } from 'vitest'
import { PoissonMixture } from '../../src/index.js'
import { fixtureJson } from '../helpers/data.js'

/**
 * Hasselblad's death notices, the SQUAREM vignette's two-component Poisson mixture
 * (R SQUAREM 2021.1): counts 0..9 with their frequencies as sample weights, from the
 * vignette's start. emkit's 'parameters' criterion is R's (|F(p) - p| < tol).
 */
const ref = fixtureJson('05_squarem_poissmix.json')
const pub = fixtureJson('published.json').hasselblad_poisson_mixture
const counts: number[] = ref.dataset.death
const freq: number[] = ref.dataset.freq
const [p0, l1, l2] = ref.starts.vignette.p0 as number[]
const init = { weights: [p0!, 1 - p0!], rates: [l1!, l2!] }
const NEG_LOGLIK = 1989.945859883
/** MLE as (p, lambda1, lambda2) with p the weight of the component of rate 1.256. */
const MLE: number[] = pub.mle_p_lambda1_lambda2

function asMle(pm: PoissonMixture): number[] {
  const small = pm.rates[0]! < pm.rates[1]! ? 0 : 1
  return [pm.weights[small]!, pm.rates[small]!, pm.rates[1 - small]!]
}

async function fit(options: ConstructorParameters<typeof PoissonMixture>[0]): Promise<PoissonMixture> {
  const pm = new PoissonMixture({ nComponents: 2, init, criterion: 'parameters', maxIter: 20000, ...options })
  return pm.fit(counts, { sampleWeight: freq })
}

describe('Hasselblad Poisson mixture (SQUAREM vignette)', () => {
  it('EM reaches the MLE with more than 2000 fixed-point evaluations (R fpiter: 2909 at tol 1e-8)', async () => {
    const em8 = await fit({ tol: 1e-8 })
    expect(em8.fitResult.fixedPointEvaluations).toBe(ref.starts.vignette.results.fpiter.fpevals) // 2909, as R
    const em = await fit({ tol: 1e-9 })
    const r = em.fitResult
    expect(r.status).toBe('converged')
    expect(Math.abs(-r.logLik - NEG_LOGLIK)).toBeLessThan(1e-7)
    asMle(em).forEach((v, i) => expect(Math.abs(v - MLE[i]!)).toBeLessThan(1e-6))
    expect(r.fixedPointEvaluations).toBeGreaterThan(2000)
    expect(r.decreases).toEqual([])
  })

  it('SQUAREM (SqS3, R defaults) reaches the MLE with <= 80 fixed-point evaluations (R: 72)', async () => {
    const sq = await fit({ tol: 1e-8, accelerate: 'squarem' })
    const r = sq.fitResult
    expect(r.status).toBe('converged')
    expect(Math.abs(-r.logLik - NEG_LOGLIK)).toBeLessThan(1e-7)
    asMle(sq).forEach((v, i) => expect(Math.abs(v - MLE[i]!)).toBeLessThan(1e-6))
    expect(r.fixedPointEvaluations).toBeLessThanOrEqual(80)
    // The same iterations as R's squarem(): 25 cycles, 72 evaluations of the EM map.
    expect(r.nIter).toBe(ref.starts.vignette.results.squarem_SqS3.iter)
    expect(r.fixedPointEvaluations).toBe(ref.starts.vignette.results.squarem_SqS3.fpevals)
    const rPar: number[] = ref.starts.vignette.results.squarem_SqS3.par
    expect(Math.abs(sq.weights[0]! - rPar[0]!)).toBeLessThan(1e-9)
    expect(Math.abs(sq.rates[0]! - rPar[1]!)).toBeLessThan(1e-9)
    expect(Math.abs(sq.rates[1]! - rPar[2]!)).toBeLessThan(1e-9)
  })

  it('every accelerator and GEM reach the same maximum', async () => {
    for (const [algorithm, accelerate] of [['gem', 'none'], ['em', 'aitken'], ['em', 'quasi-newton'], ['gem', 'squarem']] as const) {
      const pm = await fit({ tol: 1e-9, algorithm, accelerate })
      expect(pm.fitResult.status).toBe('converged')
      expect(Math.abs(-pm.logLik - NEG_LOGLIK)).toBeLessThan(1e-7)
      asMle(pm).forEach((v, i) => expect(Math.abs(v - MLE[i]!)).toBeLessThan(5e-6))
    }
  })

  it('frequency weights equal repeated rows', async () => {
    const rows = counts.flatMap((c, i) => Array<number>(freq[i]!).fill(c))
    const a = await fit({ tol: 1e-8, maxIter: 50 })
    const b = await new PoissonMixture({ nComponents: 2, init, criterion: 'parameters', tol: 1e-8, maxIter: 50 }).fit(rows)
    expect(b.history.length).toBe(a.history.length)
    a.history.forEach((v, t) => expect(Math.abs(v - b.history[t]!) / Math.abs(v)).toBeLessThan(1e-12))
  })
})
