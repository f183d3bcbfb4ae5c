/**
 * The Poisson mixture's standard-error coordinates and Louis's terms: [first K - 1
 * weights | rates], its packed vector. Per row, log Pois(y | rate) has score
 * y / rate - 1 and -Hessian y / rate^2.
 */
import type { InformationCapability } from '../engine/types.js'
import { weightNames } from './common/free-coordinates.js'
import { mixtureLouis } from './common/louis-mixture.js'
import type { F64Buffer } from '../kernels/types.js'

/** What the terms read of the parameters, the data and the model (the Poisson mixture's have it; poisson-mixture.ts imports this file). */
interface Params { readonly weights: Float64Array; readonly rates: Float64Array }
interface Data { readonly n: number; readonly resp: F64Buffer; readonly y: F64Buffer; readonly sampleWeight: F64Buffer | null }
interface PoissonMixture<P, D> {
  readonly k: number
  pack(params: P): Float64Array
  unpack(vec: Float64Array): P
  eStep(data: D, params: P): unknown
}

export function poissonMixtureInformation<P extends Params, D extends Data>(model: PoissonMixture<P, D>): InformationCapability<P, D> {
  const { k } = model
  return {
    parameterisation: {
      names: () => [...weightNames(k), ...Array.from({ length: k }, (_, c) => `rate[${c}]`)],
      toFree: (params) => model.pack(params),
      fromFree: (vec) => model.unpack(vec),
    },
    louis(data, params) {
      model.eStep(data, params) // leaves the responsibilities in data.resp
      const { n } = data
      const resp = data.resp.view.slice(0, n * k)
      const y = data.y.view.slice(0, n)
      const w = data.sampleWeight?.view
      const rowWeight = w ? (i: number) => w[i]! : () => 1
      const rates = params.rates
      return mixtureLouis(params.weights, n, resp, rowWeight, {
        m: k,
        score: (i, c, out) => { out[c] = y[i]! / rates[c]! - 1 },
        complete(r, weightOf) {
          const out = new Float64Array(k * k)
          for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[c * k + c]! += weightOf(i) * r[i * k + c]! * y[i]! / (rates[c]! * rates[c]!)
          return out
        },
      })
    },
  }
}
