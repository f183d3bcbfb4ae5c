/**
 * ProbitRegression's standard errors: Louis's analytic terms (truncated-normal moments
 * of the latent variable), supplemented EM and the numerical Hessian agree (seeded data,
 * seed printed); the truncated moments against numerical integration.
 */
import { describe, expect, it } from 'vitest'
import { ProbitRegression, Rng } from '../../src/index.js'
import { truncatedMoments } from '../../src/models/tobit-louis.js'

const SEED = 5
console.log(`[probit se] seed ${SEED}`)
const rng = new Rng(SEED)
const X = Array.from({ length: 300 }, () => [rng.normal(), rng.normal()])
const y = X.map(([a, b]) => (0.3 + 0.8 * a! - 0.5 * b! + rng.normal() > 0 ? 1 : 0))

describe('ProbitRegression.standardErrors', () => {
  it('louis, sem and hessian agree within 1e-5 relative', async () => {
    const est = await new ProbitRegression({ tol: 1e-12 }).fit(X, y)
    const h = await est.standardErrors({ method: 'hessian' })
    expect(h.names).toEqual(['coef[0]', 'coef[1]', 'coef[2]'])
    for (const method of ['louis', 'sem'] as const) {
      const s = await est.standardErrors({ method })
      for (let j = 0; j < 3; j++) expect(Math.abs(s.standardErrors[j]! / h.standardErrors[j]! - 1)).toBeLessThan(1e-5)
    }
  })
  it('truncated-normal moments against the trapezoid rule', () => {
    for (const [a, b] of [[-Infinity, 0], [0.5, Infinity], [-1, 2], [3, 4.5], [-Infinity, -6]] as const) {
      const lo = Math.max(a, -12), hi = Math.min(b, 12), N = 200000, h = (hi - lo) / N
      const m = [0, 0, 0, 0, 0]
      for (let i = 0; i <= N; i++) {
        const x = lo + i * h, f = Math.exp(-x * x / 2) * (i === 0 || i === N ? 0.5 : 1)
        for (let k = 0; k <= 4; k++) m[k]! += f * x ** k
      }
      const got = truncatedMoments(a, b)
      for (let k = 1; k <= 4; k++) expect(Math.abs(got[k - 1]! - m[k]! / m[0]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(m[k]! / m[0]!)))
    }
  })
})
