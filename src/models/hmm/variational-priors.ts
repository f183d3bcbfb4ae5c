/**
 * The priors of the variational HMMs as hmmlearn 0.3 names and defaults them, read
 * from the options: Dirichlet concentrations (startProbPrior, transMatPrior,
 * emissionProbPrior: one number for every entry, default 1 / K or 1 / nSymbols, or
 * the full array) and the Gaussian emissions' meansPrior (default: the mean of X),
 * betaPrior (1), dofPrior (nFeatures) and scalePrior (1e-3, times the identity for
 * 'full' and 'tied'), each one value for all states or one per state. Every failure
 * is an OptionError naming the option and what to do.
 */
import { OptionError } from '../../core/errors.js'
import { type CovarianceType } from '../gmm/covariance.js'
import { COVARIANCE } from '../gmm/covariance-table.js'
import { PRECISION_POSTERIOR, type GaussianPriors } from './precision-posterior.js'

/** hmmlearn's default scale prior: 1e-3 (times the identity for 'full' and 'tied'). */
const DEFAULT_SCALE_PRIOR = 1e-3

type Nested = number | ArrayLike<unknown>

/** The options of the Gaussian emissions' priors as given (null: the default). */
export interface GaussianPriorOptions {
  readonly meansPrior: ArrayLike<number> | ArrayLike<ArrayLike<number>> | null
  readonly betaPrior: number | ArrayLike<number> | null
  readonly dofPrior: number | ArrayLike<number> | null
  readonly scalePrior: Nested | null
}

/**
 * A Dirichlet prior of `shape` ([K] or [K, cols]): one number for every entry, or the
 * entries; each finite and > 0. `null` gives `fallback` everywhere.
 */
export function concentrations(value: unknown, shape: readonly number[], fallback: number, name: string): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1)
  if (value === null || value === undefined) return new Float64Array(size).fill(fallback)
  const out = typeof value === 'number' ? new Float64Array(size).fill(value) : nested(value, shape, name, 'one concentration for every entry, or an array of them')
  out.forEach((v, i) => {
    if (!(v > 0 && v < Infinity)) {
      throw new OptionError(name, `entry ${i} is ${v}; Dirichlet concentrations must be finite and > 0 (e.g. ${fallback}, the default), or leave the option out.`, { index: i })
    }
  })
  return out
}

/**
 * The Gaussian emissions' priors for K states in d dimensions; `dataMean` gives
 * meansPrior's default. `d` comes from X at fit; when the estimator is made it is
 * what the options fix (`featuresOf`), or null: then everything that does not depend
 * on it is checked (and degrees of freedom only for > 0), and the value is not used.
 */
export function gaussianPriors(o: GaussianPriorOptions, type: CovarianceType, k: number, d: number | null, dataMean: () => Float64Array): GaussianPriors {
  const precision = PRECISION_POSTERIOR[type]
  const dims = d ?? 1
  const means = o.meansPrior === null ? (d === null ? new Float64Array(0) : repeat(dataMean(), k)) : meansPrior(o.meansPrior, k, dims)
  const beta = perState(o.betaPrior, k, 1, 'betaPrior', 'mean precisions', (v) => v > 0, '> 0 (e.g. 1, the default)')
  const wishart = type === 'full' || type === 'tied'
  const lowest = d === null ? 0 : precision.lowestDof(d)
  const rule = !wishart ? '> 0 (a Gamma prior needs it; e.g. nFeatures, the default)'
    : d === null ? "> nFeatures - 1 (a Wishart prior; e.g. nFeatures, the default)"
      : `> ${lowest} (a Wishart prior in ${d} dimensions needs > nFeatures - 1 = ${lowest}; e.g. nFeatures = ${d}, the default)`
  if (type === 'tied' && o.dofPrior !== null && typeof o.dofPrior !== 'number') {
    throw new OptionError('dofPrior', `for covarianceType 'tied' must be one number (the one precision matrix has one Wishart prior), got an array; give one number > nFeatures - 1, or leave it out (nFeatures).`)
  }
  const dof = perState(o.dofPrior, k, dims, 'dofPrior', 'degrees of freedom', (v) => v > lowest, rule)
  const scale = o.scalePrior === null ? defaultScale(type, k, dims) : scalePrior(o.scalePrior, type, k, dims)
  const logDetScale = precision.priorLogDets(scale, k, dims)
  if (!logDetScale) {
    throw new OptionError('scalePrior', wishart
      ? `is not positive definite; give symmetric positive definite ${dims} x ${dims} matrices (e.g. ${DEFAULT_SCALE_PRIOR} times the identity, the default), or leave it out.`
      : `has an entry that is not > 0; give positive numbers (e.g. ${DEFAULT_SCALE_PRIOR}, the default), or leave it out.`)
  }
  return { means, beta, dof, scale, logDetScale }
}

