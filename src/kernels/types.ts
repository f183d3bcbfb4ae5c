/**
 * The kernel boundary: the only place where arithmetic over n rows happens.
 *
 * Every backend (wasm SIMD, wasm scalar, pure JS) implements this interface with
 * the same math in the same order of operations per output element, so results
 * agree to the last few ulps (exactly, in practice) across backends.
 *
 * Buffers live in the backend's memory: for wasm that is linear memory (kernels
 * read `ptr`), for JS a plain typed array (kernels read `view`). Models allocate
 * every buffer a fit needs from one arena up front, so hot loops never allocate.
 * Matrices are row-major. The kernel names are those of exports.ts (checked below).
 */
import type { F64Buffer, I32Buffer, OptionalF64 } from './buffers.js'
import type { KernelName, SameNames } from './exports.js'
import type { SamplingKernels } from './sampling.js'
import type { RegressionKernels } from './regression.js'
import type { ClassifyKernels } from './classify.js'
import type { DenseKernels } from './dense.js'

export type { F64Buffer, I32Buffer, OptionalF64 } from './buffers.js'
export type { SamplingKernels } from './sampling.js'
export type { RegressionKernels } from './regression.js'
export type { ClassifyKernels } from './classify.js'
export type { DenseKernels } from './dense.js'

export type BackendName = 'wasm' | 'wasm-scalar' | 'js'
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'wasm-scalar', 'js']

/** A group of buffers freed together (one per fit or per predict call). */
export interface Arena {
  f64(length: number): F64Buffer
  i32(length: number): I32Buffer
  /** Allocate and fill with a copy of `values`. */
  f64From(values: ArrayLike<number>): F64Buffer
  /**
   * `values` as a buffer of this arena, without a copy, when they already lie in this
   * backend's memory (wasm: a view of its linear memory, as the command parses a file
   * into); null otherwise. The buffer is not the arena's to free.
   */
  lend?(values: Float64Array): F64Buffer | null
  dispose(): void
}

export interface Kernels extends SamplingKernels, RegressionKernels, ClassifyKernels, DenseKernels {
  readonly name: BackendName
  arena(): Arena

  // ---- linear algebra (batched over `count` d x d matrices stored back to back) ----

  /**
   * Lower Cholesky factors L (A = L L^T) of `count` symmetric matrices; the upper
   * triangle of `out` is zeroed. Returns the index of the first matrix that is not
   * numerically positive definite, or -1.
   */
  cholesky(a: F64Buffer, count: number, d: number, out: F64Buffer): number

  /** Inverses of `count` lower-triangular matrices (upper triangle of `out` zeroed). */
  invertLower(l: F64Buffer, count: number, d: number, out: F64Buffer): void

  // ---- mixtures ----

  /**
   * out[i*k + c] = log N(x_i | mean_c, cov_c) for full covariances given through
   * their precision factors P_c = L_c^{-1} (lower triangular, cov_c = L_c L_c^T):
   *   -0.5 * (d log 2pi + |P_c (x_i - mean_c)|^2) + logDetP[c].
   * `precStride` is d*d for one factor per component, 0 for a shared (tied) one.
   */
  logDensityFull(
    x: F64Buffer, n: number, d: number,
    means: F64Buffer, k: number,
    prec: F64Buffer, precStride: number, logDetP: F64Buffer,
    out: F64Buffer,
  ): void

  /**
   * Same for axis-aligned covariances: `prec` holds k*d precisions (1/variance),
   * logDetP[c] = 0.5 * sum_j log prec[c*d + j].
   */
  logDensityDiag(
    x: F64Buffer, n: number, d: number,
    means: F64Buffer, k: number,
    prec: F64Buffer, logDetP: F64Buffer,
    out: F64Buffer,
  ): void

  /**
   * In place: lp[i*k + c] += logWeights[c]; rowLogLik[i] = logsumexp_c lp[i*k + c];
   * lp becomes the responsibilities exp(lp - rowLogLik), computed as e_c / s with
   * e_c = exp(lp_c - max_c lp_c), s = sum_c e_c (terms with lp_c - max < -100 ln 2,
   * whose exp is below 2^-100, are 0: RESP_FLOOR in assembly/common.ts). Returns sum_i w_i rowLogLik[i] (w_i = 1 without weights).
   * `rowLogLik` may be null when per-row values are not wanted.
   */
  responsibilities(
    lp: F64Buffer, n: number, k: number,
    logWeights: F64Buffer, rowLogLik: OptionalF64, sampleWeight: OptionalF64,
  ): number

