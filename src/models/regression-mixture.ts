/**
 * Mixtures of regressions: y_i | x_i ~ sum_c w_c f(y_i | z_i' beta_c, sigma_c), with
 * z_i the design row ([1, x_i] with an intercept). One model for the Gaussian family
 * (mixtools' regmixEM, flexmix's FLXMRglm(gaussian)) and the GLM families Poisson (log
 * link) and binomial (logit link, y successes out of trials), flexmix's FLXMRglm.
 *
 * Statistics (additive, per component c, gathered at the current coefficients beta_c
 * so they stay accurate far from 0; assembly/regression.ts's weightedCrossProducts):
 * [N_c, Z'AZ, Z'At, t'At, .] with A = diag(sample weight x responsibility x IRLS
 * weight) and t the working response minus z' beta_c (Gaussian: the residual). The
 * M-step's Newton step delta = (Z'AZ)^-1 Z'At is exact weighted least squares for the
 * Gaussian (RSS = t'At - delta' Z'At); for a GLM it is IRLS's first step, which the
 * M-step continues over the data (kept responsibilities) until the step vanishes: an
 * exact M-step, as flexmix's glm.fit within each iteration.
 *
 * The Gaussian variance: 'ml' sigma_c^2 = RSS_c / N_c (the MLE; regmixEM), or
 * 'flexmix' sigma_c^2 = n / (n - p) RSS_c / N_c (flexmix's convention, n the total
 * weight; not the MLE, so EM with it is not monotone in general).
 */
import { DegenerateError, InputError } from '../core/errors.js'
import { cholesky, solveCholesky } from '../core/math/dense.js'
import { lgamma } from '../core/math/special.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import type { ClassificationCapability, EMModel, EStepResult } from '../engine/types.js'
import { crossProductsBufferSize, crossProductsSize, GLM_FAMILY, type GlmFamilyName } from '../kernels/regression.js'
import type { F64Buffer, Kernels } from '../kernels/types.js'
import { massWeights, type MixtureData, mixtureBuffers, mixtureClassification, mixtureResponsibilities } from './common/mixture.js'
import { farRowsWith, noFarRows, withFarOffsets } from './common/far.js'
import { freeWeightsValid, weightsFromFree } from './common/free-coordinates.js'

export type RegressionFamily = GlmFamilyName
export type VarianceConvention = 'ml' | 'flexmix'

export interface RegressionMixtureParams {
  readonly weights: Float64Array
  /** k x p coefficient rows (row c: component c's [intercept, slopes]). */
  readonly coef: Float64Array
  /** Component standard deviations (Gaussian); ones for a GLM (not free parameters). */
  readonly sigma: Float64Array
}

export interface RegressionMixtureData extends MixtureData {
  readonly p: number
  readonly z: F64Buffer
  readonly y: F64Buffer
  readonly trials: F64Buffer | null
  readonly logConst: F64Buffer | null
  readonly eta: F64Buffer
  readonly target: F64Buffer
  readonly weight: F64Buffer | null
  /** n*k log-densities of the M-step's IRLS (the responsibilities stay in resp). */
  readonly dens: F64Buffer
  readonly coefBuf: F64Buffer
  readonly a: F64Buffer
  readonly b: F64Buffer
  readonly stats: F64Buffer
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)
/** IRLS stops when no coefficient moves by more than this, relative to 1 + |beta| (Newton: the next step would be at rounding level). */
const IRLS_STEP_TOL = 1e-11
const IRLS_MAX_STEPS = 100
const IRLS_MAX_HALVINGS = 30

export interface RegressionMixtureSettings {
  readonly family: RegressionFamily
  readonly variance: VarianceConvention
}

export class RegressionMixtureModel implements EMModel<RegressionMixtureParams, RegressionMixtureData> {
  readonly name = 'RegressionMixture'
  readonly size: number
  private readonly code: number
  /** Classification EM: the posteriors hardened before the statistics. */
  readonly classification: ClassificationCapability<RegressionMixtureParams, RegressionMixtureData>

  constructor(readonly kernels: Kernels, readonly k: number, readonly p: number, readonly settings: RegressionMixtureSettings) {
    this.size = crossProductsSize(p)
    this.code = GLM_FAMILY[settings.family]
    this.classification = mixtureClassification(kernels, k, (data, params) => this.expectation(data, params), (data) => this.statistics(data, false))
  }

