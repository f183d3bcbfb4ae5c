/**
 * MultivariateNormal with values missing at random: Louis's terms (Isserlis moments of
 * the conditional normal), supplemented EM (Q from the statistics) and the numerical
 * Hessian agree (seeded data, seed printed); complete data: the textbook SEs of a mean,
 * sqrt(Sigma_jj / n).
 */
import { describe, expect, it } from 'vitest'
import { MultivariateNormal, Rng } from '../../src/index.js'

const SEED = 11
console.log(`[mvn se] seed ${SEED}`)
const rng = new Rng(SEED)
const full = Array.from({ length: 250 }, () => {
  const a = rng.normal(), b = rng.normal(), c = rng.normal()
  return [1 + a, 2 + 0.6 * a + 0.8 * b, -1 + 0.3 * a - 0.4 * b + 0.7 * c]
})
const holed = full.map((r, i) => r.map((v, j) => (j > 0 && (i * 7 + j * 3) % 5 === 0 ? NaN : v)))

describe('MultivariateNormal.standardErrors', () => {
  it('missing values: louis, sem and hessian agree within 1e-5 relative', async () => {
    const est = await new MultivariateNormal({ tol: 1e-13, maxIter: 10000 }).fit(holed)
    const h = await est.standardErrors({ method: 'hessian' })
    expect(h.names).toEqual(['mean[0]', 'mean[1]', 'mean[2]', 'cov[0][0]', 'cov[1][0]', 'cov[1][1]', 'cov[2][0]', 'cov[2][1]', 'cov[2][2]'])
    for (const method of ['louis', 'sem'] as const) {
      const s = await est.standardErrors({ method })
      for (let j = 0; j < 9; j++) expect(Math.abs(s.standardErrors[j]! / h.standardErrors[j]! - 1)).toBeLessThan(1e-5)
    }
    const sem = await est.standardErrors({ method: 'sem' })
    expect(sem.rate!).toBeGreaterThan(0.05)
    expect(sem.rate!).toBeLessThan(0.6)
  })
  it('complete data: SE of a mean is sqrt(Sigma_jj / n); no missing information', async () => {
    const est = await new MultivariateNormal({ tol: 1e-13 }).fit(full)
    const l = await est.standardErrors({ method: 'louis' })
    for (let j = 0; j < 3; j++) expect(l.estimates[j]).toBeCloseTo(est.mean[j]!, 12)
    for (let j = 0; j < 3; j++) expect(l.standardErrors[j]).toBeCloseTo(Math.sqrt(est.covariance[j]![j]! / full.length), 12)
    // Var(sigma_jj hat) = 2 sigma_jj^2 / n
    expect(l.standardErrors[3]).toBeCloseTo(Math.sqrt(2 / full.length) * est.covariance[0]![0]!, 10)
  })
})
