/**
 * The priors of the Bayesian Gaussian mixture, resolved against the training data as
 * scikit-learn 1.9.1 resolves them (`_check_parameters`): what is not given comes from
 * the data, what is given is checked against its shape. Every failure is an
 * OptionError naming the option and what to do.
 */
import { OptionError } from '../../core/errors.js'
import type { Matrix } from '../../core/matrix.js'
import { cholesky } from '../../core/math/dense.js'
import type { CovarianceType } from '../gmm/covariance.js'
import { show } from '../../core/show.js'

/** The priors as the model uses them (scikit-learn's `*_prior_` attributes). */
export interface BgmmPriors {
  /** gamma of the stick-breaking Beta(1, gamma), or alpha0 of the symmetric Dirichlet. */
  readonly weightConcentration: number
  /** beta0: the precision of the Normal prior on each mean, relative to its component's precision. */
  readonly meanPrecision: number
  /** m0 (d). */
  readonly mean: Float64Array
  /** nu0 of the Wishart prior on each precision. */
  readonly degreesOfFreedom: number
  /**
   * The Wishart prior's inverse scale W0^-1 in the covariance type's storage for one
   * block: d*d ('full', 'tied'), d ('diag'), 1 ('spherical').
   */
  readonly covariance: Float64Array
}

/** The prior options as given (null: from the data). */
export interface PriorOptions {
  readonly weightConcentrationPrior: number
  readonly meanPrecisionPrior: number
  readonly meanPrior: ArrayLike<number> | null
  readonly degreesOfFreedomPrior: number | null
  readonly covariancePrior: number | ArrayLike<number> | ArrayLike<ArrayLike<number>> | null
}

/** Symmetry tolerance of a given covariance prior (scikit-learn's allclose: 1e-8 absolute + 1e-5 relative). */
const SYMMETRY = { abs: 1e-8, rel: 1e-5 }

export function resolvePriors(options: PriorOptions, x: Matrix, covarianceType: CovarianceType): BgmmPriors {
  const d = x.cols
  return {
    weightConcentration: options.weightConcentrationPrior,
    meanPrecision: options.meanPrecisionPrior,
    mean: options.meanPrior === null ? columnMeans(x) : meanPrior(options.meanPrior, d),
    degreesOfFreedom: degreesOfFreedom(options.degreesOfFreedomPrior, d),
    covariance: options.covariancePrior === null ? dataCovariance(x, covarianceType) : covariancePrior(options.covariancePrior, d, covarianceType),
  }
}

function meanPrior(value: ArrayLike<number>, d: number): Float64Array {
  if (value.length !== d) {
    throw new OptionError('meanPrior', `has ${value.length} entries but X has ${d} features; give one value per feature, or leave it out (the mean of X).`, { length: value.length, nFeatures: d })
  }
  return Float64Array.from(value)
}

function degreesOfFreedom(value: number | null, d: number): number {
  if (value === null) return d
  if (!(value > d - 1)) {
    throw new OptionError('degreesOfFreedomPrior', `must be greater than nFeatures - 1 = ${d - 1} for a Wishart prior in ${d} dimensions, got ${value}; use at least ${d} or leave it out (nFeatures).`, { value, nFeatures: d })
  }
  return value
}

function covariancePrior(value: PriorOptions['covariancePrior'], d: number, type: CovarianceType): Float64Array {
  const remedy = 'or leave it out (from the covariance of X)'
  if (type === 'spherical') {
    if (!(typeof value === 'number' && value > 0 && Number.isFinite(value))) {
      throw new OptionError('covariancePrior', `for covarianceType 'spherical' must be one variance > 0, got ${show(value)}; give a positive number ${remedy}.`)
    }
    return Float64Array.of(value)
  }
  if (type === 'diag') {
    const v = vector(value)
    if (!v || v.length !== d) {
      throw new OptionError('covariancePrior', `for covarianceType 'diag' must be ${d} variances (one per feature), got ${show(value)}; give an array of ${d} positive numbers ${remedy}.`, { nFeatures: d })
    }
    v.forEach((s, j) => {
      if (!(s > 0)) throw new OptionError('covariancePrior', `variance ${j} is ${s}; every variance must be > 0 ${remedy}.`, { index: j })
    })
    return v
  }
  const m = matrix(value, d)
  if (!m) {
    throw new OptionError('covariancePrior', `for covarianceType '${type}' must be a ${d} x ${d} matrix, got ${show(value)}; give a symmetric positive definite ${d} x ${d} matrix ${remedy}.`, { nFeatures: d })
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const a = m[i * d + j]!, b = m[j * d + i]!
      if (Math.abs(a - b) > SYMMETRY.abs + SYMMETRY.rel * Math.abs(b)) {
        throw new OptionError('covariancePrior', `is not symmetric (entry [${i}][${j}] = ${a}, [${j}][${i}] = ${b}); give a symmetric positive definite matrix ${remedy}.`, { row: i, column: j })
      }
    }
  }
  if (!cholesky(m, d)) {
    throw new OptionError('covariancePrior', `is not positive definite; give a symmetric positive definite ${d} x ${d} matrix (e.g. a diagonal of variances) ${remedy}.`)
  }
  return m
}

/**
 * scikit-learn's defaults, ddof = 1: np.cov(X.T) for 'full' and 'tied' (scaled by
 * 1 / (n - 1), as numpy does), np.var(X, axis=0, ddof=1) for 'diag' (divided by
 * n - 1) and the mean of those variances for 'spherical'.
 */
function dataCovariance(x: Matrix, type: CovarianceType): Float64Array {
  const { rows: n, cols: d, data } = x
  if (n < 2) {
    throw new OptionError('covariancePrior', `cannot come from X, which has ${n} row (a covariance needs 2); give it explicitly or more data.`, { rows: n })
  }
  const mean = columnMeans(x)
  const scatter = new Float64Array(d * d)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const a = data[i * d + j]! - mean[j]!
      for (let l = 0; l <= j; l++) scatter[j * d + l] += a * (data[i * d + l]! - mean[l]!)
    }
  }
  if (type === 'full' || type === 'tied') {
    const f = 1 / (n - 1)
    for (let j = 0; j < d; j++) {
      for (let l = 0; l <= j; l++) {
        scatter[j * d + l] = scatter[j * d + l]! * f
        scatter[l * d + j] = scatter[j * d + l]!
      }
    }
    return scatter
  }
  const variances = Float64Array.from({ length: d }, (_, j) => scatter[j * d + j]! / (n - 1))
  if (type === 'diag') return variances
  let s = 0
  for (let j = 0; j < d; j++) s += variances[j]!
  return Float64Array.of(s / d)
}

function columnMeans(x: Matrix): Float64Array {
  const { rows: n, cols: d, data } = x
  const mean = new Float64Array(d)
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j]!
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n
  return mean
}

function vector(value: unknown): Float64Array | null {
  if (!isArrayLike(value)) return null
  const out = new Float64Array(value.length)
  for (let j = 0; j < value.length; j++) {
    const v = value[j]
    if (typeof v !== 'number' || !Number.isFinite(v)) return null
    out[j] = v
  }
  return out
}

function matrix(value: unknown, d: number): Float64Array | null {
  if (!isArrayLike(value) || value.length !== d) return null
  const out = new Float64Array(d * d)
  for (let i = 0; i < d; i++) {
    const row = vector(value[i])
    if (!row || row.length !== d) return null
    out.set(row, i * d)
  }
  return out
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as ArrayLike<unknown>).length === 'number'
}

