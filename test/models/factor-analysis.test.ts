import { describe, expect, it } from 'vitest'
import { FactorAnalysis } from '../../src/index.js'
import { factorData } from '../helpers/synthetic.js'

const SEED = 7
const { X } = factorData(SEED, 400, 8, 2)

describe(`factor analysis (seeded data: seed ${SEED}, n = 400, d = 8, q = 2)`, () => {
  it('EM, ECME and SQUAREM-on-EM reach the same log-likelihood with evaluations EM > ECME > SQUAREM', async () => {
    const run = async (algorithm: 'em' | 'ecme', accelerate: 'none' | 'squarem') => {
      const fa = new FactorAnalysis({ nComponents: 2, algorithm, accelerate, init: 'random', seed: 3, tol: 1e-12, maxIter: 100000 })
      await fa.fit(X)
      expect(fa.status).toBe('converged')
      return fa
    }
    const em = await run('em', 'none'), ecme = await run('ecme', 'none'), sq = await run('em', 'squarem')
    const r = [em, ecme, sq].map((f) => f.fitResult)
    console.log(`factor analysis: fixed-point evaluations EM ${r[0]!.fixedPointEvaluations}, ECME ${r[1]!.fixedPointEvaluations}, SQUAREM ${r[2]!.fixedPointEvaluations}; objective evaluations ${r.map((x) => x.objectiveEvaluations).join(', ')}`)
    for (const f of [ecme, sq]) expect(Math.abs(f.logLik - em.logLik) / Math.abs(em.logLik)).toBeLessThan(1e-8)
    expect(r[0]!.fixedPointEvaluations).toBeGreaterThan(r[1]!.fixedPointEvaluations)
    expect(r[1]!.fixedPointEvaluations).toBeGreaterThan(r[2]!.fixedPointEvaluations)
    expect(r[0]!.objectiveEvaluations).toBeGreaterThan(r[1]!.objectiveEvaluations)
    expect(r[1]!.objectiveEvaluations).toBeGreaterThan(r[2]!.objectiveEvaluations)
    // The covariance Lambda Lambda^T + Psi does not depend on the rotation of Lambda. Both
    // fits stop within 1e-12 per sample of the maximum, which bounds the parameters only
    // to about sqrt(1e-12) times the curvature's scale: compare relative to the entries.
    const scale = Math.max(...em.covariance.flat().map(Math.abs))
    em.covariance.flat().forEach((v, i) => expect(Math.abs(v - sq.covariance.flat()[i]!) / scale).toBeLessThan(1e-5))
    expect(r[0]!.decreases).toEqual([])
    expect(r[1]!.decreases).toEqual([])
  })

  it('ECM and PX-EM reach the same maximum monotonically', async () => {
    const lls = []
    for (const algorithm of ['em', 'ecm', 'px-em'] as const) {
      const fa = await new FactorAnalysis({ nComponents: 2, algorithm, tol: 1e-12, maxIter: 100000 }).fit(X)
      expect(fa.fitResult.decreases).toEqual([])
      lls.push(fa.logLik)
    }
    for (const ll of lls) expect(Math.abs(ll - lls[0]!) / Math.abs(lls[0]!)).toBeLessThan(1e-9)
  })

  it('sample weights are frequency weights; inputs are not mutated', async () => {
    const small = X.slice(0, 80)
    const copy = small.map((r) => r.slice())
    const w = small.map((_, i) => (i % 2) + 1)
    const rows = small.flatMap((x, i) => Array.from({ length: w[i]! }, () => x))
    const a = await new FactorAnalysis({ nComponents: 1, tol: 1e-10 }).fit(small, { sampleWeight: w })
    const b = await new FactorAnalysis({ nComponents: 1, tol: 1e-10 }).fit(rows)
    expect(Math.abs(a.logLik - b.logLik) / Math.abs(b.logLik)).toBeLessThan(1e-10)
    expect(small).toEqual(copy)
  })

  it('rejects too many factors and unsupported options clearly', () => {
    expect(() => new FactorAnalysis({ algorithm: 'gem' as never })).toThrow(/supports 'em', 'ecm', 'ecme', 'px-em'/)
    return expect(new FactorAnalysis({ nComponents: 8 }).fit(X)).rejects.toThrow(/below the number of columns/)
  })
})
