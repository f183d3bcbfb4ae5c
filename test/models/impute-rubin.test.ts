/**
 * The parameter uncertainty of the imputations (Amelia's EMB bootstrap): on seeded
 * replicated MCAR data sets, Rubin's rules over m = 10 imputations give 95% intervals
 * for the mean of a partly missing column that cover the true mean at about the
 * nominal rate; without the bootstrap (every set at the fitted parameters, "improper"
 * imputation) the between-imputation variance lacks the parameters' share.
 */
import { describe, expect, it } from 'vitest'
import { MultivariateNormal } from '../../src/index.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'

const SEED = 314
const REPLICATIONS = 200, N = 60, M = 10

/** Two-sided 97.5% quantile of Student's t with nu degrees of freedom (Cornish-Fisher, ample for nu >= 3). */
function t975(nu: number): number {
  const z = 1.959963984540054
  const g1 = (z ** 3 + z) / 4, g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96, g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
  return z + g1 / nu + g2 / nu ** 2 + g3 / nu ** 3
}

async function coverage(bootstrap: boolean): Promise<{ rate: number; between: number }> {
  const rng = new Rng(SEED)
  let covered = 0, between = 0
  for (let r = 0; r < REPLICATIONS; r++) {
    // x ~ N(0, 1), y = 1 + 0.8 x + 0.6 e; y missing completely at random with probability 0.4
    const X = Array.from({ length: N }, () => {
      const x = rng.normal()
      const y = 1 + 0.8 * x + 0.6 * rng.normal()
      return [x, rng.uniform() < 0.4 ? NaN : y]
    })
    const fit = await new MultivariateNormal({ tol: 1e-7 }).fit(X)
    const sets = await fit.impute(X, { draws: M, seed: r, bootstrap })
    const est = sets.map((s) => s.reduce((a, row) => a + row[1]!, 0) / N)
    const within = sets.map((s, k) => s.reduce((a, row) => a + (row[1]! - est[k]!) ** 2, 0) / (N - 1) / N)
    const qbar = est.reduce((a, b) => a + b, 0) / M
    const ubar = within.reduce((a, b) => a + b, 0) / M
    const b = est.reduce((a, q) => a + (q - qbar) ** 2, 0) / (M - 1)
    between += b / REPLICATIONS
    const total = ubar + (1 + 1 / M) * b
    const ratio = (1 + 1 / M) * b / ubar
    const nu = (M - 1) * (1 + 1 / ratio) ** 2
    if (Math.abs(qbar - 1) <= t975(nu) * Math.sqrt(total)) covered++
  }
  return { rate: covered / REPLICATIONS, between }
}

describe("Rubin's rules over EMB imputations", () => {
  it('95% intervals for a partly missing mean cover it at about the nominal rate; improper imputations cover less', async () => {
    const proper = await coverage(true)
    const improper = await coverage(false)
    console.log(`[impute] Rubin's rules, seed ${SEED}, ${REPLICATIONS} data sets of ${N} rows, m = ${M}: coverage ${proper.rate.toFixed(3)} with the bootstrap (mean between-imputation variance ${proper.between.toExponential(3)}), ${improper.rate.toFixed(3)} without (${improper.between.toExponential(3)})`)
    expect(proper.rate).toBeGreaterThan(0.92)
    expect(proper.rate).toBeLessThan(0.985)
    // the parameters' uncertainty: about (24 + 24^2 / 36) / 24 = 1.67 times the draws' own variance here
    expect(proper.between / improper.between).toBeGreaterThan(1.4)
  }, 120000)
})
