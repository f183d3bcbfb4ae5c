/**
 * The bootstrap for every registered estimator kind (src/registry/kinds/): the data
 * shape ({ X, y, sampleWeight, exposure, lengths }), replicates identical serially
 * and on 2 workers, parametric where the kind simulates, alignment of mixture
 * components and HMM states, and standard errors against known values.
 */
import { afterAll, describe, expect, it } from 'vitest'
import {
  BernoulliMixture,
  bootstrap, CategoricalHMM, closePool, FactorAnalysis, GammaPoisson, GaussianHMM, GaussianMixture, MultivariateNormal, MultivariateT, OptionError,
  LogisticGLMM, PoissonHMM, PoissonMixture, ProbitRegression, TMixture, TobitRegression, UnsupportedError, InputError, VariationalCategoricalHMM, VariationalGaussianHMM,
} from '../../src/node.js'
import type { BootstrapData } from '../../src/inference/bootstrap.js'
import { matchComponents } from '../../src/core/math/assignment.js'
import { resample, toDataset, unitCount } from '../../src/runtime/dataset.js'
import { kindOf } from '../../src/registry/registry.js'
import { Rng } from '../../src/core/rng/rng.js'
import ref from '../fixtures/08_tobit_tobin.json' with { type: 'json' }
import { tobinData } from '../helpers/data.js'

afterAll(async () => {
  await closePool()
})

import { TruncatedNormal, TruncatedRegression } from '../../src/index.js'
import truncatedRef from '../fixtures/truncated_scipy.json' with { type: 'json' }
const rng = new Rng(2026)
const normal = () => rng.normal()
function poisson(rate: number): number {
  let k = 0, p = Math.exp(-rate), s = p
  const u = rng.uniform()
  while (u > s) { k++; p *= rate / k; s += p }
  return k
}

// ---- data ----
const twoClusters = Array.from({ length: 160 }, (_, i) => (i % 2 ? [4 + normal(), 4 + normal()] : [normal(), normal()]))
const counts = Array.from({ length: 200 }, (_, i) => poisson(i % 3 ? 2 : 12))
const mvnRows = Array.from({ length: 200 }, () => [2 + 3 * normal(), -1 + normal()])
const mvnMissing = mvnRows.map((r, i) => (i % 10 === 0 ? [r[0]!, NaN] : r))
const faRows = Array.from({ length: 150 }, () => {
  const f = normal()
  return [f + 0.5 * normal(), 0.8 * f + 0.5 * normal(), -0.6 * f + 0.5 * normal(), 0.4 * f + 0.5 * normal()]
})
const exposure = Array.from({ length: 120 }, (_, i) => 1 + (i % 4))
const gpCounts = exposure.map((t) => poisson(rng.gamma(3, 1.5) * t))
const probitX = Array.from({ length: 200 }, () => [normal()])
const probitY = probitX.map(([x]) => (0.3 + 0.8 * x! + normal() > 0 ? 1 : 0))

/** 8 sequences of 40 steps of a sticky 2-state chain, emissions from `emit(state)`. */
function chain<T>(emit: (state: number) => T): { X: T[]; lengths: number[] } {
  const X: T[] = [], lengths: number[] = []
  for (let s = 0; s < 8; s++) {
    let c = rng.integer(2)
    for (let t = 0; t < 40; t++) {
      if (rng.uniform() < 0.1) c = 1 - c
      X.push(emit(c))
    }
    lengths.push(40)
  }
  return { X, lengths }
}
const gaussSeq = chain((c) => [c * 5 + normal(), normal()])
const catSeq = chain((c) => (rng.uniform() < 0.8 ? c * 2 : 1))
const poisSeq = chain((c) => poisson(c ? 9 : 1))

const tobin = tobinData()

// 15 groups x 4 rows of 3 trials, random intercepts of sd 1
const glmmRows: number[][] = [], glmmY: number[] = [], glmmGroups: string[] = []
for (let g = 0; g < 15; g++) {
  const b = normal()
  for (let j = 0; j < 4; j++) {
    const x = normal()
    glmmRows.push([x]); glmmGroups.push(`herd${g}`)
    glmmY.push(rng.binomial(3, 1 / (1 + Math.exp(-(-0.3 + 0.8 * x + b)))))
  }
}
const glmm = { X: glmmRows, y: glmmY, groups: glmmGroups, trials: glmmY.map(() => 3) }

