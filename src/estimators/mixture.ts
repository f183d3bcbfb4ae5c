/**
 * What the finite mixtures (Gaussian, Poisson, t) share over the estimator base:
 * after one expectation at the fitted parameters their prepared data holds the
 * responsibilities and each row's log-likelihood, which is all that predict,
 * predictProba and scoreSamples read.
 */
import { toRows } from '../core/matrix.js'
import { mapLogPosterior } from '../core/math/criteria.js'
import type { PreparedData } from '../engine/types.js'
import type { F64Buffer } from '../kernels/types.js'
import type { Dataset } from '../runtime/dataset.js'
import { type DatasetScore, Estimator, type FitModel } from './base.js'
import { mostProbable } from './inputs.js'

export interface MixtureData extends PreparedData {
  readonly n: number
  /** n x k responsibilities after an expectation. */
  readonly resp: F64Buffer
  /** Each row's log-likelihood after an expectation. */
  readonly rowLogLik: F64Buffer
}

export interface MixtureModel<P, D extends MixtureData> extends FitModel<P, D> {
  readonly k: number
  /** Responsibilities and row log-likelihoods at `params` into `data`. */
  expectation(data: D, params: P): number
}

/**
 * The base's score, bic and aic, typed for `In` (declarations merged into the class: no
 * code of their own, they are the base's methods).
 */
export interface MixtureEstimator<P, M extends MixtureModel<P, D>, D extends MixtureData, In, O extends object> {
  /** Mean log-likelihood per row of X (default: the training data, per unit of weight). */
  score(X?: In): number
  /** BIC on X (default: the training data). */
  bic(X?: In): number
  /** AIC on X (default: the training data). */
  aic(X?: In): number
}

/** A mixture estimator whose scoring calls take `In` (rows, counts). */
export abstract class MixtureEstimator<P, M extends MixtureModel<P, D>, D extends MixtureData, In, O extends object> extends Estimator<P, M, D, O> {
  /** Rows belong to components: ICL applies. */
  static override readonly latentClasses: boolean = true

  /** Posterior probability of each component for each row. */
  predictProba(X: In): number[][] {
    return this.withExpectation(X, 'predictProba', (data, k) => toRows(data.resp.view, data.n, k))
  }

  /** The most probable component of each row (the first on ties). */
  predict(X: In): number[] {
    return this.withExpectation(X, 'predict', (data, k) => mostProbable(data.resp.view, data.n, k))
  }

  /** Log-likelihood of each row under the fitted mixture. */
  scoreSamples(X: In): number[] {
    return this.withExpectation(X, 'scoreSamples', (data) => Array.from(data.rowLogLik.view.subarray(0, data.n)))
  }

  /**
   * The base's scoreDataset (the total as scoreSamples sums it, weighted by
   * sampleWeight, and predictProba's rows) from one expectation instead of two.
   */
  override scoreDataset(dataset: Dataset): DatasetScore {
    return this.withExpectation(dataset.X as In, 'scoreSamples', (data, k) => {
      const rows = data.rowLogLik.view, w = dataset.sampleWeight
      let logLik = 0, n = 0
      if (w) {
        for (let i = 0; i < data.n; i++) { logLik += w[i]! * rows[i]!; n += w[i]! }
      } else {
        for (let i = 0; i < data.n; i++) logLik += rows[i]!
        n = data.n
      }
      const z = data.resp.view
      return { logLik, n, posteriors: null, classification: mapLogPosterior(data.n, k, (i, c) => z[i * k + c]!, w) }
    })
  }

  private withExpectation<T>(X: In, what: string, read: (data: D, k: number) => T): T {
    return this.withData(X, {}, what, (model, data, params) => {
      model.expectation(data, params)
      return read(data, model.k)
    })
  }
}
