/**
 * The Bayesian Gaussian mixture fitted by variational EM, with scikit-learn 1.9.1's
 * BayesianGaussianMixture updates and lower bound (Bishop 2006, 10.2; Blei & Jordan
 * 2006 for the stick-breaking weights).
 *
 * VE-step: the Gaussian mixture's E-step with expected log-densities. Each component's
 * E[log pi_k] + E[log N(x | mu_k, Lambda_k)] is the density of N(x | m_k, Sigma_k)
 * (Sigma_k = scikit-learn's normalised covariance W_k^-1 / nu_k) plus a constant per
 * component, -d/2 log nu_k + (E log|Lambda_k| - log|W_k| - d / beta_k) / 2, so the same
 * density, responsibilities and statistics kernels do the work (the constant goes in
 * as the log-weight). VM-step: the Gaussian M-step's nk, xk, sk turned into q(theta).
 *
 * The bound is recorded after the VM-step, as scikit-learn does: with q(theta) just
 * fitted to q(z), the bound is the entropy of q(z) plus terms of q(theta) alone
 * (`lowerBound`; scikit-learn drops the constants, `elboConstant` adds them back).
 * The entropy comes from the statistics, not from a pass over n x K logs:
 * sum r log r = sum_i logZ_i - sum_k (N_k c_k + N_k (logDetP_k - d/2 log 2 pi)
 * - tr(Sigma_k^-1 S2_k) / 2), with S2_k gathered around m_k.
 */
import { concatArrays, splitArray } from '../../core/shape.js'
import { insideSpace, UnsupportedError } from '../../core/errors.js'
import type { Matrix } from '../../core/matrix.js'
import type { EMModel, EStepResult, OnlineEMCapability, PreparedData, VariationalCapability } from '../../engine/types.js'
import { variationalObjective } from '../../engine/variants/variational.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import { type CovarianceStrategy, type CovarianceType, FactorWorkspace } from '../gmm/covariance.js'
import { COVARIANCE } from '../gmm/covariance-table.js'
import { halfDof, LN2 } from '../common/wishart.js'
import { boundTerms, divergence, elboConstant, LOG_2PI } from './bound.js'
import type { BgmmParams } from './params.js'
import { precisionTrace } from '../gmm/precision.js'
import type { BgmmPriors } from './priors.js'
import { Special } from '../common/special.js'
import { WEIGHT_PRIORS, type WeightPrior, type WeightPriorType } from './weights.js'
import { WISHART, type WishartUpdate } from './wishart.js'
import { gaussianFarRows, noFarRows, withFarOffsets } from '../common/far.js'
import { precisionLayout } from '../components/gaussian.js'
import { recentreGaussianStats } from '../components/gaussian-recentre.js'

export type { BgmmParams } from './params.js'

/** scikit-learn adds 10 machine epsilons to every component's mass (keeps empty components finite). */
const MASS_EPS = 10 * Number.EPSILON

export interface BgmmSpec {
  readonly kernels: Kernels
  readonly k: number
  readonly d: number
  readonly covarianceType: CovarianceType
  readonly weightConcentrationPriorType: WeightPriorType
  readonly regCovar: number
}

/** The data of one fit (or one scoring call) in kernel memory, with every work buffer. */
export interface BgmmData extends PreparedData {
  readonly n: number
  readonly x: F64Buffer
  /** n*k: expected log-densities, then responsibilities q(z). */
  readonly resp: F64Buffer
  readonly rowLogLik: F64Buffer
  readonly stats: F64Buffer
  readonly means: F64Buffer
  readonly precision: F64Buffer
  readonly logDetP: F64Buffer
  readonly logWeights: F64Buffer
  readonly arena: Arena
}

export class BayesianGaussianMixtureModel implements EMModel<BgmmParams, BgmmData> {
  readonly name = 'bayesian-gaussian-mixture'
  readonly kernels: Kernels
  readonly k: number
  readonly d: number
  readonly regCovar: number
  readonly covariance: CovarianceStrategy
  readonly weightPrior: WeightPrior
  readonly variational: VariationalCapability<BgmmParams, BgmmData>
  readonly onlineEM: OnlineEMCapability<BgmmParams, BgmmData>
  private readonly wishart: WishartUpdate
  readonly special: Special
  private readonly workspace: FactorWorkspace
  /** Length of the statistics: [N (k) | S1 (k*d) | S2 | entropy of q(z)]. */
  private readonly statsSize: number

  constructor(spec: BgmmSpec) {
    this.kernels = spec.kernels
    this.k = spec.k
    this.d = spec.d
    this.regCovar = spec.regCovar
    this.covariance = COVARIANCE[spec.covarianceType]
    this.weightPrior = WEIGHT_PRIORS[spec.weightConcentrationPriorType]
    this.wishart = WISHART[spec.covarianceType]
    const { k, d } = this
    this.statsSize = k + k * d + (this.covariance.statsKernel === 'statsFull' ? k * d * d : k * d)
    this.special = new Special(this.kernels, 4 * k + k * d + 8)
    this.workspace = new FactorWorkspace(this.kernels, k, d)
    // online (stochastic variational) EM: the statistics are gathered around q(theta)'s means
    this.onlineEM = { recentre: (stats, from, to) => recentreGaussianStats(stats, from.means, to.means, k, d, this.covariance.statsKernel === 'statsFull') }
    this.variational = {
      veStep: (data, params) => this.veStep(data, params),
      vmStep: (stats, params) => this.vmStep(stats, params),
      elboAfterVM: (stats, next) => stats[this.statsSize]! + boundTerms(this, next),
    }
  }