  /**
   * Weighted sufficient statistics around reference points `ref` (k*d; the current
   * means), written to `out` as [N (k) | S1 (k*d) | S2 (k*d*d, full symmetric)]:
   *   N_c = sum_i w_i r_ic,  S1_c = sum_i w_i r_ic z,  S2_c = sum_i w_i r_ic z z^T,
   * with z = x_i - ref_c. Shards with the same `ref` merge by addition.
   */
  statsFull(
    x: F64Buffer, n: number, d: number,
    resp: F64Buffer, k: number, sampleWeight: OptionalF64,
    ref: F64Buffer, out: F64Buffer,
  ): void

  /** As statsFull with only the diagonal of S2: out = [N (k) | S1 (k*d) | S2diag (k*d)]. */
  statsDiag(
    x: F64Buffer, n: number, d: number,
    resp: F64Buffer, k: number, sampleWeight: OptionalF64,
    ref: F64Buffer, out: F64Buffer,
  ): void

  /**
   * Multivariate Student-t log-densities (location-scatter form) and the E-step weights:
   * with delta = |P_c (x_i - mean_c)|^2 (P_c as in logDensityFull, stride precStride)
   * and l = log(1 + delta / nu[c]):
   *   out[i*k + c]    = logNorm[c] - 0.5 * (nu[c] + d) * l
   *   tau[i*k + c]    = (nu[c] + d) / (nu[c] + delta)
   *   logTau[i*k + c] = log((nu[c] + d) / nu[c]) - l          (skipped when logTau is null)
   * where the caller supplies logNorm[c] = lgamma((nu+d)/2) - lgamma(nu/2)
   * - (d/2) log(nu pi) + logDetP[c]. The distances are those of logDensityFull (run
   * with logNorm as its log-determinant), recovered from its output.
   */
  logDensityT(
    x: F64Buffer, n: number, d: number,
    means: F64Buffer, k: number,
    prec: F64Buffer, precStride: number,
    nu: F64Buffer, logNorm: F64Buffer,
    out: F64Buffer, tau: F64Buffer, logTau: OptionalF64,
  ): void

  /**
   * Poisson log-probabilities of counts y (n):
   *   out[i*k + c] = (y[i] * logRates[c] - rates[c]) - logFactorial[i]
   * with logFactorial[i] = lgamma(y[i] + 1) supplied by the caller (once per fit).
   * (Implemented by every backend.)
   */
  logDensityPoisson(
    y: F64Buffer, n: number,
    rates: F64Buffer, logRates: F64Buffer, k: number,
    logFactorial: F64Buffer, out: F64Buffer,
  ): void

  // ---- hidden Markov models (assembly/hmm.ts; src/kernels/js/hmm.ts documents each) ----
  // Sequences lie back to back: `lengths` (nSeq entries) rows each, n = their sum.
  // Matrices are n x k row-major; transMat is k x k, A[i*k + j] = P(j | i).

