import type { EmkitError } from '../core/errors.js'
import type { Rng } from '../core/rng/xoshiro128.js'

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
  /**
   * Objective at `params`: the total, weighted log-likelihood; for a model fitted by
   * variational EM, the bound its steps record (`variationalObjective` computes it).
   */
  logLik(data: D, params: P): number
  /** Number of free parameters (for BIC/AIC). */
  nParameters(params: P): number
  /** The free parameters as one flat vector (accelerators, numerical derivatives, bootstrap). */
  pack(params: P): Float64Array
  /** Parameters from a vector made by `pack`; `like` supplies the shape. May throw DegenerateError. */
  unpack(vec: Float64Array, like: P): P
  /** Whether a (possibly extrapolated) vector lies inside the parameter space. */
  isValid(vec: Float64Array, like: P): boolean

  // ---- optional capabilities: present only where the model supports them ----
  // The engine (src/engine/strategy.ts) asks for them; an algorithm whose capability
  // is missing is an UnsupportedError naming the algorithms the model does support.

  /**
   * ECM / ECME: conditional maximisations done in sequence after one E-step. Each
   * maximises over one block of parameters with the others held at their latest
   * values. Their sequence must be a valid ECM (together they maximise over the whole
   * space). For ECME, the steps that offer `maximiseL` maximise the observed objective
   * instead of Q; put those after the Q-steps (Liu & Rubin's condition for monotone
   * convergence).
   */
  readonly cmSteps?: readonly ConditionalStep<P, D>[]
  /** PX-EM: the M-step done in an expanded parameter space, then reduced. */
  readonly parameterExpansion?: ParameterExpansion<P, D>
  /** GEM: Q, its gradient and (optionally) Hessian, for a Newton M-step with step-halving. */
  readonly gem?: GemCapability<P, D>
  /** SEM / MCEM: draws of the missing data and the complete-data log-likelihood of one draw. */
  readonly monteCarlo?: MonteCarloCapability<P, D>
  /** Variational EM: a VE-step (expected statistics under q(z) and the bound) and a VM-step. */
  readonly variational?: VariationalCapability<P, D>
  /** Incremental EM: the rows as blocks, statistics moved between parameters, Q from statistics. */
  readonly incremental?: IncrementalCapability<P, D>
  /** Classification EM (CEM): hard assignments, the classification log-likelihood as the objective. */
  readonly classification?: ClassificationCapability<P, D>
  /** Standard errors (src/engine/information/): the coordinates they are given in, Louis's terms, Q. */
  readonly information?: InformationCapability<P, D>
  /**
   * Set `information` first (a model whose terms are imported on demand: bundles leave
   * them out until standard errors are asked for). Awaited before `information` is read.
   */
  loadInformation?(): Promise<void>
  /** Stochastic (mini-batch) EM: the rows as shuffled mini-batches; the objective is a noisy estimate (no monotonicity). */
  readonly stochastic?: StochasticCapability<P, D>
  /**
   * A stopping rule of the model's own, replacing the engine's tol rule: whether the fit
   * has converged given the objective history so far (history[t] after t iterations).
   * LDA stops on a change of perplexity checked every `evaluateEvery` iterations.
   */
  stopRule?(history: readonly number[], data: D): boolean
  /** Online EM (engine/online.ts: partialFit, and algorithm 'online' with `batches`): how the model's running average is kept. */
  readonly onlineEM?: OnlineEMCapability<P, D>
  /**
   * What a change of the objective is divided by before it is compared with `tol`
   * (criterion 'objective'). Default: `data.totalWeight`, i.e. the change of the mean
   * per-sample objective (scikit-learn's GaussianMixture rule). scikit-learn's
   * BayesianGaussianMixture compares the change of its total bound: scale 1.
   */
  objectiveScale?(data: D): number
}

/**
 * Variational EM (the variational Bayes EM of Attias 2000 and Bishop 2006, 10.2): the
 * parameters `P` are those of q(theta), the variational posterior of the model's
 * parameters; q(z) of the latent variables is recomputed from them by each VE-step.
 * With q(theta) a point mass the VE-step is the E-step and the bound is the
 * log-likelihood: EM is the special case.
 *
 * Where the bound is recorded is the model's convention, and either is a function of
 * the q(theta) a step starts from that never decreases along the iterations:
 * - after the VE-step (default): the bound at q(theta) with q(z) just fitted to it
 *   (`veStep(...).logLik`);
 * - after the VM-step, when `elboAfterVM` is given: the bound at the new q(theta) and
 *   the q(z) it was computed from (scikit-learn's BayesianGaussianMixture).
 * The model's `logLik(data, params)` must be the recorded one (`variationalObjective`).
 */