  get gaussian(): boolean { return this.code === 0 }

  /**
   * The design z (n x p, row-major), responses and (binomial) trials into kernel memory
   * once per fit. Checks the responses of the family: Poisson counts are non-negative
   * integers; binomial successes are integers in [0, trials], trials positive integers.
   */
  prepare(z: Float64Array, y: Float64Array, trials: Float64Array | null, sampleWeight: Float64Array | null): RegressionMixtureData {
    const n = y.length, { k, p } = this
    const logConst = this.gaussian ? null : this.responseConstants(y, trials)
    const arena = this.kernels.arena()
    const glm = !this.gaussian
    return {
      ...mixtureBuffers(arena, n, k, sampleWeight),
      p,
      z: arena.f64From(z),
      y: arena.f64From(y),
      trials: this.code === 2 ? arena.f64From(trials!) : null,
      logConst: logConst ? arena.f64From(logConst) : null,
      eta: arena.f64(n * k),
      target: arena.f64(n * k),
      weight: glm ? arena.f64(n * k) : null,
      dens: arena.f64(n * k),
      coefBuf: arena.f64(k * p),
      a: arena.f64(k),
      b: arena.f64(k),
      stats: arena.f64(crossProductsBufferSize(p, k)),
    }
  }

  /** -log y! (Poisson) or log C(t, y) (binomial) per row, once per fit; refuses responses outside the family's support. */
  private responseConstants(y: Float64Array, trials: Float64Array | null): Float64Array {
    const out = new Float64Array(y.length)
    for (let i = 0; i < y.length; i++) {
      const v = y[i]!
      if (!(Number.isInteger(v) && v >= 0)) {
        throw new InputError('INVALID_DATA', `y[${i}] is ${v}; the ${this.settings.family} family needs non-negative integer responses (counts${this.code === 2 ? ' of successes' : ''}): round or drop that row.`, { row: i, value: v })
      }
      if (this.code === 1) { out[i] = v < 2 ? 0 : lgamma(v + 1); continue }
      const t = trials![i]!
      if (!(Number.isInteger(t) && t >= 1)) throw new InputError('INVALID_DATA', `trials[${i}] is ${t}; give positive integer trial counts.`, { row: i, value: t })
      if (v > t) throw new InputError('INVALID_DATA', `y[${i}] is ${v} successes out of trials[${i}] = ${t}; successes cannot exceed the trials.`, { row: i, value: v, trials: t })
      out[i] = lgamma(t + 1) - lgamma(v + 1) - lgamma(t - v + 1)
    }
    return out
  }

  release(data: RegressionMixtureData): void {
    data.arena.dispose()
  }

  /** Per-row terms at `coef` (eta, log-densities into `dens`, working responses and weights); `start`: glm.fit's start instead of coef. */
  private rowTerms(data: RegressionMixtureData, coef: Float64Array, sigma: Float64Array, dens: F64Buffer, start = false): void {
    const { k, p } = this
    const kn = this.kernels
    data.coefBuf.view.set(coef)
    const a = data.a.view, b = data.b.view
    for (let c = 0; c < k; c++) {
      a[c] = this.gaussian ? -HALF_LOG_2PI - Math.log(sigma[c]!) : 0
      b[c] = this.gaussian ? 1 / sigma[c]! : 0
    }
    kn.regressionEta(data.z, data.n, p, data.coefBuf, k, data.eta)
    kn.glmRowTerms(this.code, data.y, data.trials, data.logConst, data.eta, data.n, k, data.a, data.b, start ? 1 : 0, dens, data.target, data.weight)
  }

  /** Responsibilities into data.resp, per-row log-likelihoods into data.rowLogLik; the total. */
  expectation(data: RegressionMixtureData, params: RegressionMixtureParams): number {
    this.rowTerms(data, params.coef, params.sigma, data.resp)
    const logLik = mixtureResponsibilities(this.kernels, data, this.k, params.weights)
    if (Number.isFinite(logLik) || !this.gaussian) return logLik
    // responses too far from every component's line for their squared residuals: once more, those rows relative to their offsets (common/far.ts)
    this.rowTerms(data, params.coef, params.sigma, data.resp)
    const far = noFarRows(data.n)
    this.farRows(data, params.sigma, far)
    const relative = mixtureResponsibilities(this.kernels, data, this.k, params.weights)
    return withFarOffsets(relative, far, data.sampleWeight?.view ?? null, data.rowLogLik.view)
  }

