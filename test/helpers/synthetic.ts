import { Rng } from '../../src/index.js'

/** n rows of a factor model x = mu + Lambda z + e (seeded); prints nothing, returns the truth too. */
export function factorData(seed: number, n: number, d: number, q: number): { X: number[][]; loadings: number[][]; psi: number[] } {
  const rng = new Rng(seed)
  const loadings = Array.from({ length: d }, () => Array.from({ length: q }, () => rng.normal()))
  const psi = Array.from({ length: d }, () => 0.2 + rng.uniform())
  const X = Array.from({ length: n }, () => {
    const z = Array.from({ length: q }, () => rng.normal())
    return loadings.map((row, j) => 3 + row.reduce((s, l, k) => s + l * z[k]!, 0) + Math.sqrt(psi[j]!) * rng.normal())
  })
  return { X, loadings, psi }
}

/**
 * n rows from a mixture of bivariate t distributions with integer degrees of freedom
 * (tau = chi2_nu / nu from sums of squared normals), seeded.
 */
export function tMixtureData(seed: number, n: number): number[][] {
  const rng = new Rng(seed)
  const comps = [
    { w: 0.6, mu: [0, 0], l: [[1, 0], [0.5, 0.8]], nu: 3 },
    { w: 0.4, mu: [6, 3], l: [[1.5, 0], [-0.3, 0.6]], nu: 8 },
  ]
  return Array.from({ length: n }, () => {
    const c = rng.uniform() < comps[0]!.w ? comps[0]! : comps[1]!
    let chi = 0
    for (let i = 0; i < c.nu; i++) chi += rng.normal() ** 2
    const s = 1 / Math.sqrt(chi / c.nu)
    const z = [rng.normal(), rng.normal()]
    return [0, 1].map((j) => c.mu[j]! + s * (c.l[j]![0]! * z[0]! + c.l[j]![1]! * z[1]!))
  })
}

/** Rows of a bivariate t (nu) with about `missing` of the values set to NaN (never a whole row), seeded. */
export function tData(seed: number, n: number, nu: number, missing = 0): number[][] {
  const rng = new Rng(seed)
  return Array.from({ length: n }, () => {
    let chi = 0
    for (let i = 0; i < nu; i++) chi += rng.normal() ** 2
    const s = 1 / Math.sqrt(chi / nu)
    const z = [rng.normal(), rng.normal()]
    const row = [1 + s * 2 * z[0]!, -1 + s * (0.9 * z[0]! + 0.7 * z[1]!)]
    if (missing > 0 && rng.uniform() < missing) row[rng.integer(2)] = NaN
    return row
  })
}

/**
 * n rows from a random mixture of k Gaussians in d dimensions (centres ~ N(0, 36),
 * per-row scales in [0.5, 1.5)), seeded. With `missing`, each value is NaN with that
 * probability (never a whole row; a uniform is drawn per value even when it is 0).
 */
export function randomMixtureRows(seed: number, n: number, d: number, k: number, missing?: number): number[][] {
  const rng = new Rng(seed)
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => 6 * rng.normal()))
  return Array.from({ length: n }, () => {
    const c = rng.integer(k)
    const row = centers[c]!.map((m) => m + (0.5 + rng.uniform()) * rng.normal())
    if (missing === undefined) return row
    const out = row.map((v) => (rng.uniform() < missing ? NaN : v))
    if (out.every(Number.isNaN)) out[0] = row[0]!
    return out
  })
}

/**
 * n rows of k Gaussian blobs in d dimensions whose centres are drawn with standard
 * deviation `spread` (default 4), as a row-major matrix (seeded). The noise has standard
 * deviation 1 + stretch * j in column j (default stretch 0: spherical, unit variance).
 */
export function blobs(n: number, d: number, k: number, seed: number, { spread = 4, stretch = 0 }: { spread?: number; stretch?: number } = {}): { data: Float64Array; rows: number; cols: number } {
  const rng = new Rng(seed)
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => spread * rng.normal()))
  const data = new Float64Array(n * d)
  for (let i = 0; i < n; i++) {
    const c = rng.integer(k)
    for (let j = 0; j < d; j++) data[i * d + j] = centers[c]![j]! + rng.normal() * (1 + stretch * j)
  }
  return { data, rows: n, cols: d }
}
