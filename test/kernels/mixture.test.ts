/**
 * Every mixture kernel on the SIMD and scalar wasm builds against the JS twin,
 * with sizes that are not multiples of the SIMD width (n = 1, 3, 257; d = 1, 3,
 * 7; k = 1, 2, 5), with and without sample weights, own and shared (tied)
 * precision factors, and exact zeros among the responsibilities.
 * Results are bit-identical (see backends.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { jsKernels } from '../../src/kernels/js/index.js'
import type { Arena, F64Buffer, Kernels } from '../../src/kernels/types.js'
import { copyOf, expectSame, loadAll, normals, seeded, spdMatrices, uniforms } from './backends.js'

type Outputs = Record<string, Float64Array | number>

let K: Awaited<ReturnType<typeof loadAll>>
beforeAll(async () => {
  K = await loadAll()
})

/** Run `body` on one backend with fresh buffers; returns copies of its outputs. */
function run(kernels: Kernels, body: (k: Kernels, a: Arena) => Record<string, F64Buffer | number>): Outputs {
  const arena = kernels.arena()
  try {
    const result = body(kernels, arena)
    const out: Outputs = {}
    for (const [key, value] of Object.entries(result)) out[key] = typeof value === 'number' ? value : copyOf(value)
    return out
  } finally {
    arena.dispose()
  }
}

/** Run on all three backends and compare wasm and wasm-scalar with js. */
function compare(label: string, body: (k: Kernels, a: Arena) => Record<string, F64Buffer | number>): void {
  const expected = run(K.js, body)
  for (const name of ['wasm', 'wasm-scalar'] as const) {
    const actual = run(K[name], body)
    for (const key of Object.keys(expected)) {
      const e = expected[key]!
      const a = actual[key]!
      if (typeof e === 'number') expectSame([a as number], [e], `${label} ${name} ${key}`)
      else expectSame(a as Float64Array, e, `${label} ${name} ${key}`)
    }
  }
}

interface Problem {
  n: number, d: number, k: number
  x: Float64Array, means: Float64Array, prec: Float64Array, logDetP: Float64Array
  precDiag: Float64Array, logDetDiag: Float64Array
  logWeights: Float64Array, sampleWeight: Float64Array
}

function problem(n: number, d: number, k: number): Problem {
  const seed = 1000 * n + 100 * d + k
  const rng = seeded(seed, `mixture n=${n} d=${d} k=${k}`)
  const means = normals(rng, k * d, 2)
  const x = new Float64Array(n * d)
  for (let i = 0; i < n; i++) {
    const c = i % k
    for (let j = 0; j < d; j++) x[i * d + j] = means[c * d + j]! + (rng.uniform() - 0.5) * 3
  }
  // precision factors through the JS twin's own linear algebra
  const a = jsKernels.arena()
  const cov = a.f64From(spdMatrices(rng, k, d))
  const L = a.f64(k * d * d)
  const P = a.f64(k * d * d)
  jsKernels.cholesky(cov, k, d, L)
  jsKernels.invertLower(L, k, d, P)
  const prec = P.view.slice()
  const logDetP = new Float64Array(k)
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) logDetP[c] = logDetP[c]! + Math.log(prec[c * d * d + j * d + j]!)
  const precDiag = uniforms(rng, k * d, 0.2, 3)
  const logDetDiag = new Float64Array(k)
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) logDetDiag[c] = logDetDiag[c]! + 0.5 * Math.log(precDiag[c * d + j]!)
  const w = uniforms(rng, k, 0.1, 1)
  const total = w.reduce((s, v) => s + v, 0)
  const logWeights = w.map((v) => Math.log(v / total))
  const sampleWeight = uniforms(rng, n, 0, 3)
  if (n > 2) sampleWeight[1] = 0
  return { n, d, k, x, means, prec, logDetP, precDiag, logDetDiag, logWeights, sampleWeight }
}

/** Responsibilities from the JS twin, with some set to exactly 0 (rows skipped by the statistics). */
function responsibilitiesOf(p: Problem, zeroEvery: number): Float64Array {
  const out = run(jsKernels, (k, a) => {
    const lp = a.f64(p.n * p.k)
    k.logDensityFull(a.f64From(p.x), p.n, p.d, a.f64From(p.means), p.k, a.f64From(p.prec), p.d * p.d, a.f64From(p.logDetP), lp)
    k.responsibilities(lp, p.n, p.k, a.f64From(p.logWeights), null, null)
    return { lp }
  })
  const r = out.lp as Float64Array
  if (zeroEvery > 0) for (let i = 0; i < r.length; i += zeroEvery) r[i] = 0
  return r
}

