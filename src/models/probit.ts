/**
 * Probit regression as a missing-data model (Albert & Chib's latent normal): z_i ~
 * N(x_i' beta, 1), y_i = [z_i > 0]. It is the Tobit model with sigma fixed at 1 and
 * every row interval-censored to (0, Inf) or (-Inf, 0), so it reuses TobitModel's
 * E-step (truncated-normal moments), draws (sampleTruncatedNormals) and statistics
 * [Z'z, sum z^2]. PX-EM (Liu, Rubin & Wu 1998) expands with the latent scale sigma:
 * the expanded M-step is Tobit's (beta*, sigma*), reduced to beta* / sigma*.
 */
import type { EMModel, InformationCapability, MonteCarloCapability, ParameterExpansion } from '../engine/types.js'
import { censoredNormalLouis } from './tobit-louis.js'
import { DegenerateError } from '../core/errors.js'
import type { Kernels } from '../kernels/types.js'
import { type CensoredRows, TobitModel, type TobitData, type TobitParams } from './tobit.js'

export interface ProbitParams {
  readonly coef: Float64Array
}

/** Labels y in {0, 1} as Tobit rows: every row censored, to (0, Inf) or (-Inf, 0]. */
export function labelRows(y: Uint8Array): CensoredRows {
  const n = y.length
  const lower = new Float64Array(n), upper = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    lower[i] = y[i] ? 0 : -Infinity
    upper[i] = y[i] ? Infinity : 0
  }
  return { y: new Float64Array(n).fill(NaN), lower, upper, censored: new Uint8Array(n).fill(1) }
}

const withUnitScale = (p: ProbitParams): TobitParams => ({ coef: p.coef, sigma: 1 })

export class ProbitModel implements EMModel<ProbitParams, TobitData> {
  readonly name = 'ProbitRegression'
  readonly tobit: TobitModel
  readonly parameterExpansion: ParameterExpansion<ProbitParams, TobitData>
  readonly monteCarlo: MonteCarloCapability<ProbitParams, TobitData>
  /** Standard errors of the coefficients (coef[0], ...: the intercept first when fitted); Louis's terms as Tobit's with sigma = 1. */
  readonly information: InformationCapability<ProbitParams, TobitData> = {
    parameterisation: {
      names: (params) => Array.from(params.coef, (_, j) => `coef[${j}]`),
      toFree: (params) => params.coef.slice(),
      fromFree: (vec) => this.unpack(vec),
    },
    louis: (data, params) => censoredNormalLouis(data, params.coef, 1, false),
  }

  constructor(kernels: Kernels) {
    const tobit = (this.tobit = new TobitModel(kernels))
    this.parameterExpansion = {
      expandedMStep: (stats, params, data) => tobit.mStep(stats, withUnitScale(params), data),
      reduce: (expanded) => {
        const { coef, sigma } = expanded as TobitParams
        return { coef: coef.map((v) => v / sigma) }
      },
    }
    this.monteCarlo = {
      sampleLatent: (data, params, rng, m) => tobit.sampleLatent(data, withUnitScale(params), rng, m),
      completeLogLik: (stats, params, data) => tobit.completeLogLik(stats, withUnitScale(params), data),
    }
  }

  /** y in {0, 1} (see labelRows). */
  prepare(z: Float64Array, n: number, p: number, y: Uint8Array, weight: Float64Array): TobitData {
    const rows = labelRows(y)
    return this.tobit.prepare(z, n, p, rows.y, rows.lower, rows.upper, rows.censored, weight)
  }

  eStep(data: TobitData, params: ProbitParams) { return this.tobit.eStep(data, withUnitScale(params)) }
  logLik(data: TobitData, params: ProbitParams): number { return this.tobit.logLik(data, withUnitScale(params)) }

  /** beta = (Z'Z)^-1 Z'E z (the scale stays 1). */
  mStep(stats: Float64Array, params: ProbitParams, data: TobitData): ProbitParams {
    const expanded = this.tobit.mStep(stats, withUnitScale(params), data)
    return { coef: expanded.coef }
  }

  nParameters(params: ProbitParams): number { return params.coef.length }
  pack(params: ProbitParams): Float64Array { return params.coef.slice() }
  unpack(vec: Float64Array): ProbitParams {
    if (!vec.every(Number.isFinite)) throw new DegenerateError('DEGENERATE', 'The coefficients are not finite (complete separation?).')
    return { coef: vec.slice() }
  }
  isValid(vec: Float64Array): boolean { return vec.every(Number.isFinite) }
  initialParams(data: TobitData): ProbitParams { return { coef: new Float64Array(data.p) } }
}
