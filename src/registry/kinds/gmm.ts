/**
 * GaussianMixture and BayesianGaussianMixture in the registry: parallel restarts (the
 * base's generic restart), and the bootstrap on weights, means and covariances in
 * their native storage (the Bayesian mixture's point estimates), aligned by means and
 * simulated by the one mixture sampler.
 */
import { BayesianGaussianMixture } from '../../estimators/BayesianGaussianMixture.js'
import { GaussianMixture } from '../../estimators/GaussianMixture.js'
import { matchComponents } from '../../core/math/assignment.js'
import { jsKernels } from '../../kernels/js/index.js'
import { covarianceEntryNames } from '../../models/gmm/covariance-names.js'
import { covarianceStrategy, type GmmCovarianceType } from '../../models/gmm/mclust/index.js'
import { sampleMixture } from '../../models/gmm/sample.js'
import type { DataField } from '../../runtime/dataset.js'
import { registerBuiltinKind } from '../registry.js'
import { keepMissing, permuteComponents, VectorBuilder } from './vector.js'

/** What the bootstrap reads of either Gaussian mixture. */
interface GaussianMixtureLike {
  readonly nComponents: number
  readonly nFeatures: number
  readonly covarianceType: GmmCovarianceType
  readonly weights: number[]
  readonly means: number[][]
  readonly covariances: unknown
  readonly fitResult: { readonly params: { readonly means: Float64Array; readonly covariances: Float64Array } }
}

interface MixtureState {
  readonly k: number
  readonly d: number
  readonly weights: Float64Array
  readonly means: Float64Array
  /** Full covariances, K x d x d. */
  readonly covariances: Float64Array
}

function registerGaussianMixture<E extends GaussianMixtureLike>(name: string, create: (options: Readonly<Record<string, unknown>>) => E, fields: readonly DataField[], startable = false): void {
  registerBuiltinKind<E>(name, {
    // a fit from the fitted parameters in scikit-learn's shapes (one run: the start is given)
    ...(startable ? { startAt: (e: E) => ({ init: { weights: e.weights, means: e.means, covariances: e.covariances }, nInit: 1 }) } : {}),
    create,
    fields,
    vector: (e) => {
      const k = e.nComponents, d = e.nFeatures
      return new VectorBuilder()
        .addArray('weight', Float64Array.from(e.weights), [k])
        .addArray('mean', e.fitResult.params.means, [k, d])
        .addNamed(covarianceEntryNames(covarianceStrategy(e.covarianceType), k, d), e.fitResult.params.covariances)
        .build()
    },
    align: (values, reference, e) => {
      const k = e.nComponents, d = e.nFeatures
      const strategy = covarianceStrategy(e.covarianceType)
      const match = matchComponents(reference.subarray(k, k + k * d), values.subarray(k, k + k * d), k, d)
      // a shared ('tied') covariance is one block that does not move
      return permuteComponents(values, match, [{ offset: 0, block: 1 }, { offset: k, block: d }, { offset: k + k * d, block: strategy.shared ? 0 : strategy.storageSize(1, d) }])
    },
    state: (e): MixtureState => {
      const k = e.nComponents, d = e.nFeatures
      return {
        k, d,
        weights: Float64Array.from(e.weights),
        means: Float64Array.from(e.means.flat()),
        covariances: covarianceStrategy(e.covarianceType).expandFull(e.fitResult.params.covariances, k, d),
      }
    },
    // n rows from the fitted mixture (the one mixture sampler, on the JS kernels: tiny d x d work); weights and
    // the pattern of missing values kept (a replicate must not know more than the data did)
    simulate: (_options, raw, template, rng) => {
      const { k, d, weights, means, covariances } = raw as MixtureState
      const n = template.X.rows
      const { data } = sampleMixture(jsKernels, { k, d, weights, means, fullCovariances: covariances }, n, rng)
      return { ...template, X: { rows: n, cols: d, data: keepMissing(data, template.X) } }
    },
  })
}

registerGaussianMixture('GaussianMixture', (options) => new GaussianMixture(options), ['sampleWeight'], true)
registerGaussianMixture('BayesianGaussianMixture', (options) => new BayesianGaussianMixture(options), [])