interface Case {
  name: string
  make: () => unknown
  data: unknown
  names: string[]
}

/** Binary rows from two latent classes (seeded by index: no generator needed). */
const binaryRows = Array.from({ length: 80 }, (_, i) => Array.from({ length: 5 }, (_, j) => ((i % 2 === 0 ? (i * 7 + j * 3) % 10 < 7 : (i * 7 + j * 3) % 10 < 2) ? 1 : 0)))

const CASES: Case[] = [
  { name: 'PoissonMixture', make: () => new PoissonMixture({ nComponents: 2 }), data: counts, names: ['weight[0]', 'weight[1]', 'rate[0]', 'rate[1]'] },
  { name: 'TMixture', make: () => new TMixture({ nComponents: 2, nu: 8, maxIter: 50 }), data: twoClusters, names: ['weight[0]', 'weight[1]', 'mean[0][0]'] },
  { name: 'MultivariateT', make: () => new MultivariateT({ maxIter: 50 }), data: { X: mvnRows, sampleWeight: mvnRows.map((_, i) => 1 + (i % 2)) }, names: ['mean[0]', 'mean[1]', 'scatter[0][0]'] },
  { name: 'FactorAnalysis', make: () => new FactorAnalysis({ nComponents: 1 }), data: faRows, names: ['mean[0]', 'mean[1]', 'mean[2]', 'mean[3]', 'uniqueness[0]'] },
  { name: 'MultivariateNormal', make: () => new MultivariateNormal({ tol: 1e-8 }), data: mvnMissing, names: ['mean[0]', 'mean[1]', 'cov[0][0]', 'cov[0][1]'] },
  { name: 'GammaPoisson', make: () => new GammaPoisson({ accelerate: 'squarem' }), data: { X: gpCounts, exposure }, names: ['alpha', 'beta'] },
  { name: 'TobitRegression', make: () => new TobitRegression({ left: 0, accelerate: 'squarem', tol: 1e-8 }), data: tobin, names: ['intercept', 'coef[0]', 'coef[1]', 'sigma'] },
  { name: 'ProbitRegression', make: () => new ProbitRegression({ algorithm: 'px-em', tol: 1e-8 }), data: { X: probitX, y: probitY }, names: ['intercept', 'coef[0]'] },
  { name: 'GaussianHMM', make: () => new GaussianHMM({ nComponents: 2, seed: 1 }), data: gaussSeq, names: ['startProb[0]', 'startProb[1]', 'transMat[0][0]'] },
  { name: 'CategoricalHMM', make: () => new CategoricalHMM({ nComponents: 2, seed: 1 }), data: catSeq, names: ['startProb[0]', 'startProb[1]', 'transMat[0][0]'] },
  { name: 'PoissonHMM', make: () => new PoissonHMM({ nComponents: 2, seed: 1 }), data: poisSeq, names: ['startProb[0]', 'startProb[1]', 'transMat[0][0]'] },
  { name: 'VariationalGaussianHMM', make: () => new VariationalGaussianHMM({ nComponents: 2, covarianceType: 'diag', seed: 1 }), data: gaussSeq, names: ['startProb[0]', 'startProb[1]', 'transMat[0][0]'] },
  { name: 'VariationalCategoricalHMM', make: () => new VariationalCategoricalHMM({ nComponents: 2, seed: 1 }), data: catSeq, names: ['startProb[0]', 'startProb[1]', 'transMat[0][0]'] },
  { name: 'TruncatedNormal', make: () => new TruncatedNormal({ lower: 0, accelerate: 'squarem', tol: 1e-8 }), data: truncatedRef.cases.normal_left.x, names: ['mean', 'scale'] },
  { name: 'TruncatedRegression', make: () => new TruncatedRegression({ lower: 2, accelerate: 'squarem', tol: 1e-8 }), data: { X: truncatedRef.cases.regression_left.X, y: truncatedRef.cases.regression_left.y }, names: ['intercept', 'coef[0]', 'coef[1]', 'sigma'] },
  { name: 'BernoulliMixture', make: () => new BernoulliMixture({ nComponents: 2, seed: 1 }), data: binaryRows, names: ['weight[0]', 'weight[1]', 'prob[0][0]'] },
  { name: 'LogisticGLMM', make: () => new LogisticGLMM({ seed: 1, nAGQ: 5, maxIter: 15, mcem: { initialSamples: 40, maxSamples: 200, burnIn: 20 } }), data: glmm, names: ['intercept', 'coef[0]', 'randomEffectSD'] },
]

