// mclust's 14 covariance models: one EM iteration on wasm SIMD vs wasm scalar vs pure JS,
// and the M-step alone (the iterative ones: VEI, VEV, VEE, EVE, VVE; TypeScript on d x d
// matrices, the same on every backend); then mclust's hierarchical agglomeration (init 'hc').
import { loadKernels } from '../dist/src/kernels/index.js'
import { GaussianMixtureModel } from '../dist/src/models/gmm/model.js'
import { initialParams, loadInit } from '../dist/src/models/gmm/init.js'
import { loadCovarianceStrategy, MCLUST_MODELS } from '../dist/src/models/gmm/mclust/index.js'
import { hcMerges } from '../dist/src/models/init/hc/index.js'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'
import { BACKENDS, medians, mixtureData, ms, printTable, ratio } from './lib.mjs'

const N = 20000, D = 4, K = 5
// the models are built directly, without a fit's loadParts
await Promise.all([loadInit('kmeans++'), ...MCLUST_MODELS.map(loadCovarianceStrategy)])

function setup(kernels, X, type) {
  const model = new GaussianMixtureModel({ kernels, k: K, d: D, covarianceType: type, regCovar: 1e-6 })
  const data = model.prepare(X)
  const params = initialParams(model, data, 'kmeans++', new Rng(1), null)
  const { stats } = model.eStep(data, params)
  return { model, data, params, stats }
}

export async function run() {
  const X = mixtureData(N, D, K)
  const rows = []
  for (const type of MCLUST_MODELS) {
    const tasks = []
    const envs = []
    for (const backend of BACKENDS) {
      const env = setup(await loadKernels(backend), X, type)
      envs.push(env)
      const { model, data, params, stats } = env
      tasks.push([`${backend}|EM`, () => { const s = model.eStep(data, params); model.mStep(s.stats, params) }])
      if (backend === 'js') tasks.push(['M-step', () => model.mStep(stats, params)])
    }
    const t = await medians(tasks, { time: 150 })
    const simd = t.get('wasm|EM'), scalar = t.get('wasm-scalar|EM'), js = t.get('js|EM')
    rows.push([type, ms(simd), ms(scalar), ms(js), ratio(scalar, simd), ratio(js, simd), ms(t.get('M-step'))])
    for (const env of envs) { env.model.release(env.data); env.model.dispose() }
  }
  console.log(`One EM iteration at ${N} x ${D}, K = ${K}, and the M-step alone`)
  printTable(['model', 'wasm-simd ms', 'wasm-scalar ms', 'js ms', 'scalar/simd', 'js/simd', 'M-step ms'], rows)
  console.log('')
  const hcRows = []
  for (const n of [500, 1000, 2000]) {
    const Y = mixtureData(n, 2, 3)
    const t = await medians([['hc', () => hcMerges(Y.data, n, 2, 'VVV')]], { time: 300, iterations: 3, warmupIterations: 1 })
    hcRows.push([String(n), ms(t.get('hc'))])
  }
  console.log("mclust's hc (VVV, d = 2): all n - 1 merges")
  printTable(['n', 'ms'], hcRows)
}
