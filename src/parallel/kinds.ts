/**
 * The estimator kinds worker threads (and bootstrap) know. Each registration says how
 * to re-create the estimator from its spec, run one restart, read its parameters as a
 * flat vector, align a replicate's vector to a reference (mixtures) and simulate
 * data from a fit (parametric bootstrap). Add new estimators here.
 */
import { GaussianMixture } from '../estimators/GaussianMixture.js'
import { matchComponents } from '../inference/align.js'
import { jsKernels } from '../kernels/js/index.js'
import type { Matrix } from '../io/matrix.js'
import { COVARIANCE } from '../models/gmm/covariance.js'
import type { GmmParams } from '../models/gmm/model.js'
import { sampleMixture } from '../models/gmm/sample.js'
import type { Rng } from '../rng/xoshiro128.js'
import { type ParameterVector, registerKind } from './tasks.js'

interface GmmState {
  readonly k: number
  readonly d: number
  readonly weights: Float64Array
  readonly means: Float64Array
  /** Full covariances, K x d x d. */
  readonly covariances: Float64Array
}

/** Entries per component of the native covariance storage (0: one block shared by all, as for 'tied'). */
function covarianceBlock(gm: GaussianMixture): number {
  const strategy = COVARIANCE[gm.covarianceType]
  return strategy.shared ? 0 : strategy.storageSize(1, gm.nFeatures)
}

function gmmVector(gm: GaussianMixture): ParameterVector {
  const params = gm.fitResult.params as GmmParams
  const k = gm.nComponents, d = gm.nFeatures
  const names: string[] = []
  for (let c = 0; c < k; c++) names.push(`weight[${c}]`)
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) names.push(`mean[${c}][${j}]`)
  names.push(...COVARIANCE[gm.covarianceType].entryNames(k, d))
  const cov = params.covariances
  const values = new Float64Array(k + k * d + cov.length)
  values.set(params.weights, 0)
  values.set(params.means, k)
  values.set(cov, k + k * d)
  return { values, names }
}

/** Permute a GMM vector's components so that component r matches reference component r (by means). */
function gmmAlign(values: Float64Array, reference: Float64Array, gm: GaussianMixture): Float64Array {
  const k = gm.nComponents, d = gm.nFeatures
  const match = matchComponents(reference.subarray(k, k + k * d), values.subarray(k, k + k * d), k, d)
  const block = covarianceBlock(gm)
  const out = values.slice()
  for (let r = 0; r < k; r++) {
    const c = match[r]!
    out[r] = values[c]!
    out.set(values.subarray(k + c * d, k + (c + 1) * d), k + r * d)
    if (block > 0) out.set(values.subarray(k + k * d + c * block, k + k * d + (c + 1) * block), k + k * d + r * block)
  }
  return out
}

function gmmState(gm: GaussianMixture): GmmState {
  const k = gm.nComponents, d = gm.nFeatures
  return {
    k, d,
    weights: Float64Array.from(gm.weights),
    means: Float64Array.from(gm.means.flat()),
    covariances: Float64Array.from(gm.fullCovariances.flat(2)),
  }
}

/** n rows from the mixture in `state` (the one mixture sampler, on the JS kernels: tiny d x d work). */
function gmmSimulate(_options: unknown, raw: unknown, n: number, rng: Rng): Matrix {
  const { k, d, weights, means, covariances } = raw as GmmState
  const { data } = sampleMixture(jsKernels, { k, d, weights, means, fullCovariances: covariances }, n, rng)
  return { rows: n, cols: d, data }
}

registerKind<GaussianMixture>('GaussianMixture', {
  create: (options) => new GaussianMixture(options),
  restart: (gm, data, weight, seed, restart) => gm.fitRestart(data, weight, seed, restart),
  vector: gmmVector,
  align: gmmAlign,
  state: gmmState,
  simulate: gmmSimulate,
})
