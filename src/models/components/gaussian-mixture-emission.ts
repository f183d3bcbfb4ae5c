import { InputError } from '../../core/errors.js'
import { flattenShape } from '../../core/shape.js'
import type { Matrix } from '../../core/matrix.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import { type CovarianceType, type PublicCovariances } from '../gmm/covariance.js'
import { COVARIANCE } from '../gmm/covariance-table.js'
import { kmeans } from '../init/kmeans-lloyd.js'
import { drawFrom, isDistribution } from './categorical.js'
import { type Component, MASS_EPS } from './component.js'
import type { Parameterisation } from '../../engine/types.js'
import type { GaussianData, GaussianParams } from './gaussian.js'
import { GaussianEmission } from './gaussian-emission.js'
import { farCap, noFarRows, relativeToNearest } from '../common/far.js'
import { freeRows, rowNames, simplexRowsFromFree } from '../common/free-coordinates.js'

/**
 * Emissions of a GMM-HMM (hmmlearn's GMMHMM): state s emits a mixture of M Gaussians,
 *   log b_t(s) = logsumexp_m (log w_sm + log N(x_t | mu_sm, Sigma_sm)).
 * Each state's mixture is one Gaussian component with M members (the same class as
 * GaussianHMM's emissions and GaussianMixtureModel's Gaussians), used in turn with the
 * state's parameters. Per state, the density kernel fills an n x M block and the
 * mixture's own responsibilities kernel turns it into log b(s) (its per-row
 * logsumexp) and P(m | s, x_t) (kept for the statistics). The statistics of state s
 * are the component's with P(m | s, x_t) as member weights and the posterior
 * gamma_t(s) as row weight, so each mixture component sees gamma_t(s) P(m | s, x_t);
 * their masses are also the weights' statistics. M-step: w_sm = masses (plus 10 eps)
 * normalised per state, means and covariances by the component.
 *
 * Covariances follow hmmlearn's layouts (per state, the covariance type's layout for
 * M members): full S x M x d x d, diag S x M x d, spherical S x M, and tied S x d x d:
 * the members of one state share a covariance (not every state, as in GaussianHMM).
 * With M = 1, full, diag and spherical give GaussianHMM's numbers exactly, and tied
 * gives GaussianHMM's full model.
 *
 * Against hmmlearn (0.3.3): its default priors give the maximum-likelihood update for
 * weights, means, full, diag and tied covariances, but for spherical the variance is
 * c / (d (N + 1) - M) (covars_prior = -(M + 2) / 2), the MLE only when d = M; here
 * every type is the MLE (plus regCovar). hmmlearn also gathers the covariance
 * statistics about the previous means (an ECM order), adds min_covar only at the
 * start, and counts M - 1 free weights in all; here the scatter is about the new means
 * (the EM update), regCovar is added in every M-step, and the count is S (M - 1).
 */

export interface GaussianMixtureEmissionParams {
  /** S x M row-major: weights[s*M + m] = P(mixture component m | state s). */
  readonly weights: Float64Array
  readonly logWeights: Float64Array
  /** Per state, its mixture's Gaussian parameters (M members). */
  readonly states: readonly GaussianParams[]
}

export interface GaussianMixtureEmissionData {
  /** The rows and the component's buffers, shared by the states in turn. */
  readonly gaussian: GaussianData
  /** Per state, n x M: log-densities, then P(m | s, x_t). */
  readonly mix: readonly F64Buffer[]
  readonly rowLogLik: F64Buffer
  readonly logWeights: F64Buffer
  /** One state's row weights for the statistics. */
  readonly column: F64Buffer
  /** The parameters whose P(m | s, x_t) `mix` holds (by identity; null after a partial pass). */
  mixAt: GaussianMixtureEmissionParams | null
}

export interface GaussianMixtureFitFlags {
  readonly weights: boolean
  readonly means: boolean
  readonly covariances: boolean
}

const FIT_ALL: GaussianMixtureFitFlags = { weights: true, means: true, covariances: true }

export class GaussianMixtureEmission implements Component<GaussianMixtureEmissionParams, GaussianMixtureEmissionData> {
  readonly name = 'gaussian-mixture'
  /** The Gaussian component of one state's mixture (M members). */
  readonly gaussian: GaussianEmission
  readonly statsSize: number