/** The number of features the options fix (meansPrior's width, a 'full'/'tied' scale matrix, a 'diag' scale row), else null. */
export function featuresOf(o: GaussianPriorOptions, type: CovarianceType): number | null {
  const m = o.meansPrior
  if (m !== null && m.length > 0) return typeof m[0] === 'number' ? m.length : (m[0] as ArrayLike<number>).length
  const s = o.scalePrior
  if (s === null || typeof s === 'number' || s.length === 0 || type === 'spherical') return null
  // the innermost row of the scale prior: a 'full'/'tied' matrix row or a 'diag' row of variances
  let row: unknown = s
  while (typeof row === 'object' && row !== null && typeof (row as ArrayLike<unknown>)[0] === 'object') row = (row as ArrayLike<unknown>)[0]
  return (row as ArrayLike<unknown>).length
}

function meansPrior(value: ArrayLike<number> | ArrayLike<ArrayLike<number>>, k: number, d: number): Float64Array {
  const rows = value.length > 0 && typeof value[0] !== 'number'
  const width = rows ? (value[0] as ArrayLike<number>).length : value.length
  if (width !== d || (rows && value.length !== k)) {
    const got = rows ? `${value.length} rows of ${width}` : `${width} entries`
    throw new OptionError('meansPrior', `has ${got} but the model has ${k} states and ${d} features; give ${d} values (one per feature, for every state) or ${k} rows of ${d}, or leave it out (the mean of X).`, { nFeatures: d, nComponents: k })
  }
  return rows ? nested(value, [k, d], 'meansPrior', `${k} rows of ${d}`) : repeat(nested(value, [d], 'meansPrior', `${d} values`), k)
}

/** One number for every state or one per state, each passing `ok`. */
function perState(value: number | ArrayLike<number> | null, k: number, fallback: number, name: string, what: string, ok: (v: number) => boolean, rule: string): Float64Array {
  const out = value === null ? new Float64Array(k).fill(fallback)
    : typeof value === 'number' ? new Float64Array(k).fill(value)
      : nested(value, [k], name, `one number, or ${k} (one per state)`)
  out.forEach((v, c) => {
    if (!(ok(v) && Number.isFinite(v))) throw new OptionError(name, `${value !== null && typeof value !== 'number' ? `entry ${c} is` : 'is'} ${v}; ${what} must be finite and ${rule}, or leave the option out.`, { index: c, value: v })
  })
  return out
}

function defaultScale(type: CovarianceType, k: number, d: number): Float64Array {
  const strategy = COVARIANCE[type]
  const block = new Float64Array(strategy.storageSize(1, d))
  if (strategy.statsKernel === 'statsFull') for (let j = 0; j < d; j++) block[j * d + j] = DEFAULT_SCALE_PRIOR
  else block.fill(DEFAULT_SCALE_PRIOR)
  return strategy.shared ? block : repeat(block, k)
}

