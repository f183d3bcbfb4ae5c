// Draws per second of the sampling kernels (assembly/sampling.ts and its JS twin):
// standard normals, truncated normals (a mix of one-sided tails, short and wide
// intervals), gammas and categorical labels (K = 4), n = 100000 per call;
// wasm SIMD vs wasm scalar vs pure JS. Same seed, same draws on every backend.
import { loadKernels } from '../dist/src/kernels/index.js'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'
import { BACKENDS, medians, printTable, ratio } from './lib.mjs'

const N = 100_000

function setup(kernels) {
  const a = kernels.arena()
  const state = a.i32(4)
  state.view.set(new Rng(1).state)
  const out = a.f64(N)
  const mean = a.f64From(Array.from({ length: N }, (_, i) => (i % 3) - 1))
  const sd = a.f64From(Array.from({ length: N }, (_, i) => 0.5 + (i % 4)))
  const bounds = [[0, Infinity], [2, Infinity], [-Infinity, -1], [-0.5, 0.5], [1, 1.2], [-3, 3], [5, Infinity]]
  const lo = a.f64From(Array.from({ length: N }, (_, i) => mean.view[i] + sd.view[i] * bounds[i % bounds.length][0]))
  const hi = a.f64From(Array.from({ length: N }, (_, i) => mean.view[i] + sd.view[i] * bounds[i % bounds.length][1]))
  const shape = a.f64From(Array.from({ length: N }, (_, i) => [0.5, 2, 10][i % 3]))
  const k = 4
  const prob = a.f64From(Array.from({ length: N * k }, (_, i) => ((i * 7) % 5) + 0.5))
  const labels = a.i32(N)
  return {
    normal: () => kernels.sampleNormals(state, out, N),
    truncated: () => kernels.sampleTruncatedNormals(state, mean, sd, lo, hi, N, out),
    gamma: () => kernels.sampleGammas(state, shape, out, N),
    categorical: () => kernels.sampleCategorical(state, prob, N, k, labels),
  }
}

export async function run() {
  const kinds = ['normal', 'truncated', 'gamma', 'categorical']
  const perBackend = {}
  for (const b of BACKENDS) {
    const fns = setup(await loadKernels(b))
    perBackend[b] = await medians(kinds.map((kind) => [kind, fns[kind]]))
  }
  const rate = (msPerCall) => (N / msPerCall / 1000).toFixed(1) // millions of draws per second
  printTable(
    ['draws (n = 1e5)', 'wasm-simd M/s', 'wasm-scalar M/s', 'js M/s', 'simd / js'],
    kinds.map((kind) => [kind, rate(perBackend.wasm.get(kind)), rate(perBackend['wasm-scalar'].get(kind)), rate(perBackend.js.get(kind)),
      ratio(perBackend.js.get(kind), perBackend.wasm.get(kind))]),
  )
}
