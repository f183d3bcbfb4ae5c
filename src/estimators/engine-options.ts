/** The options every EM estimator takes besides its model's own, as schema entries. */
import { CRITERIA } from '../engine/convergence.js'
import { type Accelerate, type Algorithm, ALGORITHMS, checkAccelerate, unsupportedAlgorithm } from '../engine/strategy.js'
import type { Criterion } from '../engine/types.js'
import { checkBlocks, checkMcemOptions, DEFAULT_BLOCKS, type McemOptions } from '../engine/variants/options.js'
import { checkLearningDecay, checkLearningOffset, DEFAULT_LEARNING_DECAY, DEFAULT_LEARNING_OFFSET } from '../engine/online-options.js'
import { BACKEND_NAMES, type BackendName } from '../kernels/types.js'
import { checkWorkers, type Workers } from '../runtime/runner.js'
import { flag, integerAtLeast, numberAtLeast, oneOf, type OptionDef, safeInteger } from './schema.js'

export const ENGINE_OPTIONS = {
  /** Convergence threshold: on the change of the mean per-sample objective ('objective'), or see criterion. */
  tol: { default: 1e-3, check: numberAtLeast(0) } as OptionDef<number>,
  /** 'objective' (scikit-learn's rule), 'parameters' (the packed parameters move by less than tol, R's rule) or 'relative' (mclust's: |change| / (1 + |log L|) < tol). */
  criterion: { default: 'objective', check: oneOf(CRITERIA) } as OptionDef<Criterion>,
  /** Maximum iterations per restart; 0 returns the initialisation. */
  maxIter: { default: 100, check: integerAtLeast(0) } as OptionDef<number>,
  /** Restarts; the best final objective wins. */
  nInit: { default: 1, check: integerAtLeast(1) } as OptionDef<number>,
  /** Seed of the one random generator. */
  seed: { default: 0, check: safeInteger } as OptionDef<number>,
  /** 'wasm' (SIMD where supported), 'wasm-scalar' or 'js'. */
  backend: { default: 'wasm', check: oneOf(BACKEND_NAMES) } as OptionDef<BackendName>,
  /** 'none', 'aitken', 'squarem', 'quasi-newton', or { method, ...settings }. */
  accelerate: { default: 'none', check: (v: unknown) => checkAccelerate(v) } as OptionDef<Accelerate>,
  /** Threads for the restarts (Node): 'auto', or a count (1 = serial). Same results either way. */
  workers: { default: 'auto', check: (v: unknown) => checkWorkers(v) } as OptionDef<Workers>,
  /** Refit from the fitted parameters (one run, nInit ignored), carrying the previous objective into the convergence test. */
  warmStart: { default: false, check: flag } as OptionDef<boolean>,
}

/** The `algorithm` option (how the E- and M-steps are done) for a model that runs `supported` (the first is the default). */
export function algorithmOption<A extends Algorithm>(estimator: string, supported: readonly A[], why = ''): OptionDef<A> {
  return {
    default: supported[0]!,
    check: (value, name) => {
      const algorithm = oneOf(ALGORITHMS)(value, name)
      if (!supported.includes(algorithm as A)) throw unsupportedAlgorithm(estimator, algorithm, supported, why)
      return algorithm as A
    },
  }
}

/** A copy of an option entry with another default. */
export function withDefault<T>(def: OptionDef<T>, value: T | ((given: Readonly<Record<string, unknown>>) => T)): OptionDef<T> {
  return { ...def, default: value }
}

/**
 * ENGINE_OPTIONS of an estimator whose start is deterministic: one run per fit, so no
 * nInit (restarts would repeat the same run) and no workers (nothing to run in parallel).
 */
// marked pure: a call a bundler cannot prove pure would keep these objects in bundles where no estimator spreads them
export const SINGLE_RUN_OPTIONS = /* @__PURE__ */ (({ nInit: _nInit, workers: _workers, ...rest }) => rest)(ENGINE_OPTIONS)

