/**
 * MultivariateNormal with 20% of the values missing completely at random (seeded):
 * the EM estimate equals a direct numerical maximisation of the observed-data
 * log-likelihood (damped Newton with finite-difference derivatives in (mean, Cholesky
 * factor with log diagonal), started from the complete-case estimate) to 1e-6; with
 * nothing missing EM gives the sample mean and covariance.
 */
import { describe, expect, it } from 'vitest'
import { MultivariateNormal } from '../../src/estimators/MultivariateNormal.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

const d = 3
function synthetic(seed: number, n: number, missing: number): number[][] {
  console.log(`[mvn-missing] data: seed ${seed}, n ${n}, ${missing * 100}% MCAR`)
  const rng = new Rng(seed)
  const L = [[1.5, 0, 0], [0.8, 1.1, 0], [-0.6, 0.5, 0.7]]
  const mu = [10, -3, 2]
  return Array.from({ length: n }, () => {
    const z = [rng.normal(), rng.normal(), rng.normal()]
    const row = mu.map((m, j) => m + L[j]!.reduce((s, l, k) => s + l * z[k]!, 0))
    return row.map((v) => (rng.uniform() < missing ? NaN : v))
  })
}

/** Observed-data log-likelihood at theta = (mean, L with log diagonal) by brute force. */
function observedLogLik(X: number[][], theta: Float64Array): number {
  const mu = theta.subarray(0, d)
  const L = new Float64Array(d * d)
  let t = d
  for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) L[j * d + k] = j === k ? Math.exp(theta[t++]!) : theta[t++]!
  const S = new Float64Array(d * d)
  for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) { let s = 0; for (let e = 0; e < d; e++) s += L[j * d + e]! * L[k * d + e]!; S[j * d + k] = s }
  let ll = 0
  for (const row of X) {
    const o = row.map((v, j) => (Number.isNaN(v) ? -1 : j)).filter((j) => j >= 0)
    if (o.length === 0) continue
    const q = o.length
    const A = o.map((a) => o.map((b) => S[a * d + b]!))
    // Cholesky of A
    const C = A.map((r) => r.map(() => 0))
    for (let j = 0; j < q; j++) {
      let s = A[j]![j]!
      for (let k = 0; k < j; k++) s -= C[j]![k]! ** 2
      C[j]![j] = Math.sqrt(s)
      for (let i = j + 1; i < q; i++) { let u = A[i]![j]!; for (let k = 0; k < j; k++) u -= C[i]![k]! * C[j]![k]!; C[i]![j] = u / C[j]![j]! }
    }
    const r = o.map((j) => row[j]! - mu[j]!)
    const z: number[] = []
    let maha = 0, logDet = 0
    for (let a = 0; a < q; a++) { let s = r[a]!; for (let c = 0; c < a; c++) s -= C[a]![c]! * z[c]!; z[a] = s / C[a]![a]!; maha += z[a]! ** 2; logDet += 2 * Math.log(C[a]![a]!) }
    ll += -0.5 * (q * Math.log(2 * Math.PI) + logDet + maha)
  }
  return ll
}

/** Damped Newton with central finite differences. */
function maximise(f: (x: Float64Array) => number, start: Float64Array): Float64Array {
  let x = start.slice()
  const m = x.length
  for (let it = 0; it < 100; it++) {
    const h = 1e-4
    const f0 = f(x)
    const g = new Float64Array(m), H = new Float64Array(m * m)
    const at = (i: number, di: number, j: number, dj: number) => { const y = x.slice(); y[i]! += di; y[j]! += dj; return f(y) }
    for (let i = 0; i < m; i++) {
      g[i] = (at(i, h, i, 0) - at(i, -h, i, 0)) / (2 * h)
      H[i * m + i] = (at(i, h, i, 0) - 2 * f0 + at(i, -h, i, 0)) / (h * h)
      for (let j = 0; j < i; j++) {
        const v = (at(i, h, j, h) - at(i, h, j, -h) - at(i, -h, j, h) + at(i, -h, j, -h)) / (4 * h * h)
        H[i * m + j] = v; H[j * m + i] = v
      }
    }
    // solve (-H) step = g by Gaussian elimination (fallback: gradient step)
    const A = Array.from({ length: m }, (_, i) => [...Array.from({ length: m }, (_, j) => -H[i * m + j]!), g[i]!])
    for (let c = 0; c < m; c++) {
      let p = c
      for (let r = c + 1; r < m; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
      [A[c], A[p]] = [A[p]!, A[c]!]
      for (let r = 0; r < m; r++) if (r !== c) { const k = A[r]![c]! / A[c]![c]!; for (let e = c; e <= m; e++) A[r]![e]! -= k * A[c]![e]! }
    }
    let step = Float64Array.from({ length: m }, (_, i) => A[i]![m]! / A[i]![i]!)
    if (!step.every(Number.isFinite)) step = g.slice()
    let t = 1
    let next = x
    for (let k = 0; k < 40; k++, t /= 2) {
      const y = x.map((v, i) => v + t * step[i]!)
      if (f(y) >= f0) { next = y; break }
    }
    const moved = Math.max(...next.map((v, i) => Math.abs(v - x[i]!)))
    x = next
    if (moved < 1e-11) break
  }
  return x
}

function toTheta(mean: number[], cov: number[][]): Float64Array {
  const L = cov.map((r) => r.map(() => 0))
  for (let j = 0; j < d; j++) {
    let s = cov[j]![j]!
    for (let k = 0; k < j; k++) s -= L[j]![k]! ** 2
    L[j]![j] = Math.sqrt(s)
    for (let i = j + 1; i < d; i++) { let u = cov[i]![j]!; for (let k = 0; k < j; k++) u -= L[i]![k]! * L[j]![k]!; L[i]![j] = u / L[j]![j]! }
  }
  const th = [...mean]
  for (let j = 0; j < d; j++) for (let k = 0; k <= j; k++) th.push(j === k ? Math.log(L[j]![k]!) : L[j]![k]!)
  return Float64Array.from(th)
}

function sampleMoments(X: number[][]): { mean: number[]; cov: number[][] } {
  const n = X.length
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j]!, 0) / n)
  const cov = mean.map((mj, j) => mean.map((mk, k) => X.reduce((s, r) => s + (r[j]! - mj) * (r[k]! - mk), 0) / n))
  return { mean, cov }
}