  /** Copy the rows into kernel memory once, with every buffer the iterations need. */
  prepare(m: Matrix): BgmmData {
    const { k, d } = this
    const arena = this.kernels.arena()
    return {
      n: m.rows,
      totalWeight: m.rows,
      x: arena.f64From(m.data),
      resp: arena.f64(m.rows * k),
      rowLogLik: arena.f64(m.rows),
      stats: arena.f64(this.statsSize),
      means: arena.f64(k * d),
      precision: arena.f64(this.covariance.precisionSize(k, d)),
      logDetP: arena.f64(k),
      logWeights: arena.f64(k),
      arena,
    }
  }

  release(data: BgmmData): void {
    data.arena.dispose()
  }

  /** Free the work space (made again on first use): the model stays usable. */
  dispose(): void {
    this.workspace.dispose()
    this.special.dispose()
  }


  // ---- the VE-step ----

  /**
   * q(z) at q(theta) = `params` into data.resp (and, with `perRow`, each row's log
   * normaliser into data.rowLogLik); returns the sum of the log normalisers.
   */
  expectation(data: BgmmData, params: BgmmParams, perRow = false): number {
    const logZ = this.responsibilities(data, params, perRow, null)
    if (Number.isFinite(logZ)) return logZ
    // rows too far from every component to be represented: once more, relative to their offsets (common/far.ts)
    const far = noFarRows(data.n)
    return withFarOffsets(this.responsibilities(data, params, perRow, far), far, null, perRow ? data.rowLogLik.view : null)
  }

  private responsibilities(data: BgmmData, params: BgmmParams, perRow: boolean, far: Float64Array | null): number {
    const { kernels, k, d } = this
    data.means.view.set(params.means)
    data.precision.view.set(params.precision)
    data.logDetP.view.set(params.logDetP)
    this.covariance.logDensity(kernels, { x: data.x, n: data.n, means: data.means, precision: data.precision, logDetP: data.logDetP, out: data.resp }, k, d)
    if (far) gaussianFarRows(data.x.view, data.n, d, params.means, k, params.precision, precisionLayout(this.covariance, d), params.logDetP, data.resp.view, far)
    data.logWeights.view.set(this.componentTerms(params))
    return kernels.responsibilities(data.resp, data.n, k, data.logWeights, perRow ? data.rowLogLik : null, null)
  }

  /** Statistics of the responsibilities in data.resp around `ref` (k*d), then the entropy slot (0 here). */
  statistics(data: BgmmData, ref: Float64Array): Float64Array {
    data.means.view.set(ref)
    this.kernels[this.covariance.statsKernel](data.x, data.n, this.d, data.resp, this.k, null, data.means, data.stats)
    const out = new Float64Array(this.statsSize + 1)
    out.set(data.stats.view.subarray(0, this.statsSize))
    return out
  }

  /** Expected statistics under q(z), the entropy of q(z), and the bound after the VE-step. */
  veStep(data: BgmmData, params: BgmmParams): EStepResult {
    const logZ = this.expectation(data, params)
    const stats = this.statistics(data, params.means)
    stats[this.statsSize] = logZ - this.expectedLogJoint(stats, params)
    return { stats, logLik: logZ - divergence(this, params) }
  }

  /**
   * E[log pi_k] + E[log N(x | mu_k, Lambda_k)] - log N(x | m_k, Sigma_k): what the
   * responsibilities kernel adds to each component's density.
   */
  componentTerms(params: BgmmParams): Float64Array {
    const { k, d } = this
    const logWeights = this.weightPrior.expectedLogWeights(params.weightConcentration, k, this.special)
    const logLambda = this.expectedLogDetTerms(params.degreesOfFreedom)
    const out = new Float64Array(k)
    for (let c = 0; c < k; c++) {
      const nu = params.degreesOfFreedom[c]!
      out[c] = logWeights[c]! + 0.5 * (logLambda[c]! - d / params.meanPrecision[c]!) - 0.5 * d * Math.log(nu)
    }
    return out
  }

  /** d log 2 + sum_j psi((nu_k - j) / 2): E log|Lambda_k| - log|W_k| (scikit-learn's log_lambda). */
  private expectedLogDetTerms(dof: Float64Array): Float64Array {
    const { k, d } = this
    const psi = this.special.psi(halfDof(dof, k, d))
    const out = new Float64Array(k)
    for (let c = 0; c < k; c++) {
      let s = 0
      for (let j = 0; j < d; j++) s += psi[c * d + j]!
      out[c] = d * LN2 + s
    }
    return out
  }