const SIZES: [number, number, number][] = []
for (const n of [1, 3, 257]) for (const d of [1, 3, 7]) for (const k of [1, 2, 5]) SIZES.push([n, d, k])

describe.each(SIZES)('n=%i d=%i k=%i', (n, d, k) => {
  const p = problem(n, d, k)
  const label = `n=${n} d=${d} k=${k}`

  it('logDensityFull, one factor per component and one shared (tied) factor', () => {
    compare(`${label} logDensityFull`, (K, a) => {
      const x = a.f64From(p.x), means = a.f64From(p.means), prec = a.f64From(p.prec), ld = a.f64From(p.logDetP)
      const own = a.f64(n * k)
      const tied = a.f64(n * k)
      K.logDensityFull(x, n, d, means, k, prec, d * d, ld, own)
      K.logDensityFull(x, n, d, means, k, prec, 0, ld, tied)
      return { own, tied }
    })
  })

  it('logDensityDiag', () => {
    compare(`${label} logDensityDiag`, (K, a) => {
      const out = a.f64(n * k)
      K.logDensityDiag(a.f64From(p.x), n, d, a.f64From(p.means), k, a.f64From(p.precDiag), a.f64From(p.logDetDiag), out)
      return { out }
    })
  })

  it('sqDistances', () => {
    compare(`${label} sqDistances`, (K, a) => {
      const out = a.f64(n * k)
      K.sqDistances(a.f64From(p.x), n, d, a.f64From(p.means), k, out)
      return { out }
    })
  })

  it('responsibilities, with and without row log-likelihoods and sample weights', () => {
    compare(`${label} responsibilities`, (K, a) => {
      const x = a.f64From(p.x), lw = a.f64From(p.logWeights)
      const lp1 = a.f64(n * k)
      K.logDensityFull(x, n, d, a.f64From(p.means), k, a.f64From(p.prec), d * d, a.f64From(p.logDetP), lp1)
      const lp2 = a.f64From(lp1.view)
      const rowLogLik = a.f64(n)
      const plain = K.responsibilities(lp1, n, k, lw, null, null)
      const weighted = K.responsibilities(lp2, n, k, lw, rowLogLik, a.f64From(p.sampleWeight))
      return { lp1, lp2, rowLogLik, plain, weighted }
    })
  })

  it('statsFull and statsDiag, with and without sample weights, with zero responsibilities', () => {
    const resp = responsibilitiesOf(p, 3)
    compare(`${label} stats`, (K, a) => {
      const x = a.f64From(p.x), r = a.f64From(resp), ref = a.f64From(p.means), w = a.f64From(p.sampleWeight)
      const full = a.f64(k + k * d + k * d * d)
      const fullW = a.f64(k + k * d + k * d * d)
      const diag = a.f64(k + 2 * k * d)
      const diagW = a.f64(k + 2 * k * d)
      full.view.fill(123) // the kernels overwrite, not accumulate
      K.statsFull(x, n, d, r, k, null, ref, full)
      K.statsFull(x, n, d, r, k, w, ref, fullW)
      K.statsDiag(x, n, d, r, k, null, ref, diag)
      K.statsDiag(x, n, d, r, k, w, ref, diagW)
      return { full, fullW, diag, diagW }
    })
  })
})

describe('responsibilities at the edges of exp and log', () => {
  it('huge gaps (flushed to 0), ties, -Infinity entries and an all -Infinity row (NaN)', () => {
    const rng = seeded(77, 'responsibilities edges')
    const n = 33, k = 5
    const lp = new Float64Array(n * k)
    for (let i = 0; i < lp.length; i++) lp[i] = (rng.uniform() - 0.9) * 2000
    for (let c = 0; c < k; c++) lp[3 * k + c] = -12.5 // ties
    lp[4 * k + 1] = -Infinity
    for (let c = 0; c < k; c++) lp[5 * k + c] = -Infinity // NaN row
    lp[6 * k] = 700 // large positive
    lp[7 * k + 2] = -460.0000001 // just below the flush threshold relative to others at 0
    for (let c = 0; c < k; c++) if (c !== 2) lp[7 * k + c] = 0
    compare('edges', (K, a) => {
      const v = a.f64From(lp)
      const rowLogLik = a.f64(n)
      const total = K.responsibilities(v, n, k, a.f64From([0, -1, -2, -3, -4]), rowLogLik, null)
      return { v, rowLogLik, total }
    })
  })
})

