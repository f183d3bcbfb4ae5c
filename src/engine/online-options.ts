/**
 * Online EM's settings, state and option checks, apart from its step (online.ts): the
 * estimators' option schemas check them at construction, while partialFit imports the
 * step when it first runs.
 */
import { OptionError } from '../core/errors.js'

/** Default learning offset tau of online EM: early chunks do not dominate (scikit-learn's LDA uses 10 too). */
export const DEFAULT_LEARNING_OFFSET = 10
/** Default learning decay kappa: in (0.5, 1], the range where the Robbins-Monro conditions hold. */
export const DEFAULT_LEARNING_DECAY = 0.7

/**
 * What online EM keeps between chunks: the running average of the per-unit-weight
 * sufficient statistics, the parameters it is expressed at (statistics centred at
 * the means depend on them), the number of updates done and the weight seen. A model
 * whose average lives in its parameters (`onlineEM.natural`) keeps only the counts.
 */
export interface OnlineState<P> {
  readonly stats?: Float64Array
  readonly at?: P
  /** Updates done after the first chunk (the first chunk is t = 0). */
  readonly t: number
  /** Total weight (rows, or time steps for an HMM) seen so far. */
  readonly nSeen: number
}

export interface OnlineSettings {
  readonly learningOffset: number
  readonly learningDecay: number
  /**
   * The weight the running average stands for in the M-step: stochastic variational
   * inference's D (LDA's totalSamples; the data's weight in an online fit over it).
   * Default: the weight seen so far.
   */
  readonly totalWeight?: number
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