  /** sum_i sum_k r_ik (c_k + log N(x_i | m_k, Sigma_k)) from the statistics gathered around m_k. */
  private expectedLogJoint(stats: Float64Array, params: BgmmParams): number {
    const { k, d } = this
    const c = this.componentTerms(params)
    const s2 = k + k * d
    const block = this.covariance.statsKernel === 'statsFull' ? d * d : d
    let total = 0
    for (let comp = 0; comp < k; comp++) {
      const nk = stats[comp]!
      if (nk === 0) continue
      total += nk * (c[comp]! + params.logDetP[comp]! - 0.5 * d * LOG_2PI) - 0.5 * precisionTrace(this.covariance, params.precision, comp, d, stats, s2 + comp * block)
    }
    return total
  }

  // ---- the VM-step ----

  vmStep(stats: Float64Array, params: BgmmParams): BgmmParams {
    return this.posterior(stats, params.means, params.priors)
  }

  /**
   * q(theta) from the statistics of q(z) gathered around `ref`: the Gaussian M-step's
   * masses nk (+ 10 eps), means xk and covariances sk (with regCovar), then the
   * Dirichlet, Normal and Wishart updates (scikit-learn's `_m_step`, and its
   * `_initialize` from the starting responsibilities).
   */
  posterior(stats: Float64Array, ref: Float64Array, priors: BgmmPriors): BgmmParams {
    const { k, d } = this
    const nk = new Float64Array(k)
    for (let c = 0; c < k; c++) nk[c] = stats[c]! + MASS_EPS
    const xk = new Float64Array(k * d)
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) xk[c * d + j] = (stats[k + c * d + j]! + stats[c]! * ref[c * d + j]!) / nk[c]!
    }
    const sk = this.covariance.fromStats(stats, nk, k, d, this.regCovar)
    const meanPrecision = Float64Array.from(nk, (v) => priors.meanPrecision + v)
    const means = new Float64Array(k * d)
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) means[c * d + j] = (priors.meanPrecision * priors.mean[j]! + nk[c]! * xk[c * d + j]!) / meanPrecision[c]!
    }
    const { degreesOfFreedom, covariances } = this.wishart(nk, xk, sk, meanPrecision, priors, k, d)
    return this.makeParams(this.weightPrior.posterior(nk, priors.weightConcentration), meanPrecision, means, degreesOfFreedom, covariances, priors)
  }

  /** Parameters with their precision factors (throws DegenerateError when a covariance is not positive definite). */
  makeParams(weightConcentration: Float64Array, meanPrecision: Float64Array, means: Float64Array, degreesOfFreedom: Float64Array, covariances: Float64Array, priors: BgmmPriors): BgmmParams {
    const { precision, logDetP } = this.covariance.precisions(covariances, this.k, this.d, this.workspace.scratch, this.regCovar)
    return { weightConcentration, meanPrecision, means, degreesOfFreedom, covariances, precision, logDetP, priors }
  }

  /** What scikit-learn's bound leaves out (see bound.ts): bound + constant is the evidence lower bound. */
  elboConstant(priors: BgmmPriors, totalWeight: number): number {
    return elboConstant(this, priors, totalWeight)
  }

  // ---- the engine's interface ----

  eStep(): EStepResult {
    throw new UnsupportedError(`${this.name} is fitted by variational EM only (algorithm 'variational').`)
  }

  mStep(): BgmmParams {
    throw new UnsupportedError(`${this.name} is fitted by variational EM only (algorithm 'variational').`)
  }

  /** The recorded bound at `params`: one VE-step and VM-step from it (scikit-learn records after the VM-step). */
  logLik(data: BgmmData, params: BgmmParams): number {
    return variationalObjective(this.variational, data, params)
  }

  /** scikit-learn compares the change of the total bound with tol. */
  objectiveScale(): number {
    return 1
  }

  /** Free parameters of the point-estimate mixture (weights, means, covariances). */
  nParameters(): number {
    const { k, d } = this
    return k - 1 + k * d + this.covariance.freeParameters(k, d)
  }

  pack(params: BgmmParams): Float64Array {
    const parts = [params.weightConcentration, params.meanPrecision, params.means, params.degreesOfFreedom, params.covariances]
    return concatArrays(parts)
  }

  unpack(vec: Float64Array, like: BgmmParams): BgmmParams {
    const { k, d } = this
    const sizes = [like.weightConcentration.length, k, k * d, k, like.covariances.length]
    const parts = splitArray(vec, sizes)
    return this.makeParams(parts[0]!, parts[1]!, parts[2]!, parts[3]!, parts[4]!, like.priors)
  }

  /** Concentrations and mean precisions > 0, degrees of freedom > d - 1, covariances positive definite. */
  isValid(vec: Float64Array, like: BgmmParams): boolean {
    const { k, d } = this
    for (let p = 0; p < vec.length; p++) if (!Number.isFinite(vec[p]!)) return false
    const nc = like.weightConcentration.length
    for (let p = 0; p < nc + k; p++) if (!(vec[p]! > 0)) return false
    const dof = nc + k + k * d
    for (let c = 0; c < k; c++) if (!(vec[dof + c]! > d - 1)) return false
    return insideSpace(() => this.unpack(vec, like))
  }
}
