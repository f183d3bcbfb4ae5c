/**
 * Label switching: match the components of a replicate fit to those of a reference
 * fit by minimum total cost (the Hungarian algorithm, O(K^3)).
 */

/**
 * The assignment minimising the total cost: `result[i]` is the column matched to row
 * i of the K x K `cost` matrix (row-major). Ties go to the lowest index, so the
 * result is deterministic.
 */
export function minCostAssignment(cost: ArrayLike<number>, k: number): number[] {
  // e-maxx formulation, 1-based with a dummy row/column 0
  const INF = Number.POSITIVE_INFINITY
  const u = new Float64Array(k + 1), v = new Float64Array(k + 1)
  const p = new Int32Array(k + 1), way = new Int32Array(k + 1)
  for (let i = 1; i <= k; i++) {
    p[0] = i
    let j0 = 0
    const minv = new Float64Array(k + 1).fill(INF)
    const used = new Uint8Array(k + 1)
    do {
      used[j0] = 1
      const i0 = p[j0]!
      let delta = INF, j1 = 0
      for (let j = 1; j <= k; j++) {
        if (used[j]) continue
        const cur = cost[(i0 - 1) * k + (j - 1)]! - u[i0]! - v[j]!
        if (cur < minv[j]!) { minv[j] = cur; way[j] = j0 }
        if (minv[j]! < delta) { delta = minv[j]!; j1 = j }
      }
      for (let j = 0; j <= k; j++) {
        if (used[j]) { u[p[j]!] += delta; v[j] -= delta } else minv[j] -= delta
      }
      j0 = j1
    } while (p[j0] !== 0)
    do {
      const j1 = way[j0]!
      p[j0] = p[j1]!
      j0 = j1
    } while (j0 !== 0)
  }
  const result = new Array<number>(k).fill(-1)
  for (let j = 1; j <= k; j++) if (p[j]! > 0) result[p[j]! - 1] = j - 1
  return result
}

/**
 * For each reference component r, the replicate component matched to it, by squared
 * Euclidean distance between means (K x d, row-major), each coordinate scaled by
 * `scale` (e.g. the data's standard deviations) when given.
 */
export function matchComponents(reference: ArrayLike<number>, replicate: ArrayLike<number>, k: number, d: number, scale?: ArrayLike<number>): number[] {
  const cost = new Float64Array(k * k)
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < k; c++) {
      let s = 0
      for (let j = 0; j < d; j++) {
        const diff = (reference[r * d + j]! - replicate[c * d + j]!) / (scale ? scale[j]! : 1)
        s += diff * diff
      }
      cost[r * k + c] = s
    }
  }
  return minCostAssignment(cost, k)
}