export interface VariationalCapability<P, D> {
  /**
   * VE-step at q(theta) = `params`: q(z) proportional to exp E_q(theta)[log p(x, z | theta)],
   * its expected sufficient statistics (additive over shards, as `eStep`'s) and the
   * bound with that q(z) and q(theta) = `params`.
   */
  veStep(data: D, params: P): EStepResult
  /** Optional: the same VE-step computed asynchronously (sharded over worker threads), the same result bit for bit. */
  veStepAsync?(data: D, params: P): Promise<EStepResult>
  /** VM-step: the new q(theta) from the statistics of a VE-step at `params` (and the priors). */
  vmStep(stats: Float64Array, params: P, data: D): P
  /** The bound at q(theta) = `next` and the q(z) whose statistics are `stats`; see the interface's comment. */
  elboAfterVM?(stats: Float64Array, next: P, data: D): number
}

/**
 * What classification EM (Celeux & Govaert 1992; variants/cem.ts) needs from a mixture:
 * a C-step that assigns each row to its most probable component at `params` and
 * gathers the statistics of that hard partition (as `eStep` gathers them from
 * posteriors, so `mStep` takes them), and the objective, the classification
 * log-likelihood CL(params) = sum_i w_i max_c log(w_c f_c(x_i)) (the partition being
 * the C-step's).
 */
export interface ClassificationCapability<P, D> {
  /** Hard statistics and CL at `params`. */
  cStep(data: D, params: P): EStepResult
  /** CL at `params` alone. */
  classificationLogLik(data: D, params: P): number
}

/**
 * What incremental EM (Neal & Hinton 1998; variants/incremental.ts) needs: the rows in
 * contiguous blocks, each a prepared data that `eStep` takes as it takes the whole
 * (so a block's statistics are exactly its share of the whole's), and two facts about
 * the statistics, since the blocks' statistics are gathered at different parameters
 * and summed:
 * - `recentre`: statistics that depend on the parameters they were gathered at (the
 *   Gaussian mixture's are centred at the means) expressed at other parameters, exactly
 *   (the same E-step weights; only the reference moves). Statistics of blocks recentred
 *   to one `params` add up to statistics at `params`, which `mStep` takes.
 * - `completeLogLik`: the expected complete-data log-likelihood Q at `params` of
 *   statistics gathered at `params`; linear in the statistics, and exact up to a
 *   constant that depends on neither the parameters nor the E-step weights (a term per
 *   row, such as -log y! or -d/2 log 2 pi). With it the engine has the free energy
 *   F(q, theta) = sum_b (logLik_b - Q_b) + Q(sum of the statistics at theta, theta),
 *   which incremental EM increases at every block update.
 */
export interface IncrementalCapability<P, D> {
  /** The rows in `blocks` contiguous blocks (sizes differing by at most one), views of `data`: nothing copied. Throws OptionError for more blocks than rows. */
  splitBlocks(data: D, blocks: number): readonly D[]
  /** Statistics an E-step gathered at `from`, as gathered at `to` from the same E-step weights (a new array). */
  recentre(stats: Float64Array, from: P, to: P): Float64Array
  /** Q at `params` of statistics gathered at `params` (see the interface's comment); `data` is the whole data. */
  completeLogLik(stats: Float64Array, params: P, data: D): number
  /** Rows lo (included) to hi (excluded) as prepared data, a view of `data` (a sharded fit's fixed-size blocks). */
  rowBlock?(data: D, lo: number, hi: number): D
  /** Import what completeLogLik runs, for a model that leaves it out of bundles until then (loadStepper awaits it for incremental EM, the model's loadInformation for standard errors). */
  load?(): Promise<void>
}

/**
 * What online EM (engine/online.ts) may need of a model beyond its E- and M-steps
 * (every part optional; a model with none averages statistics that do not depend on
 * the parameters, scaled, into its M-step).
 */
