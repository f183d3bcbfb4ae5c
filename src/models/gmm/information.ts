/**
 * The Gaussian mixture's coordinates for standard errors: [first K - 1 weights | means
 * (k x d) | covariance coordinates]. The covariance coordinates are the stored entries,
 * each free one once (a full or tied matrix's upper triangle, row by row; names
 * cov[c][i][j], var[c][j], var[c], cov[i][j]) where no constraint ties them (full,
 * tied, diag, spherical = mclust's VVV, EEE, VVI, VII), else the strategy's chart
 * (mclust's other ten models: volume, shape, orientation, gmm/mclust/chart.ts),
 * anchored at the estimate. Louis's terms: the mixture's over the Gaussian component's,
 * in stored coordinates, taken to the chart by the chain rule.
 */
import { UnsupportedError } from '../../core/errors.js'
import { richardsonHessian, richardsonJacobian } from '../../core/math/derivatives.js'
import { matMul, transpose } from '../../core/math/dense-general.js'
import type { InformationCapability, LouisTerms, Parameterisation } from '../../engine/types.js'
import { mixtureLouis } from '../common/louis-mixture.js'
import { gaussianLouis } from '../components/gaussian-louis.js'
import { covarianceFreeEntries, freeWeights, simplexFromFree, weightNames } from '../common/free-coordinates.js'
import type { CovarianceStrategy } from './covariance.js'
import type { GmmData } from './data.js'
import type { GmmParams } from './params.js'
import type { GaussianParams } from '../components/gaussian.js'
import type { AnchoredChart, CovarianceChart } from './mclust/chart.js'
import { withInnerTolerance } from './mclust/inner-tolerance.js'

/** What the coordinates need of the model (GaussianMixtureModel has it). */
interface GaussianMixtureModel {
  readonly k: number
  readonly d: number
  readonly regCovar: number
  readonly covariance: CovarianceStrategy
  readonly gaussian: { readonly free: Parameterisation<GaussianParams> }
  eStep(data: GmmData, params: GmmParams): { stats: Float64Array }
  mStep(stats: Float64Array, params: GmmParams, data: GmmData): GmmParams
  makeParams(weights: Float64Array, means: Float64Array, covariances: Float64Array): GmmParams
}

/**
 * SEM's EM map converges the iterative M-steps (VEI, VEE, EVE, VVE, VEV) until their
 * parameters change by less than this (relative) instead of by mclust's rule on the
 * monitored target: the map then carries ~1e-13 noise, not ~1e-8 (up to 3e-5 from a
 * cold start), which difference steps of ~1e-4 would turn into 1e-4 errors of DM.
 */
const SEM_INNER_TOL = 1e-13

/** Between a structure's storage and full k x d x d matrices without regCovar (a chart works on the latter). */
interface StorageBridge { toFull(cov: Float64Array): Float64Array; toStorage(full: Float64Array): Float64Array }

/** The coordinates of a constrained structure anchored at an estimate, with the chart and the bridge they use. */
type ChartParameterisation = Parameterisation<GmmParams> & { readonly covariance: AnchoredChart; readonly bridge: StorageBridge }

/** Built once per model's parameterisation (it expands every unit storage vector): every anchoring reuses it. */
function storageBridge(model: GaussianMixtureModel): StorageBridge {
  const { k, d, covariance: strategy, regCovar } = model
  const size = strategy.storageSize(k, d)
  // each storage entry is read back from the first full entry it fills (expandFull is 0/1)
  const at = new Int32Array(size)
  for (let s = 0; s < size; s++) {
    const unit = new Float64Array(size)
    unit[s] = 1
    at[s] = strategy.expandFull(unit, k, d).findIndex((v) => v !== 0)
  }
  const onDiagonal = (e: number): boolean => Math.floor((e % (d * d)) / d) === e % d
  return {
    toFull(cov) {
      const full = strategy.expandFull(cov, k, d)
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) full[c * d * d + j * d + j] -= regCovar
      return full
    },
    toStorage(full) {
      const out = new Float64Array(size)
      for (let s = 0; s < size; s++) out[s] = full[at[s]!]! + (onDiagonal(at[s]!) ? regCovar : 0)
      return out
    },
  }
}

const meanNames = (k: number, d: number): string[] => Array.from({ length: k * d }, (_, e) => `mean[${Math.floor(e / d)}][${e % d}]`)

/** The coordinates of a constrained structure: weights, means, then the chart anchored at `anchor`. */
function chartParameterisation(model: GaussianMixtureModel, chart: CovarianceChart, anchor: GmmParams, bridge: StorageBridge): ChartParameterisation {
  const { k, d } = model
  const local = chart.at(bridge.toFull(anchor.covariances), k, d)
  const nm = k - 1 + k * d
  return {
    covariance: local,
    bridge,
    names: () => [...weightNames(k), ...meanNames(k, d), ...chart.names(k, d)],
    toFree(params) {
      const cov = local.toFree(bridge.toFull(params.covariances))
      const out = new Float64Array(nm + cov.length)
      out.set(freeWeights(params.weights), 0)
      out.set(params.means, k - 1)
      out.set(cov, nm)
      return out
    },
    fromFree: (vec) => model.makeParams(simplexFromFree(vec.subarray(0, k - 1), k), vec.slice(k - 1, nm), bridge.toStorage(local.fromFree(vec.subarray(nm)))),
    at: (params) => chartParameterisation(model, chart, params, bridge),
  }
}

