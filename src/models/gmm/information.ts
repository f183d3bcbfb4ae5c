/**
 * The Gaussian mixture's coordinates for standard errors: [first K - 1 weights | the
 * Gaussian component's free coordinates: means (k x d), covariance entries each free one
 * once (a full or tied matrix's upper triangle, row by row)]. Names: weight[c],
 * mean[c][j], then the strategy's entry names (cov[c][i][j], var[c][j], var[c],
 * cov[i][j]). Louis's terms: the mixture's over the Gaussian component's.
 */
import { UnsupportedError } from '../../core/errors.js'
import type { InformationCapability, Parameterisation } from '../../engine/types.js'
import { mixtureLouis } from '../common/louis-mixture.js'
import { gaussianLouis } from '../components/gaussian-louis.js'
import { covarianceFreeEntries, freeWeights, weightNames, weightsFromFree } from '../common/free-coordinates.js'
import type { CovarianceStrategy } from './covariance.js'
import type { GmmData } from './data.js'
import type { GmmParams } from './params.js'
import type { GaussianParams } from '../components/gaussian.js'

/** What the coordinates need of the model (GaussianMixtureModel has it). */
interface GaussianMixtureModel {
  readonly k: number
  readonly d: number
  readonly covariance: CovarianceStrategy
  readonly gaussian: { readonly free: Parameterisation<GaussianParams> }
  eStep(data: GmmData, params: GmmParams): unknown
}

/**
 * The storage's entries are the free covariance parameters only where no constraint ties
 * them (scikit-learn's four types and the mclust models stored as they are); a model such
 * as VEV stores each Sigma_k in full while its parameters are fewer, so coordinates on the
 * stored entries would give an information matrix of the wrong model: refused.
 */
function refuseConstrained(model: GaussianMixtureModel): void {
  const stored = covarianceFreeEntries(model.covariance, model.k, model.d).free.length
  const free = model.covariance.freeParameters(model.k, model.d)
  if (stored !== free) {
    throw new UnsupportedError(`Standard errors for covarianceType '${model.covariance.type}' are not available: its ${free} free covariance parameters are not entries of the stored covariances (${stored}), so no coordinates are offered. Use a model whose covariances are free entries ('full', 'diag', 'spherical', 'tied' or the mclust models equal to them), or bootstrap().`, { covarianceType: model.covariance.type, supported: [] })
  }
}

export function gmmParameterisation(model: GaussianMixtureModel): Parameterisation<GmmParams> {
  const { k } = model
  // read when standard errors ask, not when the model is built: finding the free entries is costly
  let free: Parameterisation<GaussianParams> | undefined
  const gaussianFree = (): Parameterisation<GaussianParams> => (free ??= model.gaussian.free)
  return {
    names: (params) => {
      refuseConstrained(model)
      return [...weightNames(k), ...gaussianFree().names(params)]
    },
    toFree(params) {
      refuseConstrained(model)
      const rest = gaussianFree().toFree(params)
      const out = new Float64Array(k - 1 + rest.length)
      out.set(freeWeights(params.weights), 0)
      out.set(rest, k - 1)
      return out
    },
    fromFree: (vec, like) => ({ weights: weightsFromFree(vec.subarray(0, k - 1), k), ...gaussianFree().fromFree(vec.subarray(k - 1), like) }),
  }
}

export function gmmInformation(model: GaussianMixtureModel): InformationCapability<GmmParams, GmmData> {
  return {
    parameterisation: gmmParameterisation(model),
    louis(data, params) {
      refuseConstrained(model)
      if (data.missing) throw new UnsupportedError("Louis's method for a Gaussian mixture needs complete rows (these data have missing values): use method 'sem' or 'hessian'.", { supported: ['sem', 'hessian'] })
      model.eStep(data, params) // leaves the responsibilities in data.resp
      const { n } = data
      const resp = data.resp.view.slice(0, n * model.k)
      const x = data.x.view.slice(0, n * model.d)
      const w = data.sampleWeight?.view
      const rowWeight = w ? (i: number) => w[i]! : () => 1
      return mixtureLouis(params.weights, n, resp, rowWeight, gaussianLouis(model.covariance, model.k, model.d, x, n, params, covarianceFreeEntries(model.covariance, model.k, model.d)))
    },
  }
}
