/**
 * mclust's start for one column (qclass): G classes between quantiles. The grid of
 * type-7 quantiles is refined until it has G + 1 distinct points, the smallest gaps
 * are dropped if it has more, the ends are widened by sd(x) sqrt(eps), and row i goes
 * to the class whose [q_c, q_c+1) holds it.
 */
import { quantileSorted } from '../../../core/math/quantile.js'

export function quantileClasses(x: Float64Array, G: number): Int32Array {
  const n = x.length
  const sorted = Float64Array.from(x).sort()
  let mean = 0
  for (let i = 0; i < n; i++) mean += x[i]!
  mean /= n
  let ss = 0
  for (let i = 0; i < n; i++) ss += (x[i]! - mean) ** 2
  const eps = Math.sqrt(ss / (n - 1)) * Math.sqrt(2.220446049250313e-16)
  let q: number[] = []
  for (let m = G + 1; q.length < G + 1 && m <= n + G + 1; m++) {
    const grid = Array.from({ length: m }, (_, i) => quantileSorted(sorted, m === 1 ? 0 : i / (m - 1)))
    q = [...new Set(grid)]
  }
  if (q.length > G + 1) {
    // drop the points ending the smallest gaps (R: q[-order(diff(q))[1:nr]], order is stable)
    const gaps = q.slice(1).map((v, i) => ({ gap: v - q[i]!, at: i }))
    gaps.sort((a, b) => a.gap - b.gap || a.at - b.at)
    const drop = new Set(gaps.slice(0, q.length - G - 1).map((g) => g.at))
    q = q.filter((_, i) => !drop.has(i))
  }
  q[0] = sorted[0]! - eps
  q[q.length - 1] = sorted[n - 1]! + eps
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) for (let c = 0; c < G; c++) if (x[i]! >= q[c]! && x[i]! < q[c + 1]!) out[i] = c + 1
  return out
}