  constructor(
    readonly kernels: Kernels, readonly k: number, readonly nMix: number, readonly d: number, covarianceType: CovarianceType,
    readonly regCovar: number, readonly fit: GaussianMixtureFitFlags = FIT_ALL,
  ) {
    this.gaussian = new GaussianEmission(kernels, nMix, d, covarianceType, regCovar, { means: fit.means, covariances: fit.covariances })
    this.statsSize = k * this.gaussian.statsSize
  }

  prepare(arena: Arena, n: number, rows: F64Buffer | null = null, workRows = n): GaussianMixtureEmissionData {
    return {
      gaussian: this.gaussian.prepare(arena, n, rows),
      mix: Array.from({ length: this.k }, () => arena.f64(workRows * this.nMix)),
      rowLogLik: arena.f64(workRows), logWeights: arena.f64(this.nMix), column: arena.f64(workRows), mixAt: null,
    }
  }

  /** The rows' Gaussian view; the per-state work buffers are shared (their first hi - lo rows), so `mix` is no one's yet. */
  rows(data: GaussianMixtureEmissionData, lo: number, hi: number): GaussianMixtureEmissionData {
    return { ...data, gaussian: this.gaussian.rows(data.gaussian, lo, hi), mixAt: null }
  }

  load(data: GaussianMixtureEmissionData, m: Matrix): void {
    this.gaussian.load(data.gaussian, m)
  }

  /** From weights (S*M), means (S*M*d) and covariances (S blocks of the type's layout for M members); may throw DegenerateError. */
  makeParams(weights: Float64Array, means: Float64Array, covariances: Float64Array): GaussianMixtureEmissionParams {
    const { nMix: M, d } = this
    const size = this.gaussian.covariance.storageSize(M, d)
    const states = Array.from({ length: this.k }, (_, s) =>
      this.gaussian.makeParams(means.slice(s * M * d, (s + 1) * M * d), covariances.slice(s * size, (s + 1) * size)))
    return { weights, logWeights: weights.map(Math.log), states }
  }

  /**
   * Per state: log-densities, then the mixture's responsibilities into data.mix[s];
   * log b(s) into column s of `out` when given. With `far`, each state's rows too far
   * from its Gaussians come relative to their offsets (common/far.ts), and a row far
   * from every state is given relative to the nearest state's offset, in far[t].
   */
  private mixtures(data: GaussianMixtureEmissionData, n: number, params: GaussianMixtureEmissionParams, out: F64Buffer | null, far: Float64Array | null = null): void {
    const { k, nMix: M } = this
    data.mixAt = null
    const farOf = far ? Array.from({ length: k }, () => noFarRows(n)) : null
    for (let s = 0; s < k; s++) {
      this.gaussian.logDensities(data.gaussian, n, params.states[s]!, data.mix[s]!, farOf?.[s])
      data.logWeights.view.set(params.logWeights.subarray(s * M, (s + 1) * M))
      this.kernels.responsibilities(data.mix[s]!, n, M, data.logWeights, data.rowLogLik, null)
      if (!out) continue
      const o = out.view, r = data.rowLogLik.view
      for (let t = 0; t < n; t++) o[t * k + s] = r[t]!
    }
    if (farOf && out) farStates(out.view, n, k, farOf, far!)
    data.mixAt = params
  }

  logDensities(data: GaussianMixtureEmissionData, n: number, params: GaussianMixtureEmissionParams, out: F64Buffer, far?: Float64Array): void {
    this.mixtures(data, n, params, out, far ?? null)
  }

  /** [state 0's component statistics | state 1's | ...], each [N (M) | S1 | S2]. */
  statistics(data: GaussianMixtureEmissionData, n: number, weights: F64Buffer, rowWeight: F64Buffer | null, params: GaussianMixtureEmissionParams, out: Float64Array): void {
    const { k } = this
    if (data.mixAt !== params) this.mixtures(data, n, params, null)
    const size = this.gaussian.statsSize
    for (let s = 0; s < k; s++) {
      const g = weights.view, w = rowWeight?.view, col = data.column.view
      for (let t = 0; t < n; t++) col[t] = w ? g[t * k + s]! * w[t]! : g[t * k + s]!
      this.gaussian.statistics(data.gaussian, n, data.mix[s]!, data.column, params.states[s]!, out.subarray(s * size, (s + 1) * size))
    }
  }

