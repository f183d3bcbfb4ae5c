/**
 * What only a fit on data with missing values runs (gmm/missing.ts has the layout and
 * the observed-data densities every scoring call needs): the E-step's statistics with
 * the missing coordinates' conditional moments, and incremental EM's and the shards'
 * blocks of the layout. Imported by missing-load.ts when a fit's data have NaN (the
 * estimator's loadParts), so bundles leave it out of a fit on complete data.
 */
import { InputError } from '../../core/errors.js'
import type { Matrix } from '../../core/matrix.js'
import { conditionalMean } from '../common/conditional-normal.js'
import type { GmmParams } from './params.js'
import { factorise, type MissingData, type MissingLayout, type MixtureShape, type Pattern } from './missing.js'

/**
 * The layout of rows lo..hi (an incremental EM block, numbered from lo as the block's
 * own buffers are): a pattern's rows are kept in data order, so those in the block are
 * one run of them, and its kernel buffers become views of that run; nothing is copied.
 * The block caches its own factorisations: blocks are evaluated at different parameters.
 */
export function missingBlock(layout: MissingLayout, lo: number, hi: number, k: number, d: number): MissingLayout {
  const patterns: Pattern[] = []
  for (const pat of layout.patterns) {
    const a = firstAtLeast(pat.rows, lo), b = firstAtLeast(pat.rows, hi)
    if (a === b) continue
    const q = pat.obs.length
    patterns.push({
      ...pat,
      rows: pat.rows.subarray(a, b).map((i) => i - lo),
      x: pat.x.subarray(a * q, b * q),
      xObs: pat.xObs.subarray(a * q, b * q),
      out: pat.out.subarray(a * k, b * k),
    })
  }
  return {
    patterns,
    filled: layout.filled.subarray(lo * d, hi * d),
    column: layout.column.subarray(lo, hi),
    refOne: layout.refOne,
    statsOne: layout.statsOne,
    cache: null,
  }
}

/** Index of the first entry >= value in ascending `sorted`. */
function firstAtLeast(sorted: Int32Array, value: number): number {
  let lo = 0, hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (sorted[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The cached conditional means of the missing entries at `params`, one array per component (computed once per parameters). */
function conditionalMeans(shape: MixtureShape, layout: MissingLayout, params: GmmParams): readonly Float64Array[] {
  const factors = factorise(shape, layout, params)
  const cache = layout.cache!
  if (cache.conditionalMeans) return cache.conditionalMeans
  const { k, d, covariance } = shape
  let entries = 0
  for (const pat of layout.patterns) entries += pat.rows.length * pat.miss.length
  const row = new Float64Array(d)
  cache.conditionalMeans = Array.from({ length: k }, (_, c) => {
    const values = new Float64Array(entries)
    let at = 0
    layout.patterns.forEach((pat, g) => {
      if (pat.miss.length === 0) return
      const cn = factors[g]![covariance.shared ? 0 : c]!.cn, q = pat.obs.length
      for (let r = 0; r < pat.rows.length; r++) {
        conditionalMean(cn, pat.obs, pat.miss, params.means, c * d, pat.xObs, r * q, row)
        for (const j of pat.miss) values[at++] = row[j]!
      }
    })
    return values
  })
  return cache.conditionalMeans
}

/** Component c's conditional means into the missing entries of layout.filled (the observed ones never change). */
function fillMissing(layout: MissingLayout, values: Float64Array, d: number): void {
  const filled = layout.filled.view
  let at = 0
  for (const pat of layout.patterns) {
    if (pat.miss.length === 0) continue
    for (const i of pat.rows) for (const j of pat.miss) filled[i * d + j] = values[at++]!
  }
}

/**
 * Expected complete-data statistics, around `ref`, of the responsibilities now in
 * data.resp, with the missing coordinates' conditional moments at `params`: the same
 * layout as the statistics kernel gives ([N | S1 | S2 full or diagonal] per component).
 * Hard (one-hot) responsibilities give SEM/MCEM's statistics given drawn labels.
 */
export function missingStatistics(shape: MixtureShape, data: MissingData, ref: Float64Array, params: GmmParams): Float64Array {
  const { kernels, k, d, covariance } = shape
  const layout = data.missing!
  const factors = factorise(shape, layout, params)
  const means = conditionalMeans(shape, layout, params)
  const fullS2 = covariance.statsKernel === 'statsFull'
  const s2 = fullS2 ? d * d : d
  const out = new Float64Array(k + k * d + k * s2)
  const n = data.n
  for (let c = 0; c < k; c++) {
    const block = (g: number) => factors[g]![covariance.shared ? 0 : c]!.cn
    fillMissing(layout, means[c]!, d)
    const resp = data.resp.view, column = layout.column.view
    for (let i = 0; i < n; i++) column[i] = resp[i * k + c]!
    layout.refOne.view.set(ref.subarray(c * d, c * d + d))
    kernels[covariance.statsKernel](layout.filled, n, d, layout.column, 1, data.sampleWeight, layout.refOne, layout.statsOne)
    const one = layout.statsOne.view
    out[c] = one[0]!
    out.set(one.subarray(1, 1 + d), k + c * d)
    const s2At = k + k * d + c * s2
    out.set(one.subarray(1 + d, 1 + d + s2), s2At)
    // + sum_i w_i r_ic Cov(x_m | x_o, c): one conditional covariance per pattern
    const w = data.sampleWeight?.view, col = layout.column.view
    layout.patterns.forEach((pat, g) => {
      const r = pat.miss.length
      if (r === 0) return
      let mass = 0
      for (const i of pat.rows) mass += (w ? w[i]! : 1) * col[i]!
      if (mass === 0) return
      const cov = block(g).covariance, miss = pat.miss
      for (let a = 0; a < r; a++) {
        if (!fullS2) { out[s2At + miss[a]!] += mass * cov[a * r + a]!; continue }
        for (let b = 0; b < r; b++) out[s2At + miss[a]! * d + miss[b]!] += mass * cov[a * r + b]!
      }
    })
  }
  return out
}

/**
 * Missing values in fit: every column needs an observed value, and a row with none
 * carries no information (its observed-data likelihood is 1 whatever the parameters),
 * so it gets weight 0: it contributes nothing to the fit, to `lowerBound` or to the
 * k-means++ start (the estimator's forFit, for data with NaN).
 */
export function withoutEmptyRows(m: Matrix, weight: Float64Array | null): Float64Array | null {
  const { rows, cols, data } = m
  for (let j = 0; j < cols; j++) {
    let observed = false
    for (let i = 0; i < rows && !observed; i++) observed = !Number.isNaN(data[i * cols + j]!)
    if (!observed) throw new InputError('INVALID_DATA', `Column ${j} of X has no observed value (all NaN); drop that column.`, { column: j })
  }
  let out = weight ? Float64Array.from(weight) : null
  for (let i = 0; i < rows; i++) {
    let observed = false
    for (let j = 0; j < cols && !observed; j++) observed = !Number.isNaN(data[i * cols + j]!)
    if (observed) continue
    out ??= new Float64Array(rows).fill(1)
    out[i] = 0
  }
  return out
}
