/**
 * Multiple imputation from an EM fit of a Gaussian model with missing values (NaN),
 * as Amelia's EMB: each of the `draws` completed data sets comes from parameters
 * refitted by EM on a bootstrap resample of the rows (the parameters' uncertainty),
 * then every missing entry is drawn from its predictive distribution given the row's
 * observed entries at those parameters (models/common/impute.ts). Shared by
 * MultivariateNormal and GaussianMixture, which supply their parameters and a refit.
 */
import { DegenerateError, EmkitError, OptionError } from '../core/errors.js'
import { type Matrix, type MatrixInput, toRows } from '../core/matrix.js'
import { Rng } from '../core/rng/xoshiro128.js'
import { toMatrix } from '../core/validate.js'
import { conditionalMeans, drawMissing, type GaussianMixtureParts } from '../models/common/impute.js'
import { flag, integerAtLeast, safeInteger } from './schema.js'

export interface ImputeOptions {
  /** Number of completed data sets m (default 5). */
  draws?: number
  /** Seed of the resampling and the draws (default 0): the same seed gives the same data sets. */
  seed?: number
  /** Refit on a bootstrap resample for each data set (default true: proper imputations, Amelia's EMB); false draws every set at the fitted parameters. */
  bootstrap?: boolean
}

export const IMPUTE_OPTION_NAMES = ['draws', 'seed', 'bootstrap'] as const

/** How an estimator takes part: its fitted Gaussian parts, and a refit of the same model on other rows. */
export interface Imputable {
  readonly parts: GaussianMixtureParts
  readonly refit: (X: Matrix) => Promise<GaussianMixtureParts>
  /** Refuse rows shaped unlike the training data. */
  readonly checkColumns: (cols: number) => void
}

/** X as rows with NaN allowed, checked against the fit. */
function rowsOf(X: MatrixInput, source: Imputable): Matrix {
  const m = toMatrix(X, 'X', { allowMissing: true })
  source.checkColumns(m.cols)
  return m
}

/** X with each missing entry replaced by its conditional mean given the row's observed entries. */
export function imputeMeanRows(X: MatrixInput, source: Imputable): number[][] {
  const m = rowsOf(X, source)
  return toRows(conditionalMeans(m.data, m.rows, source.parts), m.rows, m.cols)
}

/** `draws` completed copies of X (the options already checked for unknown names). */
export async function imputeRows(X: MatrixInput, options: Readonly<Record<string, unknown>>, source: Imputable): Promise<number[][][]> {
  const draws = options['draws'] === undefined ? 5 : integerAtLeast(1)(options['draws'], 'draws')
  const seed = options['seed'] === undefined ? 0 : safeInteger(options['seed'], 'seed')
  const bootstrap = options['bootstrap'] === undefined ? true : flag(options['bootstrap'], 'bootstrap')
  const m = rowsOf(X, source)
  const { rows: n, cols: d } = m
  const rng = new Rng(seed)
  const out: number[][][] = []
  for (let r = 0; r < draws; r++) {
    const parts = bootstrap ? await resampledFit(m, source, rng, r) : source.parts
    out.push(toRows(drawMissing(m.data, n, parts, rng), n, d))
  }
  return out
}

/** EM on a bootstrap resample of X's rows; a resample the model cannot fit (a column left unobserved, a degenerate fit) is drawn again. */
async function resampledFit(m: Matrix, source: Imputable, rng: Rng, draw: number): Promise<GaussianMixtureParts> {
  const { rows: n, cols: d } = m
  let last: unknown
  for (let attempt = 0; attempt < 20; attempt++) {
    const data = new Float64Array(n * d)
    for (let i = 0; i < n; i++) {
      const src = Math.min(n - 1, Math.floor(rng.uniform() * n))
      data.set(m.data.subarray(src * d, src * d + d), i * d)
    }
    try {
      return await source.refit({ rows: n, cols: d, data })
    } catch (e) {
      if (!(e instanceof EmkitError) || e instanceof OptionError) throw e
      last = e
    }
  }
  throw new DegenerateError('DEGENERATE', `Imputation ${draw}: 20 bootstrap resamples of the rows could not be fitted (last: ${(last as Error).message}); impute with bootstrap: false, or give more complete rows.`)
}
