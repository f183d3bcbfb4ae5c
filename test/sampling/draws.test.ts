/**
 * The sampling kernels: identical draws on every backend and from the `Rng` methods
 * (sizes that are not multiples of the SIMD width, several calls continuing one
 * stream), and distribution checks (moments, Kolmogorov-Smirnov) with printed seeds.
 */
import { describe, expect, it } from 'vitest'
import { loadKernels } from '../../src/kernels/index.js'
import type { BackendName, Kernels } from '../../src/kernels/types.js'
import { logNormalCdf, normalCdf, logNormalInterval, truncatedNormalMoments } from '../../src/core/math/normal.js'
import { Rng } from '../../src/core/rng/rng.js'
import { expectIdentical } from '../kernels/backends.js'

const BACKENDS: readonly BackendName[] = ['wasm', 'wasm-scalar', 'js']
const SIZES = [0, 1, 2, 3, 7, 64, 1001]

function seeded(seed: number, what: string): number {
  console.log(`[sampling] ${what}: seed ${seed}`)
  return seed
}

interface Draws { normals: Float64Array[]; gammas: Float64Array[]; tn: Float64Array[]; labels: Int32Array[]; state: Int32Array }

/** One fixed program of kernel calls on one backend. */
function program(K: Kernels, seed: number): Draws {
  const a = K.arena()
  try {
    const rng = new Rng(seed)
    const state = a.i32(4)
    state.view.set(rng.state)
    const out: Draws = { normals: [], gammas: [], tn: [], labels: [], state: new Int32Array(4) }
    for (const n of SIZES) {
      const o = a.f64(Math.max(n, 1))
      K.sampleNormals(state, o, n)
      out.normals.push(o.view.slice(0, n))
      const shapes = a.f64From(Array.from({ length: n }, (_, i) => [0.05, 0.5, 1, 2.5, 40][i % 5]!))
      const g = a.f64(Math.max(n, 1))
      expect(K.sampleGammas(state, shapes, g, n)).toBe(-1)
      out.gammas.push(g.view.slice(0, n))
      const bounds = [[-Infinity, Infinity], [0, Infinity], [3, Infinity], [40, Infinity], [-Infinity, -12], [-0.5, 0.5], [2, 2.001], [-3, 4], [1, 3], [-50, -49.5]]
      const mean = a.f64From(Array.from({ length: n }, (_, i) => (i % 3) - 1))
      const sd = a.f64From(Array.from({ length: n }, (_, i) => 0.5 + (i % 4)))
      const lo = a.f64From(Array.from({ length: n }, (_, i) => bounds[i % bounds.length]![0]! * (0.5 + (i % 4)) + ((i % 3) - 1)))
      const hi = a.f64From(Array.from({ length: n }, (_, i) => bounds[i % bounds.length]![1]! * (0.5 + (i % 4)) + ((i % 3) - 1)))
      const t = a.f64(Math.max(n, 1))
      expect(K.sampleTruncatedNormals(state, mean, sd, lo, hi, n, t)).toBe(-1)
      out.tn.push(t.view.slice(0, n))
      const k = 1 + (n % 4)
      const prob = a.f64From(Array.from({ length: n * k }, (_, i) => (i % 5 === 0 ? 0 : ((i * 37) % 11) / 10)))
      for (let i = 0; i < n; i++) prob.view[i * k] = 0.25 // no all-zero row
      const labels = a.i32(Math.max(n, 1))
      expect(K.sampleCategorical(state, prob, n, k, labels)).toBe(0)
      out.labels.push(labels.view.slice(0, n))
    }
    out.state.set(state.view)
    return out
  } finally {
    a.dispose()
  }
}

