/**
 * HMM standard errors by the numerical Hessian, Louis's method and supplemented EM (Q
 * from the expected counts and the emission's statistics): coordinates of the fitted
 * parameters only (start probabilities held fixed), each free one once; a transition
 * probability's SE close to the binomial one, sqrt(p (1 - p) / n_i) with n_i the expected
 * visits of state i; the three methods agreeing; the start probabilities at a vertex of
 * the simplex named as on the boundary.
 */
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, faithfulRows, GaussianHMM, GMMHMM, PoissonHMM } from '../../src/index.js'
import { fixtureJson, fixtureMatrix } from '../helpers/data.js'

const ref = fixtureJson('09_hmm_numpy_gauss3.json').sequences[0]
const x = fixtureMatrix('hmm_gauss3_T2000.csv').map((row) => row[0]!)
const P = ref.parameters
const init = { startProb: P.pi, transMat: P.A, means: P.emission.means.map((m: number) => [m]), covariances: P.emission.sds.map((s: number) => [s * s]) }

describe('GaussianHMM.standardErrors', () => {
  it('hessian: named free coordinates, transition SEs near the binomial ones', async () => {
    const hmm = await new GaussianHMM({ nComponents: 3, covarianceType: 'diag', init, fitParams: { startProb: false }, tol: 1e-10, maxIter: 2000 }).fit(x)
    const se = await hmm.standardErrors({ method: 'hessian' })
    expect(se.names).toEqual([
      'transMat[0][0]', 'transMat[0][1]', 'transMat[1][0]', 'transMat[1][1]', 'transMat[2][0]', 'transMat[2][1]',
      'mean[0][0]', 'mean[1][0]', 'mean[2][0]', 'var[0][0]', 'var[1][0]', 'var[2][0]',
    ])
    const A = hmm.transMat
    const visits = hmm.predictProba(x).reduce((acc: number[], row: number[]) => acc.map((v, i) => v + row[i]!), [0, 0, 0])
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        const binomial = Math.sqrt(A[i]![j]! * (1 - A[i]![j]!) / visits[i]!)
        const got = se.standardErrors[i * 2 + j]!
        expect(got / binomial).toBeGreaterThan(0.9)
        expect(got / binomial).toBeLessThan(1.6)
      }
    }
    const sem = await hmm.standardErrors({ method: 'sem' })
    for (let j = 0; j < se.names.length; j++) expect(Math.abs(sem.standardErrors[j]! / se.standardErrors[j]! - 1), se.names[j]).toBeLessThan(1e-4)
    const louis = await hmm.standardErrors({ method: 'louis' })
    for (let j = 0; j < se.names.length; j++) expect(Math.abs(louis.standardErrors[j]! / se.standardErrors[j]! - 1)).toBeLessThan(1e-4)
  })
  it('start probabilities fitted on one sequence sit on a vertex: SINGULAR_INFORMATION naming one', async () => {
    const hmm = await new GaussianHMM({ nComponents: 3, covarianceType: 'diag', init, tol: 1e-8, maxIter: 500 }).fit(x)
    const e = await hmm.standardErrors().catch((err) => err)
    expect(e.code).toBe('SINGULAR_INFORMATION')
    expect(e.details.parameters[0]).toMatch(/^startProb\[/)
  })
  it('a start probability of 1 is on the boundary for the Hessian too (not read past the simplex), and held fixed the others have SEs by both methods', async () => {
    const hmm = await new GaussianHMM({ nComponents: 2, seed: 1 }).fit(faithfulRows())
    expect(Math.max(...hmm.startProb)).toBe(1)
    for (const method of ['hessian', 'louis'] as const) {
      const e = await hmm.standardErrors({ method }).catch((err) => err)
      expect(e.code, method).toBe('SINGULAR_INFORMATION')
      expect(e.details.parameters[0], method).toBe('startProb[0]')
    }
    const held = await new GaussianHMM({ nComponents: 2, seed: 1, fitParams: { startProb: false }, init: { startProb: hmm.startProb } }).fit(faithfulRows())
    const h = await held.standardErrors({ method: 'hessian' }), l = await held.standardErrors({ method: 'louis' })
    expect(h.names[0]).toBe('transMat[0][0]')
    // Louis's terms are finite at a vertex; the boundary is found before any method runs
    const counts = Array.from({ length: 120 }, (_, i) => (i * 7919) % 13 + (i % 3 === 0 ? 20 : 0))
    const poisson = await new PoissonHMM({ nComponents: 2, seed: 1 }).fit(counts)
    expect(Math.max(...poisson.startProb)).toBe(1)
    await expect(poisson.standardErrors({ method: 'louis' })).rejects.toMatchObject({ code: 'SINGULAR_INFORMATION', details: { parameters: [expect.stringMatching(/^startProb\[/)] } })
    for (let j = 0; j < h.names.length; j++) expect(Math.abs(l.standardErrors[j]! / h.standardErrors[j]! - 1)).toBeLessThan(1e-4)
  })
})