export function gmmParameterisation(model: GaussianMixtureModel): Parameterisation<GmmParams> {
  const { k } = model
  const chart = model.covariance.chart
  if (chart) {
    // unanchored use: read coordinates at the parameters themselves, rebuild them at `like`
    let bridge: StorageBridge | undefined
    const at = (params: GmmParams): ChartParameterisation => chartParameterisation(model, chart, params, (bridge ??= storageBridge(model)))
    return {
      names: () => [...weightNames(k), ...meanNames(k, model.d), ...chart.names(k, model.d)],
      toFree: (params) => at(params).toFree(params),
      fromFree: (vec, like) => at(like).fromFree(vec, like),
      at,
    }
  }
  // read when standard errors ask, not when the model is built: finding the free entries is costly
  let free: Parameterisation<GaussianParams> | undefined
  const gaussianFree = (): Parameterisation<GaussianParams> => (free ??= model.gaussian.free)
  return {
    names: (params) => [...weightNames(k), ...gaussianFree().names(params)],
    toFree(params) {
      const rest = gaussianFree().toFree(params)
      const out = new Float64Array(k - 1 + rest.length)
      out.set(freeWeights(params.weights), 0)
      out.set(rest, k - 1)
      return out
    },
    fromFree: (vec, like) => ({ weights: simplexFromFree(vec.subarray(0, k - 1), k), ...gaussianFree().fromFree(vec.subarray(k - 1), like) }),
  }
}

/**
 * Louis's terms in the chart from those in stored coordinates g(theta) (the free stored
 * entries): with J = dg/dtheta and s the observed score in stored coordinates,
 * complete' = J' complete J - sum_m s_m d2 g_m / dtheta2 and missing' = J' missing J
 * (the conditional variance of J' times the complete-data score). J and the second
 * term by Richardson-extrapolated differences of g (cheap: no data).
 */
function louisInChart(model: GaussianMixtureModel, par: ChartParameterisation, params: GmmParams, stored: LouisTerms & { readonly score: Float64Array }): LouisTerms {
  const { k, d } = model
  const entries = covarianceFreeEntries(model.covariance, k, d)
  const { bridge } = par
  const nm = k - 1 + k * d
  const theta = par.covariance.toFree(bridge.toFull(params.covariances))
  const g = (t: Float64Array): Float64Array => {
    const storage = bridge.toStorage(par.covariance.fromFree(t))
    return Float64Array.from(entries.free, (s) => storage[s]!)
  }
  // steps: a thousandth of each volume and shape, a milliradian of each angle (0 at the anchor)
  const names = model.covariance.chart!.names(k, d)
  const steps = Float64Array.from(theta, (v, j) => (names[j]!.startsWith('orientation') ? 1e-3 : 1e-3 * Math.abs(v)))
  const nc = entries.free.length, p = theta.length
  const J = richardsonJacobian(g, theta, { steps }).jacobian // nc x p
  const s = stored.score.subarray(nm)
  const curvature = richardsonHessian((t) => {
    const v = g(t)
    let sum = 0
    for (let m = 0; m < nc; m++) sum += s[m]! * v[m]!
    return sum
  }, theta, { steps })
  // the full Jacobian: identity on weights and means, J on the covariance block
  const ms = nm + nc, mf = nm + p
  const full = new Float64Array(ms * mf)
  for (let i = 0; i < nm; i++) full[i * mf + i] = 1
  for (let i = 0; i < nc; i++) for (let j = 0; j < p; j++) full[(nm + i) * mf + nm + j] = J[i * p + j]!
  const Jt = transpose(full, ms, mf)
  const sandwich = (a: Float64Array): Float64Array => matMul(matMul(Jt, a, mf, ms, ms), full, mf, ms, mf)
  const complete = sandwich(stored.complete)
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) complete[(nm + i) * mf + nm + j] -= curvature[i * p + j]!
  return { complete, missing: sandwich(stored.missing) }
}

export function gmmInformation(model: GaussianMixtureModel): InformationCapability<GmmParams, GmmData> {
  const parameterisation = gmmParameterisation(model)
  return {
    parameterisation,
    emMap: (data, at) => withInnerTolerance(SEM_INNER_TOL, () => model.mStep(model.eStep(data, at).stats, at, data)),
    louis(data, params) {
      if (data.missing) throw new UnsupportedError("Louis's method for a Gaussian mixture needs complete rows (these data have missing values): use method 'sem' or 'hessian'.", { supported: ['sem', 'hessian'] })
      model.eStep(data, params) // leaves the responsibilities in data.resp
      const { n } = data
      const resp = data.resp.view.slice(0, n * model.k)
      const x = data.x.view.slice(0, n * model.d)
      const w = data.sampleWeight?.view
      const rowWeight = w ? (i: number) => w[i]! : () => 1
      const stored = mixtureLouis(params.weights, n, resp, rowWeight, gaussianLouis(model.covariance, model.k, model.d, x, n, params, covarianceFreeEntries(model.covariance, model.k, model.d)))
      return model.covariance.chart ? louisInChart(model, parameterisation.at!(params) as ChartParameterisation, params, stored) : stored
    },
  }
}