/** The same program through the Rng methods. */
function programRng(seed: number): Draws {
  const rng = new Rng(seed)
  const out: Draws = { normals: [], gammas: [], tn: [], labels: [], state: new Int32Array(4) }
  const bounds = [[-Infinity, Infinity], [0, Infinity], [3, Infinity], [40, Infinity], [-Infinity, -12], [-0.5, 0.5], [2, 2.001], [-3, 4], [1, 3], [-50, -49.5]]
  for (const n of SIZES) {
    out.normals.push(rng.normals(new Float64Array(n)))
    out.gammas.push(Float64Array.from({ length: n }, (_, i) => rng.gamma([0.05, 0.5, 1, 2.5, 40][i % 5]!)))
    out.tn.push(Float64Array.from({ length: n }, (_, i) => {
      const s = 0.5 + (i % 4), m = (i % 3) - 1
      return rng.truncatedNormal(m, s, bounds[i % bounds.length]![0]! * s + m, bounds[i % bounds.length]![1]! * s + m)
    }))
    const k = 1 + (n % 4)
    const prob = Array.from({ length: n * k }, (_, i) => (i % 5 === 0 ? 0 : ((i * 37) % 11) / 10))
    for (let i = 0; i < n; i++) prob[i * k] = 0.25
    out.labels.push(Int32Array.from({ length: n }, (_, i) => rng.categorical(prob, i * k, k)))
  }
  out.state.set(rng.state)
  return out
}

describe('same seed, same draws', () => {
  it('on wasm, wasm-scalar, js and through Rng methods', async () => {
    for (const seed of [seeded(20261122, 'backends'), seeded(7, 'backends')]) {
      const ref = programRng(seed)
      for (const b of BACKENDS) {
        const got = program(await loadKernels(b), seed)
        for (let s = 0; s < SIZES.length; s++) {
          expectIdentical(got.normals[s]!, ref.normals[s]!, `${b} normals n=${SIZES[s]}`)
          expectIdentical(got.gammas[s]!, ref.gammas[s]!, `${b} gammas n=${SIZES[s]}`)
          expectIdentical(got.tn[s]!, ref.tn[s]!, `${b} truncated n=${SIZES[s]}`)
          expectIdentical(got.labels[s]!, ref.labels[s]!, `${b} labels n=${SIZES[s]}`)
        }
        expectIdentical(got.state, ref.state, `${b} state after`)
      }
    }
  })

  it('the public Rng keeps its draws through split() and fromState() (the generator alone is what fits carry)', () => {
    const a = new Rng(7)
    const b = Rng.fromState(new Rng(7).state)
    expect(b).toBeInstanceOf(Rng)
    expect(b.gamma(2.5)).toBe(a.gamma(2.5))
    const [sa, sb] = [a.split(), b.split()]
    expect(sb).toBeInstanceOf(Rng)
    expect([sb.truncatedNormal(0, 1, 1, 2), sb.categorical([1, 2, 3]), sb.binomial(10, 0.3)]).toEqual([sa.truncatedNormal(0, 1, 1, 2), sa.categorical([1, 2, 3]), sa.binomial(10, 0.3)])
    expect(() => sa.gamma(-1)).toThrow(RangeError)
  })

  it('draws stay inside their bounds, even far in the tails', () => {
    const rng = new Rng(seeded(11, 'bounds'))
    for (const [lo, hi] of [[40, Infinity], [1e6, Infinity], [1e300, Infinity], [-Infinity, -80], [8, 8.000001], [-1e-9, 1e-9], [-30, 30]] as const) {
      for (let i = 0; i < 200; i++) {
        const x = rng.truncatedNormal(0, 1, lo, hi)
        expect(x >= lo && x <= hi, `${x} in [${lo}, ${hi}]`).toBe(true)
      }
    }
  })

  it('reports invalid input by index / count and leaves other outputs alone', async () => {
    for (const b of BACKENDS) {
      const K = await loadKernels(b)
      const a = K.arena()
      const state = a.i32(4)
      state.view.set(new Rng(1).state)
      expect(K.sampleGammas(state, a.f64From([1, 0, 2]), a.f64(3), 3)).toBe(1)
      expect(K.sampleGammas(state, a.f64From([1, NaN]), a.f64(2), 2)).toBe(1)
      const one = a.f64From([1, 1])
      expect(K.sampleTruncatedNormals(state, a.f64From([0, 0]), one, a.f64From([0, 2]), a.f64From([1, 2]), 2, a.f64(2))).toBe(1)
      expect(K.sampleTruncatedNormals(state, a.f64From([0]), a.f64From([0]), a.f64From([0]), a.f64From([1]), 1, a.f64(1))).toBe(0)
      const labels = a.i32(3)
      expect(K.sampleCategorical(state, a.f64From([1, 1, 0, 0, NaN, 1]), 3, 2, labels)).toBe(2)
      expect([...labels.view]).toEqual([labels.view[0], -1, -1])
      a.dispose()
    }
    expect(() => new Rng(1).gamma(-1)).toThrow(RangeError)
    expect(() => new Rng(1).truncatedNormal(0, 1, 2, 1)).toThrow(RangeError)
    expect(() => new Rng(1).categorical([0, 0])).toThrow(RangeError)
  })
})