describe('responsibilities at their floor (t - max < -100 ln 2 gives 0)', () => {
  it('terms just above and below the floor, alone and beside each other in a row pair', () => {
    const FLOOR = -100 * Math.LN2 // RESP_FLOOR of assembly/common.ts
    const below = FLOOR - 1e-13, above = FLOOR + 1e-13
    const rng = seeded(91, 'responsibilities floor')
    const n = 41, k = 3
    const lp = new Float64Array(n * k)
    for (let i = 0; i < n; i++) {
      lp[i * k] = 0 // the row's largest term
      // rows in pairs (lanes of one v128 on the SIMD build): both below, both above, one of each
      lp[i * k + 1] = [below, above, i % 2 ? below : above, FLOOR][i % 4]!
      lp[i * k + 2] = FLOOR + (rng.uniform() - 0.5) * 4
    }
    compare('floor', (K, a) => {
      const v = a.f64From(lp)
      const rowLogLik = a.f64(n)
      const total = K.responsibilities(v, n, k, a.f64From([0, 0, 0]), rowLogLik, null)
      return { v, rowLogLik, total }
    })
    const js = run(K.js, (k2, a) => {
      const v = a.f64From(lp)
      k2.responsibilities(v, n, k, a.f64From([0, 0, 0]), null, null)
      return { v }
    }).v as Float64Array
    for (let i = 0; i < n; i++) {
      const r = js[i * k + 1]!
      const expected = lp[i * k + 1]! < FLOOR ? 0 : Math.exp(lp[i * k + 1]!)
      expect(r === 0, `row ${i}: ${r}`).toBe(expected === 0)
      if (expected !== 0) expect(Math.abs(r / expected - 1)).toBeLessThan(1e-12)
    }
  })
})

describe('empty inputs', () => {
  it('n = 0 leaves outputs alone (densities) or gives zero statistics and total', () => {
    compare('n=0', (K, a) => {
      const d = 3, k = 2
      const x = a.f64(0), means = a.f64From([0, 1, 2, 3, 4, 5]), ld = a.f64From([0.5, -0.5])
      const prec = a.f64From([1, 0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0, 0, 2, 0, 0, 0, 2])
      const out = a.f64(0)
      K.logDensityFull(x, 0, d, means, k, prec, d * d, ld, out)
      K.logDensityDiag(x, 0, d, means, k, a.f64From([1, 1, 1, 1, 1, 1]), ld, out)
      K.sqDistances(x, 0, d, means, k, out)
      const total = K.responsibilities(out, 0, k, ld, null, null)
      const full = a.f64From(new Array<number>(k + k * d + k * d * d).fill(9))
      const diag = a.f64From(new Array<number>(k + 2 * k * d).fill(9))
      K.statsFull(x, 0, d, out, k, null, means, full)
      K.statsDiag(x, 0, d, out, k, null, means, diag)
      return { total, full, diag }
    })
  })
})

// d of at least 8: the SIMD density's 4 x 4 tiles of the precision factor (more than one
// tile, with and without a d mod 4 tail) and its x - mean made once per component
describe.each([[257, 8, 3], [7, 9, 2], [5, 13, 2], [6, 32, 3]] as [number, number, number][])('n=%i d=%i k=%i (tiles)', (n, d, k) => {
  it('logDensityFull, own and tied factors', () => {
    const p = problem(n, d, k)
    compare(`n=${n} d=${d} k=${k} logDensityFull tiles`, (K, a) => {
      const x = a.f64From(p.x), means = a.f64From(p.means), prec = a.f64From(p.prec), ld = a.f64From(p.logDetP)
      const own = a.f64(n * k)
      const tied = a.f64(n * k)
      K.logDensityFull(x, n, d, means, k, prec, d * d, ld, own)
      K.logDensityFull(x, n, d, means, k, prec, 0, ld, tied)
      return { own, tied }
    })
  })
})

/**
 * statsFull leaves out of S1 and S2 the rows whose weight for a component is at most
 * 2^-100 N_c / n (N_c over every row): weights of separated components, most ~1e-80.
 * Rows over more than one block of 128, k = 11 and 9 (the SIMD masses' eight-, two-
 * and one-component sweeps), odd and even d, with and without sample weights; the
 * backends agree bit for bit, and with the plain sums over every row to rounding.
 */
