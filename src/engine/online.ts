import { DegenerateError } from '../core/errors.js'
import type { EMModel, EStepResult, PreparedData } from './types.js'
import type { OnlineSettings, OnlineState } from './online-options.js'

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

/**
 * One step of online EM (Cappé & Moulines 2009) on one chunk: its E-step at `params`
 * (the VE-step for a model fitted by variational EM: stochastic variational EM), then
 * `onlineUpdate`. Pure: nothing of `state` is changed, so a failed step leaves the
 * caller's state as it was.
 */
export function onlineStep<P, D extends PreparedData>(
  model: EMModel<P, D>, data: D, params: P, state: OnlineState<P> | null, settings: OnlineSettings,
): OnlineStepResult<P> {
  const e = chunkEStep(model, data, params)
  if (!Number.isFinite(e.logLik)) {
    throw new DegenerateError('DEGENERATE', `The chunk's log-likelihood is ${e.logLik} under the current parameters; rescale the data or use fewer components.`)
  }
  return { ...onlineUpdate(model, data, params, e.stats, state, settings), logLik: e.logLik }
}

/**
 * The stochastic approximation of online EM, given a chunk's statistics gathered at
 * `params`: the running average becomes x <- (1 - rho_t) x + rho_t x-hat(chunk), with
 * rho_t = learningRate(t), and the parameters follow from it. Where the average lives:
 * - by default (Cappé & Moulines) it is the per-unit-weight statistics s, kept in the
 *   state: x-hat = chunk statistics / chunk weight (the first chunk sets s, t = 0), moved
 *   to `params` by the model's `recentre` first (they were gathered at the previous
 *   step's parameters), and the M-step runs on s times the total weight (so priors and
 *   pseudo-counts weigh against all the data; the plain M-steps are invariant to it);
 * - with `onlineEM.natural` (stochastic variational inference, Hoffman et al. 2013) it
 *   is the parameters themselves: their VM-step is affine in the statistics, lambda =
 *   prior + total weight x s, so averaging lambda averages s; x-hat is the VM-step of the
 *   chunk's statistics scaled up to the total weight, and the start counts as the first
 *   chunk (its t is read from the parameters).
 * Pure, as onlineStep.
 */
export function onlineUpdate<P, D extends PreparedData>(
  model: EMModel<P, D>, chunk: D, params: P, stats: Float64Array, state: OnlineState<P> | null, settings: OnlineSettings,
): { params: P; state: OnlineState<P> } {
  const w = chunk.totalWeight
  const nSeen = (state?.nSeen ?? 0) + w
  const total = settings.totalWeight ?? nSeen
  const natural = model.onlineEM?.natural
  if (natural) {
    const running = natural.of(params)
    const t = running.t + 1
    const lambda = blend(running.lambda, natural.fromStats(stats, total / w, params, chunk), learningRate(t, settings))
    return { params: natural.params(lambda, t, params), state: { t, nSeen } }
  }
  const bar = new Float64Array(stats.length)
  for (let j = 0; j < bar.length; j++) bar[j] = stats[j]! / w
  const t = state?.stats ? state.t + 1 : 0
  const s = state?.stats ? blend(recentreOnline(model, state.stats, state.at!, params), bar, learningRate(t, settings)) : bar
  const scaled = new Float64Array(s.length)
  for (let j = 0; j < s.length; j++) scaled[j] = s[j]! * total
  const vb = model.variational
  const next = vb ? vb.vmStep(scaled, params, chunk) : model.mStep(scaled, params, chunk)
  return { params: next, state: { stats: s, at: params, t, nSeen } }
}

/** The E-step online EM runs on a chunk: the VE-step for a model fitted by variational EM. */
export function chunkEStep<P, D extends PreparedData>(model: EMModel<P, D>, data: D, params: P): EStepResult {
  return model.variational ? model.variational.veStep(data, params) : model.eStep(data, params)
}

/** (1 - rho) previous + rho target, written into target (a new array of the caller's). */
function blend(previous: Float64Array, target: Float64Array, rho: number): Float64Array {
  for (let j = 0; j < target.length; j++) target[j] = (1 - rho) * previous[j]! + rho * target[j]!
  return target
}

/** Statistics gathered at `from` as gathered at `to`: the model's `recentre` (online or incremental capability), else they do not depend on the parameters. */
function recentreOnline<P, D extends PreparedData>(model: EMModel<P, D>, stats: Float64Array, from: P, to: P): Float64Array {
  if (from === to) return stats
  const recentre = model.onlineEM?.recentre ?? model.incremental?.recentre
  return recentre ? recentre(stats, from, to) : stats
}
