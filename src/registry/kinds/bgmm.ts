/**
 * BayesianGaussianMixture in the registry: parallel restarts (the base's generic
 * restart), and the bootstrap on the point estimates (weights, means, covariances in
 * their native storage), aligned by means and simulated by the one mixture sampler.
 */
import { BayesianGaussianMixture } from '../../estimators/BayesianGaussianMixture.js'
import { matchComponents } from '../../core/math/assignment.js'
import { jsKernels } from '../../kernels/js/index.js'
import { COVARIANCE } from '../../models/gmm/covariance.js'
import { sampleMixture } from '../../models/gmm/sample.js'
import { registerKind } from '../registry.js'
import { permuteComponents, VectorBuilder } from './vector.js'

interface BgmmState {
  readonly k: number
  readonly d: number
  readonly weights: Float64Array
  readonly means: Float64Array
  /** Full covariances, K x d x d. */
  readonly covariances: Float64Array
}

registerKind<BayesianGaussianMixture>('BayesianGaussianMixture', {
  create: (options) => new BayesianGaussianMixture(options),
  vector: (bgm) => {
    const k = bgm.nComponents, d = bgm.nFeatures
    const { params } = bgm.fitResult
    return new VectorBuilder()
      .addArray('weight', Float64Array.from(bgm.weights), [k])
      .addArray('mean', params.means, [k, d])
      .addNamed(COVARIANCE[bgm.covarianceType].entryNames(k, d), params.covariances)
      .build()
  },
  align: (values, reference, bgm) => {
    const k = bgm.nComponents, d = bgm.nFeatures
    const strategy = COVARIANCE[bgm.covarianceType]
    const match = matchComponents(reference.subarray(k, k + k * d), values.subarray(k, k + k * d), k, d)
    return permuteComponents(values, match, [{ offset: 0, block: 1 }, { offset: k, block: d }, { offset: k + k * d, block: strategy.shared ? 0 : strategy.storageSize(1, d) }])
  },
  state: (bgm): BgmmState => {
    const k = bgm.nComponents, d = bgm.nFeatures
    return {
      k, d,
      weights: Float64Array.from(bgm.weights),
      means: Float64Array.from(bgm.means.flat()),
      covariances: COVARIANCE[bgm.covarianceType].expandFull(bgm.fitResult.params.covariances, k, d),
    }
  },
  // n rows from the mixture at the point estimates (the one mixture sampler, on the JS kernels)
  simulate: (_options, raw, template, rng) => {
    const { k, d, weights, means, covariances } = raw as BgmmState
    const n = template.X.rows
    const { data } = sampleMixture(jsKernels, { k, d, weights, means, fullCovariances: covariances }, n, rng)
    return { ...template, X: { rows: n, cols: d, data } }
  },
})
