// One EM iteration of a full-covariance Gaussian mixture, and each of its kernels,
// on wasm SIMD vs wasm scalar vs pure JS; then one MCEM iteration (m draws of the labels,
// the M-step and the delta-Q terms), without and with missing values.
import { mcemStepper } from '../dist/src/engine/variants/mcem.js'
import { loadKernels } from '../dist/src/kernels/index.js'
import { GaussianMixtureModel } from '../dist/src/models/gmm/model.js'
import { initialParams } from '../dist/src/models/gmm/init.js'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'
import { BACKENDS, medians, mixtureData, ms, printTable, ratio } from './lib.mjs'

const SIZES = [
  [100000, 8, 8],
  [100000, 2, 3],
  [20000, 32, 8],
]

function setup(kernels, X, k) {
  const model = new GaussianMixtureModel({ kernels, k, d: X.cols, covarianceType: 'full', regCovar: 1e-6 })
  const data = model.prepare(X)
  const params = initialParams(model, data, 'kmeans++', new Rng(1), null)
  model.expectation(data, params)
  return { model, data, params }
}

export async function run() {
  const rows = []
  for (const [n, d, k] of SIZES) {
    const X = mixtureData(n, d, k)
    const tasks = []
    const envs = {}
    for (const backend of BACKENDS) {
      const kernels = await loadKernels(backend)
      const env = setup(kernels, X, k)
      envs[backend] = env
      const { model, data, params } = env
      tasks.push([`${backend}|EM iteration`, () => { const { stats } = model.eStep(data, params); model.mStep(stats, params) }])
      tasks.push([`${backend}|logDensityFull`, () => model.covariance.logDensity(kernels, { x: data.x, n, means: data.means, precision: data.precision, logDetP: data.logDetP, out: data.resp }, k, d)])
      tasks.push([`${backend}|responsibilities`, () => { model.expectation(data, params) }])
      tasks.push([`${backend}|statsFull`, () => kernels.statsFull(data.x, n, d, data.resp, k, null, data.means, data.stats)])
    }
    const t = await medians(tasks, { time: backendsTime(n, d, k) })
    for (const what of ['EM iteration', 'logDensityFull', 'responsibilities', 'statsFull']) {
      const simd = t.get(`wasm|${what}`), scalar = t.get(`wasm-scalar|${what}`), js = t.get(`js|${what}`)
      rows.push([`${n}x${d}, K=${k}`, what === 'responsibilities' ? 'density + responsibilities' : what, ms(simd), ms(scalar), ms(js), ratio(scalar, simd), ratio(js, simd)])
    }
    for (const env of Object.values(envs)) { env.model.release(env.data); env.model.dispose() }
  }
  printTable(['N x d, K', 'work', 'wasm-simd ms', 'wasm-scalar ms', 'js ms', 'scalar/simd', 'js/simd'], rows)
  console.log('')
  await mcemIteration()
}

const MCEM = { n: 5000, d: 5, k: 4, m: 200 }

/** One MCEM step at fixed parameters (growth 1 keeps m draws every call), complete data and 10% NaN. */
export async function mcemIteration() {
  const { n, d, k, m } = MCEM
  const complete = mixtureData(n, d, k)
  const rng = new Rng(3)
  const missing = { ...complete, data: complete.data.map((v, p) => (p % d === 0 || rng.uniform() >= 0.1 ? v : NaN)) }
  const rows = []
  for (const [name, X] of [['complete', complete], ['10% NaN', missing]]) {
    const tasks = []
    const envs = []
    for (const backend of BACKENDS) {
      const env = setup(await loadKernels(backend), X, k)
      envs.push(env)
      const stepper = mcemStepper(env.model, env.model.monteCarlo, { initialSamples: m, sampleSize: 'geometric', growth: 1 })
      tasks.push([backend, () => stepper.step(env.data, env.params)])
    }
    const t = await medians(tasks, { time: 1000, iterations: 5 })
    rows.push([`${n}x${d}, K=${k}, full, ${name}`, m, ms(t.get('wasm')), ms(t.get('wasm-scalar')), ms(t.get('js')), ratio(t.get('js'), t.get('wasm'))])
    for (const env of envs) { env.model.release(env.data); env.model.dispose() }
  }
  printTable(['MCEM iteration', 'draws', 'wasm-simd ms', 'wasm-scalar ms', 'js ms', 'js/simd'], rows)
}

function backendsTime(n, d, k) {
  return n * d * d * k > 1e7 ? 1500 : 600
}
