/**
 * The Gaussian mixture's coordinates for standard errors: [first K - 1 weights |
 * means (k x d) | covariance entries, each free one once (a full or tied matrix's
 * upper triangle, row by row)]. Names: weight[c], mean[c][j], then the strategy's
 * entry names (cov[c][i][j], var[c][j], var[c], cov[i][j]).
 */
import { UnsupportedError } from '../../core/errors.js'
import type { InformationCapability, Parameterisation } from '../../engine/types.js'
import { mixtureLouis } from '../common/louis-mixture.js'
import { gaussianLouis } from '../components/gaussian-louis.js'
import { covarianceFreeEntries, freeWeights, weightNames, weightsFromFree } from '../common/free-coordinates.js'
import type { CovarianceStrategy } from './covariance.js'
import type { GmmData } from './data.js'
import type { GmmParams } from './params.js'

/** What the coordinates need of the model (GaussianMixtureModel has it). */
interface GaussianMixtureModel {
  readonly k: number
  readonly d: number
  readonly covariance: CovarianceStrategy
  unpack(vec: Float64Array, like: GmmParams): GmmParams
  eStep(data: GmmData, params: GmmParams): unknown
}

export function gmmParameterisation(model: GaussianMixtureModel): Parameterisation<GmmParams> {
  const { k, d, covariance } = model
  const entries = covarianceFreeEntries(covariance, k, d)
  const covNames = covariance.entryNames(k, d)
  const nw = k - 1, nm = k * d
  return {
    names: () => [
      ...weightNames(k),
      ...Array.from({ length: nm }, (_, e) => `mean[${Math.floor(e / d)}][${e % d}]`),
      ...Array.from(entries.free, (s) => covNames[s]!),
    ],
    toFree(params) {
      const out = new Float64Array(nw + nm + entries.free.length)
      out.set(freeWeights(params.weights), 0)
      out.set(params.means, nw)
      entries.free.forEach((s, j) => { out[nw + nm + j] = params.covariances[s]! })
      return out
    },
    fromFree(vec, like) {
      const packed = new Float64Array(k + nm + entries.source.length)
      packed.set(weightsFromFree(vec.subarray(0, nw), k), 0)
      packed.set(vec.subarray(nw, nw + nm), k)
      for (let s = 0; s < entries.source.length; s++) packed[k + nm + s] = vec[nw + nm + entries.source[s]!]!
      return model.unpack(packed, like)
    },
  }
}

export function gmmInformation(model: GaussianMixtureModel): InformationCapability<GmmParams, GmmData> {
  const entries = covarianceFreeEntries(model.covariance, model.k, model.d)
  return {
    parameterisation: gmmParameterisation(model),
    louis(data, params) {
      if (data.missing) throw new UnsupportedError("Louis's method for a Gaussian mixture needs complete rows (these data have missing values): use method 'sem' or 'hessian'.", { supported: ['sem', 'hessian'] })
      model.eStep(data, params) // leaves the responsibilities in data.resp
      const { n } = data
      const resp = data.resp.view.slice(0, n * model.k)
      const x = data.x.view.slice(0, n * model.d)
      const w = data.sampleWeight?.view
      const rowWeight = w ? (i: number) => w[i]! : () => 1
      return mixtureLouis(params.weights, n, resp, rowWeight, gaussianLouis(model.covariance, model.k, model.d, x, n, params, entries))
    },
  }
}