describe('bootstrap of every registered kind: identical serially and on 2 workers', () => {
  for (const c of CASES) {
    for (const kind of ['nonparametric', 'parametric'] as const) {
      it(`${c.name}, ${kind}`, async () => {
        const data = c.data as BootstrapData
        const serial = await bootstrap(c.make, data, { replicates: 20, seed: 3, workers: 1, kind })
        const pooled = await bootstrap(c.make, data, { replicates: 20, seed: 3, workers: 2, kind })
        expect(pooled.replicates).toEqual(serial.replicates)
        expect(pooled.failures).toEqual(serial.failures)
        expect(serial.failures).toEqual([])
        expect(serial.replicates).toHaveLength(20)
        expect(serial.names.slice(0, c.names.length)).toEqual(c.names)
        expect(serial.names).toHaveLength(serial.estimate.length)
        for (let j = 0; j < serial.estimate.length; j++) {
          expect(Number.isFinite(serial.standardErrors[j])).toBe(true)
          expect(serial.lower[j]).toBeLessThanOrEqual(serial.upper[j]!)
        }
        // the free parameters vary from replicate to replicate
        expect(serial.standardErrors.some((s) => s > 0)).toBe(true)
      })
    }
  }
})

describe('standard errors against known values', () => {
  it('MultivariateNormal: SE of the means ~ sd / sqrt(n)', async () => {
    const res = await bootstrap(() => new MultivariateNormal({ tol: 1e-8 }), mvnRows, { replicates: 200, seed: 1, workers: 1 })
    const n = mvnRows.length
    const cov = (res.estimator as MultivariateNormal).covariance
    for (const j of [0, 1]) {
      const expected = Math.sqrt(cov[j]![j]! / n)
      // 200 replicates: the SE of a SE is ~5%
      expect(res.standardErrors[j]! / expected).toBeGreaterThan(0.8)
      expect(res.standardErrors[j]! / expected).toBeLessThan(1.25)
    }
  })

  it("TobitRegression on Tobin's data: the parametric bootstrap's spread matches survreg's SEs", async () => {
    // parametric: the design stays fixed, as for survreg's information-matrix SEs. With n = 20 and 13
    // censored the replicates have heavy tails (the SD is ~2x survreg's SE), so compare a robust
    // spread: the interquartile range / 1.349, from the level-0.5 percentile interval.
    const res = await bootstrap(() => new TobitRegression({ left: 0, accelerate: 'squarem', tol: 1e-8 }), tobin, { replicates: 200, seed: 2, workers: 2, kind: 'parametric', level: 0.5 })
    const se = ref.survreg_tobin.coef_se
    for (const [j, expected] of [[0, se['(Intercept)']], [1, se.age], [2, se.quant]] as const) {
      const spread = (res.upper[j]! - res.lower[j]!) / 1.349
      expect(spread / expected).toBeGreaterThan(0.75)
      expect(spread / expected).toBeLessThan(1.33)
    }
  })

  it('GammaPoisson, parametric: the estimates are centred on the fit', async () => {
    const res = await bootstrap(() => new GammaPoisson({ accelerate: 'squarem' }), { X: gpCounts, exposure }, { replicates: 40, seed: 5, workers: 1, kind: 'parametric' })
    for (const j of [0, 1]) {
      const mean = res.replicates.reduce((s, r) => s + r[j]!, 0) / res.replicates.length
      expect(Math.abs(mean - res.estimate[j]!)).toBeLessThan(3 * res.standardErrors[j]!)
    }
  })
})

