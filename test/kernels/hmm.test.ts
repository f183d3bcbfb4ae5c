/**
 * The HMM kernels on the SIMD and scalar wasm builds against the JS twin: K = 1, 2,
 * 3, 5, 7, 8, 9, 16, 17, 19 (odd K leaves a state outside the f64x2 pairs; K >= 8 uses
 * the four-pair blocks), sequences of T = 1, 3, 257
 * rows (hmmSmooth's blocks of 64 transition times span sequences and end mid-sequence), one and several sequences per call, scaled and log-space passes, Viterbi,
 * categorical gathers and counts, Poisson densities. Results are bit-identical.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Arena, F64Buffer, I32Buffer, Kernels } from '../../src/kernels/types.js'
import { copyOf, expectClose, expectSame, loadAll, normals, seeded, uniforms } from './backends.js'
import type { Rng } from '../../src/core/rng/xoshiro128.js'

let K: Awaited<ReturnType<typeof loadAll>>
beforeAll(async () => {
  K = await loadAll()
})

type Out = Record<string, Float64Array | Int32Array | number>

function run(kernels: Kernels, body: (k: Kernels, a: Arena) => Record<string, F64Buffer | I32Buffer | number>): Out {
  const arena = kernels.arena()
  try {
    const result = body(kernels, arena)
    const out: Out = {}
    for (const [key, value] of Object.entries(result)) out[key] = typeof value === 'number' ? value : value.view.slice()
    return out
  } finally {
    arena.dispose()
  }
}

function compare(label: string, body: (k: Kernels, a: Arena) => Record<string, F64Buffer | I32Buffer | number>): Out {
  const expected = run(K.js, body)
  for (const name of ['wasm', 'wasm-scalar'] as const) {
    const actual = run(K[name], body)
    for (const key of Object.keys(expected)) {
      const e = expected[key]!, a = actual[key]!
      if (typeof e === 'number') expectSame([a as number], [e], `${label} ${name} ${key}`)
      else if (e instanceof Int32Array) expect(Array.from(a as Int32Array), `${label} ${name} ${key}`).toEqual(Array.from(e))
      else expectSame(a as Float64Array, e, `${label} ${name} ${key}`)
    }
  }
  return expected
}

function stochastic(rng: Rng, rows: number, cols: number, zeroEvery = 0): Float64Array {
  const out = uniforms(rng, rows * cols, 0.05, 1)
  if (zeroEvery > 0) for (let p = 0; p < out.length; p += zeroEvery) out[p] = 0
  for (let r = 0; r < rows; r++) {
    let s = 0
    for (let c = 0; c < cols; c++) s += out[r * cols + c]!
    for (let c = 0; c < cols; c++) out[r * cols + c] = out[r * cols + c]! / s
  }
  return out
}

/**
 * xi[i,j] = sum over steps t -> t+1 within each sequence of exp(la[t,i] + logA[i,j] +
 * logB[t+1,j] + lbe[t+1,j] - log L_s), from the log-space passes: what hmmSmooth's
 * counts must be.
 */
function transitionCounts(la: Float64Array, lbe: Float64Array, logB: Float64Array, logA: Float64Array, lens: number[], k: number): Float64Array {
  const xi = new Float64Array(k * k)
  let start = 0
  for (const len of lens) {
    if (len === 0) continue
    const last = (start + len - 1) * k
    const m = Math.max(...la.subarray(last, last + k))
    let sum = 0
    for (let j = 0; j < k; j++) sum += Math.exp(la[last + j]! - m)
    const logL = m + Math.log(sum)
    for (let t = start; t < start + len - 1; t++) {
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) {
        xi[i * k + j] += Math.exp(la[t * k + i]! + logA[i * k + j]! + logB[(t + 1) * k + j]! + lbe[(t + 1) * k + j]! - logL)
      }
    }
    start += len
  }
  return xi
}

const CASES: [number, number[]][] = [
  [1, [1]], [1, [3, 257]], [2, [257]], [3, [1]], [3, [3]], [3, [257]], [5, [1, 3, 257]], [5, [257, 0, 2]], [7, [3, 257]],
  // k >= 8: the SIMD kernels' four-pair blocks, then single pairs, then the odd state
  [8, [257]], [9, [3, 257]], [16, [1, 257]], [17, [3, 40]], [19, [257]],
]

