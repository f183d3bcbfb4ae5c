import type { ConditionalStep, EMModel, EStepResult, ParameterExpansion, PreparedData } from '../engine/types.js'
import { DegenerateError, InputError } from '../core/errors.js'
import type { Matrix } from '../core/matrix.js'
import type { Kernels } from '../kernels/types.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import { cholesky, logDetFromCholesky } from '../core/math/dense.js'
import { inverseSPD } from '../core/math/inverse-spd.js'
import { matMul, symmetricEigen, transpose } from '../core/math/dense-general.js'

/**
 * Factor analysis: x = mu + Lambda z + e, z ~ N(0, I_q), e ~ N(0, Psi) with Psi
 * diagonal (uniquenesses), so x ~ N(mu, Lambda Lambda^T + Psi). mu's MLE is the
 * (weighted) mean; the data enter the iterations only through the weighted covariance
 * S, computed once by the statistics kernel at prepare, so one E-step costs O(d^2 q).
 *
 * Statistics (additive over shards at the same parameters):
 * [W | Sxz = sum w (x - mu) E[z]^T (d*q) | Szz = sum w E[z z^T] (q*q) | diag Sxx (d)].
 * Lambda is identified up to a rotation: compare fits by log-likelihood or by
 * Lambda Lambda^T.
 */
export interface FactorParams {
  /** d x q, row-major. */
  readonly loadings: Float64Array
  /** d uniquenesses (noise variances). */
  readonly psi: Float64Array
}

export interface FactorData extends PreparedData {
  readonly n: number
  readonly mean: Float64Array
  /** Weighted covariance (divided by the total weight), d x d. */
  readonly S: Float64Array
  /** Smallest uniqueness allowed per column (a guard against Heywood cases). */
  readonly psiFloor: Float64Array
}

/** Uniquenesses are kept above this fraction of the column's variance. */
export const PSI_FLOOR = 1e-6
const LOG_2PI = 1.8378770664093453

export type FactorInitMethod = 'pca' | 'random'
export const FACTOR_INIT_METHODS: readonly FactorInitMethod[] = ['pca', 'random']

export class FactorAnalysisModel implements EMModel<FactorParams, FactorData> {
  readonly name = 'FactorAnalysis'
  readonly cmSteps: readonly ConditionalStep<FactorParams, FactorData>[]
  readonly parameterExpansion: ParameterExpansion<FactorParams, FactorData>

  constructor(readonly kernels: Kernels, readonly d: number, readonly q: number) {
    this.cmSteps = [
      {
        name: 'uniquenesses',
        maximiseQ: (stats, params, data) => ({ loadings: params.loadings, psi: this.psiGivenLoadings(stats, params.loadings, data) }),
      },
      {
        name: 'loadings',
        maximiseQ: (stats, params) => ({ loadings: this.loadingsFromStats(stats), psi: params.psi }),
        maximiseL: (params, data) => ({ loadings: this.loadingsMaximisingLikelihood(params.psi, data), psi: params.psi }),
        lEvaluations: 0,
      },
    ]
    this.parameterExpansion = {
      expandedMStep: (stats, _params, data) => {
        const { d, q } = this
        const w = stats[0]!
        const loadings = this.loadingsFromStats(stats)
        const gamma = new Float64Array(q * q)
        for (let p = 0; p < q * q; p++) gamma[p] = stats[1 + d * q + p]! / w
        return { loadings, psi: this.psiFromEM(stats, loadings, data), gamma }
      },
      reduce: (expanded) => {
        const { loadings, psi, gamma } = expanded as FactorParams & { gamma: Float64Array }
        const l = cholesky(gamma, this.q)
        if (!l) throw new DegenerateError('DEGENERATE', 'The expanded factor covariance is singular; use fewer factors.')
        return { loadings: matMul(loadings, l, this.d, this.q, this.q), psi }
      },
    }
  }

  /** The weighted mean and covariance through the statistics kernel (one pass over the rows). */
  prepare(m: Matrix, sampleWeight: Float64Array | null = null): FactorData {
    const { d } = this
    const n = m.rows
    const arena = this.kernels.arena()
    try {
      const x = arena.f64From(m.data)
      const ones = arena.f64(n)
      ones.view.fill(1)
      const sw = sampleWeight ? arena.f64From(sampleWeight) : null
      const ref = arena.f64From(m.data.subarray(0, d))
      const out = arena.f64(1 + d + d * d)
      this.kernels.statsFull(x, n, d, ones, 1, sw, ref, out)
      const st = out.view
      const w = st[0]!, r = ref.view
      const mean = new Float64Array(d), S = new Float64Array(d * d), psiFloor = new Float64Array(d)
      for (let j = 0; j < d; j++) mean[j] = r[j]! + st[1 + j]! / w
      for (let j = 0; j < d; j++) for (let l = 0; l < d; l++) S[j * d + l] = (st[1 + d + j * d + l]! - st[1 + j]! * st[1 + l]! / w) / w
      for (let j = 0; j < d; j++) {
        if (!(S[j * d + j]! > 0)) throw new InputError('INVALID_DATA', `Column ${j} is constant; remove it before factor analysis.`, { column: j })
        psiFloor[j] = PSI_FLOOR * S[j * d + j]!
      }
      return { n, totalWeight: w, mean, S, psiFloor }
    } finally {
      arena.dispose()
    }
  }