describe('MultivariateNormal with missing values', () => {
  it('EM equals direct maximisation of the observed-data likelihood (20% MCAR) to 1e-6', async () => {
    const X = synthetic(2026, 250, 0.2)
    const copy = X.map((r) => r.slice())
    const mvn = await new MultivariateNormal({ tol: 1e-12 }).fit(X)
    expect(mvn.status).toBe('converged')
    expect(X).toEqual(copy)
    const em = toTheta(mvn.mean, mvn.covariance)
    expect(Math.abs(observedLogLik(X, em) - mvn.logLik)).toBeLessThan(1e-8)
    expect(mvn.fitResult.decreases).toEqual([])
    const complete = X.filter((r) => r.every((v) => !Number.isNaN(v)))
    const cc = sampleMoments(complete)
    const direct = maximise((t) => observedLogLik(X, t), toTheta(cc.mean, cc.cov))
    console.log(`[mvn-missing] EM ${mvn.nIter} iterations, logLik ${mvn.logLik}; direct ${observedLogLik(X, direct)}; complete rows ${complete.length}/250`)
    for (let i = 0; i < em.length; i++) expect(Math.abs(em[i]! - direct[i]!), `theta[${i}]`).toBeLessThan(1e-6)
    expect(mvn.nParameters()).toBe(9)
    // SQUAREM: same point
    const sq = await new MultivariateNormal({ tol: 1e-12, accelerate: 'squarem' }).fit(X)
    expect(sq.nIter).toBeLessThan(mvn.nIter)
    sq.mean.forEach((v, j) => expect(Math.abs(v - mvn.mean[j]!)).toBeLessThan(1e-8))
  })

  it('nothing missing: the sample mean and (1/n) covariance after one iteration', async () => {
    const X = synthetic(7, 100, 0)
    const mvn = await new MultivariateNormal({ tol: 1e-12 }).fit(X)
    const s = sampleMoments(X)
    mvn.mean.forEach((v, j) => expect(Math.abs(v - s.mean[j]!)).toBeLessThan(1e-12))
    mvn.covariance.forEach((r, j) => r.forEach((v, k) => expect(Math.abs(v - s.cov[j]![k]!)).toBeLessThan(1e-12)))
    expect(mvn.nIter).toBeLessThanOrEqual(2)
  })

  it('rows with nothing observed are left out; typed errors', async () => {
    const X = synthetic(8, 60, 0.2)
    const a = await new MultivariateNormal({ tol: 1e-12 }).fit(X)
    const b = await new MultivariateNormal({ tol: 1e-12 }).fit([...X, [NaN, NaN, NaN]])
    expect(b.mean).toEqual(a.mean)
    expect(() => new MultivariateNormal({ algorithm: 'mcem' as never })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }))
    expect(() => new MultivariateNormal({ seed: 1 } as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    expect(() => new MultivariateNormal().mean).toThrow(expect.objectContaining({ code: 'NOT_FITTED' }))
    await expect(new MultivariateNormal().fit([[1, Infinity], [2, 3]])).rejects.toMatchObject({ code: 'NON_FINITE' })
    await expect(new MultivariateNormal().fit([[1, NaN], [2, NaN]])).rejects.toMatchObject({ code: 'DEGENERATE' })
    await expect(new MultivariateNormal().fit([[1, 2], [NaN, NaN]])).rejects.toMatchObject({ code: 'INVALID_DATA' })
    const stopped = await new MultivariateNormal({ maxIter: 2 }).fit(X)
    expect(stopped.status).toBe('max-iter')
    expect(stopped.nIter).toBe(2)
  })
})