/** Kolmogorov-Smirnov statistic of `xs` against `cdf`. */
function ks(xs: Float64Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort()
  const n = s.length
  let d = 0
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]!)
    d = Math.max(d, (i + 1) / n - f, f - i / n)
  }
  return d
}

/** Critical value at level 0.001. */
const ksCrit = (n: number) => 1.95 / Math.sqrt(n)

function meanVar(xs: ArrayLike<number>): [number, number] {
  let m = 0
  for (let i = 0; i < xs.length; i++) m += xs[i]!
  m /= xs.length
  let v = 0
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - m) ** 2
  return [m, v / (xs.length - 1)]
}

describe('distributions', () => {
  const N = 40000
  it('standard normal: moments and KS', async () => {
    const K = await loadKernels('wasm')
    const a = K.arena()
    const state = a.i32(4)
    state.view.set(new Rng(seeded(101, 'normal KS')).state)
    const out = a.f64(N)
    K.sampleNormals(state, out, N)
    const xs = out.view.slice()
    a.dispose()
    const [m, v] = meanVar(xs)
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(N))
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / N))
    expect(ks(xs, normalCdf)).toBeLessThan(ksCrit(N))
  })

  it('truncated normal: KS on several intervals, mean and variance in the far tail', () => {
    const rng = new Rng(seeded(202, 'truncated KS'))
    for (const [lo, hi] of [[0, Infinity], [-Infinity, -1.5], [2.5, Infinity], [-0.3, 0.2], [1, 1.5], [-2, 3], [-4, 4], [6, 6.5]] as const) {
      const xs = Float64Array.from({ length: N / 4 }, () => rng.truncatedNormal(0, 1, lo, hi))
      const lz = logNormalInterval(lo, hi)
      const cdf = (x: number) => (x <= lo ? 0 : x >= hi ? 1 : Math.exp(logNormalInterval(lo, x) - lz))
      expect(ks(xs, cdf), `KS [${lo}, ${hi}]`).toBeLessThan(ksCrit(xs.length))
      const { mean, variance } = truncatedNormalMoments(lo, hi)
      const [m, v] = meanVar(xs)
      expect(Math.abs(m - mean), `mean [${lo}, ${hi}]`).toBeLessThan(5 * Math.sqrt(variance / xs.length))
      expect(Math.abs(v / variance - 1), `var [${lo}, ${hi}]`).toBeLessThan(0.06)
    }
    for (const a of [10, 50, 1000]) {
      // far tail: a (X - a) is close to Exp(1) (exactly so as a -> infinity)
      const xs = Float64Array.from({ length: N / 4 }, () => a * (rng.truncatedNormal(0, 1, a, Infinity) - a))
      const { mean } = truncatedNormalMoments(a, Infinity)
      const [m] = meanVar(xs)
      expect(Math.abs(m - a * (mean - a)), `tail mean a=${a}`).toBeLessThan(0.05)
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    }
    expect(logNormalCdf(-40)).toBeCloseTo(-804.6084420137538, 8)
  })

  it('gamma: moments for small and large shapes', () => {
    const rng = new Rng(seeded(303, 'gamma moments'))
    for (const shape of [0.1, 0.7, 1, 3.5, 100]) {
      const xs = Float64Array.from({ length: N }, () => rng.gamma(shape, 2))
      const [m, v] = meanVar(xs)
      expect(Math.abs(m - shape / 2), `mean shape ${shape}`).toBeLessThan(5 * Math.sqrt(shape / 4 / N))
      expect(Math.abs(v / (shape / 4) - 1), `var shape ${shape}`).toBeLessThan(shape < 0.5 ? 0.15 : 0.06)
      // log-moment: E log X = digamma(shape) - log rate; test shape 1: -euler - log 2
      if (shape === 1) {
        let l = 0
        for (const x of xs) l += Math.log(x)
        expect(Math.abs(l / N - (-0.5772156649015329 - Math.LN2))).toBeLessThan(0.03)
        expect(ks(xs, (x) => 1 - Math.exp(-2 * x))).toBeLessThan(ksCrit(N))
      }
    }
  })

  it('categorical: label frequencies match the probabilities (chi-square)', async () => {
    const K = await loadKernels('wasm')
    const a = K.arena()
    const n = 30001, k = 5
    const p = [0.1, 0.0, 0.45, 0.15, 0.3]
    const prob = a.f64From(Array.from({ length: n * k }, (_, i) => 2 * p[i % k]!))
    const labels = a.i32(n)
    const state = a.i32(4)
    state.view.set(new Rng(seeded(404, 'categorical')).state)
    expect(K.sampleCategorical(state, prob, n, k, labels)).toBe(0)
    const counts = new Array<number>(k).fill(0)
    for (const l of labels.view) counts[l]!++
    a.dispose()
    expect(counts[1]).toBe(0)
    let chi = 0
    for (let c = 0; c < k; c++) if (p[c]! > 0) chi += (counts[c]! - n * p[c]!) ** 2 / (n * p[c]!)
    expect(chi).toBeLessThan(18.47) // chi-square(3) at 0.0005
  })

  it('binomial: exact probabilities (chi-square) for small n p, mean and variance on the split path, edge cases', () => {
    const rng = new Rng(seeded(303, 'binomial'))
    for (const [n, p] of [[5, 0.3], [12, 0.8], [30, 0.05]] as const) {
      const counts = new Float64Array(n + 1)
      for (let i = 0; i < N / 4; i++) counts[rng.binomial(n, p)]!++
      let chi = 0, cells = 0, pk = (1 - p) ** n
      for (let k = 0; k <= n; k++) {
        if (k > 0) pk *= ((n - k + 1) / k) * (p / (1 - p))
        const e = (N / 4) * pk
        if (e >= 5) { chi += (counts[k]! - e) ** 2 / e; cells++ }
      }
      expect(chi).toBeLessThan(cells + 5 * Math.sqrt(2 * cells)) // far in the chi-square(cells - 1) tail
    }
    // n p = 2500 > 200: drawn as a sum of halves
    const xs = Float64Array.from({ length: 4000 }, () => rng.binomial(10000, 0.25))
    const [m, v] = meanVar(xs)
    expect(Math.abs(m - 2500) / Math.sqrt(1875 / 4000)).toBeLessThan(4)
    expect(Math.abs(v / 1875 - 1)).toBeLessThan(4 * Math.sqrt(2 / 4000))
    expect(rng.binomial(0, 0.5)).toBe(0)
    expect(rng.binomial(7, 0)).toBe(0)
    expect(rng.binomial(7, 1)).toBe(7)
    expect(() => rng.binomial(2.5, 0.5)).toThrow(RangeError)
    expect(() => rng.binomial(3, 1.5)).toThrow(RangeError)
  })
})
