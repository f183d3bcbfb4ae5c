/**
 * What the finite mixtures (Gaussian, Poisson, t) share over the estimator base:
 * after one expectation at the fitted parameters their prepared data holds the
 * responsibilities and each row's log-likelihood, which is all that predict,
 * predictProba and scoreSamples read.
 */
import { type MatrixBlock, type MatrixBlocks, toRows } from '../core/matrix.js'
import { knownComplete, markComplete, markOwned, ownedRows } from '../core/validate.js'
import { mapLogPosterior } from '../core/math/criteria.js'
import type { PreparedData } from '../engine/types.js'
import type { F64Buffer } from '../kernels/types.js'
import type { Dataset } from '../runtime/dataset.js'
import { type DatasetScore, Estimator, type FitModel } from './base.js'
import { mostProbable } from './inputs.js'

/** Rows of one expectation when scoring (see scoringBlocks). */
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
    for (const _ of this.scoringBlocks(X, what, (data, k) => { for (const v of rows(data, k)) out.push(v) })[2]());
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
    const [, , each] = this.scoringBlocks(dataset.X as In, 'scoreSamples', (data, k, from) => {
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
    for (const _ of each());
    return { logLik, n, posteriors: null, classification }
  }

  /**
   * An expectation at the fitted parameters over X, SCORING_BLOCK_ROWS rows at a time:
   * kernel memory holds one block's responsibilities and rows, not n x K (kernel
   * memory never shrinks, and a model selection scores every cell on all of the data).
   * Rows are scored independently, so the blocks give the values of one pass. X is
   * checked now (and copied once, or emkit's own already: nothing writes to it while its
   * blocks are read, so they are not copied again; its columns against the fit's at each
   * block); returns its rows, the components, and a generator that runs each block's
   * expectation for `visit` as it is iterated and yields what `visit` returns.
   */
  private scoringBlocks<V>(X: In, what: string, visit: (data: D, k: number, from: number) => V): [number, number, () => Generator<V>] {
    const k = this.scoringState(what).model.k
    const m = markOwned(this.toDataset(X, {}).X)
    // rows of a matrix found complete are: not scanned again
    const complete = knownComplete(m)
    const self = this
    return [m.rows, k, function* () {
      for (let from = 0; from < m.rows; from += SCORING_BLOCK_ROWS) {
        const block = ownedRows(() => m.data, from, Math.min(SCORING_BLOCK_ROWS, m.rows - from), m.cols)
        if (complete) markComplete(block)
        yield self.withData(block, {}, what, (model, data, params) => {
          model.expectation(data, params)
          return visit(data, model.k, from)
        })
      }
    }]
  }

  /**
   * `read(posteriors)` with predictProba's probabilities a block of rows at a time, in
   * row order (one expectation per block at each iteration of `posteriors.blocks`): a
   * large data set's labels with neither an array per row nor n x K at once. Returns
   * what `read` returns.
   */
  withPosteriorBlocks<T>(X: In, read: (posteriors: MatrixBlocks) => T): T {
    // each block's probabilities copied into one buffer, made for the first block (the
    // largest): a new one per block raised a 2-column file's labels from 3.6x to 4.1x it
    let into: Float64Array | undefined
    const [rows, cols, each] = this.scoringBlocks(X, 'withPosteriorBlocks', (data, k, start): MatrixBlock => {
      const size = data.n * k
      ;(into ??= new Float64Array(size)).set(data.resp.view.subarray(0, size))
      return { start, rows: data.n, data: into.subarray(0, size) }
    })
    return read({ rows, cols, blocks: { [Symbol.iterator]: each } })
  }
}