export interface OnlineEMCapability<P, D> {
  /** Statistics an E-step gathered at `from`, as gathered at `to` from the same E-step weights (a new array); else the incremental capability's. */
  recentre?(stats: Float64Array, from: P, to: P): Float64Array
  /** The running average kept in the parameters themselves (stochastic variational inference). */
  readonly natural?: NaturalAverage<P, D>
  /**
   * The data's consecutive mini-batches (views, in order): algorithm 'online' runs a
   * pass of steps over them per iteration, and partialFit cuts each chunk into them.
   */
  batches?(data: D): readonly D[]
  /** A mini-batch's statistics at `params` without its objective (a pass records none); default the (VE-)E-step's. */
  batchStats?(batch: D, params: P): Float64Array
}

/**
 * A model whose VM-step is affine in the statistics, lambda = prior + statistics (a
 * conjugate model's natural parameters; LDA's topic-word lambda), keeps online EM's
 * running average as lambda itself (Hoffman et al. 2013): averaging lambdas averages
 * the statistics they were made from.
 */
export interface NaturalAverage<P, D> {
  /** The parameters' lambda (not to be changed) and the online updates t behind it (the start counts as t = 0). */
  of(params: P): { readonly lambda: Float64Array; readonly t: number }
  /** prior + factor x statistics (gathered at `params`): the VM-step of the statistics scaled by factor (a new array). */
  fromStats(stats: Float64Array, factor: number, params: P, data: D): Float64Array
  /** The parameters whose lambda is `lambda`, after t online updates. */
  params(lambda: Float64Array, t: number, like: P): P
}

/**
 * What stochastic EM (SEM) and Monte Carlo EM (MCEM) need: draws of the missing data
 * given the observed data, as complete-data sufficient statistics (one row per draw;
 * the mean of the rows is the Monte Carlo E-step, handed to `mStep`), and the
 * complete-data log-likelihood of one draw's statistics (Q's Monte Carlo estimate is
 * its mean over the draws; used for the Monte Carlo standard error of the change in Q).
 */
export interface MonteCarloCapability<P, D> {
  /** Import what sampleLatent runs, for a model that leaves it out of bundles until a fit by SEM or MCEM (loadStepper awaits it). */
  load?(): Promise<void>
  /** `m` draws at `params` from `rng`: m rows of statistics back to back (row length = the statistics length). */
  sampleLatent(data: D, params: P, rng: Rng, m: number): Float64Array
  /** Complete-data log-likelihood at `params` of one draw's statistics (up to a constant free of params). */
  completeLogLik(stats: Float64Array, params: P, data: D): number
  /**
   * Optional: the M-step from the m individual draws (rows as from `sampleLatent`),
   * for models whose complete data are not summarised by the mean of per-draw
   * statistics (a logistic GLMM: Q is a mean over draws of a nonlinear function of
   * each draw). When present, SEM and MCEM call it instead of
   * `mStep(mean of the rows)`.
   */
  mStepFromDraws?(draws: Float64Array, m: number, params: P, data: D): P
  /**
   * Optional: completeLogLik of each of m draws at once (one value per row), for
   * models where one call per draw would cost a pass over the data each.
   */
  completeLogLiks?(draws: Float64Array, m: number, params: P, data: D): Float64Array
}

/**
 * The coordinates standard errors are reported in: free parameters only (a mixture's
 * weights are the first K - 1; a symmetric matrix its upper triangle), so that the
 * information matrix can be positive definite. Default: `pack`/`unpack`.
 */
export interface Parameterisation<P> {
  names(params: P): string[]
  toFree(params: P): Float64Array
  /** Parameters from free coordinates; `like` supplies the shape. May throw DegenerateError. */
  fromFree(vec: Float64Array, like: P): P
  /** The coordinates anchored at `params` (a local chart, e.g. an orientation's, 0 there); standard errors use the chart at the estimate. */
  at?(params: P): Parameterisation<P>
}

/** Louis's terms at `params`, m x m row-major in the parameterisation's coordinates. */
export interface LouisTerms {
  /** Expected complete-data information: sum over rows of E[-d2 log f(x, z) | x]. */
  readonly complete: Float64Array
  /** Missing information: sum over rows of Var[complete-data score | x]. */
  readonly missing: Float64Array
}

