/**
 * mclust's hierarchical initialisation: the partitions hclass(hc(X, modelName, use =
 * 'SVD'), G) that Mclust's EM starts from (unmap of them, one M-step).
 */
import { UnsupportedError } from '../../../core/errors.js'
import { agglomerate, type Merges, partition } from './agglomerate.js'
import { HC_CRITERIA, type HcModel } from './criteria.js'
import { svdScaled } from './scale.js'
import { quantileClasses } from './quantile-classes.js'

export type { HcModel } from './criteria.js'

import { HC_MAX_ROWS } from './limits.js'

export { HC_MAX_ROWS } from './limits.js'

/** traceW: the total sum of squares about the column means. */
function traceW(z: Float64Array, n: number, p: number): number {
  let s = 0
  for (let j = 0; j < p; j++) {
    let m = 0
    for (let i = 0; i < n; i++) m += z[i * p + j]!
    m /= n
    for (let i = 0; i < n; i++) { const v = z[i * p + j]! - m; s += v * v }
  }
  return s
}

/** The merges of mclust's hc on the SVD-scaled rows of x (n x d, row-major). */
export function hcMerges(x: Float64Array, n: number, d: number, model: HcModel = 'VVV'): Merges {
  if (n > HC_MAX_ROWS) {
    throw new UnsupportedError(`init 'hc' agglomerates at most ${HC_MAX_ROWS} rows (mclust's limit: it keeps n(n - 1)/2 merge costs), got ${n}; fit a random subset first and start from its parameters, or use init 'kmeans++'.`, { rows: n, limit: HC_MAX_ROWS })
  }
  const { z, p } = svdScaled(x, n, d)
  // mclust's hcVVV: alpha = traceW(Z / sqrt(n p)) (at least eps), beta = 1
  const alpha = Math.max(traceW(z, n, p) / (n * p), 2.220446049250313e-16)
  return agglomerate(z, n, p, HC_CRITERIA[model]({ p, alpha, beta: 1 }))
}

/** hclass: the partition of the rows into G clusters, labels 1..G by first appearance. */
export { partition as hcPartition }

/**
 * Mclust's starting partition into G clusters (labels 1..G) of x (n x d): hc on the
 * SVD-scaled data with VVV, or EII when n <= d, as mclustBIC chooses; quantile classes
 * (qclass) for one column.
 */
export function mclustStart(x: Float64Array, n: number, d: number, G: number): Int32Array {
  if (d === 1) return quantileClasses(x, G)
  return partition(hcMerges(x, n, d, n > d ? 'VVV' : 'EII'), G)
}
