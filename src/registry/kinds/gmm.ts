/** GaussianMixture in the registry: parallel restarts, and the bootstrap (aligned by means, simulated by the one mixture sampler). */
import { GaussianMixture } from '../../estimators/GaussianMixture.js'
import { matchComponents } from '../../core/math/assignment.js'
import { jsKernels } from '../../kernels/js/index.js'
import { COVARIANCE } from '../../models/gmm/covariance.js'
import type { GmmParams } from '../../models/gmm/model.js'
import { sampleMixture } from '../../models/gmm/sample.js'
import { registerKind } from '../registry.js'
import { keepMissing, permuteComponents, VectorBuilder } from './vector.js'

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

registerKind<GaussianMixture>('GaussianMixture', {
  create: (options) => new GaussianMixture(options),
  fields: ['sampleWeight'],
  // weights, means, covariances in their native storage
  vector: (gm) => {
    const params = gm.fitResult.params as GmmParams
    const k = gm.nComponents, d = gm.nFeatures
    return new VectorBuilder()
      .addArray('weight', params.weights, [k])
      .addArray('mean', params.means, [k, d])
      .addNamed(COVARIANCE[gm.covarianceType].entryNames(k, d), params.covariances)
      .build()
  },
  align: (values, reference, gm) => {
    const k = gm.nComponents, d = gm.nFeatures
    const match = matchComponents(reference.subarray(k, k + k * d), values.subarray(k, k + k * d), k, d)
    return permuteComponents(values, match, [{ offset: 0, block: 1 }, { offset: k, block: d }, { offset: k + k * d, block: covarianceBlock(gm) }])
  },
  state: (gm): GmmState => ({
    k: gm.nComponents, d: gm.nFeatures,
    weights: Float64Array.from(gm.weights),
    means: Float64Array.from(gm.means.flat()),
    covariances: Float64Array.from(gm.fullCovariances.flat(2)),
  }),
  // n rows from the fitted mixture (the one mixture sampler, on the JS kernels: tiny d x d work); weights and
  // the pattern of missing values kept (a replicate must not know more than the data did)
  simulate: (_options, raw, template, rng) => {
    const { k, d, weights, means, covariances } = raw as GmmState
    const n = template.X.rows
    const { data } = sampleMixture(jsKernels, { k, d, weights, means, fullCovariances: covariances }, n, rng)
    return { ...template, X: { rows: n, cols: d, data: keepMissing(data, template.X) } }
  },
})
