/**
 * mixtools (06_mixtools.json) on faithful$waiting, K = 2 from the fixed start
 * lambda (.5, .5), mu (55, 80), sigma (5, 5). Its `semantics` field: normalmixEM's own
 * runs are an ECM (fast = FALSE) or a variant (fast = TRUE), neither textbook EM;
 * `textbook_em_same_start` is plain EM from that start, which GaussianMixture is
 * (regCovar 0). The start goes in through `init` (explicit weights, means,
 * covariances), as the scikit-learn tests do.
 */
import { describe, expect, it } from 'vitest'
import { GaussianMixture } from '../../src/estimators/GaussianMixture.js'
import { BACKENDS, fixtureJson, fixtureMatrix, relErr } from '../helpers/data.js'

const ref = fixtureJson('06_mixtools.json').normalmixEM
const X = fixtureMatrix('faithful.csv').map((r) => [r[1]!])
const start = ref.start
export const TEXTBOOK_START = {
  weights: start.lambda as number[],
  means: (start.mu as number[]).map((m) => [m]),
  covariances: (start.sigma as number[]).map((s) => [[s * s]]),
}

describe('faithful$waiting K=2: textbook EM from mixtools\' start', () => {
  const em = ref.textbook_em_same_start.eps_1e_8
  for (const backend of BACKENDS) {
    it(`follows the textbook EM trajectory on ${backend}`, async () => {
      expect(X.length).toBe(ref.dataset.n)
      const iterations = em.iterations as number
      const gm = await new GaussianMixture({ nComponents: 2, regCovar: 0, tol: 0, maxIter: iterations, init: TEXTBOOK_START, backend }).fit(X)
      const trajectory = em.all_loglik as number[]
      expect(gm.history.length).toBe(trajectory.length)
      let worst = 0
      trajectory.forEach((ll, t) => { worst = Math.max(worst, relErr(gm.history[t]!, ll)) })
      console.log(`[mixtools] ${backend}: ${trajectory.length} log-likelihoods, max relative difference ${worst.toExponential(2)}`)
      expect(worst).toBeLessThan(1e-10)
      expect(relErr(gm.weights[0]!, em.lambda[0])).toBeLessThan(1e-9)
      gm.means.forEach((m, c) => expect(relErr(m[0]!, em.mu[c])).toBeLessThan(1e-9))
      ;(gm.covariances as number[][][]).forEach((s, c) => expect(relErr(Math.sqrt(s[0]![0]!), em.sigma[c])).toBeLessThan(1e-9))
    })
  }
})
