import { DegenerateError, OptionError } from '../core/errors.js'
import type { EMModel, PreparedData } from './types.js'

/** Default learning offset tau of online EM: early chunks do not dominate (scikit-learn's LDA uses 10 too). */
export const DEFAULT_LEARNING_OFFSET = 10
/** Default learning decay kappa: in (0.5, 1], the range where the Robbins-Monro conditions hold. */
export const DEFAULT_LEARNING_DECAY = 0.7

/**
 * What online EM keeps between chunks: the running average of the per-unit-weight
 * sufficient statistics, the parameters it is expressed at (statistics centred at
 * the means depend on them), the number of updates done and the weight seen.
 */
export interface OnlineState<P> {
  readonly stats: Float64Array
  readonly at: P
  /** Updates done after the first chunk (the first chunk is t = 0). */
  readonly t: number
  /** Total weight (rows, or time steps for an HMM) seen so far. */
  readonly nSeen: number
}

export interface OnlineSettings {
  readonly learningOffset: number
  readonly learningDecay: number
}

export interface OnlineStepResult<P> {
  readonly params: P
  readonly state: OnlineState<P>
  /** The chunk's log-likelihood (or bound) at the parameters the step started from. */
  readonly logLik: number
}

/** The step size of update t >= 1: rho_t = (t + learningOffset)^(-learningDecay). */
export function learningRate(t: number, { learningOffset, learningDecay }: OnlineSettings): number {
  return Math.pow(t + learningOffset, -learningDecay)
}

/** The learningOffset option: a finite number >= 0. */
export function checkLearningOffset(value: unknown, name = 'learningOffset'): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value
  throw new OptionError(name, `must be a finite number >= 0 (tau in the step size (t + tau)^-kappa of online EM), got ${String(value)}.`, { value: String(value) })
}

/** The learningDecay option: in (0.5, 1], where the step sizes sum to infinity and their squares do not (Cappé & Moulines). */
export function checkLearningDecay(value: unknown, name = 'learningDecay'): number {
  if (typeof value === 'number' && value > 0.5 && value <= 1) return value
  throw new OptionError(name, `must be in (0.5, 1] (kappa in the step size (t + tau)^-kappa of online EM; outside it online EM need not converge), got ${String(value)}.`, { value: String(value) })
}

/**
 * One step of online EM (Cappé & Moulines 2009) on one chunk: the chunk's E-step at
 * `params` gives its per-unit-weight statistics s-bar; the running average becomes
 * s <- (1 - rho_t) s + rho_t s-bar (the first chunk sets it), and the M-step runs on
 * s scaled to the weight seen so far (so priors and pseudo-counts weigh against all
 * the data seen, as in stochastic variational inference; the plain M-steps are
 * invariant to the scale). A model fitted by variational EM uses its VE- and VM-steps
 * (stochastic variational EM). The previous average was gathered at the parameters of
 * the previous step: it is moved to `params` with the model's `recentre` first. Pure:
 * nothing of `state` is changed, so a failed step leaves the caller's state as it was.
 */
export function onlineStep<P, D extends PreparedData>(
  model: EMModel<P, D>, data: D, params: P, state: OnlineState<P> | null, settings: OnlineSettings,
): OnlineStepResult<P> {
  const vb = model.variational
  const e = vb ? vb.veStep(data, params) : model.eStep(data, params)
  if (!Number.isFinite(e.logLik)) {
    throw new DegenerateError('DEGENERATE', `The chunk's log-likelihood is ${e.logLik} under the current parameters; rescale the data or use fewer components.`)
  }
  const w = data.totalWeight
  const stats = new Float64Array(e.stats.length)
  let t = 0
  if (state === null) {
    for (let j = 0; j < stats.length; j++) stats[j] = e.stats[j]! / w
  } else {
    t = state.t + 1
    const rho = learningRate(t, settings)
    const previous = state.at === params ? state.stats : recentreOnline(model, state.stats, state.at, params)
    for (let j = 0; j < stats.length; j++) stats[j] = (1 - rho) * previous[j]! + rho * (e.stats[j]! / w)
  }
  const nSeen = (state?.nSeen ?? 0) + w
  const total = new Float64Array(stats.length)
  for (let j = 0; j < stats.length; j++) total[j] = stats[j]! * nSeen
  const next = vb ? vb.vmStep(total, params, data) : model.mStep(total, params, data)
  return { params: next, state: { stats, at: params, t, nSeen }, logLik: e.logLik }
}

/** Statistics gathered at `from` as gathered at `to`: the model's `recentre` (incremental or online capability), else they do not depend on the parameters. */
function recentreOnline<P, D extends PreparedData>(model: EMModel<P, D>, stats: Float64Array, from: P, to: P): Float64Array {
  const recentre = model.onlineEM?.recentre ?? model.incremental?.recentre
  return recentre ? recentre(stats, from, to) : stats
}
