/**
 * Starting q(theta), as scikit-learn's `_initialize_parameters`: responsibilities from
 * the chosen method, then one VM-step. The centre-based methods label every row by
 * its nearest centre, as GaussianMixture's do (k-means: Lloyd from k-means++ seeds;
 * 'kmeans++' and 'random-from-data': the seeds or k distinct rows as centres);
 * 'random' draws uniform responsibilities; given responsibilities are used as they are.
 */
import type { Rng } from '../../core/rng/xoshiro128.js'
import { distinctRows } from '../gmm/distinct-rows.js'
import { assign, kmeansPlusPlus, type KMeansData } from '../init/kmeans.js'
import { kmeans } from '../init/kmeans-lloyd.js'
import type { BayesianGaussianMixtureModel, BgmmData } from './model.js'
import type { BgmmParams } from './params.js'
import type { BgmmPriors } from './priors.js'

export type BgmmInitMethod = 'kmeans' | 'kmeans++' | 'random' | 'random-from-data'
export const BGMM_INIT_METHODS: readonly BgmmInitMethod[] = ['kmeans', 'kmeans++', 'random', 'random-from-data']

/** Starting responsibilities, one row per sample of the training data (rows of probabilities). */
export interface GivenResponsibilities {
  readonly responsibilities: ArrayLike<ArrayLike<number>>
}

export type BgmmInit = BgmmInitMethod | GivenResponsibilities

export function initialParams(model: BayesianGaussianMixtureModel, data: BgmmData, init: BgmmInit, priors: BgmmPriors, rng: Rng): BgmmParams {
  const { k, d } = model
  const n = data.n
  let ref: Float64Array
  if (typeof init === 'object' || init === 'random') {
    const resp = data.resp.view
    if (typeof init === 'object') {
      for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) resp[i * k + c] = init.responsibilities[i]![c]!
    } else {
      for (let i = 0; i < n; i++) {
        let s = 0
        for (let c = 0; c < k; c++) { const u = rng.uniform(); resp[i * k + c] = u; s += u }
        for (let c = 0; c < k; c++) resp[i * k + c] = resp[i * k + c]! / s
      }
    }
    // gathered around the data mean: statistics about a nearby point lose no digits
    ref = repeatRow(columnMeans(data, d), k)
  } else {
    const km: KMeansData = { kernels: model.kernels, x: data.x, n, d, weight: null }
    const labels = new Int32Array(n)
    if (init === 'kmeans') {
      const result = kmeans(km, k, rng)
      ref = result.centers
      labels.set(result.labels)
    } else {
      ref = init === 'kmeans++' ? kmeansPlusPlus(km, k, rng) : distinctRows(data, d, k, rng)
      assign(km, ref, k, labels)
    }
    const resp = data.resp.view
    resp.fill(0)
    for (let i = 0; i < n; i++) resp[i * k + labels[i]!] = 1
  }
  return model.posterior(model.statistics(data, ref), ref, priors)
}

function columnMeans(data: BgmmData, d: number): Float64Array {
  const X = data.x.view
  const out = new Float64Array(d)
  for (let i = 0; i < data.n; i++) for (let j = 0; j < d; j++) out[j] += X[i * d + j]! / data.n
  return out
}

function repeatRow(row: Float64Array, k: number): Float64Array {
  const out = new Float64Array(k * row.length)
  for (let c = 0; c < k; c++) out.set(row, c * row.length)
  return out
}