/**
 * Stopping for a model with one deterministic start, fitted to its maximum rather than
 * to scikit-learn's default precision (the regressions, GammaPoisson, the missing-data
 * normal): R's rule on the packed parameters, tight, with room to get there.
 */
export const TO_THE_MAXIMUM = {
  tol: /* @__PURE__ */ withDefault(ENGINE_OPTIONS.tol, 1e-9),
  criterion: /* @__PURE__ */ withDefault(ENGINE_OPTIONS.criterion, 'parameters'),
  maxIter: /* @__PURE__ */ withDefault(ENGINE_OPTIONS.maxIter, 10000),
}

/** The `mcem` option: settings of algorithm 'mcem' (its chain's seed defaults to the estimator's `seed`). */
export const MCEM_OPTION: OptionDef<McemOptions> = {
  default: () => checkMcemOptions(undefined),
  check: (v: unknown) => checkMcemOptions(v),
}

/**
 * The `blocks` option of an estimator that offers algorithm 'incremental'. Like `sem`
 * and `mcem`, it is a setting of one algorithm: the others ignore it (so a grid over
 * `algorithm` can keep it), and it is not an error to give it with them. Row blocks are
 * contiguous, in row order.
 */
export const BLOCKS_OPTION: OptionDef<number> = {
  default: DEFAULT_BLOCKS,
  check: (v: unknown) => checkBlocks(v),
}

/** The step-size options of partialFit (online EM, engine/online.ts), for estimators that offer it. */
export const ONLINE_OPTIONS = {
  /** partialFit: tau in the step size rho_t = (t + tau)^-kappa of online EM (larger: early chunks weigh less). */
  learningOffset: { default: DEFAULT_LEARNING_OFFSET, check: (v: unknown, name: string) => checkLearningOffset(v, name) } as OptionDef<number>,
  /** partialFit: kappa in (0.5, 1] in the step size rho_t = (t + tau)^-kappa of online EM. */
  learningDecay: { default: DEFAULT_LEARNING_DECAY, check: (v: unknown, name: string) => checkLearningDecay(v, name) } as OptionDef<number>,
}

/** The online options as a user gives them. */
export interface OnlineOptions {
  /** partialFit: tau in the step size rho_t = (t + tau)^-kappa (default 10). */
  learningOffset?: number
  /** partialFit: kappa in (0.5, 1] (default 0.7). */
  learningDecay?: number
}

/** The engine options as a user gives them: every estimator's constructor takes them. */
export interface EngineOptions {
  /** Convergence threshold (default 1e-3 unless the estimator says otherwise): see `criterion`. */
  tol?: number
  /** 'objective' (default: the mean per-sample objective changes by less than tol) or 'parameters' (the packed parameters move by less than tol, R's rule). */
  criterion?: Criterion
  /** Maximum iterations per restart (default 100 unless the estimator says otherwise; 0 returns the initialisation). */
  maxIter?: number
  /** Restarts; the best final objective wins (default 1). */
  nInit?: number
  /** Seed of the one random generator (default 0). */
  seed?: number
  /** Compute backend (default 'wasm': SIMD where supported, else scalar). */
  backend?: BackendName
  /** 'none' (default), 'aitken', 'squarem', 'quasi-newton', or { method, ...settings }. */
  accelerate?: Accelerate
  /** Threads for the nInit restarts (Node): 'auto' (default) or a count (1 = serial). Same results either way. */
  workers?: Workers
  /** Refit from the fitted parameters (nInit ignored), the previous objective carried into the convergence test (scikit-learn's warm_start). */
  warmStart?: boolean
}

/** The engine options of an estimator whose start is deterministic (no restarts). */
export type SingleRunOptions = Omit<EngineOptions, 'nInit' | 'workers'>

/** The engine options resolved: read-only attributes of every estimator. */
export interface EngineAttributes {
  readonly tol: number
  readonly criterion: Criterion
  readonly maxIter: number
  readonly nInit: number
  readonly seed: number
  readonly backend: BackendName
  readonly accelerate: Accelerate
  readonly workers: Workers
  readonly warmStart: boolean
}
