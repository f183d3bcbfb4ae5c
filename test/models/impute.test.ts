/**
 * Multiple imputation from the EM fits of MultivariateNormal and GaussianMixture on
 * seeded MCAR data: 95% intervals from the m imputations (mean +- t_{m-1} sd) cover
 * the true values at about the nominal rate; conditional means by the formula; the
 * same seed gives the same data sets; observed entries kept; typed errors.
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture, InputError, MultivariateNormal, NotFittedError, OptionError } from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

const SEED = 2026
const T_975_39 = 2.022690911734728 // t quantile, 39 degrees of freedom (m = 40)

function correlated(rng: Rng, mean: number[], chol: number[][]): number[] {
  const z = mean.map(() => rng.normal())
  return mean.map((m, i) => m + chol[i]!.reduce((s, l, j) => s + l * z[j]!, 0))
}

/** MCAR: each entry missing with probability p, never a whole row. */
function mask(rng: Rng, full: number[][], p: number): number[][] {
  return full.map((row) => {
    const out = row.map((v) => (rng.uniform() < p ? NaN : v))
    if (out.every(Number.isNaN)) out[0] = row[0]!
    return out
  })
}

function coverage(full: number[][], holes: number[][], sets: number[][][]): { rate: number; count: number } {
  let covered = 0, count = 0
  holes.forEach((row, i) => row.forEach((v, j) => {
    if (!Number.isNaN(v)) return
    const draws = sets.map((s) => s[i]![j]!)
    const m = draws.reduce((a, b) => a + b, 0) / draws.length
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - m) ** 2, 0) / (draws.length - 1))
    count++
    if (Math.abs(full[i]![j]! - m) <= T_975_39 * sd) covered++
  }))
  return { rate: covered / count, count }
}

const L = [[1, 0, 0, 0], [0.6, 0.8, 0, 0], [0.3, 0.5, 0.8, 0], [-0.4, 0.2, 0.3, 0.8]]

