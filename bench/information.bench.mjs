// Standard errors of a fitted Gaussian mixture (5000 rows, d = 2, K = 3 full: 17 free
// parameters) by the three methods, wasm SIMD vs wasm scalar vs JS: 'louis' (one
// E-step, then per-row scores in JS), 'sem' (Richardson Jacobian of the EM map: 2 x 17
// x 4 E+M steps, plus Q's Hessian from statistics), 'hessian' (Richardson Hessian of
// the log-likelihood: ~2 x 17^2 x 4 / 2 passes over the data).
import { GaussianMixture } from '../dist/src/index.js'
import { BACKENDS, medians, mixtureData, ms, printTable, ratio } from './lib.mjs'

const METHODS = ['louis', 'sem', 'hessian']

export async function run() {
  const X = mixtureData(5000, 2, 3, 42)
  const per = {}
  for (const backend of BACKENDS) {
    const est = await new GaussianMixture({ nComponents: 3, covarianceType: 'full', seed: 1, tol: 1e-10, maxIter: 1000, backend }).fit(X)
    per[backend] = await medians(METHODS.map((method) => [method, () => est.standardErrors({ method })]), { time: 300, iterations: 3, warmupIterations: 1 })
  }
  console.log('5000 rows, d = 2, K = 3 full (17 free parameters): ms per standardErrors call')
  printTable(
    ['method', 'wasm-simd ms', 'wasm-scalar ms', 'js ms', 'scalar / simd', 'js / simd'],
    METHODS.map((m) => [m, ms(per.wasm.get(m)), ms(per['wasm-scalar'].get(m)), ms(per.js.get(m)), ratio(per['wasm-scalar'].get(m), per.wasm.get(m)), ratio(per.js.get(m), per.wasm.get(m))]),
  )
}
