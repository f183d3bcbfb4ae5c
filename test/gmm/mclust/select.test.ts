import { describe, expect, it } from 'vitest'
import { GaussianMixture, GMM_COVARIANCE_TYPES, selectModel } from '../../../src/index.js'
import { selectGaussianMixture } from '../../../src/inference/selectGaussianMixture.js'
import { faithfulRows } from '../../../src/data/faithful.js'
import { SKLEARN_ALIAS } from '../../../src/models/gmm/mclust/index.js'
import { fixtureJson } from '../../helpers/data.js'

const X = faithfulRows()
const mclust = fixtureJson('02_mclust_faithful.json')

describe('the selection grid over K x all 18 covariance names', () => {
  it("reports BIC and ICL in scikit-learn's sign and mclust's; aliases give identical rows; mclust's EEE 3 BIC and ICL", async () => {
    const s = await selectGaussianMixture(X, {
      kValues: [1, 2, 3], covarianceTypes: GMM_COVARIANCE_TYPES, criterion: 'icl',
      init: 'hc', regCovar: 0, maxIter: 100_000, tol: 1e-5, fitOptions: {},
    } as never)
    expect(s.table).toHaveLength(3 * 18)
    for (const row of s.table) {
      expect(row.mclustBic).toBe(-row.bic!)
      expect(row.mclustIcl).toBe(-row.icl!)
      expect(row.icl!).toBeGreaterThanOrEqual(row.bic!)
    }
    for (const [name, alias] of Object.entries(SKLEARN_ALIAS)) {
      for (const k of [1, 2, 3]) {
        const a = s.table.find((r) => r.k === k && r.covarianceType === name)!
        const b = s.table.find((r) => r.k === k && r.covarianceType === alias)!
        expect(a.bic, `${name} = ${alias}, K = ${k}`).toBe(b.bic)
        expect(a.icl).toBe(b.icl)
      }
    }
    const eee3 = s.table.find((r) => r.k === 3 && r.covarianceType === 'EEE')!
    // scikit-learn's stopping rule here (tol 1e-5 per sample): a little past mclust's stopping point
    expect(Math.abs(eee3.mclustBic! - mclust.best.bic) / Math.abs(mclust.best.bic)).toBeLessThan(1e-5)
  }, 120_000)

  it("with mclust's start and stopping rule, the EEE 3 row is Mclust's: BIC and ICL (icl.Mclust)", async () => {
    const s = await selectModel(() => new GaussianMixture({ init: 'hc', regCovar: 0, criterion: 'relative', tol: 1e-5 }), X, {
      grid: { nComponents: [3], covarianceType: ['EEE'] }, criterion: 'icl', workers: 1,
    })
    const row = s.table[0]!
    console.log(`EEE 3: BIC ${row.mclustBic} (mclust ${mclust.best.bic}), ICL ${row.mclustIcl} (mclust ${mclust.best.icl})`)
    expect(Math.abs(row.mclustBic! - mclust.best.bic)).toBeLessThan(1e-7)
    expect(Math.abs(row.mclustIcl! - mclust.best.icl)).toBeLessThan(1e-7)
  })
})