  /** Each state's statistics (gathered around its members' means) recentred from `from`'s means to `to`'s (online EM). */
  recentreParams(stats: Float64Array, from: GaussianMixtureEmissionParams, to: GaussianMixtureEmissionParams): Float64Array {
    const size = this.gaussian.statsSize
    const out = new Float64Array(stats.length)
    for (let s = 0; s < this.k; s++) out.set(this.gaussian.recentre(stats.subarray(s * size, (s + 1) * size), from.states[s]!.means, to.states[s]!.means), s * size)
    return out
  }

  fromStats(stats: Float64Array, params: GaussianMixtureEmissionParams): GaussianMixtureEmissionParams {
    const { k, nMix: M } = this
    const size = this.gaussian.statsSize
    let weights = params.weights
    if (this.fit.weights) {
      weights = new Float64Array(k * M)
      for (let s = 0; s < k; s++) {
        let total = 0
        for (let m = 0; m < M; m++) total += stats[s * size + m]! + MASS_EPS
        for (let m = 0; m < M; m++) weights[s * M + m] = (stats[s * size + m]! + MASS_EPS) / total
      }
    }
    const states = params.states.map((p, s) => this.gaussian.fromStats(stats.subarray(s * size, (s + 1) * size), p))
    return { weights, logWeights: weights === params.weights ? params.logWeights : weights.map(Math.log), states }
  }

  nParameters(): number {
    return this.k * ((this.fit.weights ? this.nMix - 1 : 0) + this.gaussian.nParameters())
  }

  /**
   * Standard-error coordinates: per state its M - 1 free weights (when fitted), then per
   * state its Gaussians' free coordinates (means, each covariance entry once), named
   * weight[s][m], state[s].mean[m][j], state[s].cov[m][i][j], ...
   */
  get free(): Parameterisation<GaussianMixtureEmissionParams> {
    const { k, nMix: M } = this, g = this.gaussian.free, fw = this.fit.weights
    const nw = fw ? k * (M - 1) : 0
    return {
      names: (p) => [
        ...(fw ? rowNames(k, M, 'weight') : []),
        ...p.states.flatMap((q, s) => g.names(q).map((n) => `state[${s}].${n}`)),
      ],
      toFree: (p) => {
        const parts = p.states.map((q) => g.toFree(q))
        const out = new Float64Array(nw + parts.reduce((a, q) => a + q.length, 0))
        if (fw) out.set(freeRows(p.weights, k, M))
        let at = nw
        for (const q of parts) { out.set(q, at); at += q.length }
        return out
      },
      fromFree: (v, like) => {
        const weights = fw ? simplexRowsFromFree(v.subarray(0, nw), k, M, 'weight') : like.weights
        let at = nw
        const states = like.states.map((q) => {
          const size = g.toFree(q).length
          at += size
          return g.fromFree(v.subarray(at - size, at), q)
        })
        return { weights, logWeights: weights.map(Math.log), states }
      },
    }
  }

  /** The Gaussian component's per-row derivatives, imported on demand. */
  loadDerivatives(): Promise<void> { return this.gaussian.loadDerivatives() }

