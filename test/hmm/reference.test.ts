/**
 * Against the numpy reference (test/fixtures/09_hmm_numpy_gauss3.json, copied from
 * shared/reference): a 3-state Gaussian HMM on T = 2000 observations. At the given
 * parameters: log-likelihood within 1e-9 relative, the Viterbi path identical, the
 * first and last posteriors within 1e-9; Baum-Welch from the stated start: the
 * log-likelihood trajectory within 1e-8 relative, on every backend.
 */
import { describe, expect, it } from 'vitest'
import { GaussianHMM } from '../../src/index.js'
import { BACKENDS, fixtureJson, fixtureMatrix, relErr } from '../helpers/data.js'

const ref = fixtureJson('09_hmm_numpy_gauss3.json').sequences[0]
const x = fixtureMatrix('hmm_gauss3_T2000.csv').map((row) => row[0]!)
const P = ref.parameters

function givenHmm(backend: (typeof BACKENDS)[number]): GaussianHMM {
  return new GaussianHMM({
    nComponents: 3, covarianceType: 'diag', backend,
    init: {
      startProb: P.pi, transMat: P.A,
      means: P.emission.means.map((m: number) => [m]),
      covariances: P.emission.sds.map((s: number) => [s * s]),
    },
  })
}

describe.each(BACKENDS)('09 reference, %s', (backend) => {
  it('log-likelihood at the given parameters (before any fit)', () => {
    const hmm = givenHmm(backend)
    const logLik = hmm.score(x)
    console.log(`[hmm-ref] ${backend} logLik ${logLik} vs ${ref.loglik_at_parameters} rel ${relErr(logLik, ref.loglik_at_parameters)}`)
    expect(relErr(logLik, ref.loglik_at_parameters)).toBeLessThan(1e-9)
    expect(x.length).toBe(2000)
  })

  it('Viterbi path identical, joint log-probability within 1e-9', () => {
    const hmm = givenHmm(backend)
    const { logProb, states } = hmm.decode(x, { algorithm: 'viterbi' })
    expect(states).toEqual(ref.viterbi_path)
    expect(hmm.predict(x)).toEqual(ref.viterbi_path)
    expect(relErr(logProb, ref.viterbi_log_joint_score)).toBeLessThan(1e-9)
  })

  it('first and last posteriors within 1e-9', () => {
    const proba = givenHmm(backend).predictProba(x)
    let worst = 0
    ref.posteriors_first5.forEach((row: number[], t: number) => row.forEach((p, c) => { worst = Math.max(worst, Math.abs(proba[t]![c]! - p)) }))
    ref.posteriors_last5.forEach((row: number[], t: number) => row.forEach((p, c) => { worst = Math.max(worst, Math.abs(proba[1995 + t]![c]! - p)) }))
    console.log(`[hmm-ref] ${backend} posteriors max abs diff ${worst}`)
    expect(worst).toBeLessThan(1e-9)
  })

  it('Baum-Welch trajectory from the stated start within 1e-8 relative', async () => {
    const bw = ref.baum_welch
    const traj: number[] = bw.loglik_trajectory
    const hmm = new GaussianHMM({
      nComponents: 3, covarianceType: 'diag', backend, regCovar: 0, tol: 0, maxIter: traj.length - 1,
      init: {
        startProb: bw.start.pi, transMat: bw.start.A,
        means: bw.start.emission.means.map((m: number) => [m]),
        covariances: bw.start.emission.sds.map((s: number) => [s * s]),
      },
    })
    await hmm.fit(x)
    const history = hmm.history
    expect(history.length).toBe(traj.length)
    let worst = 0
    history.forEach((h, t) => { worst = Math.max(worst, relErr(h, traj[t]!)) })
    console.log(`[hmm-ref] ${backend} Baum-Welch trajectory max rel err ${worst}`)
    expect(worst).toBeLessThan(1e-8)
    // final parameters
    const means = hmm.means.map((r) => r[0]!)
    means.forEach((m, c) => expect(Math.abs(m - bw.emission.means[c])).toBeLessThan(1e-6))
    const sds = (hmm.covariances as number[][]).map((r) => Math.sqrt(r[0]!))
    sds.forEach((s, c) => expect(Math.abs(s - bw.emission.sds[c])).toBeLessThan(1e-6))
    hmm.transMat.forEach((row, i) => row.forEach((a, j) => expect(Math.abs(a - bw.A[i][j])).toBeLessThan(1e-6)))
    expect(hmm.fitResult.decreases).toEqual([])
  })
})
