/**
 * Logistic GLMM with one random intercept per group:
 *   logit P(y_ij) = z_ij' beta + b_i,  y_ij ~ Binomial(t_ij, .),  b_i ~ N(0, sigma^2).
 *
 * Fitted by MCEM only (the E-step integral has no closed form). The missing data are
 * the b_i. E-step: `glmmSampleIntercepts` (assembly/glmm.ts) runs a random-walk
 * Metropolis-within-Gibbs chain per group. The chain is warm-started: its state b and
 * its tuned proposal scales live with the prepared data and continue from one MCEM
 * iteration to the next. Successive parameters are close, so the last state is already
 * a draw from (nearly) the new target and a short burn-in suffices; restarting from the
 * previous mean would discard that and make every iteration pay the full burn-in and
 * re-tuning. The first E-step starts each chain at its group's conditional mode with a
 * proposal scale from the curvature there (the Laplace approximation), so the first
 * burn-in is short too.
 *
 * M-step from the individual draws (`monteCarlo.mStepFromDraws`): the Monte Carlo
 * Q(beta, sigma) = (1/M) sum_r [sum_ij (y x_rij - t log(1 + exp x_rij)) + sum_i log N(b_ri; 0, sigma^2)]
 * separates: sigma^2 = mean of b^2 over draws and groups; beta by Newton on the
 * logistic part, whose M x N pass is `glmmLogisticSums` (per-row sums s, h; the p x p
 * products Z's and Z' diag(h) Z are formed here). A draw's "statistics" row is the
 * draw itself (nGroups values): `completeLogLik` of one row is its complete-data
 * log-likelihood, used by MCEM for the Monte Carlo error of delta-Q. The draws are
 * kept in kernel memory between these calls (draws.ts).
 *
 * The objective (`logLik`) is the marginal log-likelihood by adaptive Gauss-Hermite
 * quadrature (agq.ts), on lme4's scale.
 */