describe('alignment of components and states', () => {
  it('PoissonMixture: a permuted replicate vector is put back in the full fit order', async () => {
    const pm = await new PoissonMixture({ nComponents: 3 }).fit(counts.map((v, i) => v + (i % 5 === 0 ? 25 : 0)))
    const kind = kindOf('PoissonMixture')
    const { values } = kind.vector(pm)
    const permuted = Float64Array.of(values[2]!, values[0]!, values[1]!, values[5]!, values[3]!, values[4]!)
    expect(kind.align!(permuted, values, pm)).toEqual(values)
  })

  it('PoissonMixture with random starts: every replicate is aligned to the full fit', async () => {
    const res = await bootstrap(() => new PoissonMixture({ nComponents: 2, init: 'random', seed: 4 }), counts, { replicates: 20, seed: 9, workers: 1 })
    for (const r of res.replicates) {
      expect(matchComponents(res.estimate.subarray(2, 4), r.subarray(2, 4), 2, 1)).toEqual([0, 1])
      expect(Math.abs(r[3]! - res.estimate[3]!)).toBeLessThan(Math.abs(r[2]! - res.estimate[3]!))
    }
  })

  it('GaussianHMM: start, both axes of the transitions, means and covariances move together', async () => {
    const h = await new GaussianHMM({ nComponents: 3, covarianceType: 'full', seed: 2 }).fit(
      gaussSeq.X.map((r, i) => [r[0]! + (i % 3 === 0 ? 12 : 0), r[1]!]), { lengths: gaussSeq.lengths },
    )
    const kind = kindOf('GaussianHMM')
    const { values, names } = kind.vector(h)
    const k = 3, d = 2
    const perm = [2, 0, 1] // replicate state c = perm[reference state r]
    const permuted = new Float64Array(values.length)
    const at = (prefix: string) => names.indexOf(prefix)
    for (let r = 0; r < k; r++) {
      const c = perm[r]!
      permuted[c] = values[r]!
      for (let s = 0; s < k; s++) permuted[k + c * k + perm[s]!] = values[k + r * k + s]!
      for (let j = 0; j < d; j++) permuted[at(`mean[${c}][${j}]`)] = values[at(`mean[${r}][${j}]`)]!
      for (let j = 0; j < d * d; j++) permuted[at('cov[0][0][0]') + c * d * d + j] = values[at('cov[0][0][0]') + r * d * d + j]!
    }
    expect(kind.align!(permuted, values, h)).toEqual(values)
  })

  it('PoissonHMM: every replicate is aligned to the full fit by rates', async () => {
    const res = await bootstrap(() => new PoissonHMM({ nComponents: 2, seed: 7 }), poisSeq, { replicates: 20, seed: 4, workers: 2 })
    const off = 2 + 4
    for (const r of res.replicates) expect(matchComponents(res.estimate.subarray(off, off + 2), r.subarray(off, off + 2), 2, 1)).toEqual([0, 1])
  })
})

