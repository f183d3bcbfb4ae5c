/**
 * The names of a covariance structure's stored entries (bootstrap summaries, standard
 * errors) follow its public shape: scikit-learn's four as they were named when each
 * strategy listed its own, and mclust's models as the structure they are stored like.
 */
import { describe, expect, it } from 'vitest'
import { COVARIANCE } from '../../src/models/gmm/covariance-table.js'
import { covarianceEntryNames } from '../../src/models/gmm/covariance-names.js'
import { covarianceStrategy, GMM_COVARIANCE_TYPES, loadCovarianceStrategy } from '../../src/models/gmm/mclust/index.js'

describe('covarianceEntryNames', () => {
  it("names scikit-learn's four structures' entries in storage order", () => {
    expect(covarianceEntryNames(COVARIANCE.full, 2, 2)).toEqual(['cov[0][0][0]', 'cov[0][0][1]', 'cov[0][1][0]', 'cov[0][1][1]', 'cov[1][0][0]', 'cov[1][0][1]', 'cov[1][1][0]', 'cov[1][1][1]'])
    expect(covarianceEntryNames(COVARIANCE.tied, 3, 2)).toEqual(['cov[0][0]', 'cov[0][1]', 'cov[1][0]', 'cov[1][1]'])
    expect(covarianceEntryNames(COVARIANCE.diag, 2, 3)).toEqual(['var[0][0]', 'var[0][1]', 'var[0][2]', 'var[1][0]', 'var[1][1]', 'var[1][2]'])
    expect(covarianceEntryNames(COVARIANCE.spherical, 3, 4)).toEqual(['var[0]', 'var[1]', 'var[2]'])
    // one feature: a diagonal and a spherical structure still differ
    expect(covarianceEntryNames(COVARIANCE.diag, 2, 1)).toEqual(['var[0][0]', 'var[1][0]'])
    expect(covarianceEntryNames(COVARIANCE.spherical, 2, 1)).toEqual(['var[0]', 'var[1]'])
  })

  it('gives one name per stored entry for each of the 14 models', async () => {
    await Promise.all(GMM_COVARIANCE_TYPES.map(loadCovarianceStrategy))
    for (const type of GMM_COVARIANCE_TYPES) {
      const strategy = covarianceStrategy(type)
      for (const [k, d] of [[1, 1], [3, 2], [2, 4]] as const) {
        const names = covarianceEntryNames(strategy, k, d)
        expect(names, type).toHaveLength(strategy.storageSize(k, d))
        expect(new Set(names).size, type).toBe(names.length)
      }
    }
  })
})