  /**
   * Louis's method in an HMM: observation t's score and -Hessian of log b_s(x_t) in the
   * `free` coordinates. b_s is itself a mixture over the member label m, so they are
   * Louis's identity over that label: with r_m = P(m | x_t, s) and s_m, -H_m those of
   * log w_sm + log N(x_t | m) (the weights' simplex terms and the Gaussian component's
   * rowDerivatives), score = sum_m r_m s_m and
   * -H = sum_m r_m (-H_m) - (sum_m r_m s_m s_m' - score score').
   */
  rowDerivatives(data: GaussianMixtureEmissionData, params: GaussianMixtureEmissionParams): (t: number, s: number, score: Float64Array, negHessian: Float64Array) => void {
    const { nMix: M } = this
    const fw = this.fit.weights, nw = fw ? this.k * (M - 1) : 0, lw = fw ? M - 1 : 0
    const mg = this.gaussian.free.toFree(params.states[0]!).length
    const m = nw + this.k * mg, L = lw + mg
    this.mixtures(data, data.rowLogLik.view.length, params, null) // P(m | x_t, s) into data.mix[s]
    const rows = params.states.map((q) => this.gaussian.rowDerivatives(data.gaussian, q))
    const sm = new Float64Array(M * L), hm = new Float64Array(L * L), h = new Float64Array(L * L), g = new Float64Array(L)
    const gScore = new Float64Array(mg), gHess = new Float64Array(mg * mg)
    return (t, s, score, negHessian) => {
      const r = data.mix[s]!.view
      sm.fill(0); h.fill(0); g.fill(0)
      for (let c = 0; c < M; c++) {
        const rc = r[t * M + c]!
        const sc = sm.subarray(c * L, (c + 1) * L)
        hm.fill(0)
        if (fw) {
          // log w_sc with w_s,M-1 = 1 - the others
          const w = params.weights[s * M + c]!
          if (c < M - 1) { sc[c] = 1 / w; hm[c * L + c] = 1 / (w * w) } else {
            for (let a = 0; a < lw; a++) { sc[a] = -1 / w; for (let b = 0; b < lw; b++) hm[a * L + b] = 1 / (w * w) }
          }
        }
        gScore.fill(0); gHess.fill(0)
        rows[s]!(t, c, gScore, gHess)
        sc.set(gScore, lw)
        for (let a = 0; a < mg; a++) for (let b = 0; b < mg; b++) hm[(lw + a) * L + lw + b] = gHess[a * mg + b]!
        for (let a = 0; a < L; a++) {
          g[a]! += rc * sc[a]!
          for (let b = 0; b < L; b++) h[a * L + b]! += rc * (hm[a * L + b]! - sc[a]! * sc[b]!)
        }
      }
      for (let a = 0; a < L; a++) for (let b = 0; b < L; b++) h[a * L + b]! += g[a]! * g[b]!
      // the state's block: its weights, then its Gaussians
      const at = (a: number): number => (a < lw ? s * lw + a : nw + s * mg + (a - lw))
      for (let a = 0; a < L; a++) {
        score[at(a)]! += g[a]!
        for (let b = 0; b < L; b++) negHessian[at(a) * m + at(b)]! += h[a * L + b]!
      }
    }
  }

  /** [weights | state 0's means and covariances | state 1's | ...]. */
  pack(params: GaussianMixtureEmissionParams): Float64Array {
    const parts = [params.weights, ...params.states.map((p) => this.gaussian.pack(p))]
    const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0))
    let at = 0
    for (const p of parts) { out.set(p, at); at += p.length }
    return out
  }

  unpack(vec: Float64Array, like: GaussianMixtureEmissionParams): GaussianMixtureEmissionParams {
    const weights = vec.slice(0, like.weights.length)
    let at = weights.length
    const states = like.states.map((p) => {
      const size = p.means.length + p.covariances.length
      at += size
      return this.gaussian.unpack(vec.subarray(at - size, at), p)
    })
    return { weights, logWeights: weights.map(Math.log), states }
  }

  isValid(vec: Float64Array, like: GaussianMixtureEmissionParams): boolean {
    const { nMix: M } = this
    for (let s = 0; s < this.k; s++) if (!isDistribution(vec, s * M, M)) return false
    let at = like.weights.length
    return like.states.every((p) => {
      const size = p.means.length + p.covariances.length
      at += size
      return this.gaussian.isValid(vec.subarray(at - size, at), p)
    })
  }

  /** A mixture component of state s by its weight, then a draw from it. */
  sample(params: GaussianMixtureEmissionParams, s: number, rng: Rng): number[] {
    return this.gaussian.sample(params.states[s]!, drawFrom(params.weights, s * this.nMix, this.nMix, rng), rng)
  }

  /** Covariances in hmmlearn's shapes: per state, the type's public shape for M members. */
  publicCovariances(params: GaussianMixtureEmissionParams): PublicCovariances[] {
    return params.states.map((p) => this.gaussian.covariance.toPublic(p.covariances, this.nMix, this.d))
  }

  /**
   * hmmlearn's start: k-means on the rows for S state centers, then k-means within each
   * state's rows for its M means (a state with fewer than M rows draws them from
   * N(mean of the state centers, data covariance in the type's layout)); weights 1/M; every covariance the
   * data covariance (maximum likelihood; hmmlearn: n - 1) plus regCovar, in the type's
   * layout. Reads data.gaussian.x (filled by `load`).
   */
  start(data: GaussianMixtureEmissionData, n: number, rng: Rng): GaussianMixtureEmissionParams {
    const { kernels, k, nMix: M, d } = this
    if (k > n) throw new InputError('TOO_MANY_COMPONENTS', `nComponents = ${k} but X has only ${n} rows; use at most ${n} states or give more data.`, { nComponents: k, rows: n })
    const x = data.gaussian.x
    const states = kmeans({ kernels, x, n, d, weight: null }, k, rng)
    const center = new Float64Array(d)
    for (let p = 0; p < k * d; p++) center[p % d] += states.centers[p]! / k
    const cv = dataCovariance(kernels, x, n, d, center, this.regCovar)
    const one = this.gaussian.covariance.fromDataCovariance(cv, M, d)
    const means = new Float64Array(k * M * d)
    // M Gaussians at the center with the data covariance: the draws for a state with fewer than M rows
    let spread: GaussianParams | null = null
    const arena = kernels.arena()
    try {
      for (let s = 0; s < k; s++) {
        const rows: number[] = []
        for (let i = 0; i < n; i++) if (states.labels[i] === s) rows.push(i)
        if (rows.length >= M) {
          const X = x.view, own = new Float64Array(rows.length * d)
          rows.forEach((i, r) => own.set(X.subarray(i * d, i * d + d), r * d))
          means.set(kmeans({ kernels, x: arena.f64From(own), n: rows.length, d, weight: null }, M, rng).centers, s * M * d)
        } else {
          spread ??= this.gaussian.makeParams(Float64Array.from({ length: M * d }, (_, p) => center[p % d]!), one)
          for (let m = 0; m < M; m++) means.set(this.gaussian.sample(spread, m, rng), (s * M + m) * d)
        }
      }
    } finally {
      arena.dispose()
    }
    const covariances = new Float64Array(k * one.length)
    for (let s = 0; s < k; s++) covariances.set(one, s * one.length)
    return this.makeParams(new Float64Array(k * M).fill(1 / M), means, covariances)
  }

  dispose(): void {
    this.gaussian.dispose()
  }
}