describe('MultivariateNormal.impute', () => {
  const rng = new Rng(SEED)
  const full = Array.from({ length: 600 }, () => correlated(rng, [1, -2, 0.5, 3], L))
  const holes = mask(rng, full, 0.25)
  console.log(`[impute] data seed ${SEED}`)

  it('95% intervals from 40 imputations cover the true values at about the nominal rate', async () => {
    const copy = holes.map((r) => r.slice())
    const fit = await new MultivariateNormal().fit(holes)
    const sets = await fit.impute(holes, { draws: 40, seed: 7 })
    expect(sets).toHaveLength(40)
    const { rate, count } = coverage(full, holes, sets)
    console.log(`[impute] MultivariateNormal, seed ${SEED}, draws seed 7: coverage ${rate.toFixed(3)} of ${count} missing values`)
    expect(rate).toBeGreaterThan(0.93)
    expect(rate).toBeLessThan(0.97)
    // observed entries as given, missing ones filled
    sets[3]!.forEach((row, i) => row.forEach((v, j) => {
      expect(Number.isFinite(v)).toBe(true)
      if (!Number.isNaN(holes[i]![j]!)) expect(v).toBe(holes[i]![j])
    }))
    expect(holes).toEqual(copy)
  })

  it("the issue's contract: fit(...).then((m) => m.impute(Xmissing, { draws: 5, seed: 1 }))", async () => {
    const sets = await new MultivariateNormal().fit(holes).then((m) => m.impute(holes, { draws: 5, seed: 1 }))
    expect(sets).toHaveLength(5)
    expect(sets.every((s) => s.length === holes.length && s.every((r) => r.every(Number.isFinite)))).toBe(true)
  })

  it('the same seed gives the same data sets; another seed, or bootstrap: false, others', async () => {
    const fit = await new MultivariateNormal().fit(holes)
    const a = await fit.impute(holes.slice(0, 50), { draws: 2, seed: 3 })
    expect(await fit.impute(holes.slice(0, 50), { draws: 2, seed: 3 })).toEqual(a)
    expect(await fit.impute(holes.slice(0, 50), { draws: 2, seed: 4 })).not.toEqual(a)
    expect(await fit.impute(holes.slice(0, 50), { draws: 2, seed: 3, bootstrap: false })).not.toEqual(a)
    expect(await fit.impute(holes.slice(0, 50))).toHaveLength(5)
  })

  it('imputeMean is the conditional mean mu_m + S_mo S_oo^-1 (x_o - mu_o)', async () => {
    const fit = await new MultivariateNormal().fit(holes)
    const mu = fit.mean, S = fit.covariance
    // one observed column (1), three missing
    const row = [NaN, 0.7, NaN, NaN]
    const got = fit.imputeMean([row])[0]!
    for (const j of [0, 2, 3]) expect(got[j]).toBeCloseTo(mu[j]! + (S[j]![1]! / S[1]![1]!) * (0.7 - mu[1]!), 12)
    expect(got[1]).toBe(0.7)
    // nothing observed: the mean
    fit.imputeMean([[NaN, NaN, NaN, NaN]])[0]!.forEach((v, j) => expect(v).toBeCloseTo(mu[j]!, 12))
    // complete rows unchanged
    expect(fit.imputeMean([full[0]!])).toEqual([full[0]])
  })

  it('bad calls are typed errors', async () => {
    await expect(new MultivariateNormal().impute(holes)).rejects.toThrow(NotFittedError)
    expect(() => new MultivariateNormal().imputeMean(holes)).toThrow(/needs a fitted model: call fit\(\) first/)
    const fit = await new MultivariateNormal().fit(holes)
    await expect(fit.impute([[1, NaN, 3]])).rejects.toThrow(InputError)
    await expect(fit.impute([[1, NaN, 3]])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
    expect(() => fit.imputeMean([[1, NaN]])).toThrow(/fitted with nFeatures = 4/)
    await expect(fit.impute(holes, { draws: 0 })).rejects.toThrow(OptionError)
    await expect(fit.impute(holes, { draws: 2.5 })).rejects.toThrow(/'draws'/)
    await expect(fit.impute(holes, { draw: 5 } as never)).rejects.toThrow(/did you mean 'draws'\?/)
  })
})

describe('GaussianMixture.impute', () => {
  const rng = new Rng(SEED + 1)
  const centres = [[0, 0, 0], [5, 4, -3]]
  const L3 = [[1, 0, 0], [0.5, 0.9, 0], [-0.3, 0.4, 0.8]]
  const labels = Array.from({ length: 600 }, () => (rng.uniform() < 0.4 ? 1 : 0))
  const full = labels.map((c) => correlated(rng, centres[c]!, L3))
  const holes = mask(rng, full, 0.2)

  it('95% intervals from 40 imputations cover the true values at about the nominal rate', async () => {
    const fit = await new GaussianMixture({ nComponents: 2, seed: 1, tol: 1e-6 }).fit(holes)
    const sets = await fit.impute(holes, { draws: 40, seed: 11 })
    const { rate, count } = coverage(full, holes, sets)
    console.log(`[impute] GaussianMixture, seed ${SEED + 1}, draws seed 11: coverage ${rate.toFixed(3)} of ${count} missing values`)
    expect(rate).toBeGreaterThan(0.93)
    expect(rate).toBeLessThan(0.97)
  })

  for (const covarianceType of ['diag', 'spherical', 'tied'] as const) {
    it(`covarianceType '${covarianceType}': the bootstrap refits start from the fitted parameters of that type`, async () => {
      const fit = await new GaussianMixture({ nComponents: 2, covarianceType, seed: 1 }).fit(holes)
      const sets = await fit.impute(holes.slice(0, 100), { draws: 3, seed: 5 })
      expect(sets).toHaveLength(3)
      expect(sets.flat(2).every(Number.isFinite)).toBe(true)
      expect(sets[0]).not.toEqual(sets[1])
    })
  }

  it('imputeMean mixes the components\' conditional means by their posterior given the observed entries', async () => {
    const fit = await new GaussianMixture({ nComponents: 2, seed: 1 }).fit(holes)
    // a row observed near one centre is imputed near that centre's conditional mean
    const near = fit.imputeMean([[5.1, NaN, NaN], [NaN, NaN, 0.1]])
    expect(Math.abs(near[0]![1]! - 4)).toBeLessThan(1)
    expect(Math.abs(near[1]![0]!)).toBeLessThan(1)
    // nothing observed: the mixture mean
    const mean = fit.means[0]!.map((_, j) => fit.weights.reduce((s, w, c) => s + w * fit.means[c]![j]!, 0))
    fit.imputeMean([[NaN, NaN, NaN]])[0]!.forEach((v, j) => expect(v).toBeCloseTo(mean[j]!, 10))
    await expect(fit.impute([[1, 2]])).rejects.toMatchObject({ code: 'SHAPE_MISMATCH' })
  })
})
