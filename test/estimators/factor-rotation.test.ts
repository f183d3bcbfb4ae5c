/**
 * FactorAnalysis rotation and scores: the rotated loadings are R's rotation (checked
 * against R in test/models/rotation.test.ts) of the unrotated ones; the implied
 * covariance is unchanged; regression and Bartlett scores of the rotated factors;
 * Bartlett's scores recover the factors of noise-free rows exactly; typed errors.
 */
import { describe, expect, it } from 'vitest'
import { FactorAnalysis, loadModel, OptionError } from '../../src/index.js'
import { orthomax, promax } from '../../src/core/math/rotation.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

const SEED = 1616
const rng = new Rng(SEED)
// 2 factors, 6 variables: the first three load on factor 1, the last three on factor 2, plus a cross-loading
const W = [[0.9, 0.1], [0.8, 0.2], [0.7, 0.0], [0.1, 0.8], [0.2, 0.9], [0.5, 0.6]]
const X = Array.from({ length: 400 }, () => {
  const f = [rng.normal(), rng.normal()]
  return W.map((w, j) => 1 + j + w[0]! * f[0]! + w[1]! * f[1]! + 0.4 * rng.normal())
})
console.log(`[factor-rotation] data seed ${SEED}`)

const mul = (a: number[][], b: number[][]): number[][] => a.map((r) => b[0]!.map((_, k) => r.reduce((s, v, j) => s + v * b[j]![k]!, 0)))
const tr = (a: number[][]): number[][] => a[0]!.map((_, k) => a.map((r) => r[k]!))
const maxDiff = (a: number[][], b: number[][]): number => Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - b[i]![j]!))))
const I2 = [[1, 0], [0, 1]]

describe('FactorAnalysis rotation', () => {
  for (const rotation of ['varimax', 'quartimax', 'promax'] as const) {
    it(`${rotation}: loadings = unrotated T (R's algorithm), covariance and log-likelihood unchanged`, async () => {
      const plain = await new FactorAnalysis({ nComponents: 2, tol: 1e-10, maxIter: 5000 }).fit(X)
      const fa = await new FactorAnalysis({ nComponents: 2, tol: 1e-10, maxIter: 5000, rotation }).fit(X)
      expect(fa.unrotatedLoadings).toEqual(plain.loadings)
      const raw = Float64Array.from(fa.unrotatedLoadings.flat())
      const want = rotation === 'promax' ? promax(raw, 6, 2) : orthomax(raw, 6, 2, rotation === 'varimax' ? 1 : 0)
      expect(fa.loadings.flat()).toEqual(Array.from(want.loadings))
      expect(maxDiff(mul(fa.unrotatedLoadings, fa.rotationMatrix), fa.loadings)).toBeLessThan(1e-12)
      expect(fa.loadings).not.toEqual(plain.loadings)
      expect(fa.covariance).toEqual(plain.covariance)
      expect(fa.logLik).toBe(plain.logLik)
      // simple structure: each of the first five variables loads mainly on one factor
      const big = fa.loadings.slice(0, 5).map((r) => (Math.abs(r[0]!) > Math.abs(r[1]!) ? 0 : 1))
      expect(big.slice(0, 3).every((k) => k === big[0])).toBe(true)
      expect(big.slice(3, 5).every((k) => k !== big[0])).toBe(true)
      const phi = fa.factorCorrelation
      if (rotation === 'promax') {
        expect(Math.abs(phi[0]![0]! - 1)).toBeLessThan(1e-12)
        expect(Math.abs(phi[0]![1]!)).toBeGreaterThan(0.01)
        // W W' = (W T) Phi (W T)'
        expect(maxDiff(mul(mul(fa.loadings, phi), tr(fa.loadings)), mul(plain.loadings, tr(plain.loadings)))).toBeLessThan(1e-10)
      } else {
        expect(maxDiff(phi, I2)).toBeLessThan(1e-12)
        expect(maxDiff(mul(tr(fa.rotationMatrix), fa.rotationMatrix), I2)).toBeLessThan(1e-12)
      }
      // scores of the rotated factors: T^-1 z
      const z = plain.transform(X.slice(0, 20))
      const Tinv = rotation === 'promax' ? null : tr(fa.rotationMatrix)
      const got = fa.transform(X.slice(0, 20))
      if (Tinv) expect(maxDiff(got, mul(z, tr(Tinv)))).toBeLessThan(1e-10)
      else expect(maxDiff(mul(got, tr(fa.rotationMatrix)), z)).toBeLessThan(1e-10)
    })
  }

  it('one factor: every rotation is the identity', async () => {
    const fa = await new FactorAnalysis({ nComponents: 1, rotation: 'varimax' }).fit(X)
    expect(fa.loadings).toEqual(fa.unrotatedLoadings)
    expect(fa.rotationMatrix).toEqual([[1]])
  })

  it('rotation and scores survive toJSON / loadModel', async () => {
    const fa = await new FactorAnalysis({ nComponents: 2, rotation: 'promax', scores: 'bartlett' }).fit(X)
    const back = await loadModel(JSON.parse(JSON.stringify(fa.toJSON()))) as FactorAnalysis
    expect(back.loadings).toEqual(fa.loadings)
    expect(back.transform(X.slice(0, 5))).toEqual(fa.transform(X.slice(0, 5)))
  })

  it('an unknown rotation or scores method is a typed OptionError with a suggestion', () => {
    expect(() => new FactorAnalysis({ rotation: 'varimx' } as never)).toThrow(OptionError)
    expect(() => new FactorAnalysis({ rotation: 'varimx' } as never)).toThrow(/'rotation': must be one of 'none', 'varimax', 'quartimax', 'promax', got "varimx" \(did you mean 'varimax'\?\)/)
    expect(() => new FactorAnalysis({ rotation: 'oblimin' } as never)).toThrow(/got "oblimin"/)
    expect(() => new FactorAnalysis({ scores: 'Bartlett' } as never)).toThrow(/did you mean 'bartlett'\?/)
    expect(() => new FactorAnalysis({ rotaton: 'varimax' } as never)).toThrow(/did you mean 'rotation'\?/)
  })
})

describe('FactorAnalysis scores', () => {
  for (const rotation of ['none', 'varimax', 'promax'] as const) {
    it(`bartlett (${rotation}): noise-free rows mean + loadings f give back f exactly; regression scores shrink towards 0`, async () => {
      const fa = await new FactorAnalysis({ nComponents: 2, rotation, scores: 'bartlett' }).fit(X)
      const reg = await new FactorAnalysis({ nComponents: 2, rotation }).fit(X)
      const f = [[1, -0.5], [0, 2], [-1.5, 0.3]]
      const L = fa.loadings
      const rows = f.map((fi) => fa.mean.map((m, j) => m + L[j]![0]! * fi[0]! + L[j]![1]! * fi[1]!))
      expect(maxDiff(fa.transform(rows), f)).toBeLessThan(1e-10)
      const r = reg.transform(rows)
      expect(maxDiff(r, f)).toBeGreaterThan(1e-3)
    })
  }
})