  /** Gaussian rows whose log-density is -Infinity under every component, from the residuals in data.target on a log scale (common/far.ts), h* into far. */
  private farRows(data: RegressionMixtureData, sigma: Float64Array, far: Float64Array): void {
    const { k } = this, residual = data.target.view
    farRowsWith(
      data.n, k, data.resp.view, far,
      // log((r / sigma)^2 / 2), without squaring r
      (i, c) => 2 * (Math.log(Math.abs(residual[i * k + c]!)) - Math.log(sigma[c]!)) - Math.LN2,
      (c) => -HALF_LOG_2PI - Math.log(sigma[c]!),
    )
  }

  /** The statistics of the responsibilities in data.resp with the working terms in data (a new JS array). */
  private statistics(data: RegressionMixtureData, withDens: boolean): Float64Array {
    this.kernels.weightedCrossProducts(data.z, data.n, this.p, this.k, data.resp, data.sampleWeight, data.weight, data.target, withDens ? data.dens : null, data.stats)
    return data.stats.view.slice(0, this.k * this.size)
  }

  eStep(data: RegressionMixtureData, params: RegressionMixtureParams): EStepResult {
    const logLik = this.expectation(data, params)
    return { stats: this.statistics(data, false), logLik }
  }

  /** Component c's Newton (least-squares) step from its statistics block. */
  private step(stats: Float64Array, c: number): Float64Array {
    const { p, size } = this
    const off = c * size
    const l = cholesky(stats.subarray(off + 1, off + 1 + p * p), p)
    if (!l) throw new DegenerateError('DEGENERATE', `Component ${c}'s weighted design matrix is singular (mass ${stats[off]}): use fewer components or check X for constant or collinear columns.`, { component: c })
    return solveCholesky(l, p, stats.subarray(off + 1 + p * p, off + 1 + p * p + p))
  }

  mStep(stats: Float64Array, params: RegressionMixtureParams, data: RegressionMixtureData): RegressionMixtureParams {
    const { k, p, size } = this
    const weights = massWeights(stats, k, size)
    const coef = new Float64Array(k * p)
    const deltas: Float64Array[] = []
    for (let c = 0; c < k; c++) {
      const delta = this.step(stats, c)
      deltas.push(delta)
      for (let j = 0; j < p; j++) coef[c * p + j] = params.coef[c * p + j]! + delta[j]!
    }
    if (!this.gaussian) return { weights, coef: this.irls(data, coef, params.sigma), sigma: params.sigma }
    const sigma = new Float64Array(k)
    const scale = this.settings.variance === 'flexmix' ? data.totalWeight / (data.totalWeight - p) : 1
    for (let c = 0; c < k; c++) {
      const off = c * size, delta = deltas[c]!
      let fitted = 0
      for (let j = 0; j < p; j++) fitted += delta[j]! * stats[off + 1 + p * p + j]!
      const rss = stats[off + 1 + p * p + p]! - fitted
      const variance = (scale * rss) / stats[off]!
      if (!(variance > 0 && Number.isFinite(variance))) throw new DegenerateError('DEGENERATE', `Component ${c}'s variance became ${variance} (it fits its rows exactly): use fewer components.`, { component: c })
      sigma[c] = Math.sqrt(variance)
    }
    return { weights, coef, sigma }
  }

