/**
 * FactorAnalysis's scikit-learn-style outputs against direct dense computations
 * written here: factor scores (transform), per-row log-likelihoods (scoreSamples),
 * the implied covariance and its inverse.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { FactorAnalysis, InputError } from '../../src/index.js'
import { kindOf } from '../../src/registry/registry.js'
import '../../src/registry/kinds/index.js'
import { relErr } from '../helpers/data.js'
import { factorData } from '../helpers/synthetic.js'

const SEED = 13
const { X } = factorData(SEED, 250, 5, 2)
const fresh = factorData(SEED + 1, 40, 5, 2).X

/** Gauss-Jordan elimination with partial pivoting: A^-1 and log |det A|. */
function invert(A: number[][]): { inverse: number[][]; logDet: number } {
  const n = A.length
  const a = A.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))])
  let logDet = 0
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r
    ;[a[c], a[p]] = [a[p]!, a[c]!]
    const pivot = a[c]![c]!
    logDet += Math.log(Math.abs(pivot))
    for (let j = 0; j < 2 * n; j++) a[c]![j] = a[c]![j]! / pivot
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = a[r]![c]!
      for (let j = 0; j < 2 * n; j++) a[r]![j] = a[r]![j]! - f * a[c]![j]!
    }
  }
  return { inverse: a.map((row) => row.slice(n)), logDet }
}

const mul = (A: number[][], B: number[][]) => A.map((row) => B[0]!.map((_, j) => row.reduce((s, v, k) => s + v * B[k]![j]!, 0)))
const t = (A: number[][]) => A[0]!.map((_, j) => A.map((row) => row[j]!))

describe(`FactorAnalysis outputs (seeded data: seed ${SEED}, n = 250, d = 5, q = 2)`, () => {
  const d = 5, q = 2
  let fa: FactorAnalysis, W: number[][], psi: number[], mean: number[], sigma: number[][]
  beforeAll(async () => {
    fa = await new FactorAnalysis({ nComponents: 2, tol: 1e-8, maxIter: 1000 }).fit(X)
    W = fa.loadings
    psi = fa.uniquenesses
    mean = fa.mean
    sigma = mul(W, t(W)).map((row, i) => row.map((v, j) => v + (i === j ? psi[i]! : 0)))
  })

  it('getCovariance is W W^T + Psi, and is what the bootstrap kind reports', () => {
    const cov = fa.getCovariance()
    cov.flat().forEach((v, p) => expect(Math.abs(v - sigma.flat()[p]!)).toBeLessThan(1e-12))
    const { values, names } = kindOf('FactorAnalysis').vector(fa)
    const reported = names.flatMap((name: string, i: number) => (name.startsWith('cov[') ? [values[i]!] : []))
    expect(reported).toEqual(cov.flat())
    expect(fa.covariance).toEqual(cov)
  })

  it('getPrecision is the inverse of the covariance', () => {
    const { inverse } = invert(sigma)
    fa.getPrecision().flat().forEach((v, p) => expect(Math.abs(v - inverse.flat()[p]!) / Math.max(1, Math.abs(inverse.flat()[p]!))).toBeLessThan(1e-10))
  })

  it('transform gives the posterior means (I + W^T Psi^-1 W)^-1 W^T Psi^-1 (x - mean)', () => {
    const wtPsi = t(W).map((row) => row.map((v, j) => v / psi[j]!))
    const M = mul(wtPsi, W).map((row, i) => row.map((v, j) => v + (i === j ? 1 : 0)))
    const beta = mul(invert(M).inverse, wtPsi)
    const expected = fresh.map((x) => beta.map((row) => row.reduce((s, b, j) => s + b * (x[j]! - mean[j]!), 0)))
    const scores = fa.transform(fresh)
    expect(scores).toHaveLength(fresh.length)
    scores.forEach((row, i) => {
      expect(row).toHaveLength(q)
      row.forEach((v, k) => expect(Math.abs(v - expected[i]![k]!)).toBeLessThan(1e-10))
    })
  })

  it('scoreSamples is the N(mean, W W^T + Psi) log-density of each row; score its mean', () => {
    const { inverse, logDet } = invert(sigma)
    const expected = fresh.map((x) => {
      const r = x.map((v, j) => v - mean[j]!)
      const quad = r.reduce((s, ri, i) => s + ri * r.reduce((u, rj, j) => u + inverse[i]![j]! * rj, 0), 0)
      return -0.5 * (d * Math.log(2 * Math.PI) + logDet + quad)
    })
    const rows = fa.scoreSamples(fresh)
    rows.forEach((v, i) => expect(relErr(v, expected[i]!)).toBeLessThan(1e-12))
    expect(fa.score(fresh)).toBe(rows.reduce((a, b) => a + b, 0) / rows.length)
    // on the training data the rows add up to the fit's log-likelihood
    expect(relErr(fa.score(X), fa.lowerBound)).toBeLessThan(1e-12)
  })

  it('scores one row (no fit-time checks such as varying columns); refuses other widths', () => {
    expect(fa.transform([fresh[0]!])).toEqual([fa.transform(fresh)[0]])
    expect(fa.scoreSamples([fresh[0]!])).toEqual([fa.scoreSamples(fresh)[0]])
    expect(() => fa.transform([[1, 2, 3]])).toThrow(InputError)
    expect(() => fa.scoreSamples([[1, 2, 3, 4, 5, 6]])).toThrow(/nFeatures = 6/)
  })
})
