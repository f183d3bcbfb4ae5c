/**
 * The GMM's init 'hc': mclust's hierarchical partition (models/init/hc/) of the rows, or
 * of a random subset of them, as labels and centres for the first M-step (init.ts).
 * Imported with the agglomeration by loadInit, so bundles load it only for init 'hc'.
 */
import { UnsupportedError } from '../../core/errors.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { mclustStart } from '../init/hc/index.js'
import type { GaussianMixtureModel, GmmData } from './model.js'
import { distinctRowIds } from './distinct-rows.js'

/**
 * mclust's start: its hierarchical partition into k clusters (models/init/hc/), labels
 * into `labels` (0-based); returns the clusters' means (the statistics' reference).
 * With more than `subset` rows, as mclust: hc on `subset` rows drawn without replacement
 * (by the restart's seeded rng; kept in row order), the other rows labelled -1 so that the
 * first M-step is the subset's and EM then runs on every row. Otherwise deterministic:
 * every restart starts from the same partition (and no draw is made).
 */
export function hcStart(model: GaussianMixtureModel, data: GmmData, labels: Int32Array, subset: number, rng: Rng): Float64Array {
  const { k, d } = model
  if (data.missing) throw new UnsupportedError("init 'hc' needs complete rows (mclust's hc refuses missing values); use init 'kmeans++' with NaN entries.")
  const all = data.x.view
  const rows = data.n > subset ? Int32Array.from(distinctRowIds(data.n, subset, rng)).sort() : null
  const m = rows ? rows.length : data.n
  const x = new Float64Array(m * d)
  for (let r = 0; r < m; r++) x.set(all.subarray((rows ? rows[r]! : r) * d, ((rows ? rows[r]! : r) + 1) * d), r * d)
  const start = mclustStart(x, m, d, k)
  const centers = new Float64Array(k * d)
  const counts = new Float64Array(k)
  labels.fill(-1)
  for (let r = 0; r < m; r++) {
    const c = start[r]! - 1
    labels[rows ? rows[r]! : r] = c
    counts[c]++
    for (let j = 0; j < d; j++) centers[c * d + j] += x[r * d + j]!
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centers[c * d + j] = centers[c * d + j]! / counts[c]!
  return centers
}