/** What the information methods (src/engine/information/) ask of a model beyond pack/unpack. */
export interface InformationCapability<P, D> {
  readonly parameterisation?: Parameterisation<P>
  /** Louis (1982): complete-data score and Hessian per row, summed as expectations over the missing data. */
  louis?(data: D, params: P): LouisTerms
  /**
   * Q(params | at) from the statistics of the E-step at `at` (up to a constant free of
   * params), for SEM's complete-data information; without it SEM uses the incremental
   * capability (recentre + completeLogLik) or a Monte Carlo completeLogLik that is linear
   * in the statistics (no mStepFromDraws).
   */
  q?(stats: Float64Array, at: P, params: P, data: D): number
  /** EM's map (an E- then an M-step from `at`) for SEM, when the M-step iterates and must be converged tighter than a fit needs; default mStep(eStep). */
  emMap?(data: D, at: P): P
}

/** One conditional maximisation (CM-step) of ECM / ECME. */
export interface ConditionalStep<P, D> {
  /** The block of parameters it updates (for messages and traces). */
  readonly name: string
  /** Maximise Q(. | params_t) over this block, from the E-step statistics at params_t. */
  maximiseQ(stats: Float64Array, params: P, data: D): P
  /** ECME: maximise the observed objective over this block instead (the other blocks held fixed). */
  maximiseL?(params: P, data: D): P
  /** Objective evaluations (passes over the data) one maximiseL costs, for the counts (default 1). */
  readonly lEvaluations?: number
}

/**
 * Parameter expansion (Liu, Rubin & Wu 1998): the complete-data model is embedded in
 * a larger one with an extra parameter whose null value gives back the original
 * model; the E-step is the original one, the M-step runs in the expanded space and
 * `reduce` maps its result back.
 */
export interface ParameterExpansion<P, D> {
  /** M-step of the expanded model from the statistics of the E-step at `params` (expansion parameter at its null value): the expanded parameters. */
  expandedMStep(stats: Float64Array, params: P, data: D): unknown
  /** The original parameters that the expanded ones stand for. */
  reduce(expanded: unknown, like: P): P
}

/**
 * What a generalised EM needs: Q(theta | theta_t) as a function of a coordinate vector
 * (any coordinates the model chooses, ideally unconstrained), its gradient and Hessian.
 */
export interface GemCapability<P, D> {
  /** Coordinates of `params` (the M-step starts there). */
  toCoordinates(params: P): Float64Array
  fromCoordinates(vec: Float64Array, like: P): P
  /** Q at `vec` (up to a constant) from the statistics of the E-step at theta_t = `at`. */
  q(stats: Float64Array, vec: Float64Array, at: P, data: D): number
  gradQ(stats: Float64Array, vec: Float64Array, at: P, data: D): Float64Array
  /** Row-major m x m Hessian of Q; without it the M-step is a gradient step. */
  hessQ?(stats: Float64Array, vec: Float64Array, at: P, data: D): Float64Array
}

/**
 * Stochastic (mini-batch) EM, for models whose E-step is itself an estimate (amortized
 * variational inference: an encoder's q(z|x), reparameterised draws) and whose M-step is
 * a gradient step: one engine iteration is an epoch, a pass over `batches`, each batch
 * an eStep (its statistics: additive, e.g. gradients of the bound summed over its rows)
 * and an mStep. The recorded objective is the sum of the batches' objectives along the
 * epoch (a noisy estimate, at parameters that moved within the epoch), so decreases are
 * not reported, and the stopping rule compares the mean objective of the last `window`
 * epochs with the mean of the `window` before (criterion 'objective'). The engine knows
 * nothing of what a batch computes.
 */
export interface StochasticCapability<P, D> {
  /** Epochs per window of the stopping rule. */
  readonly window: number
  /** The mini-batches of the next epoch, in order (the model's seeded shuffle, a function of `params`). */
  batches(data: D, params: P): readonly D[]
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
  /**
   * Move the parameters once. `rule` is the fit's stopping rule; a stepper that has a
   * better one of its own (an accelerator) decides convergence and reports it in
   * `StepResult.converged`.
   */
  step(data: D, params: P, rule?: StoppingRule): StepResult<P>
  /**
   * A step whose E-step is asynchronous (shards on workers, a stream read once per step, LDA's
   * document shards): when present, the engine awaits it instead of calling `step`.
   */
  stepAsync?(data: D, params: P, rule?: StoppingRule): Promise<StepResult<P>>
  /**
   * The closing objective at the result, when it is not the model's `logLik` at hand:
   * CEM's classification log-likelihood, or a sharded fit's, whose E-steps run elsewhere.
   */
  objective?(data: D, params: P): number | Promise<number>
  /** Monte Carlo variants (SEM, MCEM): what the run drew, for FitResult.monteCarlo. */
  report?(): MonteCarloReport
}