  /**
   * IRLS from `coef` (after the first Newton step) with the responsibilities in
   * data.resp, every component at once (each independent): a step is kept when the
   * component's weighted log-likelihood does not fall, else halved toward the last
   * kept point; a component stops when its step is at rounding level.
   */
  private irls(data: RegressionMixtureData, first: Float64Array, sigma: Float64Array): Float64Array {
    const { k, p, size } = this
    const trial = first.slice()
    const kept = new Float64Array(k * p)
    const keptQ = new Float64Array(k).fill(-Infinity)
    const done = new Uint8Array(k)
    const halvings = new Uint8Array(k)
    for (let pass = 0; pass < IRLS_MAX_STEPS; pass++) {
      this.rowTerms(data, trial, sigma, data.dens)
      const stats = this.statistics(data, true)
      let open = 0
      for (let c = 0; c < k; c++) {
        if (done[c]) continue
        const q = stats[c * size + size - 1]!
        const row = trial.subarray(c * p, c * p + p)
        if (!(q >= keptQ[c]! - 1e-13 * Math.abs(keptQ[c]!)) || !Number.isFinite(q)) {
          if (halvings[c]! >= IRLS_MAX_HALVINGS) { row.set(kept.subarray(c * p, c * p + p)); done[c] = 1; continue }
          halvings[c] = halvings[c]! + 1
          for (let j = 0; j < p; j++) row[j] = 0.5 * (row[j]! + kept[c * p + j]!)
          open++
          continue
        }
        halvings[c] = 0
        kept.set(row, c * p)
        keptQ[c] = q
        const delta = this.step(stats, c)
        let small = true
        for (let j = 0; j < p; j++) {
          if (Math.abs(delta[j]!) > IRLS_STEP_TOL * (1 + Math.abs(row[j]!))) small = false
          row[j] = row[j]! + delta[j]!
        }
        if (small) done[c] = 1
        else open++
      }
      if (open === 0) break
    }
    return trial
  }

  logLik(data: RegressionMixtureData, params: RegressionMixtureParams): number {
    return this.expectation(data, params)
  }

  nParameters(): number {
    return this.k - 1 + this.k * this.p + (this.gaussian ? this.k : 0)
  }

  /** [w_1 .. w_{K-1}, coef (k x p), sigma (Gaussian)]: the free parameters. */
  pack(params: RegressionMixtureParams): Float64Array {
    const { k, p } = this
    const out = new Float64Array(this.nParameters())
    out.set(params.weights.subarray(0, k - 1), 0)
    out.set(params.coef, k - 1)
    if (this.gaussian) out.set(params.sigma, k - 1 + k * p)
    return out
  }

  unpack(vec: Float64Array): RegressionMixtureParams {
    const { k, p } = this
    const weights = weightsFromFree(vec, k)
    const coef = vec.slice(k - 1, k - 1 + k * p)
    const sigma = this.gaussian ? vec.slice(k - 1 + k * p, k - 1 + k * p + k) : new Float64Array(k).fill(1)
    return { weights, coef, sigma }
  }

  isValid(vec: Float64Array): boolean {
    const { k, p } = this
    if (!freeWeightsValid(vec, k)) return false
    for (let i = k - 1; i < vec.length; i++) if (!Number.isFinite(vec[i]!)) return false
    if (this.gaussian) for (let c = 0; c < k; c++) if (!(vec[k - 1 + k * p + c]! > 0)) return false
    return true
  }

  /**
   * Parameters from starting posteriors (n x k, rows summing to 1): the M-step of
   * those responsibilities from coefficients 0 (a GLM from glm.fit's start), i.e.
   * flexmix's first iteration.
   */
  fromPosteriors(data: RegressionMixtureData, posteriors: Float64Array): RegressionMixtureParams {
    const { k, p } = this
    const zero = new Float64Array(k * p), ones = new Float64Array(k).fill(1)
    this.rowTerms(data, zero, ones, data.dens, true)
    data.resp.view.set(posteriors)
    const stats = this.statistics(data, false)
    return this.mStep(stats, { weights: new Float64Array(k).fill(1 / k), coef: zero, sigma: ones }, data)
  }

  /** Starting posteriors from labels (0-based): flexmix's soft start, 0.9 on the label and 0.1 elsewhere, rows normalised. */
  static softPosteriors(labels: ArrayLike<number>, k: number): Float64Array {
    const n = labels.length
    const out = new Float64Array(n * k)
    const norm = 0.9 + 0.1 * (k - 1)
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) out[i * k + c] = (c === labels[i] ? 0.9 : 0.1) / norm
    }
    return out
  }

  /** Random labels from `rng` (each component at least once when n >= k), softened as a given start is. */
  randomPosteriors(n: number, rng: Rng): Float64Array {
    const labels = new Int32Array(n)
    for (let i = 0; i < n; i++) labels[i] = i < this.k ? i : Math.floor(rng.uniform() * this.k)
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1))
      const t = labels[i]!; labels[i] = labels[j]!; labels[j] = t
    }
    return RegressionMixtureModel.softPosteriors(labels, this.k)
  }
}