describe('HMM kernels: wasm and wasm-scalar against js', () => {
  it.each(CASES)('k=%i lengths=%j', (k, lens) => {
    const n = lens.reduce((a, b) => a + b, 0)
    const rng = seeded(31 * k + n, `hmm k=${k} lengths=${lens.join(',')}`)
    const logB = normals(rng, n * k, 3, -2)
    if (n > 2 && k > 1) logB[k + 1] = -700 // far below the row maximum: flushed to 0
    const start = stochastic(rng, 1, k)
    const trans = stochastic(rng, k, k, k > 2 ? 4 : 0)
    const logStart = start.map(Math.log)
    const logTrans = trans.map(Math.log)
    const symbolsN = 4
    const symbols = Int32Array.from({ length: n }, () => rng.integer(symbolsN))
    const emission = stochastic(rng, k, symbolsN)
    const counts = Float64Array.from({ length: n }, () => rng.integer(9))
    const rates = uniforms(rng, k, 0.5, 6)
    const logFact = counts.map((y) => { let s = 0; for (let v = 2; v <= y; v++) s += Math.log(v); return s })

    const scaled = compare(`scaled k=${k}`, (kern, a) => {
      const lengths = a.i32(lens.length); lengths.view.set(lens)
      const b = a.f64From(logB), alpha = a.f64(n * k), scale = a.f64(n), xi = a.f64(k * k)
      const sp = a.f64From(start), tm = a.f64From(trans)
      const carry = a.f64(k), tail = a.f64(2 * k + 1)
      const logLik = kern.hmmForward(b, lengths, lens.length, k, sp, tm, alpha, scale, carry, false)
      const forward = a.f64From(alpha.view)
      kern.hmmSmooth(b, lengths, lens.length, k, tm, scale, alpha, xi, tail, false)
      xi.view.forEach((x, p) => { xi.view[p] = trans[p]! * x })
      return { logLik, b, forward, scale, gamma: alpha, xi, carry, tail }
    })
    const logSpace = compare(`log k=${k}`, (kern, a) => {
      const lengths = a.i32(lens.length); lengths.view.set(lens)
      const lb = a.f64From(logB), la = a.f64(n * k), lbe = a.f64(n * k), gamma = a.f64(n * k)
      const ls = a.f64From(logStart), lt = a.f64From(logTrans)
      const logLik = kern.hmmForwardLog(lb, lengths, lens.length, k, ls, lt, la)
      kern.hmmBackwardLog(lb, lengths, lens.length, k, lt, lbe)
      kern.hmmPosteriorsLog(la, lbe, n, k, gamma)
      return { logLik, la, lbe, gamma }
    })
    // the two formulations agree
    expectClose([logSpace.logLik as number], [scaled.logLik as number], 'log vs scaled logLik', 1e-10)
    expectClose(logSpace.gamma as Float64Array, scaled.gamma as Float64Array, 'log vs scaled posteriors', 1e-9)
    expectClose(scaled.xi as Float64Array, transitionCounts(logSpace.la as Float64Array, logSpace.lbe as Float64Array, logB, logTrans, lens, k), 'transition counts vs log space', 1e-9)
    compare(`viterbi k=${k}`, (kern, a) => {
      const lengths = a.i32(lens.length); lengths.view.set(lens)
      const lb = a.f64From(logB), psi = a.i32(n * k), path = a.i32(n)
      const carry = a.f64(k)
      const score = kern.hmmViterbi(lb, lengths, lens.length, k, a.f64From(logStart), a.f64From(logTrans), psi, path, carry, false, false, -1)
      return { score, psi, path, carry }
    })
    compare(`categorical k=${k}`, (kern, a) => {
      const sym = a.i32(n); sym.view.set(symbols)
      const out = a.f64(n * k), cnt = a.f64(k * symbolsN)
      kern.hmmCategoricalLogB(sym, n, a.f64From(emission.map(Math.log)), k, symbolsN, out)
      kern.hmmCategoricalCounts(sym, n, a.f64From(scaled.gamma as Float64Array), k, symbolsN, cnt)
      return { out, cnt }
    })
    compare(`poisson k=${k}`, (kern, a) => {
      const out = a.f64(n * k)
      kern.logDensityPoisson(a.f64From(counts), n, a.f64From(rates), a.f64From(rates.map(Math.log)), k, a.f64From(logFact), out)
      return { out }
    })
  })

  it('several iterations on the same buffers stay identical (no state left in scratch)', () => {
    const k = 3, lens = [100, 57]
    const n = 157
    const rng = seeded(77, 'hmm repeated')
    const logB = normals(rng, n * k)
    const start = stochastic(rng, 1, k), trans = stochastic(rng, k, k)
    compare('repeat', (kern, a) => {
      const lengths = a.i32(2); lengths.view.set(lens)
      const b = a.f64(n * k), alpha = a.f64(n * k), scale = a.f64(n), xi = a.f64(k * k)
      const sp = a.f64From(start), tm = a.f64From(trans)
      let total = 0
      const gammas = new Float64Array(4 * n * k)
      for (let r = 0; r < 4; r++) {
        b.view.set(logB)
        xi.view.fill(0)
        total += kern.hmmForward(b, lengths, 2, k, sp, tm, alpha, scale, a.f64(k), false)
        kern.hmmSmooth(b, lengths, 2, k, tm, scale, alpha, xi, a.f64(2 * k + 1), false)
        gammas.set(alpha.view, r * n * k)
      }
      for (let r = 1; r < 4; r++) expectSame(gammas.subarray(r * n * k, (r + 1) * n * k), gammas.subarray(0, n * k), `${kern.name} gamma of pass ${r}`)
      return { total, xi, alpha }
    })
  })

  it('wasm rejects out-of-range symbols and short buffers', () => {
    const a = K.wasm.arena()
    try {
      const sym = a.i32(3); sym.view.set([0, 5, 1])
      expect(() => K.wasm.hmmCategoricalLogB(sym, 3, a.f64(8), 2, 4, a.f64(6))).toThrow(/symbols/)
      const lengths = a.i32(1); lengths.view.set([10])
      expect(() => K.wasm.hmmForward(a.f64(4), lengths, 1, 2, a.f64(2), a.f64(4), a.f64(20), a.f64(10), a.f64(2), false)).toThrow(/at least/)
      const one = a.i32(1); one.view.set([2])
      expect(() => K.wasm.hmmSmooth(a.f64(4), one, 1, 2, a.f64(4), a.f64(2), a.f64(4), a.f64(4), a.f64(4), true)).toThrow(/tail/)
    } finally {
      a.dispose()
    }
  })
})
