/** mclust's EM (me*) on emkit's Gaussian mixture model, for checks against mclust: from a hard partition, its stopping rule. */
import { loadKernels } from '../../../src/kernels/index.js'
import { toMatrix } from '../../../src/core/validate.js'
import { GaussianMixtureModel, type GmmParams } from '../../../src/models/gmm/model.js'
import { type GmmCovarianceType, loadCovarianceStrategy } from '../../../src/models/gmm/mclust/index.js'

export interface MeResult {
  logLik: number; nIter: number; params: GmmParams; nParameters: number; bic: number
  /** One more M-step from the final responsibilities: what Mclust() reports as its parameters. */
  reported: GmmParams
}

/**
 * mclust's me(): one M-step from unmap(labels) (1-based), then E- and M-steps until
 * |L_t - L_t-1| / (1 + |L_t|) <= tol; the result is the parameters whose L_t stopped it.
 */
export async function mclustME(X: number[][], labels: readonly number[], k: number, type: GmmCovarianceType, tol = 1e-5, maxIter = 10000): Promise<MeResult> {
  const kernels = await loadKernels('js')
  await loadCovarianceStrategy(type)
  const m = toMatrix(X)
  const model = new GaussianMixtureModel({ kernels, k, d: m.cols, covarianceType: type, regCovar: 0 })
  const data = model.prepare(m)
  try {
    const resp = model.overwriteResponsibilities(data)
    resp.fill(0)
    labels.forEach((l, i) => { resp[i * k + l - 1] = 1 })
    const ref = new Float64Array(k * m.cols)
    let params = model.fromStats(model.statistics(data, ref), ref)
    let before = Infinity
    let nIter = 0
    let logLik = NaN
    for (;;) {
      nIter++
      logLik = model.expectation(data, params)
      const err = Math.abs(before - logLik) / (1 + Math.abs(logLik))
      before = logLik
      if (!(err > tol) || nIter >= maxIter) break
      params = model.fromStats(model.statistics(data, params.means), params.means, params)
    }
    const nParameters = model.nParameters()
    const reported = model.fromStats(model.statistics(data, params.means), params.means, params)
    return { logLik, nIter, params, nParameters, bic: 2 * logLik - nParameters * Math.log(m.rows), reported }
  } finally {
    model.release(data)
    model.dispose()
  }
}