  /** Sigma = Lambda Lambda^T + Psi. */
  covariance(params: FactorParams): Float64Array {
    const { d, q } = this
    const L = params.loadings
    const out = new Float64Array(d * d)
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = i === j ? params.psi[i]! : 0
        for (let k = 0; k < q; k++) s += L[i * q + k]! * L[j * q + k]!
        out[i * d + j] = s
      }
    }
    return out
  }

  /** Total log-likelihood -W/2 (d log 2pi + log|Sigma| + tr(Sigma^-1 S)). */
  logLik(data: FactorData, params: FactorParams): number {
    const { d } = this
    const sigma = this.covariance(params)
    const l = cholesky(sigma, d)
    if (!l) return -Infinity
    const inv = inverseSPD(sigma, d)!
    let tr = 0
    for (let i = 0; i < d * d; i++) tr += inv[i]! * data.S[i]!
    return -0.5 * data.totalWeight * (d * LOG_2PI + logDetFromCholesky(l, d) + tr)
  }

  /**
   * The posterior of the factors: z | x ~ N(beta (x - mu), M^-1) with
   * M = I + Lambda^T Psi^-1 Lambda and beta = M^-1 Lambda^T Psi^-1 (q x d).
   */
  posterior(params: FactorParams): { beta: Float64Array; covariance: Float64Array } {
    const { d, q } = this
    const L = params.loadings, psi = params.psi
    const lt = transpose(L, d, q)
    const ltPsi = new Float64Array(q * d)
    for (let k = 0; k < q; k++) for (let j = 0; j < d; j++) ltPsi[k * d + j] = lt[k * d + j]! / psi[j]!
    const M = matMul(ltPsi, L, q, d, q)
    for (let k = 0; k < q; k++) M[k * q + k] = M[k * q + k]! + 1
    const mInv = inverseSPD(M, q)
    if (!mInv) throw new DegenerateError('DEGENERATE', 'The factor model became singular; use fewer factors or rescale the data.')
    return { beta: matMul(mInv, ltPsi, q, q, d), covariance: mInv }
  }

  /**
   * Bartlett's factor scores (weighted least squares, unbiased given the factors):
   * z = (Lambda^T Psi^-1 Lambda)^-1 Lambda^T Psi^-1 (x - mu); the q x d matrix.
   */
  bartlett(params: FactorParams): Float64Array {
    const { d, q } = this
    const L = params.loadings, psi = params.psi
    const ltPsi = new Float64Array(q * d)
    for (let k = 0; k < q; k++) for (let j = 0; j < d; j++) ltPsi[k * d + j] = L[j * q + k]! / psi[j]!
    const inv = inverseSPD(matMul(ltPsi, L, q, d, q), q)
    if (!inv) throw new DegenerateError('DEGENERATE', "Bartlett's scores need Lambda^T Psi^-1 Lambda invertible, and it is not (a factor loads on nothing); use fewer factors or scores: 'regression'.")
    return matMul(inv, ltPsi, q, q, d)
  }

  eStep(data: FactorData, params: FactorParams): EStepResult {
    const { d, q } = this
    const { beta, covariance: mInv } = this.posterior(params)
    const w = data.totalWeight
    const sBetaT = matMul(data.S, transpose(beta, q, d), d, d, q)
    const betaSBetaT = matMul(beta, sBetaT, q, d, q)
    const stats = new Float64Array(1 + d * q + q * q + d)
    stats[0] = w
    for (let p = 0; p < d * q; p++) stats[1 + p] = w * sBetaT[p]!
    for (let p = 0; p < q * q; p++) stats[1 + d * q + p] = w * (mInv[p]! + betaSBetaT[p]!)
    for (let j = 0; j < d; j++) stats[1 + d * q + q * q + j] = w * data.S[j * d + j]!
    return { stats, logLik: this.logLik(data, params) }
  }

  mStep(stats: Float64Array, _params: FactorParams, data: FactorData): FactorParams {
    const loadings = this.loadingsFromStats(stats)
    return { loadings, psi: this.psiFromEM(stats, loadings, data) }
  }

  /** Lambda = Sxz Szz^-1. */
  private loadingsFromStats(stats: Float64Array): Float64Array {
    const { d, q } = this
    const szzInv = inverseSPD(stats.subarray(1 + d * q, 1 + d * q + q * q), q)
    if (!szzInv) throw new DegenerateError('DEGENERATE', 'The expected factor scatter is singular; use fewer factors.')
    return matMul(stats.subarray(1, 1 + d * q), szzInv, d, q, q)
  }

  /** EM's uniquenesses with Lambda = Sxz Szz^-1: (Sxx_jj - Lambda_j . Sxz_j) / W. */
  private psiFromEM(stats: Float64Array, loadings: Float64Array, data: FactorData): Float64Array {
    const { d, q } = this
    const psi = new Float64Array(d)
    for (let j = 0; j < d; j++) {
      let s = stats[1 + d * q + q * q + j]!
      for (let k = 0; k < q; k++) s -= loadings[j * q + k]! * stats[1 + j * q + k]!
      psi[j] = Math.max(s / stats[0]!, data.psiFloor[j]!)
    }
    return psi
  }

  /** CM-step for Psi with Lambda fixed: (Sxx_jj - 2 Lambda_j . Sxz_j + Lambda_j Szz Lambda_j^T) / W. */
  private psiGivenLoadings(stats: Float64Array, loadings: Float64Array, data: FactorData): Float64Array {
    const { d, q } = this
    const psi = new Float64Array(d)
    const szz = stats.subarray(1 + d * q, 1 + d * q + q * q)
    for (let j = 0; j < d; j++) {
      let s = stats[1 + d * q + q * q + j]!
      for (let k = 0; k < q; k++) {
        s -= 2 * loadings[j * q + k]! * stats[1 + j * q + k]!
        for (let l = 0; l < q; l++) s += loadings[j * q + k]! * szz[k * q + l]! * loadings[j * q + l]!
      }
      psi[j] = Math.max(s / stats[0]!, data.psiFloor[j]!)
    }
    return psi
  }

  /**
   * ECME's L-step: for fixed Psi the log-likelihood is maximised by
   * Lambda = Psi^1/2 U_q diag(sqrt(max(lambda_k - 1, 0))), with (lambda, U) the
   * leading eigenpairs of Psi^-1/2 S Psi^-1/2 (Lawley & Maxwell). No pass over the
   * data: it works on S.
   */
  private loadingsMaximisingLikelihood(psi: Float64Array, data: FactorData): Float64Array {
    const { d, q } = this
    const s = new Float64Array(d * d)
    const root = Array.from(psi, Math.sqrt)
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s[i * d + j] = data.S[i * d + j]! / (root[i]! * root[j]!)
    const { values, vectors } = symmetricEigen(s, d)
    const out = new Float64Array(d * q)
    for (let k = 0; k < q; k++) {
      const scale = Math.sqrt(Math.max(values[k]! - 1, 0))
      for (let i = 0; i < d; i++) out[i * q + k] = root[i]! * vectors[i * d + k]! * scale
    }
    return out
  }

  nParameters(): number {
    const { d, q } = this
    return d + d * q + d - (q * (q - 1)) / 2
  }

  /** [Lambda (d*q, row-major) | Psi (d)]. */
  pack(params: FactorParams): Float64Array {
    const out = new Float64Array(this.d * this.q + this.d)
    out.set(params.loadings, 0)
    out.set(params.psi, this.d * this.q)
    return out
  }

  unpack(vec: Float64Array): FactorParams {
    const dq = this.d * this.q
    return { loadings: vec.slice(0, dq), psi: vec.slice(dq, dq + this.d) }
  }

  isValid(vec: Float64Array): boolean {
    const dq = this.d * this.q
    for (let i = 0; i < vec.length; i++) if (!Number.isFinite(vec[i]!)) return false
    for (let j = 0; j < this.d; j++) if (!(vec[dq + j]! > 0)) return false
    return true
  }

  /** Starting values: probabilistic PCA (Tipping & Bishop) or random loadings (seeded). */
  initialParams(data: FactorData, method: FactorInitMethod, rng: Rng): FactorParams {
    const { d, q } = this
    const loadings = new Float64Array(d * q), psi = new Float64Array(d)
    if (method === 'pca') {
      const { values, vectors } = symmetricEigen(data.S, d)
      let rest = 0
      for (let k = q; k < d; k++) rest += values[k]!
      const sigma2 = Math.max(rest / (d - q), 1e-12)
      for (let k = 0; k < q; k++) {
        const scale = Math.sqrt(Math.max(values[k]! - sigma2, 0))
        for (let i = 0; i < d; i++) loadings[i * q + k] = vectors[i * d + k]! * scale
      }
      for (let j = 0; j < d; j++) {
        let s = data.S[j * d + j]!
        for (let k = 0; k < q; k++) s -= loadings[j * q + k]! ** 2
        psi[j] = Math.max(s, 0.1 * data.S[j * d + j]!)
      }
    } else {
      for (let j = 0; j < d; j++) {
        const sd = Math.sqrt(data.S[j * d + j]!)
        for (let k = 0; k < q; k++) loadings[j * q + k] = 0.5 * sd * rng.normal()
        psi[j] = 0.5 * data.S[j * d + j]!
      }
    }
    return { loadings, psi }
  }
}