/** Covariances given in hmmlearn's shapes (see publicCovariances) in the model's storage: S blocks of the type's layout for M members. */
export function mixtureCovariancesFromPublic(value: unknown, type: CovarianceType, k: number, nMix: number, d: number): Float64Array {
  return flattenShape(value, [k, ...COVARIANCE[type].publicShape(nMix, d)], `init.covariances (covarianceType '${type}', per state)`)
}

/** Maximum-likelihood covariance of the rows plus regCovar: the statistics kernel and the full M-step with one member of weight 1. */
function dataCovariance(kernels: Kernels, x: F64Buffer, n: number, d: number, ref: Float64Array, regCovar: number): Float64Array {
  const arena = kernels.arena()
  try {
    const stats = arena.f64(1 + d + d * d)
    kernels.statsFull(x, n, d, arena.f64From(new Float64Array(n).fill(1)), 1, null, arena.f64From(ref), stats)
    const s = stats.view.slice()
    return COVARIANCE.full.fromStats(s, Float64Array.of(s[0]! + MASS_EPS), 1, d, regCovar)
  } finally {
    arena.dispose()
  }
}

/**
 * log b_t(s) = out[t, s] - e^{farOf[s][t]} for each state; rows where some state is
 * representable get their true values, and rows far from every state keep values
 * relative to the nearest state's offset, which goes into far[t].
 */
function farStates(out: Float64Array, n: number, k: number, farOf: readonly Float64Array[], far: Float64Array): void {
  const cap = farCap(n)
  const hs = new Float64Array(k)
  for (let t = 0; t < n; t++) {
    let h = Infinity
    for (let s = 0; s < k; s++) h = Math.min(h, farOf[s]![t]!)
    if (h === -Infinity) {
      // some state is not far: every state's true value (-Infinity where it is below -Number.MAX_VALUE)
      for (let s = 0; s < k; s++) if (farOf[s]![t]! > -Infinity) out[t * k + s] = out[t * k + s]! - Math.exp(farOf[s]![t]!)
      continue
    }
    for (let s = 0; s < k; s++) hs[s] = farOf[s]![t]!
    // each state's value less its own offset's excess over the nearest's (common/far.ts's capped bracket)
    relativeToNearest(hs, k, h, cap, (s) => out[t * k + s]!, out, t * k)
    far[t] = h
  }
}
