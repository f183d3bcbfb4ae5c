/**
 * The settings of the strategy table's algorithms and their checks, apart from the
 * steppers (mcem.ts and sem.ts import their settings from here): the estimators'
 * option schemas check them at construction, while the steppers are imported only by
 * fits that run those algorithms (load-stepper.ts).
 */
import { OptionError } from '../../core/errors.js'
import { show } from '../../core/show.js'

export interface SemOptions {
  /** Seed of the stepper's own generator (default 0). */
  readonly seed?: number
  /** Iterations discarded before averaging (default 100). */
  readonly burnIn?: number
  /** Iterations averaged after burn-in (default 400); the fit needs maxIter >= burnIn + iterations. */
  readonly iterations?: number
  /** Draws per iteration (default 1: the stochastic EM of Celeux & Diebolt). */
  readonly draws?: number
}

export function checkSemOptions(value: unknown): SemOptions {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null) throw new OptionError('sem', `must be an object, got ${show(value)}.`)
  const o = value as Record<string, unknown>
  checkKeys('sem', o, ['seed', 'burnIn', 'iterations', 'draws'])
  if (o.seed !== undefined) checkSeed('sem', o.seed)
  checkRules('sem', o, SEM_RULES)
  return o as SemOptions
}

/** SEM's length: iterations discarded (burnIn, default 100) and averaged after them (default 400). Estimators size maxIter from it. */
export function semSteps(options: SemOptions = {}): { readonly burnIn: number; readonly iterations: number } {
  return { burnIn: options.burnIn ?? 100, iterations: options.iterations ?? 400 }
}

export interface McemOptions {
  /** Seed of the stepper's own generator (default 0). */
  readonly seed?: number
  /** Monte Carlo sample size of the first iteration (default 100). */
  readonly initialSamples?: number
  /**
   * How the sample size grows: 'ascent' (default; Caffo, Jank & Jones 2005, after
   * Booth & Hobert 1999) or 'geometric' (M_{t+1} = ceil(growth M_t)).
   */
  readonly sampleSize?: 'ascent' | 'geometric'
  /** Geometric factor (default 1.2). */
  readonly growth?: number
  /** Largest Monte Carlo sample size (default 20000). */
  readonly maxSamples?: number
  /** Stop after `consecutive` iterations with max_i |dtheta_i| / (|theta_i| + delta) < epsilon (defaults 0.025, 0.02, 3: mcemGLM's). */
  readonly delta?: number
  readonly epsilon?: number
  readonly consecutive?: number
  /** Ascent rule: one-sided levels of the lower bound (alpha) and of the next sample size (beta), default 0.25 each. */
  readonly alpha?: number
  readonly beta?: number
  /** Ascent rule: an unclear step is redone with M / augment more draws (default 3), at most maxAugmentations (default 10) times. */
  readonly augment?: number
  readonly maxAugmentations?: number
}

export const MCEM_KEYS = ['seed', 'initialSamples', 'sampleSize', 'growth', 'maxSamples', 'delta', 'epsilon', 'consecutive', 'alpha', 'beta', 'augment', 'maxAugmentations']

export function checkMcemOptions(value: unknown): McemOptions {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null) throw new OptionError('mcem', `must be an object, got ${show(value)}.`)
  const o = value as Record<string, unknown>
  checkKeys('mcem', o, MCEM_KEYS)
  if (o.seed !== undefined) checkSeed('mcem', o.seed)
  checkRules('mcem', o, MCEM_RULES)
  if (o.sampleSize !== undefined && o.sampleSize !== 'ascent' && o.sampleSize !== 'geometric') {
    throw new OptionError('mcem', `sampleSize must be 'ascent' or 'geometric', got ${show(o.sampleSize)}.`)
  }
  return o as McemOptions
}

/** Blocks of incremental EM when the option is left out. */
export const DEFAULT_BLOCKS = 10

/** Validate the `blocks` option of algorithm 'incremental' (throws OptionError). */
export function checkBlocks(value: unknown): number {
  if (value === undefined) return DEFAULT_BLOCKS
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
    throw new OptionError('blocks', `must be an integer >= 1 (the number of row blocks of incremental EM), got ${String(value)}.`, { value: String(value) })
  }
  return value
}

export function checkSeed(option: string, seed: unknown): number {
  if (!Number.isSafeInteger(seed)) throw new OptionError(option, `seed must be a safe integer, got ${show(seed)}.`)
  return seed as number
}

/** A numeric setting's rule: the test and its words in messages ("burnIn must be an integer >= 0"). */
type Rule = readonly [ok: (v: number) => boolean, what: string]
const integerFrom = (min: number): Rule => [(v) => Number.isInteger(v) && v >= min, `an integer >= ${min}`]
const numberFrom = (min: number, strict = false): Rule => [(v) => (strict ? v > min : v >= min) && v < Infinity, `a number ${strict ? '>' : '>='} ${min}`]
const between = (lo: number, hi: number): Rule => [(v) => v > lo && v < hi, `in (${lo}, ${hi})`]

/** SEM's and MCEM's numeric settings, in the order they are checked. */
const SEM_RULES: Readonly<Record<string, Rule>> = { burnIn: integerFrom(0), iterations: integerFrom(1), draws: integerFrom(1) }
const MCEM_RULES: Readonly<Record<string, Rule>> = {
  initialSamples: integerFrom(2), maxSamples: integerFrom(1), growth: numberFrom(1), delta: numberFrom(0), epsilon: numberFrom(0, true),
  consecutive: integerFrom(1), alpha: between(0, 0.5), beta: between(0, 0.5), augment: numberFrom(1), maxAugmentations: integerFrom(0),
}

function checkRules(option: string, o: Record<string, unknown>, rules: Readonly<Record<string, Rule>>): void {
  for (const [key, [ok, what]] of Object.entries(rules)) checkNumber(option, key, o[key], ok, what)
}

export function checkNumber(option: string, key: string, value: unknown, ok: (v: number) => boolean, what: string): void {
  if (value !== undefined && !(typeof value === 'number' && ok(value))) {
    throw new OptionError(option, `${key} must be ${what}, got ${show(value)}.`)
  }
}

export function checkKeys(option: string, value: object, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new OptionError(option, `has no setting '${key}'; its settings are ${allowed.join(', ')}.`)
  }
}
