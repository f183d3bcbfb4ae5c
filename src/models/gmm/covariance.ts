import { DegenerateError } from '../../core/errors.js'
import { toRows } from '../../core/matrix.js'
import { flattenShape } from '../../core/shape.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import type { CovarianceChart } from './mclust/chart.js'

/**
 * Covariance structures as a strategy table: each entry knows its storage, its
 * parameter count, how to turn statistics into covariances and covariances into the
 * precision factors the density kernels want, and the public (scikit-learn) shape.
 * Nothing else in emkit switches on the covariance type. This file has what every
 * structure shares and the default, full; the table of scikit-learn's four is
 * covariance-table.ts (a Gaussian mixture's fit imports it when it needs another).
 */

export type CovarianceType = 'full' | 'diag' | 'spherical' | 'tied'
export const COVARIANCE_TYPES: readonly CovarianceType[] = ['full', 'diag', 'spherical', 'tied']

/** Small kernel buffers for the d x d work of one parameter update. */
export interface FactorScratch {
  readonly kernels: Kernels
  readonly cov: F64Buffer    // k*d*d
  readonly chol: F64Buffer   // k*d*d
  readonly prec: F64Buffer   // k*d*d
}

/**
 * A model's FactorScratch, made on first use and freed by dispose(): a model kept
 * between calls holds no kernel memory, and stays usable (the buffers come back).
 */
export class FactorWorkspace {
  private arena: Arena | null = null
  private buffers: FactorScratch | null = null

  constructor(private readonly kernels: Kernels, private readonly k: number, private readonly d: number) {}

  get scratch(): FactorScratch {
    if (!this.buffers) {
      const arena = this.kernels.arena()
      const size = this.k * this.d * this.d
      this.buffers = { kernels: this.kernels, cov: arena.f64(size), chol: arena.f64(size), prec: arena.f64(size) }
      this.arena = arena
    }
    return this.buffers
  }

  dispose(): void {
    this.arena?.dispose()
    this.arena = null
    this.buffers = null
  }
}

export interface Precisions {
  /** Kernel-ready: lower factors P = L^-1 (full: k*d*d, tied: d*d) or precisions 1/variance (k*d). */
  readonly precision: Float64Array
  /** log det P per component. */
  readonly logDetP: Float64Array
}

export interface DensityBuffers {
  readonly x: F64Buffer
  readonly n: number
  readonly means: F64Buffer
  readonly precision: F64Buffer
  readonly logDetP: F64Buffer
  readonly out: F64Buffer
}

export type PublicCovariances = number[] | number[][] | number[][][]

export interface CovarianceStrategy {
  /** scikit-learn's name, or mclust's model name for the strategies of gmm/mclust/. */
  readonly type: string
  /** Which statistics kernel feeds the M-step. */
  readonly statsKernel: 'statsFull' | 'statsDiag'
  storageSize(k: number, d: number): number
  precisionSize(k: number, d: number): number
  freeParameters(k: number, d: number): number
  /** Throws DegenerateError naming the component when a covariance is not positive definite. */
  precisions(cov: Float64Array, k: number, d: number, scratch: FactorScratch, regCovar: number): Precisions
  logDensity(kernels: Kernels, b: DensityBuffers, k: number, d: number): void
  /**
   * Covariances from statistics around reference points: for component c the
   * weighted scatter about the new mean is S2 - S1 delta^T - delta S1^T + N delta delta^T
   * with delta = S1 / nk (nk = N plus scikit-learn's 10 eps), divided by nk, plus regCovar.
   * `previous` (the covariances being replaced, when there are any) warm-starts the
   * iterative M-steps of mclust's models (gmm/mclust/); the closed-form ones ignore it.
   */
  fromStats(stats: Float64Array, nk: Float64Array, k: number, d: number, regCovar: number, previous?: Float64Array): Float64Array
  toPublic(cov: Float64Array, k: number, d: number): PublicCovariances
  /** The nested-array shape of toPublic's value (full [k, d, d], tied [d, d], diag [k, d], spherical [k]). */
  publicShape(k: number, d: number): number[]
  fromPublic(value: unknown, k: number, d: number): Float64Array
  /** The data covariance S (d*d) in this structure, for every component. */
  fromDataCovariance(s: Float64Array, k: number, d: number): Float64Array
  /** Every component's covariance as a full d x d matrix (k*d*d): sampling, plots, summaries. */
  expandFull(cov: Float64Array, k: number, d: number): Float64Array
  /** One covariance block for all components (tied) rather than one per component. */
  readonly shared: boolean
  /**
   * Fewest (weighted) rows a component needs for its own covariance estimate to be
   * nonsingular without regCovar: hard-assignment draws (SEM/MCEM) that leave a
   * component with fewer fall back to its expected statistics (gmm/monte-carlo.ts).
   */
  minPoints(d: number): number
  /**
   * Standard-error coordinates of a constrained structure whose free parameters are not
   * entries of its storage (mclust's VEV, EVE, ...: gmm/mclust/chart.ts). Absent: each
   * free stored entry is a coordinate.
   */
  readonly chart?: CovarianceChart
}

