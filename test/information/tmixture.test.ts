/**
 * TMixture standard errors (hessian) in free coordinates: first K - 1 weights, means,
 * each scatter's upper triangle, nu per component when estimated. With nu fixed very
 * large the t mixture is the Gaussian mixture: the SEs agree with GaussianMixture's.
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture, TMixture } from '../../src/index.js'
import { fixtureMatrix } from '../helpers/data.js'

const X = fixtureMatrix('faithful.csv')

describe('TMixture.standardErrors', () => {
  it('names; with nu = 1e6 the SEs are the Gaussian mixture’s within 1e-3', async () => {
    const t = await new TMixture({ nComponents: 2, nu: 1e6, seed: 1, tol: 1e-12, maxIter: 5000 }).fit(X)
    const g = await new GaussianMixture({ nComponents: 2, seed: 1, tol: 1e-12, maxIter: 5000, regCovar: 0 }).fit(X)
    const st = await t.standardErrors({ method: 'hessian' })
    const sg = await g.standardErrors({ method: 'hessian' })
    expect(st.names).toEqual(['weight[0]', 'mean[0][0]', 'mean[0][1]', 'mean[1][0]', 'mean[1][1]', 'scatter[0][0][0]', 'scatter[0][0][1]', 'scatter[0][1][1]', 'scatter[1][0][0]', 'scatter[1][0][1]', 'scatter[1][1][1]'])
    // the same components in the same order? match by the first mean
    const same = Math.abs(st.estimates[1]! - sg.estimates[1]!) < 0.1
    const order = same ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] : [0, 3, 4, 1, 2, 8, 9, 10, 5, 6, 7]
    for (let j = 1; j < 11; j++) expect(Math.abs(st.standardErrors[j]! / sg.standardErrors[order[j]!]! - 1)).toBeLessThan(1e-3)
    expect(Math.abs(st.standardErrors[0]! / sg.standardErrors[0]! - 1)).toBeLessThan(1e-3)
  })
  it('nu estimated: nu[c] coordinates', async () => {
    const t = await new TMixture({ nComponents: 2, seed: 1, tol: 1e-10, maxIter: 5000 }).fit(X)
    const se = await t.standardErrors()
    expect(se.names.slice(-2)).toEqual(['nu[0]', 'nu[1]'])
    expect(se.standardErrors.every((v) => v > 0 && Number.isFinite(v))).toBe(true)
  })
})