describe.each([[300, 5, 11], [131, 8, 9], [257, 3, 2]] as [number, number, number][])('statsFull, negligible weights: n=%i d=%i k=%i', (n, d, k) => {
  it('left out identically on every backend, and the statistics those of every row', () => {
    const rng = seeded(7000 + n + d + k, `statsFull negligible n=${n} d=${d} k=${k}`)
    const x = normals(rng, n * d, 2, 1)
    const ref = normals(rng, k * d)
    const sampleWeight = uniforms(rng, n, 0, 3)
    const resp = new Float64Array(n * k)
    for (let i = 0; i < n; i++) {
      const own = rng.integer(k)
      for (let c = 0; c < k; c++) {
        const u = rng.uniform()
        // the row's own component, then tiny (left out), zero, and a few of moderate size
        resp[i * k + c] = c === own ? 1 : u < 0.6 ? 1e-80 * u : u < 0.7 ? 0 : u < 0.75 ? 1e-30 * u : 1e-3 * u
      }
    }
    // one weight exactly at component 0's threshold (left out) and one just above it (kept)
    let mass0 = 0
    resp[2 * k] = 0
    resp[3 * k] = 0
    for (let i = 0; i < n; i++) mass0 += resp[i * k]!
    const thr0 = mass0 * 2 ** -100 / n
    resp[2 * k] = thr0
    resp[3 * k] = thr0 * (1 + 2 ** -52)
    compare(`statsFull negligible n=${n} d=${d} k=${k}`, (K, a) => {
      const full = a.f64(k + k * d + k * d * d)
      const fullW = a.f64(k + k * d + k * d * d)
      K.statsFull(a.f64From(x), n, d, a.f64From(resp), k, null, a.f64From(ref), full)
      K.statsFull(a.f64From(x), n, d, a.f64From(resp), k, a.f64From(sampleWeight), a.f64From(ref), fullW)
      return { full, fullW }
    })
    // the rule is observable: with rows 2 and 3 far out (w z^2 ~ 0.1 at weights ~1e-31),
    // S2[0][0][0] holds row 3's term (just above the threshold) and not row 2's (at it)
    const far = Float64Array.from(x)
    far[2 * d] = ref[0]! + 1e15
    far[3 * d] = ref[0]! + 1e15
    for (const backend of [K.wasm, K['wasm-scalar'], K.js]) {
      const s2 = (run(backend, (K, a) => {
        const full = a.f64(k + k * d + k * d * d)
        K.statsFull(a.f64From(far), n, d, a.f64From(resp), k, null, a.f64From(ref), full)
        return { full }
      }).full as Float64Array)[k + k * d]!
      let kept = 0
      for (let i = 0; i < n; i++) if (i !== 2) kept += resp[i * k]! * (far[i * d]! - ref[0]!) ** 2
      const row2 = resp[2 * k]! * (far[2 * d]! - ref[0]!) ** 2
      expect(row2).toBeGreaterThan(1e-6 * kept)
      expect(Math.abs(s2 - kept)).toBeLessThan(1e-3 * row2)
    }
    // against the plain sums over every row (no row left out)
    const out = run(K.wasm, (K, a) => {
      const fullW = a.f64(k + k * d + k * d * d)
      K.statsFull(a.f64From(x), n, d, a.f64From(resp), k, a.f64From(sampleWeight), a.f64From(ref), fullW)
      return { fullW }
    }).fullW as Float64Array
    const plain = new Float64Array(k + k * d + k * d * d)
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const w = resp[i * k + c]! * sampleWeight[i]!
        plain[c] = plain[c]! + w
        for (let j = 0; j < d; j++) {
          const zj = x[i * d + j]! - ref[c * d + j]!
          plain[k + c * d + j] = plain[k + c * d + j]! + w * zj
          for (let l = 0; l < d; l++) plain[k + k * d + c * d * d + j * d + l] = plain[k + k * d + c * d * d + j * d + l]! + w * zj * (x[i * d + l]! - ref[c * d + l]!)
        }
      }
    }
    for (let c = 0; c < k; c++) {
      const scale = plain[c]! // every statistic of c is a sum of N_c-weighted terms of size ~|z|^2
      for (const [from, size] of [[k + c * d, d], [k + k * d + c * d * d, d * d]] as const) {
        for (let e = from; e < from + size; e++) {
          if (Math.abs(out[e]! - plain[e]!) > 1e-13 * scale * 64) throw new Error(`statsFull component ${c} entry ${e}: ${out[e]} vs ${plain[e]} (every row)`)
        }
      }
    }
  })
})