const LOG_DET_FROM_FACTOR = (l: Float64Array, offset: number, d: number): number => {
  let s = 0
  for (let j = 0; j < d; j++) s -= Math.log(l[offset + j * d + j]!)
  return s
}

export function singular(component: number | null, regCovar: number): DegenerateError {
  const which = component === null ? 'The shared (tied) covariance' : `The covariance of component ${component}`
  return new DegenerateError(
    'SINGULAR_COVARIANCE',
    `${which} is not positive definite (regCovar = ${regCovar}). Use fewer components, a larger regCovar, or rescale the data (or remove duplicate rows and constant columns).`,
    { component, regCovar },
  )
}

/** Cholesky + triangular inverse through the kernels, for `count` d x d matrices. */
function lowerFactors(cov: Float64Array, count: number, d: number, scratch: FactorScratch, regCovar: number, tied: boolean): Precisions {
  const { kernels } = scratch
  const dd = d * d
  scratch.cov.view.set(cov.subarray(0, count * dd))
  const failed = kernels.cholesky(scratch.cov, count, d, scratch.chol)
  if (failed >= 0) throw singular(tied ? null : failed, regCovar)
  kernels.invertLower(scratch.chol, count, d, scratch.prec)
  const precision = scratch.prec.view.slice(0, count * dd)
  const logDetP = new Float64Array(count)
  const chol = scratch.chol.view
  for (let c = 0; c < count; c++) logDetP[c] = LOG_DET_FROM_FACTOR(chol, c * dd, d)
  return { precision, logDetP }
}

/** Scatter about the new mean, lower triangle computed then mirrored (exactly symmetric). */
function scatterAboutMean(stats: Float64Array, nk: Float64Array, c: number, k: number, d: number, out: Float64Array, outOffset: number, scale: number): void {
  const n = stats[c]!
  const s1 = k + c * d
  const s2 = k + k * d + c * d * d
  for (let j = 0; j < d; j++) {
    const dj = stats[s1 + j]! / nk[c]!
    for (let l = 0; l <= j; l++) {
      const dl = stats[s1 + l]! / nk[c]!
      const v = stats[s2 + j * d + l]! - stats[s1 + j]! * dl - dj * stats[s1 + l]! + n * dj * dl
      out[outOffset + j * d + l] += v * scale
    }
  }
}

function mirrorAndRegularise(m: Float64Array, offset: number, d: number, regCovar: number): void {
  for (let j = 0; j < d; j++) {
    m[offset + j * d + j] += regCovar
    for (let l = 0; l < j; l++) m[offset + l * d + j] = m[offset + j * d + l]!
  }
}

/** Every structure's fromPublic: nested arrays of its public shape, flattened (a wrong shape names the covariance type). */
function fromPublic(this: CovarianceStrategy, value: unknown, k: number, d: number): Float64Array {
  return flattenShape(value, this.publicShape(k, d), `init.covariances (covarianceType '${this.type}')`)
}

