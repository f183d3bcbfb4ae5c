/**
 * Points far from every component: when a row's squared Mahalanobis distances exceed
 * the largest double (|x| around 1e154 for unit scales), the density kernels give
 * log-densities of -Infinity under every component, and the responsibilities
 * (max - max) become NaN. The distances themselves are finite numbers on a log scale,
 * so these rows can be computed again here, in TypeScript, without overflow:
 *
 * - a Gaussian log-density is c_k - D_k / 2: with h_k = log(D_k / 2) and h* the
 *   smallest, c_k - D_k / 2 = (c_k - e^{h*} expm1(h_k - h*)) - e^{h*}. The bracket is
 *   finite for the nearest components (their differences decide the posterior);
 *   e^{h*} is the row's common offset, returned as h* (`far[i]`) so callers can
 *   subtract e^{h*} from totals (it is Infinity when the log-likelihood itself is below
 *   -Number.MAX_VALUE). For components astronomically farther the bracket would be
 *   -Infinity; it is capped at -Number.MAX_VALUE / (4 n) instead, a probability that
 *   is 0 next to the nearest component's but not an impossibility (an HMM state the
 *   chain allows must stay possible when the nearest state is one it forbids), and
 *   that n of them still add up to a finite number;
 * - a t log-density is finite however far the point: c_k - (nu + d)/2 log(1 + D/nu)
 *   with log(1 + D/nu) = log D - log nu + log1p(nu / D).
 *
 * Only rows (entries) the kernels could not represent are touched, and only after a
 * pass found a non-finite total: fits on ordinary data never come here, and stay
 * bit-identical.
 */

const LOG_2PI = Math.log(2 * Math.PI)

/** How the precision factors are laid out: lower factors P = L^-1 per component (stride d*d, or 0 when shared), or per-entry precisions 1/variance. */
export type PrecisionLayout = number | 'diag'

/**
 * log of the squared Mahalanobis distance ||P (x - mu)||^2 of row `xo` of `x` from
 * mean `mo` of `means` under the precision factor at `po`, scaled so nothing
 * overflows (-Infinity when the distance is 0).
 */
function logMahalanobis(x: ArrayLike<number>, xo: number, means: ArrayLike<number>, mo: number, precision: ArrayLike<number>, po: number, d: number, layout: PrecisionLayout): number {
  let sigma = 0
  for (let l = 0; l < d; l++) sigma = Math.max(sigma, Math.abs(x[xo + l]!), Math.abs(means[mo + l]!))
  if (sigma === 0) return -Infinity
  const u = new Float64Array(d)
  for (let l = 0; l < d; l++) u[l] = x[xo + l]! / sigma - means[mo + l]! / sigma
  const y = new Float64Array(d)
  let t = 0
  for (let j = 0; j < d; j++) {
    let v = 0
    if (layout === 'diag') v = u[j]! * Math.sqrt(precision[po + j]!)
    else for (let l = 0; l <= j; l++) v += precision[po + j * d + l]! * u[l]!
    y[j] = v
    t = Math.max(t, Math.abs(v))
  }
  if (t === 0) return -Infinity
  let s = 0
  for (let j = 0; j < d; j++) s += (y[j]! / t) ** 2
  return 2 * Math.log(sigma) + 2 * Math.log(t) + Math.log(s)
}

/** Where component c's factor starts. */
function factorAt(layout: PrecisionLayout, c: number, d: number): number {
  return layout === 'diag' ? c * d : c * layout
}

/**
 * Gaussian log-densities (out: n x k, log det P of each component in logDetP) of the
 * rows where every component gave -Infinity, rewritten relative to the row's offset
 * e^{h*} (see above), h* into far[rows ? rows[r] : r]. Returns whether any row was.
 */
export function gaussianFarRows(
  x: ArrayLike<number>, n: number, d: number, means: ArrayLike<number>, k: number,
  precision: ArrayLike<number>, layout: PrecisionLayout, logDetP: ArrayLike<number>,
  out: Float64Array, far: Float64Array, rows?: ArrayLike<number>,
): boolean {
  return farRowsWith(
    n, k, out, far,
    (r, c) => logMahalanobis(x, r * d, means, c * d, precision, factorAt(layout, c, d), d, layout) - Math.LN2,
    (c) => logDetP[c]! - 0.5 * d * LOG_2PI,
    rows,
  )
}

