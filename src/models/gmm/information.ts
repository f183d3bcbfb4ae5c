/**
 * The Gaussian mixture's coordinates for standard errors: [first K - 1 weights |
 * means (k x d) | covariance entries, each free one once (a full or tied matrix's
 * upper triangle, row by row)]. Names: weight[c], mean[c][j], then the strategy's
 * entry names (cov[c][i][j], var[c][j], var[c], cov[i][j]).
 */
import type { InformationCapability, Parameterisation } from '../../engine/types.js'
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
  return { parameterisation: gmmParameterisation(model) }
}
