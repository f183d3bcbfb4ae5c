/**
 * Multiple imputation's draws (Amelia's EMB, see impute.ts): imported by the
 * estimators' asynchronous `impute` on first use, so bundles load it only then.
 */
import { DegenerateError, EmkitError, OptionError } from '../core/errors.js'
import { type Matrix, type MatrixInput, toRows } from '../core/matrix.js'
import { Rng } from '../core/rng/xoshiro128.js'
import type { GaussianMixtureParts } from '../models/common/impute.js'
import { drawMissing } from '../models/common/impute-draws.js'
import { type Imputable, rowsOf } from './impute.js'
import { flag, integerAtLeast, safeInteger } from './schema.js'

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