import { DegenerateError, UnsupportedError } from '../../core/errors.js'
import type { EMModel, MonteCarloCapability, PreparedData } from '../../engine/types.js'
import type { Arena, F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { lgamma } from '../../core/math/special.js'
import { cholesky, solveCholesky } from '../../core/math/dense.js'
import { type GroupedRows, groupMode, marginalLogLik } from './agq.js'
import { type DrawCache, drawsBuffer, drawsCache, drawTarget, releaseDraws } from './draws.js'
import { CoefScaleModel } from '../common/coef-scale.js'

export interface GlmmParams {
  /** Fixed effects: the columns of Z (the intercept first when fitted). */
  readonly coef: Float64Array
  /** Standard deviation of the random intercepts. */
  readonly sigma: number
}

export interface GlmmSampling {
  /** Sweeps discarded (and used to tune the proposal scales) at the start of every E-step. */
  readonly burnIn: number
  /** Keep every thin-th sweep. */
  readonly thin: number
  /** Points of the adaptive Gauss-Hermite rule of the objective. */
  readonly nAGQ: number
}

/** Rows sorted by group (stable), copied once into kernel memory with the chain's state. */
export interface GlmmData extends PreparedData, GroupedRows {
  readonly n: number
  readonly p: number
  /** Design (n x p, row-major, sorted rows). */
  readonly z: Float64Array
  /** Group of each sorted row. */
  readonly group: Int32Array
  readonly arena: Arena
  readonly buffers: {
    readonly offset: F64Buffer, readonly y: F64Buffer, readonly trials: F64Buffer, readonly group: I32Buffer
    readonly groupStart: I32Buffer, readonly state: I32Buffer, readonly s: F64Buffer, readonly h: F64Buffer
    /** The chain: current b, proposal scales, scratch, acceptance rates of the last call. */
    readonly b: F64Buffer, readonly scale: F64Buffer, readonly current: F64Buffer, readonly accept: F64Buffer
  }
  /** Whether the chain has been started (at the conditional modes) by a first E-step. */
  readonly chain: { started: boolean }
  /** Which coefficient array `buffers.offset` holds z' coef of (by identity: parameter arrays are never mutated). */
  readonly offsetOf: { coef: Float64Array | null }
  /** The kernel copy of the last draws (draws.ts). */
  readonly draws: DrawCache
  /** The conditional modes of the last log-likelihood evaluation: where the next one's mode searches start. */
  readonly modes: Float64Array
}

/**
 * Proposal scale per unit of the Laplace posterior sd of b: a random walk on a normal
 * target with this ratio accepts (2/pi) atan(2/4.34) = 27.5% of its moves, the kernel's
 * tuning target, so tuning starts close.
 */
const START_SCALE = 4.34

export class LogisticGlmmModel extends CoefScaleModel<GlmmParams> implements EMModel<GlmmParams, GlmmData> {
  protected readonly scaleName = 'random-intercept standard deviation'
  readonly name = 'LogisticGLMM'
  readonly monteCarlo: MonteCarloCapability<GlmmParams, GlmmData>

  constructor(readonly kernels: Kernels, readonly sampling: GlmmSampling) {
    super()
    this.monteCarlo = {
      sampleLatent: (data, params, rng, m) => this.sampleLatent(data, params, rng, m),
      completeLogLik: (draw, params, data) => this.completeLogLik(draw, params, data),
      completeLogLiks: (draws, m, params, data) => this.completeLogLiks(draws, m, params, data),
      mStepFromDraws: (draws, m, params, data) => this.mStepFromDraws(draws, m, params, data),
    }
  }

  /** Rows already sorted by group (groupStart: nGroups + 1 offsets); all arrays are kept, not copied. */
  prepare(z: Float64Array, n: number, p: number, y: Float64Array, trials: Float64Array, groupStart: Int32Array): GlmmData {
    const nGroups = groupStart.length - 1
    const group = new Int32Array(n)
    for (let g = 0; g < nGroups; g++) group.fill(g, groupStart[g]!, groupStart[g + 1]!)
    let logChoose = 0
    for (let i = 0; i < n; i++) logChoose += logBinomial(trials[i]!, y[i]!)
    const arena = this.kernels.arena()
    const buffers = {
      offset: arena.f64(n), y: arena.f64From(y), trials: arena.f64From(trials), group: arena.i32(n), groupStart: arena.i32(nGroups + 1),
      state: arena.i32(4), s: arena.f64(n), h: arena.f64(n),
      b: arena.f64(nGroups), scale: arena.f64(nGroups), current: arena.f64(nGroups), accept: arena.f64(nGroups),
    }
    buffers.group.view.set(group)
    buffers.groupStart.view.set(groupStart)
    return { n, p, z, y, trials, group, groupStart, nGroups, logChoose, arena, buffers, chain: { started: false }, offsetOf: { coef: null }, draws: drawsCache(), modes: new Float64Array(nGroups), totalWeight: n }
  }

  /** Free the kernel memory of `data` (its arena and draws). */
  release(data: GlmmData): void {
    releaseDraws(data.draws)
    data.arena.dispose()
  }

  /** The acceptance rate of each group's chain over the kept sweeps of the last E-step. */
  acceptanceRates(data: GlmmData): Float64Array {
    return data.buffers.accept.view.slice(0, data.nGroups)
  }

  /** z_i' coef of every (sorted) row, in a new array. */
  linearPredictor(data: GlmmData, coef: Float64Array): Float64Array {
    return linearPredictor(data.z, data.n, data.p, coef)
  }

  /**
   * z' coef in kernel memory (buffers.offset), computed only when it holds another
   * coefficient array: an MCEM iteration asks for the same parameters several times
   * (objective, E-step, delta-Q; the M-step's last Newton pass is at its result).
   * The returned view is live until the next allocation or kernel call.
   */
  private offset(data: GlmmData, coef: Float64Array): Float64Array {
    const view = data.buffers.offset.view
    if (data.offsetOf.coef !== coef) {
      linearPredictor(data.z, data.n, data.p, coef, view)
      data.offsetOf.coef = coef
    }
    return view
  }

  logLik(data: GlmmData, params: GlmmParams): number {
    return marginalLogLik(data, this.offset(data, params.coef), params.sigma, this.sampling.nAGQ, data.modes)
  }

  /**
   * Each group's marginal log-likelihood (binomial coefficients included): the
   * independent units of the model, whose sum is logLik up to rounding.
   */
  groupLogLiks(data: GlmmData, params: GlmmParams): Float64Array {
    const out = new Float64Array(data.nGroups)
    marginalLogLik(data, this.offset(data, params.coef), params.sigma, this.sampling.nAGQ, data.modes, out)
    for (let g = 0; g < data.nGroups; g++) {
      for (let i = data.groupStart[g]!; i < data.groupStart[g + 1]!; i++) out[g]! += logBinomial(data.trials[i]!, data.y[i]!)
    }
    return out
  }

  eStep(): never {
    throw new UnsupportedError("LogisticGLMM has no exact E-step (the integral over the random intercepts has no closed form): use algorithm 'mcem'.")
  }

  mStep(): never {
    throw new UnsupportedError("LogisticGLMM's M-step needs the individual draws (monteCarlo.mStepFromDraws): use algorithm 'mcem'.")
  }

  /** m draws of b (m x nGroups) from the chain, continued from its last state. */
  sampleLatent(data: GlmmData, params: GlmmParams, rng: Rng, m: number): Float64Array {
    const K = this.kernels
    const B = data.buffers
    const eta = this.offset(data, params.coef)
    if (!data.chain.started) {
      // start each chain at its conditional mode, with the Laplace approximation's scale
      const b = B.b.view, scale = B.scale.view
      for (let g = 0; g < data.nGroups; g++) {
        const { mode, curvature } = groupMode(data, eta, data.groupStart[g]!, data.groupStart[g + 1]!, params.sigma)
        b[g] = mode
        scale[g] = START_SCALE / Math.sqrt(curvature)
      }
      data.chain.started = true
    }
    B.state.view.set(rng.state)
    // drawn straight into the draws' kernel buffer: the M-step and delta-Q that follow use them there
    const draws = drawTarget(K, data.draws, m * data.nGroups)
    const bad = K.glmmSampleIntercepts(
      B.state, B.offset, B.y, B.trials, B.groupStart, data.nGroups, params.sigma,
      B.b, B.scale, B.current, this.sampling.burnIn, this.sampling.thin, m, draws, B.accept,
    )
    if (bad >= 0) throw new DegenerateError('DEGENERATE', `The proposal scale of group ${bad} became ${B.scale.view[bad]}; the chain cannot move.`)
    rng.state.set(B.state.view)
    const out = draws.view.slice(0, m * data.nGroups)
    data.draws.holds = out
    return out
  }

  /**
   * Complete-data log-likelihood of one draw b (nGroups) at params, constants dropped:
   * sum_ij [y x - t log(1 + exp x)] - nGroups log sigma - |b|^2 / (2 sigma^2).
   */
  completeLogLik(draw: Float64Array, params: GlmmParams, data: GlmmData): number {
    return this.completeLogLiks(draw, 1, params, data)[0]!
  }

  /** completeLogLik of m draws (m x nGroups) in one kernel pass. */
  completeLogLiks(draws: Float64Array, m: number, params: GlmmParams, data: GlmmData): Float64Array {
    const G = data.nGroups
    const B = data.buffers
    const drawBuf = drawsBuffer(this.kernels, data.draws, draws, m * G)
    this.offset(data, params.coef)
    const arena = this.kernels.arena()
    try {
      const q = arena.f64(m)
      this.kernels.glmmLogisticSums(B.offset, B.y, B.trials, B.group, data.n, drawBuf, m, G, B.s, B.h, q)
      const out = q.view.slice(0, m)
      const sigma = params.sigma
      const logSigma = G * Math.log(sigma), twoVar = 2 * sigma * sigma
      for (let r = 0; r < m; r++) {
        let ss = 0
        for (let g = 0; g < G; g++) ss += draws[r * G + g]! ** 2
        out[r] = out[r]! - logSigma - ss / twoVar
      }
      return out
    } finally {
      arena.dispose()
    }
  }

  /** sigma^2 = mean of b^2; beta by Newton on the Monte Carlo logistic log-likelihood. */
  mStepFromDraws(draws: Float64Array, m: number, params: GlmmParams, data: GlmmData): GlmmParams {
    let ss = 0
    for (let i = 0; i < draws.length; i++) ss += draws[i]! * draws[i]!
    const variance = ss / draws.length
    if (!(variance > 0 && variance < Infinity)) {
      throw new DegenerateError('DEGENERATE', `The random-intercept variance became ${variance}: the groups do not differ; fit a plain logistic regression instead.`)
    }
    return { coef: this.fixedEffects(data, draws, m, params.coef), sigma: Math.sqrt(variance) }
  }

  /**
   * Newton's method for beta maximising sum_r sum_ij [y x_rij - t log(1 + exp x_rij)]
   * over the m draws given (concave in beta), from `from`; halves a step that lowers it.
   */
  fixedEffects(data: GlmmData, draws: Float64Array, m: number, from: Float64Array): Float64Array {
    const K = this.kernels
    const B = data.buffers
    const { n, p, z } = data
    const drawBuf = drawsBuffer(K, data.draws, draws, m * data.nGroups)
    const arena = K.arena()
    try {
      const q = arena.f64(m)
      /** Gradient and Hessian at coef, and the objective when asked (its logs cost as much as the rest). */
      const pass = (coef: Float64Array, withQ: boolean) => {
        this.offset(data, coef)
        const value = K.glmmLogisticSums(B.offset, B.y, B.trials, B.group, n, drawBuf, m, data.nGroups, B.s, B.h, withQ ? q : null)
        const s = B.s.view, h = B.h.view
        const grad = new Float64Array(p), hess = new Float64Array(p * p)
        for (let i = 0; i < n; i++) {
          const si = s[i]!, hi = h[i]!
          for (let a = 0; a < p; a++) {
            const za = z[i * p + a]!
            grad[a]! += za * si
            for (let c = 0; c <= a; c++) hess[a * p + c]! += hi * za * z[i * p + c]!
          }
        }
        for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) hess[c * p + a] = hess[a * p + c]!
        return { value: withQ ? value : NaN, grad, hess }
      }
      let coef = from.slice()
      let at = pass(coef, false)
      for (let iter = 0; iter < 50; iter++) {
        const chol = cholesky(at.hess, p)
        if (!chol) throw new DegenerateError('SINGULAR_COVARIANCE', 'The logistic Hessian is singular: remove collinear or constant columns of X (the intercept is added by fitIntercept), or separated data.', { coef: Array.from(coef) })
        const step = solveCholesky(chol, p, at.grad)
        let move = 0
        for (let a = 0; a < p; a++) move = Math.max(move, Math.abs(step[a]!) / (1 + Math.abs(coef[a]!)))
        // converged: this last step is below what another pass could resolve
        if (move < 1e-10) { coef = coef.map((v, a) => v + step[a]!); break }
        let next = coef.map((v, a) => v + step[a]!)
        let there = pass(next, false)
        // The objective is concave: if its slope along the step is still >= 0 at the
        // end, it rose all the way. Otherwise (an overshoot, unless Newton is already in
        // its quadratic region) compare objectives and halve the step until it rises.
        let slope = 0
        for (let a = 0; a < p; a++) slope += there.grad[a]! * step[a]!
        if (slope < 0 && move > 1e-6) {
          const q0 = (Number.isNaN(at.value) ? pass(coef, true) : at).value
          there = pass(next, true)
          let size = 1
          for (let k = 0; k < 30 && !(there.value >= q0 - 1e-12 * Math.abs(q0)); k++) {
            size /= 2
            next = coef.map((v, a) => v + size * step[a]!)
            there = pass(next, true)
          }
        }
        coef = next
        at = there
      }
      return coef
    } finally {
      arena.dispose()
    }
  }

  /** Start: beta of the plain logistic regression (b = 0), sigma = 1 (lme4's start). */
  initialParams(data: GlmmData): GlmmParams {
    return { coef: this.fixedEffects(data, new Float64Array(data.nGroups), 1, new Float64Array(data.p)), sigma: 1 }
  }

}

/** log C(t, y), the binomial coefficient of y successes in t trials. */
function logBinomial(t: number, y: number): number {
  return lgamma(t + 1) - lgamma(y + 1) - lgamma(t - y + 1)
}

/** z_i' coef of each row of z (n x p, row-major), into out: the one linear predictor of the GLMM (model and estimator). */
export function linearPredictor(z: Float64Array, n: number, p: number, coef: Float64Array, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let a = 0; a < p; a++) s += z[i * p + a]! * coef[a]!
    out[i] = s
  }
  return out
}