/**
 * 'full': a d x d matrix for every state or K of them; 'tied': one d x d matrix;
 * 'diag': d variances for every state or K rows; 'spherical': one number or K.
 */
function scalePrior(value: Nested, type: CovarianceType, k: number, d: number): Float64Array {
  const strategy = COVARIANCE[type]
  const one = strategy.publicShape(1, d).slice(1)
  const each = type === 'tied' ? [d, d] : strategy.publicShape(k, d)
  const oneShape = type === 'spherical' ? [] : type === 'tied' ? [d, d] : one
  const depth = (v: unknown): number => (typeof v === 'object' && v !== null && (v as ArrayLike<unknown>).length > 0 ? 1 + depth((v as ArrayLike<unknown>)[0]) : 0)
  const describe = type === 'full' ? `a ${d} x ${d} matrix (for every state) or ${k} of them`
    : type === 'tied' ? `one ${d} x ${d} matrix`
      : type === 'diag' ? `${d} positive numbers (for every state) or ${k} rows of ${d}`
        : `one positive number (for every state) or ${k}`
  const given = depth(value)
  let out: Float64Array
  const context = `for covarianceType '${type}'`
  if (given === oneShape.length) out = oneShape.length === 0 ? Float64Array.of(value as number) : nested(value, oneShape, 'scalePrior', describe, context)
  else if (given === each.length) out = nested(value, each, 'scalePrior', describe, context)
  else throw new OptionError('scalePrior', `for covarianceType '${type}' must be ${describe}, got ${given === 0 ? 'a number' : `an array nested ${given} deep`}; give that, or leave it out (${DEFAULT_SCALE_PRIOR}${type === 'full' || type === 'tied' ? ' times the identity' : ''}).`)
  if (strategy.statsKernel === 'statsFull') checkSymmetric(out, d)
  return !strategy.shared && out.length === strategy.storageSize(1, d) ? repeat(out, k) : out
}

function checkSymmetric(m: Float64Array, d: number): void {
  for (let o = 0; o < m.length; o += d * d) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        const a = m[o + i * d + j]!, b = m[o + j * d + i]!
        if (Math.abs(a - b) > 1e-8 + 1e-5 * Math.abs(b)) {
          throw new OptionError('scalePrior', `is not symmetric (entry [${i}][${j}] = ${a}, [${j}][${i}] = ${b}${m.length > d * d ? ` in matrix ${o / (d * d)}` : ''}); give symmetric positive definite matrices, or leave it out.`, { row: i, column: j })
        }
      }
    }
  }
}

/** A nested array of exactly `shape`, finite numbers, or an OptionError naming the option (`context` says for what, e.g. a covariance type). */
function nested(value: unknown, shape: readonly number[], name: string, what: string, context = ''): Float64Array {
  const out: number[] = []
  const must = `${context ? `${context} ` : ''}must be ${what}`
  const walk = (v: unknown, level: number): void => {
    if (level === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new OptionError(name, `${must} of finite numbers; found ${JSON.stringify(v)}. Give that, or leave the option out.`)
      out.push(v)
      return
    }
    if (typeof v !== 'object' || v === null || (v as ArrayLike<unknown>).length !== shape[level]) {
      const found = typeof v === 'object' && v !== null ? `length ${(v as ArrayLike<unknown>).length}` : JSON.stringify(v)
      throw new OptionError(name, `${must} (shape [${shape.join(', ')}]); found ${found} at depth ${level}. Give that, or leave the option out.`, { shape: [...shape] })
    }
    const arr = v as ArrayLike<unknown>
    for (let i = 0; i < arr.length; i++) walk(arr[i], level + 1)
  }
  walk(value, 0)
  return Float64Array.from(out)
}

function repeat(block: Float64Array, times: number): Float64Array {
  const out = new Float64Array(block.length * times)
  for (let t = 0; t < times; t++) out.set(block, t * block.length)
  return out
}
