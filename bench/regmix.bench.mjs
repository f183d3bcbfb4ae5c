// Mixtures of regressions: the regression kernels (linear predictors, GLM row terms,
// weighted cross-products for WLS and IRLS) and one EM iteration of RegressionMixture
// (Gaussian) and GLMMixture (Poisson, exact IRLS M-step) at n = 100000, p = 4
// (intercept + 3 columns), K = 3: wasm SIMD vs wasm scalar vs JS.
import { loadKernels } from '../dist/src/kernels/index.js'
import { RegressionMixtureModel } from '../dist/src/models/regression-mixture.js'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'
import { BACKENDS, medians, printTable, ratio } from './lib.mjs'

const n = 100000, p = 4, k = 3

function data() {
  const rng = new Rng(5)
  const z = new Float64Array(n * p), y = new Float64Array(n), counts = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    z[i * p] = 1
    for (let j = 1; j < p; j++) z[i * p + j] = rng.normal()
    const c = i % k
    y[i] = c * 3 + z[i * p + 1] * (c - 1) + rng.normal()
    counts[i] = Math.floor(Math.exp(0.5 + 0.3 * c + 0.2 * z[i * p + 2]) + rng.uniform() * 2)
  }
  return { z, y, counts }
}

export async function run() {
  const { z, y, counts } = data()
  const labels = Array.from({ length: n }, (_, i) => (i * 7) % k)
  const per = {}
  for (const b of BACKENDS) {
    const kernels = await loadKernels(b)
    const gauss = new RegressionMixtureModel(kernels, k, p, { family: 'gaussian', variance: 'ml' })
    const pois = new RegressionMixtureModel(kernels, k, p, { family: 'poisson', variance: 'ml' })
    const dg = gauss.prepare(z, y, null, null), dp = pois.prepare(z, counts, null, null)
    const pg = gauss.fromPosteriors(dg, RegressionMixtureModel.softPosteriors(labels, k))
    const pp = pois.fromPosteriors(dp, RegressionMixtureModel.softPosteriors(labels, k))
    gauss.eStep(dg, pg); pois.eStep(dp, pp)
    per[b] = await medians([
      ['regressionEta', () => kernels.regressionEta(dg.z, n, p, dg.coefBuf, k, dg.eta)],
      ['glmRowTerms gaussian', () => kernels.glmRowTerms(0, dg.y, null, null, dg.eta, n, k, dg.a, dg.b, 0, dg.dens, dg.target, null)],
      ['glmRowTerms poisson', () => kernels.glmRowTerms(1, dp.y, null, dp.logConst, dp.eta, n, k, dp.a, dp.b, 0, dp.dens, dp.target, dp.weight)],
      ['crossProducts WLS', () => kernels.weightedCrossProducts(dg.z, n, p, k, dg.resp, null, null, dg.target, null, dg.stats)],
      ['crossProducts IRLS', () => kernels.weightedCrossProducts(dp.z, n, p, k, dp.resp, null, dp.weight, dp.target, dp.dens, dp.stats)],
      ['EM iteration gaussian', () => { const { stats } = gauss.eStep(dg, pg); gauss.mStep(stats, pg, dg) }],
      ['EM iteration poisson', () => { const { stats } = pois.eStep(dp, pp); pois.mStep(stats, pp, dp) }],
    ], { time: 300, iterations: 5, warmupIterations: 2 })
    gauss.release(dg); pois.release(dp)
  }
  const tasks = [...per.wasm.keys()]
  console.log(`n = ${n}, p = ${p}, K = ${k}`)
  printTable(
    ['task', 'wasm-simd ms', 'wasm-scalar ms', 'js ms', 'scalar / simd', 'js / simd'],
    tasks.map((t) => [t, per.wasm.get(t).toFixed(2), per['wasm-scalar'].get(t).toFixed(2), per.js.get(t).toFixed(2), ratio(per['wasm-scalar'].get(t), per.wasm.get(t)), ratio(per.js.get(t), per.wasm.get(t))]),
  )
}
