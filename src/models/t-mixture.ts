import type { ClassificationCapability, ConditionalStep, EMModel, EStepResult, InformationCapability, PreparedData } from '../engine/types.js'
import { DegenerateError, InputError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import type { Arena, F64Buffer, Kernels } from '../kernels/types.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { cholesky, invertLower } from '../core/math/dense.js'
import { digamma } from '../core/math/special.js'
import { assign, kmeansPlusPlus } from './init/kmeans.js'
import { NU_MAX, NU_MIN, nuFromQ, rootDecreasing, tConstant } from './t/nu.js'
import { studentFarEntries } from './common/far.js'
import { mixtureClassification } from './common/mixture.js'
import { tMixtureParameterisation } from './t/information.js'

/**
 * A mixture of K multivariate t distributions (McLachlan & Peel 1998), each with its
 * own location, full scatter and degrees of freedom (estimated, or one fixed value
 * shared by all). Complete data only.
 *
 * Statistics: [N (K) | N_tau (K) | S1 (K*d) | S2 (K*d*d) | U (K)] with responsibilities
 * z and tau-weights: N_k = sum w z, N_tau,k = sum w z tau, S1/S2 the z*tau-weighted
 * moments around a fixed centre (the data mean), U_k = sum w z E[log tau].
 */
export interface TMixtureParams {
  readonly weights: Float64Array
  readonly means: Float64Array
  readonly scatters: Float64Array
  readonly nu: Float64Array
}

export interface TMixtureData extends PreparedData {
  readonly n: number
  readonly x: F64Buffer
  readonly sampleWeight: F64Buffer | null
  readonly weight: Float64Array | null
  /** n*k: log-densities, then responsibilities. */
  readonly resp: F64Buffer
  readonly tau: F64Buffer
  readonly logTau: F64Buffer
  /** n*k: resp * tau, the weights of the moment statistics. */
  readonly zt: F64Buffer
  readonly rowLogLik: F64Buffer
  readonly means: F64Buffer
  readonly prec: F64Buffer
  readonly nu: F64Buffer
  readonly logNorm: F64Buffer
  readonly logWeights: F64Buffer
  readonly center: F64Buffer
  readonly stats: F64Buffer
  readonly arena: Arena
}

export class TMixtureModel implements EMModel<TMixtureParams, TMixtureData> {
  readonly name = 'TMixture'
  readonly cmSteps: readonly ConditionalStep<TMixtureParams, TMixtureData>[]
  /** Classification EM: the posteriors hardened before the statistics (tau as in EM). */
  readonly classification: ClassificationCapability<TMixtureParams, TMixtureData>
  /** Standard errors in free coordinates (t/information.ts). */
  readonly information: InformationCapability<TMixtureParams, TMixtureData>

  constructor(readonly kernels: Kernels, readonly k: number, readonly d: number, readonly fixedNu?: number) {
    const components: ConditionalStep<TMixtureParams, TMixtureData> = {
      name: 'weights, locations and scatters',
      maximiseQ: (stats, params, data) => this.components(stats, data, params.nu),
    }
    const nu: ConditionalStep<TMixtureParams, TMixtureData> = {
      name: 'degrees of freedom',
      maximiseQ: (stats, params) => ({ ...params, nu: this.nuFromStats(stats) }),
      maximiseL: (params, data) => ({ ...params, nu: this.nuMaximisingLikelihood(params, data) }),
    }
    this.cmSteps = fixedNu === undefined ? [components, nu] : [components]
    this.classification = mixtureClassification(kernels, k, (data, params) => this.expectation(data, params), (data, params) => this.statistics(data, params))
    this.information = { parameterisation: tMixtureParameterisation(this) }
  }

  static algorithms(nuFixed: boolean): ('em' | 'ecm' | 'ecme' | 'cem')[] {
    return nuFixed ? ['em', 'ecm', 'cem'] : ['em', 'ecm', 'ecme', 'cem']
  }

  prepare(m: Matrix, sampleWeight: Float64Array | null = null): TMixtureData {
    const { k, d } = this
    const n = m.rows
    const arena = this.kernels.arena()
    const center = new Float64Array(k * d)
    let totalWeight = 0
    for (let i = 0; i < n; i++) {
      const w = sampleWeight ? sampleWeight[i]! : 1
      totalWeight += w
      for (let j = 0; j < d; j++) center[j] += w * m.data[i * d + j]!
    }
    for (let j = 0; j < d; j++) center[j] = center[j]! / totalWeight
    for (let c = 1; c < k; c++) center.copyWithin(c * d, 0, d)
    return {
      n, totalWeight,
      x: arena.f64From(m.data),
      sampleWeight: sampleWeight ? arena.f64From(sampleWeight) : null,
      weight: sampleWeight,
      resp: arena.f64(n * k), tau: arena.f64(n * k), logTau: arena.f64(n * k), zt: arena.f64(n * k),
      rowLogLik: arena.f64(n),
      means: arena.f64(k * d), prec: arena.f64(k * d * d), nu: arena.f64(k), logNorm: arena.f64(k),
      logWeights: arena.f64(k), center: arena.f64From(center),
      stats: arena.f64(k + k * d + k * d * d),
      arena,
    }
  }

  release(data: TMixtureData): void {
    data.arena.dispose()
  }

  /** Precision factors and t constants of `params` into kernel memory; returns logDetP per component. */
  private load(data: TMixtureData, params: TMixtureParams): Float64Array {
    const { k, d } = this
    const prec = new Float64Array(k * d * d), logDetP = new Float64Array(k)
    for (let c = 0; c < k; c++) {
      const l = cholesky(params.scatters.subarray(c * d * d, (c + 1) * d * d), d)
      if (!l) throw new DegenerateError('SINGULAR_COVARIANCE', `The scatter of component ${c} is not positive definite: use fewer components, or rescale the data.`, { component: c })
      prec.set(invertLower(l, d), c * d * d)
      for (let j = 0; j < d; j++) logDetP[c] -= Math.log(l[j * d + j]!)
    }
    data.means.view.set(params.means)
    data.prec.view.set(prec)
    data.nu.view.set(params.nu)
    const ln = data.logNorm.view, lw = data.logWeights.view
    for (let c = 0; c < k; c++) {
      ln[c] = tConstant(params.nu[c]!, d) + logDetP[c]!
      lw[c] = Math.log(params.weights[c]!)
    }
    return logDetP
  }

  /** Responsibilities (data.resp), tau and log tau; returns the total log-likelihood. */
  expectation(data: TMixtureData, params: TMixtureParams, withTau = true): number {
    const { k, d } = this
    this.load(data, params)
    this.kernels.logDensityT(data.x, data.n, d, data.means, k, data.prec, d * d, data.nu, data.logNorm, data.resp, data.tau, withTau ? data.logTau : null)
    const logLik = this.kernels.responsibilities(data.resp, data.n, k, data.logWeights, data.rowLogLik, data.sampleWeight)
    if (Number.isFinite(logLik)) return logLik
    // a point so far that its squared distance overflows: its t densities are still finite (common/far.ts)
    this.kernels.logDensityT(data.x, data.n, d, data.means, k, data.prec, d * d, data.nu, data.logNorm, data.resp, data.tau, withTau ? data.logTau : null)
    studentFarEntries(data.x.view, data.n, d, data.means.view, k, data.prec.view, d * d, data.nu.view, data.logNorm.view, data.resp.view, withTau ? data.logTau.view : null)
    return this.kernels.responsibilities(data.resp, data.n, k, data.logWeights, data.rowLogLik, data.sampleWeight)
  }

  eStep(data: TMixtureData, params: TMixtureParams): EStepResult {
    const logLik = this.expectation(data, params)
    return { stats: this.statistics(data, params), logLik }
  }

  /** Statistics of the responsibilities now in data.resp with the tau of the last expectation. */
  statistics(data: TMixtureData, params: TMixtureParams): Float64Array {
    const { k, d } = this
    const z = data.resp.view, tau = data.tau.view, lt = data.logTau.view, zt = data.zt.view
    const w = data.weight
    const nk = new Float64Array(k), u = new Float64Array(k)
    for (let i = 0; i < data.n; i++) {
      const wi = w ? w[i]! : 1
      for (let c = 0; c < k; c++) {
        const r = z[i * k + c]!
        zt[i * k + c] = r * tau[i * k + c]!
        nk[c] += wi * r
        u[c] += wi * r * lt[i * k + c]!
      }
    }
    this.kernels.statsFull(data.x, data.n, d, data.zt, k, data.sampleWeight, data.center, data.stats)
    const stats = new Float64Array(3 * k + k * d + k * d * d)
    stats.set(nk, 0)
    stats.set(data.stats.view, k)
    const o = 2 * k + k * d + k * d * d
    for (let c = 0; c < k; c++) {
      const nu = params.nu[c]!
      stats[o + c] = u[c]! + (digamma((nu + d) / 2) - Math.log((nu + d) / 2)) * nk[c]!
    }
    return stats
  }

  /** EM = ECM here (Q separates): components, then nu from the same statistics. */
  mStep(stats: Float64Array, params: TMixtureParams, data: TMixtureData): TMixtureParams {
    const next = this.components(stats, data, params.nu)
    return this.fixedNu === undefined ? { ...next, nu: this.nuFromStats(stats) } : next
  }

  private components(stats: Float64Array, data: TMixtureData, nu: Float64Array): TMixtureParams {
    const { k, d } = this
    const c0 = data.center.view
    let total = 0
    for (let c = 0; c < k; c++) total += stats[c]!
    const weights = new Float64Array(k), means = new Float64Array(k * d), scatters = new Float64Array(k * d * d)
    for (let c = 0; c < k; c++) {
      const n = stats[c]!, nt = stats[k + c]!
      if (!(n > 0 && nt > 0)) throw new DegenerateError('DEGENERATE', `Component ${c} is empty; use fewer components or another start.`, { component: c })
      weights[c] = n / total
      const s1 = 2 * k + c * d, s2 = 2 * k + k * d + c * d * d
      for (let j = 0; j < d; j++) means[c * d + j] = c0[c * d + j]! + stats[s1 + j]! / nt
      for (let j = 0; j < d; j++) {
        for (let l = 0; l <= j; l++) {
          const v = (stats[s2 + j * d + l]! - stats[s1 + j]! * stats[s1 + l]! / nt) / n
          scatters[c * d * d + j * d + l] = v
          scatters[c * d * d + l * d + j] = v
        }
      }
    }
    return { weights, means, scatters, nu }
  }

  private nuFromStats(stats: Float64Array): Float64Array {
    const { k, d } = this
    const o = 2 * k + k * d + k * d * d
    return Float64Array.from({ length: k }, (_, c) => nuFromQ((stats[o + c]! - stats[k + c]!) / stats[c]!))
  }

  /**
   * ECME: each nu_c in turn maximises the observed mixture log-likelihood with every
   * other parameter fixed (a one-dimensional root of the score, by bisection in log nu).
   */
  private nuMaximisingLikelihood(params: TMixtureParams, data: TMixtureData): Float64Array {
    const { k, d } = this
    const n = data.n
    const probe = { ...params, nu: new Float64Array(k).fill(1) }
    const logDetP = this.load(data, probe)
    data.logNorm.view.set(new Float64Array(k))
    this.kernels.logDensityT(data.x, n, d, data.means, k, data.prec, d * d, data.nu, data.logNorm, data.resp, data.tau, null)
    const delta = new Float64Array(n * k)
    const out = data.resp.view
    for (let p = 0; p < n * k; p++) delta[p] = Math.expm1(-2 * out[p]! / (1 + d))
    const w = data.weight
    const nu = Float64Array.from(params.nu)
    const logComp = new Float64Array(n * k)
    const fill = (c: number, v: number) => {
      const base = Math.log(params.weights[c]!) + tConstant(v, d) + logDetP[c]!
      for (let i = 0; i < n; i++) logComp[i * k + c] = base - 0.5 * (v + d) * Math.log(1 + delta[i * k + c]! / v)
    }
    for (let c = 0; c < k; c++) fill(c, nu[c]!)
    for (let c = 0; c < k; c++) {
      const score = (v: number): number => {
        fill(c, v)
        const a = 0.5 * (digamma((v + d) / 2) - digamma(v / 2) - d / v)
        let s = 0
        for (let i = 0; i < n; i++) {
          let max = -Infinity
          for (let e = 0; e < k; e++) max = Math.max(max, logComp[i * k + e]!)
          let sum = 0
          for (let e = 0; e < k; e++) sum += Math.exp(logComp[i * k + e]! - max)
          const r = Math.exp(logComp[i * k + c]! - max) / sum
          const dl = delta[i * k + c]!
          s += (w ? w[i]! : 1) * r * (a - 0.5 * Math.log(1 + dl / v) + 0.5 * (v + d) * (dl / v) / (v + dl))
        }
        return s
      }
      nu[c] = rootDecreasing(score, NU_MIN, NU_MAX)
      fill(c, nu[c]!)
    }
    return nu
  }

  logLik(data: TMixtureData, params: TMixtureParams): number {
    return this.expectation(data, params, false)
  }

  nParameters(): number {
    const { k, d } = this
    return k - 1 + k * d + (k * d * (d + 1)) / 2 + (this.fixedNu === undefined ? k : 0)
  }

  /** [weights (K) | means (K*d) | scatters (K*d*d) | nu (K, when estimated)]. */
  pack(params: TMixtureParams): Float64Array {
    const { k, d } = this
    const estimated = this.fixedNu === undefined
    const out = new Float64Array(k + k * d + k * d * d + (estimated ? k : 0))
    out.set(params.weights, 0)
    out.set(params.means, k)
    out.set(params.scatters, k + k * d)
    if (estimated) out.set(params.nu, k + k * d + k * d * d)
    return out
  }

  unpack(vec: Float64Array, like: TMixtureParams): TMixtureParams {
    const { k, d } = this
    const o = k + k * d + k * d * d
    const scatters = vec.slice(k + k * d, o)
    for (let c = 0; c < k; c++) {
      if (!cholesky(scatters.subarray(c * d * d, (c + 1) * d * d), d)) {
        throw new DegenerateError('SINGULAR_COVARIANCE', `The scatter of component ${c} is not positive definite.`, { component: c })
      }
    }
    return {
      weights: vec.slice(0, k), means: vec.slice(k, k + k * d), scatters,
      nu: this.fixedNu === undefined ? vec.slice(o, o + k) : like.nu,
    }
  }

  isValid(vec: Float64Array, like: TMixtureParams): boolean {
    const { k, d } = this
    for (let i = 0; i < vec.length; i++) if (!Number.isFinite(vec[i]!)) return false
    let s = 0
    for (let c = 0; c < k; c++) {
      if (!(vec[c]! > 0)) return false
      s += vec[c]!
    }
    if (Math.abs(s - 1) > 1e-8) return false
    if (this.fixedNu === undefined) {
      const o = k + k * d + k * d * d
      for (let c = 0; c < k; c++) if (!(vec[o + c]! >= NU_MIN && vec[o + c]! <= NU_MAX)) return false
    }
    try {
      this.unpack(vec, like)
      return true
    } catch {
      return false
    }
  }

  /** k-means++ centres, hard assignment, then the component M-step with tau = 1. */
  initialParams(data: TMixtureData, nu0: number, rng: Rng): TMixtureParams {
    const { k, d } = this
    const km = { kernels: this.kernels, x: data.x, n: data.n, d, weight: data.weight }
    const centers = kmeansPlusPlus(km, k, rng)
    const labels = new Int32Array(data.n)
    assign(km, centers, k, labels)
    const z = data.zt.view
    z.fill(0)
    for (let i = 0; i < data.n; i++) z[i * k + labels[i]!] = 1
    this.kernels.statsFull(data.x, data.n, d, data.zt, k, data.sampleWeight, data.center, data.stats)
    const stats = new Float64Array(3 * k + k * d + k * d * d)
    const st = data.stats.view
    stats.set(st.subarray(0, k), 0)
    stats.set(st, k)
    for (let c = 0; c < k; c++) {
      if (!(stats[c]! > 0)) throw new InputError('TOO_MANY_COMPONENTS', `k-means++ left component ${c} empty; use fewer components.`, { component: c })
    }
    return this.components(stats, data, new Float64Array(k).fill(nu0))
  }
}
