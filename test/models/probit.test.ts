/**
 * ProbitRegression: EM and PX-EM reach the maximum-likelihood estimate found by
 * Newton-Raphson on the observed likelihood (1e-6), PX-EM in fewer iterations; MCEM
 * lands near it and is reproducible from its seed on every backend.
 */
import { describe, expect, it } from 'vitest'
import { ProbitRegression } from '../../src/estimators/ProbitRegression.js'
import { logNormalCdfBoth, logNormalPdf } from '../../src/core/math/normal.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

function synthetic(seed: number, n: number): { X: number[][]; y: number[] } {
  console.log(`[probit] data: seed ${seed}, n ${n}`)
  const rng = new Rng(seed)
  const X = Array.from({ length: n }, () => [rng.normal(), rng.uniform() * 2 - 1])
  const y = X.map(([a, b]) => (0.3 + 0.8 * a! - 1.2 * b! + rng.normal() > 0 ? 1 : 0))
  return { X, y }
}

/** Newton-Raphson on the probit log-likelihood (with intercept). */
function newton(X: number[][], y: number[]): Float64Array {
  const p = 3
  let beta = new Float64Array(p)
  for (let it = 0; it < 100; it++) {
    const g = new Float64Array(p), H = new Float64Array(p * p)
    for (let i = 0; i < X.length; i++) {
      const z = [1, ...X[i]!]
      const mu = z.reduce((s, v, j) => s + v * beta[j]!, 0)
      const [lp, lq] = logNormalCdfBoth(mu)
      const lambda = y[i] ? Math.exp(logNormalPdf(mu) - lp) : -Math.exp(logNormalPdf(mu) - lq)
      const w = lambda * (lambda + mu)
      for (let a = 0; a < p; a++) {
        g[a]! += lambda * z[a]!
        for (let b = 0; b < p; b++) H[a * p + b]! -= w * z[a]! * z[b]!
      }
    }
    // solve -H d = g (3 x 3, Cramer-free elimination)
    const A = Array.from({ length: p }, (_, i) => [...Array.from({ length: p }, (_, j) => -H[i * p + j]!), g[i]!])
    for (let c = 0; c < p; c++) for (let r = 0; r < p; r++) if (r !== c) { const k = A[r]![c]! / A[c]![c]!; for (let e = c; e <= p; e++) A[r]![e]! -= k * A[c]![e]! }
    const step = Float64Array.from({ length: p }, (_, i) => A[i]![p]! / A[i]![i]!)
    beta = beta.map((v, i) => v + step[i]!)
    if (Math.max(...step.map(Math.abs)) < 1e-14) break
  }
  return beta
}

describe('ProbitRegression', () => {
  const { X, y } = synthetic(77, 400)
  const mle = newton(X, y)

  it('EM and PX-EM reach the Newton-Raphson MLE within 1e-6; PX-EM in fewer iterations', async () => {
    const Xc = X.map((r) => r.slice())
    const em = await new ProbitRegression({ algorithm: 'em', tol: 1e-11 }).fit(X, y)
    const px = await new ProbitRegression({ algorithm: 'px-em', tol: 1e-11 }).fit(X, y)
    console.log(`[probit] NR ${Array.from(mle)}; EM ${em.nIter} iterations; PX-EM ${px.nIter} iterations`)
    for (const fit of [em, px]) {
      expect(fit.status).toBe('converged')
      expect(Math.abs(fit.intercept - mle[0]!)).toBeLessThan(1e-6)
      fit.coefficients.forEach((v, j) => expect(Math.abs(v - mle[j + 1]!)).toBeLessThan(1e-6))
      expect(fit.fitResult.decreases).toEqual([])
    }
    expect(px.nIter).toBeLessThan(em.nIter)
    expect(X).toEqual(Xc)
    const proba = em.predictProba([[0, 0]])[0]!
    expect(proba).toBeCloseTo(Math.exp(logNormalCdfBoth(em.intercept)[0]), 12)
    expect(em.predict([[0, 0]])[0]).toBe(proba > 0.5 ? 1 : 0)
    const noIntercept = await new ProbitRegression({ fitIntercept: false, tol: 1e-10 }).fit(X, y.map((v) => v === 1))
    expect(noIntercept.intercept).toBe(0)
    expect(noIntercept.coefficients).toHaveLength(2)
  })

  it('MCEM lands near the MLE; same seed, same fit on every backend', async () => {
    const fits = []
    for (const backend of ['wasm', 'wasm-scalar', 'js'] as const) {
      console.log(`[probit] mcem ${backend}: seed 12`)
      fits.push(await new ProbitRegression({ algorithm: 'mcem', seed: 12, backend, maxIter: 300, mcem: { initialSamples: 50, maxSamples: 1000 } }).fit(X, y))
    }
    const f = fits[0]!
    expect(f.status).toBe('converged')
    expect(fits[1]!.fitResult.params).toEqual(f.fitResult.params)
    expect(fits[2]!.fitResult.params).toEqual(f.fitResult.params)
    console.log(`[probit] mcem: ${f.nIter} iterations, ${f.intercept}, ${f.coefficients}`)
    expect(Math.abs(f.intercept - mle[0]!)).toBeLessThan(0.05)
    f.coefficients.forEach((v, j) => expect(Math.abs(v - mle[j + 1]!)).toBeLessThan(0.05))
  })

  it('typed errors', async () => {
    expect(() => new ProbitRegression({ algorithm: 'gem' as never })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
    expect(() => new ProbitRegression({ fitIntercept: 1 as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new ProbitRegression({ algorithm: 'mcem', accelerate: 'squarem' })).toThrow(/'squarem' extrapolates a deterministic map; algorithm 'mcem' is stochastic/)
    expect(() => new ProbitRegression().coefficients).toThrow(expect.objectContaining({ code: 'NOT_FITTED' }))
    const pr = new ProbitRegression()
    await expect(pr.fit(X, y.slice(1))).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
    await expect(pr.fit(X, y.map((v, i) => (i === 0 ? 2 : v)))).rejects.toMatchObject({ code: 'INVALID_DATA' })
    await pr.fit(X, y)
    expect(() => pr.predict([[1, 2, 3]])).toThrow(expect.objectContaining({ code: 'SHAPE_MISMATCH' }))
  })
})