/**
 * What scikit-learn's four structures show the public, before their strategies are
 * loaded: the public shape, its reading and the expansion to full matrices. A given
 * `init.covariances` is checked with these at construction, while the strategies of
 * tied, diag and spherical (covariance-table.ts) are loaded by the fits that use them;
 * each strategy takes its form from here.
 */
export type PublicForm = Pick<CovarianceStrategy, 'type' | 'publicShape' | 'fromPublic' | 'expandFull'>

export const PUBLIC_FORMS: Readonly<Record<CovarianceType, PublicForm>> = {
  full: { type: 'full', publicShape: (k, d) => [k, d, d], fromPublic, expandFull: (cov) => Float64Array.from(cov) },
  tied: { type: 'tied', publicShape: (_k, d) => [d, d], fromPublic, expandFull: (cov, k, d) => repeat(cov, k, d * d) },
  diag: { type: 'diag', publicShape: (k, d) => [k, d], fromPublic, expandFull: (cov, k, d) => diagonalMatrices(k, d, (c, j) => cov[c * d + j]!) },
  spherical: { type: 'spherical', publicShape: (k) => [k], fromPublic, expandFull: (cov, k, d) => diagonalMatrices(k, d, (c) => cov[c]!) },
}

/** The default structure, the one every Gaussian mixture's bundle carries. */
export const FULL: CovarianceStrategy = {
  ...PUBLIC_FORMS.full,
  statsKernel: 'statsFull',
  storageSize: (k, d) => k * d * d,
  precisionSize: (k, d) => k * d * d,
  freeParameters: (k, d) => (k * d * (d + 1)) / 2,
  precisions: (cov, k, d, scratch, reg) => lowerFactors(cov, k, d, scratch, reg, false),
  logDensity: (kernels, b, k, d) => kernels.logDensityFull(b.x, b.n, d, b.means, k, b.precision, d * d, b.logDetP, b.out),
  fromStats(stats, nk, k, d, reg) {
    const out = new Float64Array(k * d * d)
    for (let c = 0; c < k; c++) {
      scatterAboutMean(stats, nk, c, k, d, out, c * d * d, 1 / nk[c]!)
      mirrorAndRegularise(out, c * d * d, d, reg)
    }
    return out
  },
  toPublic: (cov, k, d) => Array.from({ length: k }, (_, c) => matrixRows(cov, c * d * d, d)),
  fromDataCovariance: (s, k, d) => repeat(s, k, d * d),
  shared: false,
  minPoints: (d) => d + 1,
}

/** The storage helpers the other structures (covariance-table.ts, gmm/mclust/) reuse. */
export { lowerFactors, scatterAboutMean, mirrorAndRegularise, matrixRows, repeat }

/** `rows` rows of `cols` values (default square) from `offset` of row-major `m`, as arrays. */
function matrixRows(m: Float64Array, offset: number, rows: number, cols = rows): number[][] {
  return Array.from({ length: rows }, (_, j) => Array.from(m.subarray(offset + j * cols, offset + (j + 1) * cols)))
}

function diagonalMatrices(k: number, d: number, variance: (c: number, j: number) => number): Float64Array {
  const out = new Float64Array(k * d * d)
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) out[c * d * d + j * d + j] = variance(c, j)
  return out
}

function repeat(block: Float64Array, times: number, size: number): Float64Array {
  const out = new Float64Array(times * size)
  for (let t = 0; t < times; t++) out.set(block.subarray(0, size), t * size)
  return out
}

/** What a fitted Gaussian family shows its users: k x d mean rows and the covariances in the public shape of their type. */
export interface GaussianShapes {
  readonly k: number
  readonly d: number
  readonly covariance: CovarianceStrategy
}

/** Means as k rows of d (scikit-learn's means_). */
export function publicMeans(g: GaussianShapes, means: Float64Array): number[][] {
  return toRows(means, g.k, g.d)
}

/** Covariances in the shape of their type (scikit-learn's covariances_). */
export function publicCovariances(g: GaussianShapes, covariances: Float64Array): PublicCovariances {
  return g.covariance.toPublic(covariances, g.k, g.d)
}