/**
 * The rows of out (n x k) where every component's log-density c_k - e^{h_k} came out
 * -Infinity, rewritten relative to the row's offset e^{h*} (see above), h* into
 * far[rows ? rows[r] : r]: logHalfDistance(r, c) gives h_k on a log scale, constant(c)
 * gives c_k (gaussianFarRows' and the regression mixture's). Returns whether
 * any row was.
 */
export function farRowsWith(
  n: number, k: number, out: Float64Array, far: Float64Array,
  logHalfDistance: (r: number, c: number) => number, constant: (c: number) => number,
  rows?: ArrayLike<number>,
): boolean {
  let any = false
  const h = new Float64Array(k)
  const cap = farCap(far.length)
  for (let r = 0; r < n; r++) {
    const o = r * k
    let representable = false
    for (let c = 0; c < k && !representable; c++) representable = out[o + c]! > -Infinity
    if (representable) continue
    let hStar = Infinity
    for (let c = 0; c < k; c++) {
      h[c] = logHalfDistance(r, c)
      hStar = Math.min(hStar, h[c]!)
    }
    if (!(hStar > -Infinity && hStar < Infinity)) continue
    relativeToNearest(h, k, hStar, cap, constant, out, o)
    far[rows ? rows[r]! : r] = hStar
    any = true
  }
  return any
}

/**
 * One far row's log-densities c_k - e^{h_k} (h_k = log of half the squared distance;
 * h* = the smallest) into out[o .. o + k), relative to the row's offset e^{h*}: the
 * bracket of the file comment, capped at `cap`.
 */
export function relativeToNearest(h: ArrayLike<number>, k: number, hStar: number, cap: number, constant: (c: number) => number, out: Float64Array, o: number): void {
  const scale = Math.exp(hStar)
  for (let c = 0; c < k; c++) {
    const extra = h[c] === hStar ? 0 : Math.min(cap, scale * Math.expm1(h[c]! - hStar))
    out[o + c] = constant(c) - extra
  }
}

/**
 * t log-densities (out: n x k from logDensityT with the log normalisers logNorm) that
 * came out -Infinity, computed again: they are finite. logTau (when given) likewise.
 */
export function studentFarEntries(
  x: ArrayLike<number>, n: number, d: number, means: ArrayLike<number>, k: number,
  precision: ArrayLike<number>, layout: PrecisionLayout, nu: ArrayLike<number>, logNorm: ArrayLike<number>,
  out: Float64Array, logTau: Float64Array | null,
): void {
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) {
      const p = r * k + c
      if (out[p]! > -Infinity) continue
      const logD = logMahalanobis(x, r * d, means, c * d, precision, factorAt(layout, c, d), d, layout)
      const v = nu[c]!
      const l = logD - Math.log(v) + Math.log1p(v / Math.exp(logD))
      out[p] = logNorm[c]! - 0.5 * (v + d) * l
      if (logTau) logTau[p] = Math.log((v + d) / v) - l
    }
  }
}

/** The largest amount a far row's relative log-density falls below its nearest component's: see above. */
export function farCap(n: number): number {
  return Number.MAX_VALUE / (4 * Math.max(n, 1))
}

/**
 * The far rows' offsets taken from their log-likelihoods (rowLogLik, when given) and
 * from the total: returns total - sum_i w_i e^{far_i}.
 */
export function withFarOffsets(total: number, far: Float64Array, weight: ArrayLike<number> | null, rowLogLik: Float64Array | null): number {
  let s = 0
  for (let i = 0; i < far.length; i++) {
    if (!(far[i]! > -Infinity)) continue
    const offset = Math.exp(far[i]!)
    if (rowLogLik) rowLogLik[i] = rowLogLik[i]! - offset
    const w = weight ? weight[i]! : 1
    if (w !== 0) s += w * offset
  }
  return total - s
}

/** A row per entry, -Infinity: the `far` argument of a second pass (no row far yet). */
export function noFarRows(n: number): Float64Array {
  return new Float64Array(n).fill(-Infinity)
}