  /**
   * Scaled forward pass over a block of rows: `lengths` gives its pieces (runs of one
   * sequence each); with `continues`, the first piece carries on a sequence whose
   * previous alpha row is in `carry` (k). In place `b` turns from log emission densities
   * into scaled densities expFlush(logB - rowMax); alpha (rows*k) gets the normalised
   * forward variables, scale (rows) the normalisers c_t, carry the block's last alpha
   * row. Returns the block's log-likelihood sum_t (rowMax_t + log c_t).
   */
  hmmForward(
    b: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
    startProb: F64Buffer, transMat: F64Buffer, alpha: F64Buffer, scale: F64Buffer, carry: F64Buffer, continues: boolean,
  ): number
  /**
   * The backward half over the block hmmForward just ran on (`b`, `scale`, `alpha`),
   * keeping no n*k beta: the posterior state probabilities written over alpha, the
   * transition counts without their factor A (sum_t alpha[t,i] w[t+1,j]) added into
   * `out` (k*k, without materialising n*k*k). With `continues`, the last piece carries
   * on into the next block, whose first row's [b (k) | beta (k) | c] is in `tail`;
   * `tail` becomes this block's first row's.
   */
  hmmSmooth(
    b: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
    transMat: F64Buffer, scale: F64Buffer, alpha: F64Buffer, out: F64Buffer, tail: F64Buffer, continues: boolean,
  ): void
  /** Forward pass in log space (logAlpha n*k); returns the total log-likelihood. */
  hmmForwardLog(
    logB: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
    logStart: F64Buffer, logTrans: F64Buffer, logAlpha: F64Buffer,
  ): number
  /** Backward pass in log space (logBeta n*k). */
  hmmBackwardLog(
    logB: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
    logTrans: F64Buffer, logBeta: F64Buffer,
  ): void
  /** Posterior state probabilities from the log-space passes. */
  hmmPosteriorsLog(logAlpha: F64Buffer, logBeta: F64Buffer, n: number, k: number, out: F64Buffer): void
  /**
   * Viterbi in log space over a block of rows (pieces as hmmForward's): back-pointers in
   * `psi` (rows*k), each piece that ends its sequence backtracked into `path` (rows)
   * from its best final state; returns the sum of those best joint log-probabilities.
   * With `continuesIn`, the first piece carries on from the previous delta row in
   * `carry`; `carry` gets the block's last delta row. With `continuesOut`, the last
   * piece carries on into the next block: backtracked from `endState` when >= 0.
   */
  hmmViterbi(
    logB: F64Buffer, lengths: I32Buffer, nSeq: number, k: number,
    logStart: F64Buffer, logTrans: F64Buffer, psi: I32Buffer, path: I32Buffer,
    carry: F64Buffer, continuesIn: boolean, continuesOut: boolean, endState: number,
  ): number
  /** Categorical emissions: out[t*k + c] = logEmission[c*nSymbols + symbols[t]]. */
  hmmCategoricalLogB(symbols: I32Buffer, n: number, logEmission: F64Buffer, k: number, nSymbols: number, out: F64Buffer): void
  /** Expected symbol counts per state: out[c*nSymbols + s] = sum_{t: symbols[t] = s} gamma[t,c]. */
  hmmCategoricalCounts(symbols: I32Buffer, n: number, gamma: F64Buffer, k: number, nSymbols: number, out: F64Buffer): void

  /** out[i*k + c] = |x_i - centers_c|^2 (k-means++ seeding and Lloyd assignment). */
  sqDistances(x: F64Buffer, n: number, d: number, centers: F64Buffer, k: number, out: F64Buffer): void

  // ---- special functions (elementwise; `out` may be `x`) ----

  /**
   * out[i] = psi(x[i]), the digamma function (NaN where x[i] <= 0): the recurrence
   * psi(x) = psi(x + 1) - 1/x up to x >= 8, then the asymptotic series.
   */
  digamma(x: F64Buffer, n: number, out: F64Buffer): void
  /**
   * out[i] = log Gamma(x[i]) (Infinity at 0, NaN below): Stirling's series from 10,
   * the Lanczos sum (g = 7) on [1/2, 10), and below 1/2 log Gamma(x + 1) - log x.
   */
  logGamma(x: F64Buffer, n: number, out: F64Buffer): void

  // ---- latent Dirichlet allocation (assembly/lda.ts documents the algorithm) ----

  /**
   * The variational E-step of documents docBegin .. docEnd - 1 of a CSR matrix (indptr,
   * indices, counts): each document's gamma starts from ones and runs the fixed-point
   * loop (at most maxIter times, until the mean change of gamma < tol) against ebT,
   * exp E[log beta] stored term-major with row stride kp = K rounded up to even (pad
   * entries 0). Writes gamma[d*K + k] and wordBound[d] = sum_j cnt_j log(et . Eb[w_j]);
   * adds et * cnt / (et . Eb[w] + eps) into sstats (V x kp, term-major) unless null.
   * With fromGamma each document starts from its row of gamma instead of ones.
   * Returns the number of inner iterations done.
   */
  ldaEStep(
    indptr: I32Buffer, indices: I32Buffer, counts: F64Buffer, docBegin: number, docEnd: number,
    k: number, ebT: F64Buffer, alpha: number, maxIter: number, tol: number,
    gamma: F64Buffer, sstats: OptionalF64, wordBound: F64Buffer, fromGamma?: boolean,
  ): number

  // ---- random numbers ----

  /**
   * Fill `out` with uniforms in [0, 1) from the xoshiro128** state (4 x u32, in
   * `state`, advanced in place): the same stream as src/core/rng/xoshiro128.ts.
   */
  uniforms(state: I32Buffer, out: F64Buffer): void
}

/** The members of `Kernels` that are not kernels (no wasm function behind them). */
type NonKernelMember = 'name' | 'arena'
type KernelMember = Exclude<keyof Kernels, NonKernelMember>
// A kernel added to (or dropped from) this interface but not exports.ts, or the other
// way round, fails to compile here, naming the kernel.
export type KernelsMatchExportList = SameNames<Exclude<KernelName, KernelMember>, Exclude<KernelMember, KernelName>>
