import type { EmkitError } from '../io/errors.js'

/**
 * The model interface every variant and accelerator relies on. A model works on
 * prepared data of its own type `D` (its buffers in kernel memory) and on parameters
 * of its own type `P`; the engine only sees these functions.
 */
export interface EMModel<P, D extends PreparedData = PreparedData> {
  readonly name: string
  /**
   * Expectation at `params`: additive sufficient statistics (a flat vector: the
   * statistics of two shards computed at the same parameters merge by elementwise
   * addition) and the objective (total log-likelihood) at `params`.
   */
  eStep(data: D, params: P): EStepResult
  /** Maximisation: new parameters from statistics computed at `params`. */
  mStep(stats: Float64Array, params: P, data: D): P
  /** Objective (total, weighted log-likelihood) at `params`. */
  logLik(data: D, params: P): number
  /** Number of free parameters (for BIC/AIC). */
  nParameters(params: P): number
  /** The free parameters as one flat vector (accelerators, numerical derivatives, bootstrap). */
  pack(params: P): Float64Array
  /** Parameters from a vector made by `pack`; `like` supplies the shape. May throw DegenerateError. */
  unpack(vec: Float64Array, like: P): P
  /** Whether a (possibly extrapolated) vector lies inside the parameter space. */
  isValid(vec: Float64Array, like: P): boolean
}

/** What the engine needs to know about prepared data. */
export interface PreparedData {
  /** Sum of sample weights (number of rows without weights): the per-sample scale of `tol`. */
  readonly totalWeight: number
}

export interface EStepResult {
  readonly stats: Float64Array
  readonly logLik: number
}

/**
 * One iteration's worth of work on the parameters: the plain EM map, a variant's
 * map (ECM, GEM, ...) or an accelerator wrapped around one of them. The engine's
 * one loop drives a Stepper and owns convergence, history and status.
 */
export interface Stepper<P, D> {
  step(data: D, params: P): StepResult<P>
}

export interface StepResult<P> {
  /** The parameters for the next iteration. */
  readonly params: P
  /** The objective at the parameters this step started from. */
  readonly logLik: number
  /** Applications of the EM map (or of the variant's map) done by this step. */
  readonly fixedPointEvaluations: number
  /** Objective evaluations done by this step (the one at the start included). */
  readonly objectiveEvaluations: number
}

export type FitStatus = 'converged' | 'max-iter' | 'degenerate' | 'aborted'

export interface IterationInfo<P> {
  /** 1-based iteration count (number of M-steps done, including this one). */
  readonly iteration: number
  /** Objective at the parameters this iteration started from. */
  readonly logLik: number
  /** Change of the mean per-sample objective against the previous iteration. */
  readonly change: number
  /** The parameters after this iteration's M-step. */
  readonly params: P
}

export interface FitOptions<P> {
  /** Stop when |change of the mean per-sample log-likelihood| < tol (scikit-learn's rule). Default 1e-3. */
  readonly tol?: number
  /** Maximum number of iterations (M-steps). Default 100. */
  readonly maxIter?: number
  readonly onIteration?: (info: IterationInfo<P>) => void
  readonly signal?: AbortSignal
  /** How an iteration moves the parameters (default: the plain EM map of the model). */
  readonly stepper?: Stepper<P, any>
}

export interface FitResult<P> {
  readonly params: P
  /**
   * Total log-likelihood per iteration: element t is the objective at the parameters
   * after t M-steps, so element 0 is at the start and the last is at `params`.
   */
  readonly history: number[]
  readonly logLik: number
  readonly nIter: number
  readonly status: FitStatus
  readonly converged: boolean
  /** Applications of the EM map (M-steps). */
  readonly fixedPointEvaluations: number
  /** Evaluations of the objective (E-steps and log-likelihoods). */
  readonly objectiveEvaluations: number
  /** Iterations whose objective fell by more than 1e-9 relative (a monotone variant must have none). */
  readonly decreases: number[]
  /** Why the fit is 'degenerate'. */
  readonly error?: EmkitError
  readonly timeMs: number
}
