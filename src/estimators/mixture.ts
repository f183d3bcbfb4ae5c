/**
 * What the finite mixtures (Gaussian, Poisson, t) share over the estimator base:
 * after one expectation at the fitted parameters their prepared data holds the
 * responsibilities and each row's log-likelihood, which is all that predict,
 * predictProba and scoreSamples read.
 */
import { toRows } from '../core/matrix.js'
import { knownComplete, markComplete, markOwned, ownedRows } from '../core/validate.js'
import { mapLogPosterior } from '../core/math/criteria.js'
import type { PreparedData } from '../engine/types.js'
import type { F64Buffer } from '../kernels/types.js'
import type { Dataset } from '../runtime/dataset.js'
import { type DatasetScore, Estimator, type FitModel } from './base.js'
import { mostProbable } from './inputs.js'

/** Rows of one expectation when scoring (see eachBlock). */
const SCORING_BLOCK_ROWS = 65_536

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
    return this.collect(X, 'predictProba', (data, k) => toRows(data.resp.view, data.n, k))
  }

  /** The most probable component of each row (the first on ties). */
  predict(X: In): number[] {
    return this.collect(X, 'predict', (data, k) => mostProbable(data.resp.view, data.n, k))
  }

  /** Log-likelihood of each row under the fitted mixture. */
  scoreSamples(X: In): number[] {
    return this.collect(X, 'scoreSamples', (data) => data.rowLogLik.view.subarray(0, data.n))
  }

  /** What `rows` reads of each block's expectation, in row order. */
  private collect<T>(X: In, what: string, rows: (data: D, k: number) => Iterable<T>): T[] {
    const out: T[] = []
    this.eachBlock(X, what, (data, k) => { for (const v of rows(data, k)) out.push(v) })
    return out
  }

  /**
   * The base's scoreDataset (the total as scoreSamples sums it, weighted by
   * sampleWeight, and predictProba's rows) from one expectation instead of two. The
   * sums run over the rows in order across blocks: the bits of one pass over them all.
   */
  override scoreDataset(dataset: Dataset): DatasetScore {
    const w = dataset.sampleWeight
    let logLik = 0, n = 0, classification = 0
    this.eachBlock(dataset.X as In, 'scoreSamples', (data, k, from) => {
      const rows = data.rowLogLik.view, z = data.resp.view
      // summed in locals started with `+` (a captured variable written per row, or a local
      // started from one as it is, boxes a new number at each row); a weight of 1 changes no bit
      let sum = +logLik, total = +n
      for (let i = 0; i < data.n; i++) {
        const weight = w ? w[from + i]! : 1
        sum += weight * rows[i]!
        total += weight
      }
      logLik = sum
      n = total
      classification = mapLogPosterior(z, data.n, k, w?.subarray(from, from + data.n), classification)
    })
    return { logLik, n, posteriors: null, classification }
  }

  /**
   * An expectation at the fitted parameters over X, SCORING_BLOCK_ROWS rows at a time:
   * kernel memory holds one block's responsibilities and rows, not n x K (kernel
   * memory never shrinks, and a model selection scores every cell on all of the data).
   * Rows are scored independently, so the blocks give the values of one pass.
   */
  private eachBlock(X: In, what: string, visit: (data: D, k: number, from: number) => void): void {
    this.scoringState(what)
    // X checked and copied once (or emkit's own already); nothing writes to it while this synchronous call runs, so its blocks are not copied again
    const m = markOwned(this.toDataset(X, {}).X)
    // rows of a matrix found complete are: not scanned again
    const complete = knownComplete(m)
    for (let from = 0; from < m.rows; from += SCORING_BLOCK_ROWS) {
      const block = ownedRows(() => m.data, from, Math.min(SCORING_BLOCK_ROWS, m.rows - from), m.cols)
      if (complete) markComplete(block)
      this.withExpectation(block as In, what, (data, k) => visit(data, k, from))
    }
  }

  private withExpectation<T>(X: In, what: string, read: (data: D, k: number) => T): T {
    return this.withData(X, {}, what, (model, data, params) => {
      model.expectation(data, params)
      return read(data, model.k)
    })
  }
}
