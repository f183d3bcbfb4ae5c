/** The wasm side of the regression kernels (assembly/regression.ts) behind `RegressionKernels`. */
import { crossProductsBufferSize, type RegressionKernels } from '../regression.js'
import type { PointerChecks } from './context.js'

export interface RegressionExports {
  regressionEta(z: number, n: number, p: number, coef: number, k: number, eta: number): void
  glmRowTerms(
    family: number, y: number, trials: number, logConst: number, eta: number, n: number, k: number,
    a: number, b: number, start: number, dens: number, target: number, weight: number,
  ): void
  weightedCrossProducts(z: number, n: number, p: number, k: number, resp: number, sampleWeight: number, weight: number, target: number, dens: number, out: number): void
}

export function wasmRegression(wasm: RegressionExports, c: PointerChecks): RegressionKernels {
  return {
    regressionEta(z, n, p, coef, k, eta) {
      c.sizes(n, p, k)
      wasm.regressionEta(c.ptr(z, n * p, 'z'), n, p, c.ptr(coef, k * p, 'coef'), k, c.ptr(eta, n * k, 'eta'))
    },
    glmRowTerms(family, y, trials, logConst, eta, n, k, a, b, start, dens, target, weight) {
      c.sizes(n, k)
      const glm = family !== 0
      wasm.glmRowTerms(
        family, c.ptr(y, n, 'y'), family === 2 ? c.ptr(trials!, n, 'trials') : 0, glm ? c.ptr(logConst!, n, 'logConst') : 0,
        c.ptr(eta, n * k, 'eta'), n, k, c.ptr(a, k, 'a'), c.ptr(b, k, 'b'), start, c.ptr(dens, n * k, 'dens'),
        c.ptr(target, n * k, 'target'), glm ? c.ptr(weight!, n * k, 'weight') : 0,
      )
    },
    weightedCrossProducts(z, n, p, k, resp, sampleWeight, weight, target, dens, out) {
      c.sizes(n, p, k)
      wasm.weightedCrossProducts(
        c.ptr(z, n * p, 'z'), n, p, k, c.ptr(resp, n * k, 'resp'), sampleWeight ? c.ptr(sampleWeight, n, 'sampleWeight') : 0,
        weight ? c.ptr(weight, n * k, 'weight') : 0, c.ptr(target, n * k, 'target'), dens ? c.ptr(dens, n * k, 'dens') : 0,
        c.ptr(out, crossProductsBufferSize(p, k), 'out'),
      )
    },
  }
}
