/**
 * The kernels of the mixtures of regressions and GLMs (assembly/regression.ts), part
 * of every backend's `Kernels`: linear predictors, per-row GLM terms and the weighted
 * least-squares statistics that both the Gaussian M-step (one solve) and IRLS (one
 * solve per Newton step) use. Every backend gives bit-identical results.
 */
import type { F64Buffer, OptionalF64 } from './buffers.js'

/** Family codes of `glmRowTerms`. */
export const GLM_FAMILY = { gaussian: 0, poisson: 1, binomial: 2 } as const
export type GlmFamilyName = keyof typeof GLM_FAMILY

export interface RegressionKernels {
  /** eta[i*k + c] = z_i' coef_c for the n x p design z (row-major) and k coefficient rows (k x p). */
  regressionEta(z: F64Buffer, n: number, p: number, coef: F64Buffer, k: number, eta: F64Buffer): void
  /**
   * Per row and component (o = i*k + c) from eta (n*k): the log-density into dens, the
   * IRLS working weight into weight (GLM families) and the working response minus eta
   * into target. Gaussian (family 0): dens = a[c] - 0.5 ((y - eta) b[c])^2 with
   * a = -log(2 pi)/2 - log sigma_c, b = 1 / sigma_c; target = y - eta. Poisson (1):
   * dens = y eta - exp(eta) - logConst[i]. Binomial (2, logit): dens = y eta -
   * t log(1 + exp(eta)) + logConst[i]. `start` != 0: glm.fit's starting mu instead of
   * eta, target = the whole working response. `trials` only for the binomial.
   */
  glmRowTerms(
    family: number, y: F64Buffer, trials: OptionalF64, logConst: OptionalF64, eta: F64Buffer, n: number, k: number,
    a: F64Buffer, b: F64Buffer, start: number, dens: F64Buffer, target: F64Buffer, weight: OptionalF64,
  ): void
  /**
   * Per component c, p*p + p + 3 values: [sum m, sum a z z' (full p x p), sum a t z,
   * sum a t^2, sum m dens] with m = resp[o] x sampleWeight[i] (the component's mass),
   * a = m x weight[o] (the factors given), t = target[o] (finite); a row with m == 0
   * adds no log-density; dens null: last entry 0. `out` holds
   * crossProductsBufferSize(p, k) values (the result first, then work space): every sum
   * is the sum of its even rows' and its odd rows' partial sums.
   */
  weightedCrossProducts(
    z: F64Buffer, n: number, p: number, k: number, resp: F64Buffer, sampleWeight: OptionalF64, weight: OptionalF64,
    target: F64Buffer, dens: OptionalF64, out: F64Buffer,
  ): void
}

/** Length of one component's block of `weightedCrossProducts`. */
export function crossProductsSize(p: number): number {
  return p * p + p + 3
}

/** Length of `weightedCrossProducts`' out buffer: the k blocks, then its work space (the even/odd partial sums, a row pair of z). */
export function crossProductsBufferSize(p: number, k: number): number {
  return 3 * k * crossProductsSize(p) + 2 * p
}
