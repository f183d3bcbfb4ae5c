/**
 * The estimator kinds worker threads (and bootstrap) know. Each registration says how
 * to re-create the estimator from its spec, run one restart, read its parameters as a
 * flat vector, align a replicate's vector to a reference (mixtures) and simulate
 * data from a fit (parametric bootstrap). Add new estimators here.
 */
import { GaussianMixture } from '../estimators/GaussianMixture.js'
import { matchComponents } from '../inference/align.js'
import { InputError } from '../io/errors.js'
import type { Matrix } from '../io/matrix.js'
import type { GmmParams } from '../models/gmm/model.js'
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

/** Entries per component of the native covariance storage (0: shared, as for 'tied'). */
function covarianceBlock(type: string, d: number): number {
  return type === 'full' ? d * d : type === 'diag' ? d : type === 'spherical' ? 1 : 0
}

function gmmVector(gm: GaussianMixture): ParameterVector {
  const params = gm.fitResult.params as GmmParams
  const k = gm.nComponents, d = gm.nFeatures
  const names: string[] = []
  for (let c = 0; c < k; c++) names.push(`weight[${c}]`)
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) names.push(`mean[${c}][${j}]`)
  const type = gm.covarianceType
  const block = covarianceBlock(type, d)
  for (let c = 0; c < (block === 0 ? 1 : k); c++) {
    if (type === 'full' || type === 'tied') {
      const prefix = type === 'tied' ? 'cov' : `cov[${c}]`
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) names.push(`${prefix}[${i}][${j}]`)
    } else if (type === 'diag') {
      for (let j = 0; j < d; j++) names.push(`var[${c}][${j}]`)
    } else names.push(`var[${c}]`)
  }
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
  const block = covarianceBlock(gm.covarianceType, d)
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

/** n rows from the mixture in `state`, drawing from `rng` (component, then d normals through the Cholesky factor). */
function gmmSimulate(_options: unknown, raw: unknown, n: number, rng: Rng): Matrix {
  const { k, d, weights, means, covariances } = raw as GmmState
  const factors = new Float64Array(k * d * d)
  for (let c = 0; c < k; c++) {
    const a = covariances.subarray(c * d * d), l = factors.subarray(c * d * d)
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let s = a[i * d + j]!
        for (let m = 0; m < j; m++) s -= l[i * d + m]! * l[j * d + m]!
        if (i === j) {
          if (!(s > 0)) throw new InputError('SINGULAR_COVARIANCE', `Component ${c}'s covariance is not positive definite; refit with a larger regCovar.`, { component: c })
          l[i * d + i] = Math.sqrt(s)
        } else l[i * d + j] = s / l[j * d + j]!
      }
    }
  }
  const out = new Float64Array(n * d), z = new Float64Array(d)
  for (let s = 0; s < n; s++) {
    let u = rng.uniform(), c = 0
    while (c < k - 1 && u >= weights[c]!) { u -= weights[c]!; c++ }
    for (let j = 0; j < d; j++) z[j] = rng.normal()
    for (let j = 0; j < d; j++) {
      let v = means[c * d + j]!
      for (let m = 0; m <= j; m++) v += factors[c * d * d + j * d + m]! * z[m]!
      out[s * d + j] = v
    }
  }
  return { rows: n, cols: d, data: out }
}

registerKind<GaussianMixture>('GaussianMixture', {
  create: (options) => new GaussianMixture(options),
  restart: (gm, data, weight, seed, restart) => gm.fitRestart(data, weight, seed, restart),
  vector: gmmVector,
  align: gmmAlign,
  state: gmmState,
  simulate: gmmSimulate,
})