/** How a fit decides it has converged. */
export type Criterion = 'objective' | 'parameters' | 'relative'

export interface StoppingRule {
  readonly criterion: Criterion
  readonly tol: number
  /**
   * What the 'objective' criterion divides a change of the objective by: the sum of
   * sample weights (the per-sample scale) unless the model says otherwise (`objectiveScale`).
   */
  readonly scale: number
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
  /**
   * Set by steppers that own the stopping rule (accelerators): whether the fit has
   * converged with `params`. Left undefined, the engine applies its own rule.
   */
  readonly converged?: boolean
}

export type FitStatus = 'converged' | 'max-iter' | 'degenerate' | 'aborted'

export interface IterationInfo<P> {
  /** 1-based iteration count (number of M-steps done, including this one). */
  readonly iteration: number
  /** Objective at the parameters this iteration started from. */
  readonly logLik: number
  /** Change of the objective against the previous iteration, on the stopping rule's scale (per sample by default). */
  readonly change: number
  /** The parameters after this iteration's M-step. */
  readonly params: P
}

export interface FitOptions<P> {
  /**
   * With criterion 'objective' (default): stop when |change of the mean per-sample
   * log-likelihood| < tol (scikit-learn's rule). With 'parameters': stop when the
   * Euclidean norm of the change of the packed parameter vector is < tol (R's
   * SQUAREM/fpiter rule). With 'relative' (mclust's rule, for the plain EM map): stop
   * when |L_t - L_t-1| / (1 + |L_t|) < tol, and keep the parameters L_t was measured at
   * (mclust's me(): no M-step after the last E-step). Default 1e-3.
   */
  readonly tol?: number
  /** What `tol` bounds (default 'objective'). */
  readonly criterion?: Criterion
  /** Maximum number of iterations (M-steps). Default 100. */
  readonly maxIter?: number
  readonly onIteration?: (info: IterationInfo<P>) => void
  readonly signal?: AbortSignal
  /** How an iteration moves the parameters (default: the plain EM map of the model). */
  readonly stepper?: Stepper<P, any>
  /**
   * The objective (total) the start is compared with at the first iteration, as if it
   * were the previous iteration's: a warm start passes the fit it continues, so that a
   * loop of maxIter = 1 fits reports `converged` once the change is below tol.
   */
  readonly previousObjective?: number
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
  /** SEM / MCEM: Monte Carlo sizes, the change in Q and its Monte Carlo standard error per iteration; SEM's chain. */
  readonly monteCarlo?: MonteCarloReport
  /** SEM / MCEM: the Monte Carlo standard error of the last iteration's change in Q (= monteCarlo.mcError). */
  readonly mcError?: number
}

/** What the Monte Carlo variants (SEM, MCEM) report. */
export interface MonteCarloIteration {
  /** 1-based iteration. */
  readonly iteration: number
  /** Monte Carlo sample size used for this iteration's E-step (after any augmentation). */
  readonly samples: number
  /** Monte Carlo estimate of Q(theta_new) - Q(theta_old) (mean over draws of the complete-data log-likelihood change). */
  readonly deltaQ: number
  /** Its Monte Carlo standard error (sd over draws / sqrt(samples)). */
  readonly mcError: number
  /** max_i |theta_new,i - theta_old,i| / (|theta_old,i| + delta) on the packed parameters. */
  readonly relativeChange: number
  /** Times the E-step was augmented because the ascent was not clear (ascent rule). */
  readonly augmentations: number
}

export interface MonteCarloReport {
  readonly algorithm: 'sem' | 'mcem'
  readonly iterations: MonteCarloIteration[]
  /** The Monte Carlo standard error of the change in Q at the last iteration. */
  readonly mcError: number
  /** SEM: every iterate (packed), the start first. */
  readonly chain?: Float64Array[]
  /** SEM: the average of the packed iterates after burn-in (so far). */
  readonly estimate?: Float64Array
}