const CHAIN = { startProb: [0.5, 0.5], transMat: [[0.85, 0.15], [0.25, 0.75]] }

describe('HMM standard errors: Louis = Hessian for every emission (2 sequences)', () => {
  const lengths = [350, 250]
  const cases = [
    { name: 'CategoricalHMM', make: () => new CategoricalHMM({ nComponents: 2, seed: 4, init: { ...CHAIN, emissionProb: [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]] } }) },
    { name: 'PoissonHMM', make: () => new PoissonHMM({ nComponents: 2, seed: 5, init: { ...CHAIN, rates: [2, 9] } }) },
    { name: 'GaussianHMM full', make: () => new GaussianHMM({ nComponents: 2, seed: 6, covarianceType: 'full', init: { ...CHAIN, means: [[0, 0], [3, 1]], covariances: [[[1, 0.5], [0.5, 1]], [[1, -0.3], [-0.3, 2]]] } }) },
    { name: 'GaussianHMM tied', make: () => new GaussianHMM({ nComponents: 2, seed: 7, covarianceType: 'tied', init: { ...CHAIN, means: [[0, 0], [3, 1]], covariances: [[1, 0.5], [0.5, 1]] } }) },
  ] as const
  for (const c of cases) {
    it(c.name, async () => {
      const X = (c.make() as any).sample(600).X
      const est = (c.make() as any).setParams({ fitParams: { startProb: false }, tol: 1e-10, maxIter: 5000 })
      await est.fit(X, { lengths })
      const h = await est.standardErrors({ method: 'hessian' })
      const l = await est.standardErrors({ method: 'louis' })
      const sem = await est.standardErrors({ method: 'sem' })
      expect(l.names).toEqual(h.names)
      expect(sem.names).toEqual(h.names)
      const worst = { louis: 0, sem: 0 }
      for (let j = 0; j < h.names.length; j++) {
        worst.louis = Math.max(worst.louis, Math.abs(l.standardErrors[j]! / h.standardErrors[j]! - 1))
        worst.sem = Math.max(worst.sem, Math.abs(sem.standardErrors[j]! / h.standardErrors[j]! - 1))
      }
      console.log(`${c.name}: largest relative difference from the Hessian's SEs: louis ${worst.louis.toExponential(1)}, sem ${worst.sem.toExponential(1)}; EM's rate ${sem.rate}`)
      expect(worst.louis).toBeLessThan(1e-4)
      // SEM's I_oc (I - DM) amplifies DM's numerical error by 1 / (1 - rate): ~150 for the
      // categorical chain here, whose EM converges at rate 0.993 (7.9e-3 measured)
      expect(worst.sem).toBeLessThan(c.name === 'CategoricalHMM' ? 2e-2 : 1e-4)
      expect(sem.rate).toBeGreaterThan(0)
      expect(sem.rate).toBeLessThan(1)
    })
  }
})

