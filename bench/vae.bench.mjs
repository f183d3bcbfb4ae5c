// The dense-layer kernels (assembly/dense.ts and its JS twin) and the variational
// autoencoder: one layer's forward and backward at a mini-batch of 64 rows, 784 -> 256
// (the first layer of an MNIST-sized encoder), wasm SIMD vs wasm scalar vs pure JS; then
// one VAE epoch (60000 x 784 binary rows, hidden [256], latent 16, batch 64, Bernoulli)
// on wasm SIMD, and a 6000-row epoch on every backend. `BENCH_VAE_FULL=0` skips the
// full epoch (~tens of seconds).
import { loadKernels } from '../dist/src/kernels/index.js'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'
import { VariationalAutoencoder } from '../dist/src/index.js'
import { BACKENDS, medians, ms, printTable, ratio } from './lib.mjs'

const B = 64, DIN = 784, DOUT = 256

function layer(kernels) {
  const rng = new Rng(3)
  const a = kernels.arena()
  const x = a.f64From(Array.from({ length: B * DIN }, () => rng.normal()))
  const w = a.f64From(Array.from({ length: DIN * DOUT }, () => 0.05 * rng.normal()))
  const b = a.f64From(Array.from({ length: DOUT }, () => rng.normal()))
  const y = a.f64(B * DOUT), dy = a.f64From(Array.from({ length: B * DOUT }, () => rng.normal()))
  const dw = a.f64(DIN * DOUT), db = a.f64(DOUT), dx = a.f64(B * DIN)
  return {
    forward: () => kernels.denseForward(x, B, DIN, w, DOUT, b, true, y),
    backward: () => kernels.denseBackward(x, B, DIN, w, DOUT, y, dy, false, dw, db, dx),
  }
}

/** n binary rows of 784 pixels from 10 random prototypes, each pixel flipped with probability 0.1 (seeded). */
function binaryData(n) {
  const rng = new Rng(11)
  const protos = Array.from({ length: 10 }, () => Array.from({ length: 784 }, () => (rng.uniform() < 0.2 ? 1 : 0)))
  const data = new Float64Array(n * 784)
  for (let i = 0; i < n; i++) {
    const p = protos[rng.integer(10)]
    for (let j = 0; j < 784; j++) data[i * 784 + j] = rng.uniform() < 0.1 ? 1 - p[j] : p[j]
  }
  return { rows: n, cols: 784, data }
}

async function epoch(X, backend) {
  const t = performance.now()
  await new VariationalAutoencoder({ latentDim: 16, hidden: [256], likelihood: 'bernoulli', epochs: 1, batchSize: 64, seed: 0, backend }).fit(X)
  return performance.now() - t
}

export async function run() {
  const per = {}
  for (const backend of BACKENDS) {
    const f = layer(await loadKernels(backend))
    per[backend] = await medians([['forward', f.forward], ['backward', f.backward]], { time: 300, iterations: 5 })
  }
  printTable(
    [`dense layer (${B} x ${DIN} -> ${DOUT})`, 'wasm-simd ms', 'wasm-scalar ms', 'js ms', 'scalar / simd', 'js / simd'],
    ['forward', 'backward'].map((k) => [k, ms(per.wasm.get(k)), ms(per['wasm-scalar'].get(k)), ms(per.js.get(k)),
      ratio(per['wasm-scalar'].get(k), per.wasm.get(k)), ratio(per.js.get(k), per.wasm.get(k))]),
  )
  const small = binaryData(6000)
  const times = {}
  for (const backend of BACKENDS) times[backend] = await epoch(small, backend)
  printTable(
    ['VAE epoch, 6000 x 784, [256], L = 16', 'wasm-simd s', 'wasm-scalar s', 'js s'],
    [['one epoch (94 batches of 64)', ...BACKENDS.map((b) => (times[b] / 1000).toFixed(2))]],
  )
  if (process.env.BENCH_VAE_FULL !== '0') {
    const full = binaryData(60000)
    const t = await epoch(full, 'wasm')
    console.log(`\nVAE epoch, 60000 x 784, hidden [256], latent 16, batch 64, wasm SIMD: ${(t / 1000).toFixed(1)} s (includes the closing bound over all rows)`)
  }
}
