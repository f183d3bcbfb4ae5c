/**
 * The mixture's information terms are imported on demand (bundles leave them out until
 * standard errors are asked for): standardErrorsOf on a model that has not loaded them
 * says so instead of silently using other coordinates; loaded, it agrees with the
 * estimator's standardErrors (which loads them itself).
 */
import { describe, expect, it } from 'vitest'
import { faithfulRows, GaussianMixture, standardErrorsOf } from '../../src/index.js'
import { loadKernels } from '../../src/kernels/index.js'
import { GaussianMixtureModel } from '../../src/models/gmm/model.js'

describe('information terms loaded on demand', () => {
  it('standardErrorsOf refuses a model that has not loaded them, and agrees once loaded', async () => {
    const X = faithfulRows()
    const gm = await new GaussianMixture({ nComponents: 2, seed: 1, backend: 'js' }).fit(X)
    const model = new GaussianMixtureModel({ kernels: await loadKernels('js'), k: 2, d: 2, covarianceType: 'full', regCovar: gm.regCovar })
    const data = model.prepare({ data: Float64Array.from(X.flat()), rows: X.length, cols: 2 })
    try {
      const at = model.makeParams(Float64Array.from(gm.weights), Float64Array.from(gm.means.flat()), Float64Array.from(gm.covariances.flat(2)))
      expect(() => standardErrorsOf(model, data, at, 'louis')).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringMatching(/loadInformation/) }))
      await model.loadInformation()
      const direct = standardErrorsOf(model, data, at, 'louis')
      const viaEstimator = await gm.standardErrors({ method: 'louis' })
      expect(direct.names).toEqual(viaEstimator.names)
      direct.standardErrors.forEach((se, i) => expect(se).toBeCloseTo(viaEstimator.standardErrors[i]!, 10))
    } finally {
      model.release?.(data)
      model.dispose?.()
    }
  })
})