describe('HMM standard errors with pseudo-counts', () => {
  it("'sem' is refused: the fit is a MAP estimate, not the maximum of the likelihood SEM's Q stands for", async () => {
    const make = (pseudoCounts?: object) => new PoissonHMM({ nComponents: 2, seed: 5, init: { ...CHAIN, rates: [2, 9] }, fitParams: { startProb: false }, tol: 1e-10, maxIter: 5000, ...(pseudoCounts ? { pseudoCounts } : {}) })
    const X = (make() as any).sample(600).X
    const prior = await make({ transMat: 2 }).fit(X, { lengths: [350, 250] })
    await expect(prior.standardErrors({ method: 'sem' })).rejects.toMatchObject({ code: 'UNSUPPORTED', details: { supported: ['louis', 'hessian'] } })
    const plain = await make().fit(X, { lengths: [350, 250] })
    expect((await plain.standardErrors({ method: 'sem' })).names[0]).toBe('transMat[0][0]')
  })
})

describe('GMMHMM standard errors', () => {
  it('free coordinates: per state M - 1 weights, then each Gaussian’s; SEs finite; louis agrees with hessian; sem UNSUPPORTED', async () => {
    const TRUE = {
      startProb: [0.5, 0.5], transMat: [[0.92, 0.08], [0.1, 0.9]],
      weights: [[0.4, 0.6], [0.7, 0.3]],
      means: [[[-3, 0], [0, 3]], [[5, -2], [8, 1]]],
      covariances: [[[[1, 0.3], [0.3, 0.8]], [[0.6, -0.2], [-0.2, 1.2]]], [[[1.5, 0], [0, 0.5]], [[0.7, 0.25], [0.25, 0.9]]]],
    }
    const X = new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'full', seed: 11, init: TRUE }).sample(1500).X
    const est = await new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'full', init: TRUE, fitParams: { startProb: false }, tol: 1e-9, maxIter: 3000 }).fit(X)
    const se = await est.standardErrors()
    expect(se.names.slice(0, 4)).toEqual(['transMat[0][0]', 'transMat[1][0]', 'weight[0][0]', 'weight[1][0]'])
    expect(se.names).toContain('state[1].cov[1][0][1]')
    expect(se.names.length).toBe(2 + 2 + 2 * (2 * 2 + 2 * 3))
    expect(se.standardErrors.every((v) => v > 0 && Number.isFinite(v))).toBe(true)
    await expect(est.standardErrors({ method: 'sem' })).rejects.toMatchObject({ code: 'UNSUPPORTED', details: { supported: ['louis', 'hessian'] } })
    // Louis: the emission's per-state mixture differentiated by Louis's identity over its member label
    const l = await est.standardErrors({ method: 'louis' })
    expect(l.names).toEqual(se.names)
    const worst = Math.max(...l.standardErrors.map((v, j) => Math.abs(v / se.standardErrors[j]! - 1)))
    expect(worst).toBeLessThan(1e-4) // measured 7e-8
  })
  it('diag, weights held fixed: louis agrees with hessian', async () => {
    const TRUE = {
      startProb: [0.5, 0.5], transMat: [[0.9, 0.1], [0.15, 0.85]],
      weights: [[0.4, 0.6], [0.7, 0.3]],
      means: [[[-3, 0], [0, 3]], [[5, -2], [8, 1]]],
      covariances: [[[1, 0.8], [0.6, 1.2]], [[1.5, 0.5], [0.7, 0.9]]],
    }
    const X = new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'diag', seed: 12, init: TRUE }).sample(1200).X
    const est = await new GMMHMM({ nComponents: 2, nMix: 2, covarianceType: 'diag', init: TRUE, fitParams: { startProb: false, weights: false }, tol: 1e-10, maxIter: 3000 }).fit(X)
    const h = await est.standardErrors({ method: 'hessian' })
    const l = await est.standardErrors({ method: 'louis' })
    expect(l.names).toEqual(h.names)
    expect(h.names.some((n) => n.startsWith('weight'))).toBe(false)
    const worst = Math.max(...l.standardErrors.map((v, j) => Math.abs(v / h.standardErrors[j]! - 1)))
    expect(worst).toBeLessThan(1e-4) // measured 6e-8
  })
})
