import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Arena, F64Buffer } from '../../kernels/types.js'
import type { Parameterisation } from '../../engine/types.js'

/**
 * A distribution family with k members over the same observations: the k components
 * of a mixture or the k states of an HMM (pomegranate's idea: the model that mixes
 * them is one thing, the distribution another). Mixtures and HMMs ask the same three
 * things of it, each a fixed number of kernel calls over all rows:
 *
 * - log-densities of every row under every member, into an n x k kernel buffer (a
 *   mixture adds log-weights and normalises it; an HMM runs forward-backward on it);
 * - statistics given per-row weights (n x k: responsibilities, or HMM posteriors),
 *   optionally times a weight per row (sample weights): additive, so shards and
 *   sequences merge by addition;
 * - the M-step from those statistics.
 *
 * `P` is the parameters (plain arrays, never mutated once made), `D` the data of one
 * fit in kernel memory, made by `prepare` and filled by the component's own `load`.
 */
export interface Component<P, D> {
  readonly name: string
  /** Number of members (components or states). */
  readonly k: number
  /** Length of the statistics. */
  readonly statsSize: number
  /**
   * Buffers for n observations in `arena` (freed with it). `rows`: the observations
   * already in kernel memory (Arena.lend), which a component that keeps rows as given
   * (the Gaussian) reads in place of a copy; the others ignore it. `workRows`: the
   * data are only ever evaluated `rows(lo, hi)` at a time, at most that many rows: a
   * component's per-row work buffers need no more.
   */
  prepare(arena: Arena, n: number, rows?: F64Buffer | null, workRows?: number): D
  /**
   * Rows lo..hi-1 of prepared data, as data of their own over the same memory (no
   * copy; its work buffers are the first hi - lo rows of the data's): the HMM's passes
   * evaluate a block of rows at a time (hmm/passes.ts).
   */
  rows?(data: D, lo: number, hi: number): D
  /**
   * out[i*k + c] = log p(obs_i | member c). With `far` (n values, -Infinity on entry),
   * a component whose densities can overflow (Gaussians, for points extremely far from
   * every member) gives such rows relative to an offset: log p = out - e^{far[i]}.
   */
  logDensities(data: D, n: number, params: P, out: F64Buffer, far?: Float64Array): void
  /**
   * Statistics at `params` of the per-row member weights `weights` (n x k), each row
   * also times rowWeight[i] when given, into `out` (statsSize values).
   */
  statistics(data: D, n: number, weights: F64Buffer, rowWeight: F64Buffer | null, params: P, out: Float64Array): void
  /** M-step from statistics gathered at `params` (honours the component's fit flags); may throw DegenerateError. */
  fromStats(stats: Float64Array, params: P): P
  /** Statistics gathered at `from` as gathered at `to` (online EM); absent where they do not depend on the parameters (counts). */
  recentreParams?(stats: Float64Array, from: P, to: P): Float64Array
  /** Free parameters the M-step estimates. */
  nParameters(): number
  pack(params: P): Float64Array
  unpack(vec: Float64Array, like: P): P
  isValid(vec: Float64Array, like: P): boolean
  /** The coordinates of its standard errors: the parameters its M-step fits, each free one once (HMM emissions). */
  readonly free?: Parameterisation<P>
  /**
   * Louis's method for HMMs: at `params`, a function adding observation i's complete-data
   * score of log f_c(x_i) into `score` and its -Hessian into `negHessian` (m x m), in the
   * `free` coordinates (m of them).
   */
  rowDerivatives?(data: D, params: P): (i: number, c: number, score: Float64Array, negHessian: Float64Array) => void
  /** Import what rowDerivatives runs, for a component that leaves it out of bundles until then (awaited by the model's loadInformation). */
  loadDerivatives?(): Promise<void>
  /**
   * Optional: the component's part of the expected complete-data log-likelihood
   * Q(params | at), from statistics gathered at `at` (terms that do not depend on
   * `params` may be left out): what supplemented EM differentiates for the complete
   * information of a model made of this component (an HMM's emission).
   */
  completeLogLik?(stats: Float64Array, at: P, params: P): number
  /** Observation t of `data` in words ('symbol 7'), for the error of an observation no member can emit. */
  describe?(data: D, t: number): string
  /** What to do when an observation has probability 0 under every member. */
  readonly unseenRemedy?: string
  /** One draw from member c. */
  sample(params: P, c: number, rng: Rng): number | number[]
  dispose(): void
}

/**
 * scikit-learn's 10 machine epsilons added to every member's mass before dividing by
 * it: a member that explains no rows keeps finite parameters.
 */
export const MASS_EPS = 10 * Number.EPSILON