describe('the data shape', () => {
  it('resamples y and weights with the rows (a constant row weight changes nothing)', async () => {
    const plain = await bootstrap(() => new ProbitRegression({ tol: 1e-8, algorithm: 'px-em' }), { X: probitX, y: probitY }, { replicates: 5, seed: 1, workers: 1 })
    const weighted = await bootstrap(() => new ProbitRegression({ tol: 1e-8, algorithm: 'px-em' }), { X: probitX, y: probitY, sampleWeight: probitX.map(() => 1) }, { replicates: 5, seed: 1, workers: 1 })
    expect(weighted.replicates).toEqual(plain.replicates)
  })

  it('rejects fields the estimator does not use, missing responses, and single-sequence HMM resampling', async () => {
    await expect(bootstrap(() => new PoissonMixture(), { X: counts, exposure: counts }, { replicates: 2 })).rejects.toThrow(OptionError)
    await expect(bootstrap(() => new TobitRegression({ left: 0 }), tobin.X, { replicates: 2 })).rejects.toThrow(/y.*required/)
    await expect(bootstrap(() => new TobitRegression({ left: 0 }), { X: tobin.X, y: [1, 2] }, { replicates: 2 })).rejects.toThrow(InputError)
    await expect(bootstrap(() => new PoissonHMM(), poisSeq.X, { replicates: 2 })).rejects.toThrow(/whole sequences/)
    await expect(bootstrap(() => new PoissonMixture(), { X: counts, bogus: 1 } as never, { replicates: 2 })).rejects.toThrow(/bogus/)
  })

  it('resamples whole sequences and whole groups; a group drawn twice becomes two groups', () => {
    const X = [[0], [1], [2], [3], [4], [5]]
    const seq = resample(toDataset({ X, lengths: [2, 1, 3] }, 'T', ['lengths']), new Rng(3), 'sequences')
    const rows = Array.from(seq.X.data)
    let at = 0
    for (const len of seq.lengths!) {
      const block = rows.slice(at, at + len)
      expect([[0, 1], [2], [3, 4, 5]].map(String)).toContain(String(block))
      at += len
    }
    expect(at).toBe(seq.X.rows)
    const grouped = toDataset({ X, y: [0, 1, 0, 1, 1, 0], groups: ['a', 'b', 'a', 'c', 'b', 'c'] }, 'T', ['y', 'groups'])
    expect(Array.from(grouped.groups!)).toEqual([0, 1, 0, 2, 1, 2])
    for (let seed = 0; seed < 20; seed++) {
      const r = resample(grouped, new Rng(seed), 'groups')
      const codes = Array.from(r.groups!)
      // three groups of two rows each, coded 0, 1, 2 in draw order; y travels with its row
      expect(codes).toEqual([0, 0, 1, 1, 2, 2])
      for (let i = 0; i < r.X.rows; i++) expect(r.y![i]).toBe([0, 1, 0, 1, 1, 0][r.X.data[i]!])
      for (const b of [0, 1, 2]) {
        const members = [r.X.data[2 * b]!, r.X.data[2 * b + 1]!]
        expect(grouped.groups![members[0]!]).toBe(grouped.groups![members[1]!])
      }
    }
    // counting 300000 groups (a spread into Math.max would overflow the stack)
    const many = toDataset({ X: Array.from({ length: 300000 }, (_, i) => i), groups: Array.from({ length: 300000 }, (_, i) => i) }, 'T', ['groups'])
    expect(unitCount(many, 'groups')).toBe(300000)
  })

  it('GaussianMixture: parametric replicates keep the pattern of missing values', async () => {
    const X = twoClusters.map((r, i) => (i % 5 === 0 ? [NaN, r[1]!] : r))
    const gm = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(X)
    const kind = kindOf('GaussianMixture')
    const template = toDataset(X, 'GaussianMixture', [])
    const sim = kind.simulate!({}, kind.state!(gm as never, template), template, new Rng(4))
    for (let p = 0; p < template.X.data.length; p++) expect(Number.isNaN(sim.X.data[p]!)).toBe(Number.isNaN(template.X.data[p]!))
  })

  it('HMM simulation of one long sequence (2e5 steps)', async () => {
    const h = await new PoissonHMM({ nComponents: 2, seed: 1 }).fit(poisSeq.X, { lengths: poisSeq.lengths })
    expect(h.sampleSequences([200000], new Rng(1))).toHaveLength(200000)
  })

  it('a single HMM sequence can still be bootstrapped parametrically', async () => {
    const res = await bootstrap(() => new PoissonHMM({ nComponents: 2, seed: 7 }), poisSeq.X, { replicates: 4, seed: 1, workers: 1, kind: 'parametric' })
    expect(res.replicates).toHaveLength(4)
  })

  it('an estimator that cannot describe itself for workers is refused (no silent defaults)', async () => {
    class Undescribed { async fit() { return this } }
    await expect(bootstrap(() => new Undescribed() as never, counts, { replicates: 2 })).rejects.toThrow(/toSpec\(\)/)
  })

  it('a kind without simulate gives a typed UnsupportedError for kind parametric', async () => {
    const { registerKind } = await import('../../src/registry/registry.js')
    class Mean {
      value = 0
      toSpec() { return { kind: 'TestMean', options: {} } }
      async fit(X: { data: Float64Array }) { this.value = X.data.reduce((a, b) => a + b, 0) / X.data.length; return this }
    }
    registerKind<Mean>('TestMean', { create: () => new Mean(), vector: (m) => ({ values: Float64Array.of(m.value), names: ['mean'] }) })
    await expect(bootstrap(() => new Mean(), [[1], [2], [3]], { replicates: 2, kind: 'parametric' })).rejects.toThrow(UnsupportedError)
    const np = await bootstrap(() => new Mean(), [[1], [2], [3]], { replicates: 3, seed: 1, workers: 1 })
    expect(np.replicates).toHaveLength(3)
  })
})
