/**
 * The options the HMM estimators share, as schema entries: the number of states,
 * the engine's options, Dirichlet pseudo-counts, and `init` / `fitParams` over each
 * estimator's parameter names; with the checks of user-given probabilities, which
 * need the number of states and so run in the estimator's `validate`.
 */
import { OptionError } from '../../core/errors.js'
import { flattenShape } from '../../core/shape.js'
import type { Algorithm } from '../../engine/strategy.js'
import { COVARIANCE_TYPES, type CovarianceType } from '../../models/gmm/covariance.js'
import { algorithmOption, ENGINE_OPTIONS, withDefault, type EngineOptions } from '../engine-options.js'
import { asOption, flag, integerAtLeast, numberAtLeast, type OptionDef, oneOf, optionsObject, rejectUnknownNames, show } from '../schema.js'
export { asOption } from '../schema.js'

/** Tolerance on user-given probability rows summing to 1. */
const SUM_TOL = 1e-8

/** Dirichlet pseudo-counts added to the expected counts in the M-step (0: maximum likelihood). */
export interface HmmPseudoCounts {
  /** One number for every state, or one per state. */
  startProb?: number | ArrayLike<number>
  /** One number for every transition, or a k x k array. */
  transMat?: number | ArrayLike<ArrayLike<number>>
}

/** The options every HMM estimator takes (each adds its own, its `init` and its `fitParams`). */
export interface HmmOptions extends EngineOptions {
  /**
   * Convergence threshold (default 1e-4): the fit stops when the log-likelihood per row
   * (per time step, over all sequences; with pseudoCounts the log posterior) changes by
   * less than tol between iterations. hmmlearn's tol (default 1e-2) bounds the change of
   * the total instead: its tol on n rows is tol / n here.
   */
  tol?: number
  /** Number of hidden states K (default 2). */
  nComponents?: number
  /** Dirichlet pseudo-counts on start and transition probabilities (default 0). */
  pseudoCounts?: HmmPseudoCounts
  /** 'em' (Baum-Welch), the only one. */
  algorithm?: 'em'
}

/** The options of Gaussian emissions (GaussianHMM, GMMHMM). */
export interface GaussianEmissionOptions<T extends CovarianceType = CovarianceType> {
  /** 'diag' (default), 'full', 'spherical' or 'tied' (GaussianHMM: one covariance for all states; GMMHMM: one per state, shared by its Gaussians). */
  covarianceType?: T
  /** Added to the diagonal of every covariance (default 1e-6). */
  regCovar?: number
}

export const GAUSSIAN_EMISSION_OPTIONS = {
  /** 'diag', 'full', 'spherical' or 'tied'. */
  covarianceType: { default: 'diag', check: oneOf(COVARIANCE_TYPES) } as OptionDef<CovarianceType>,
  /** Added to the diagonal of every covariance. */
  regCovar: { default: 1e-6, check: numberAtLeast(0) } as OptionDef<number>,
}

/** The starting parameters every HMM's `init` may give. */
export interface HmmInit {
  startProb?: ArrayLike<number>
  transMat?: ArrayLike<ArrayLike<number>>
}

/** Which parameters Baum-Welch updates (resolved: every name present, default true). */
export type FitFlags<N extends string> = { readonly [K in N]: boolean }

/** The options every HMM has, Baum-Welch or variational: the number of states, the engine's (tol 1e-4) and its one algorithm. */
export function chainOptions<A extends Algorithm>(kind: string, algorithm: A) {
  return {
    /** Number of hidden states K. */
    nComponents: { default: 2, check: integerAtLeast(1) } as OptionDef<number>,
    ...ENGINE_OPTIONS,
    tol: withDefault(ENGINE_OPTIONS.tol, 1e-4),
    algorithm: algorithmOption(kind, [algorithm] as const),
  }
}

/** The options every Baum-Welch HMM estimator has (its `init` and `fitParams` come from `parameterOptions`). */
export function hmmOptions(kind: string) {
  return {
    ...chainOptions(kind, 'em'),
    /** Dirichlet pseudo-counts on the start and transition probabilities (a number for all, or an array). */
    pseudoCounts: {
      default: {},
      check: (value: unknown, name: string) => {
        const given = objectOption(value, name, '{ startProb?, transMat? } of non-negative pseudo-counts')
        rejectUnknownNames(given, ['startProb', 'transMat'], `${kind} ${name}`)
        return given as HmmPseudoCounts
      },
    } as OptionDef<HmmPseudoCounts>,
  }
}

/** `init` and `fitParams` entries over the parameter names of one estimator. */
export function parameterOptions<I extends HmmInit, N extends string>(kind: string, names: readonly N[]) {
  return {
    /** Parameters to start from (any subset of `names`; the others come from the data). */
    init: {
      default: {},
      check: (value: unknown, name: string) => {
        const given = objectOption(value, name, `an object with any of ${names.join(', ')} to start from`)
        rejectUnknownNames(given, names, `${kind} ${name}`)
        return given as I
      },
    } as OptionDef<I>,
    /** Which parameters Baum-Welch updates (default: all of `names`). */
    fitParams: {
      default: () => Object.fromEntries(names.map((n) => [n, true])) as FitFlags<N>,
      check: (value: unknown, name: string) => {
        const given = objectOption(value, name, `an object of flags { ${names.map((n) => `${n}?: boolean`).join(', ')} } (hmmlearn's letter codes are not used)`)
        rejectUnknownNames(given, names, `${kind} ${name}`)
        return Object.fromEntries(names.map((n) => [n, given[n] === undefined ? true : flag(given[n], `${name}.${n}`)])) as FitFlags<N>
      },
    } as OptionDef<FitFlags<N>>,
  }
}

function objectOption(value: unknown, name: string, what: string): Readonly<Record<string, unknown>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new OptionError(name, `must be ${what}, got ${show(value)}.`, { value: show(value) })
  return optionsObject(value, name)
}


/** A numeric array of the given shape, or an OptionError naming the option. */
export function shapedOption(value: unknown, shape: number[], name: string): Float64Array {
  return asOption(name, () => flattenShape(value, shape, name))
}

/** Rows of probabilities (shape [cols]: one vector), each summing to 1. */
export function probabilityRows(value: unknown, shape: [number] | [number, number], name: string): Float64Array {
  const flat = shapedOption(value, shape, name)
  const rows = shape.length === 1 ? 1 : shape[0]
  const cols = shape[shape.length - 1]!
  for (let r = 0; r < rows; r++) {
    let s = 0
    for (let c = 0; c < cols; c++) {
      const p = flat[r * cols + c]!
      if (!(p >= 0 && p <= 1)) throw new OptionError(name, `${rows > 1 ? `row ${r}, ` : ''}entry ${c} is ${p}; probabilities must lie in [0, 1].`, { row: r, column: c })
      s += p
    }
    if (Math.abs(s - 1) > SUM_TOL) {
      throw new OptionError(name, `${rows > 1 ? `row ${r} sums` : 'sums'} to ${s}, not 1; normalise ${rows > 1 ? 'each row' : 'it'} (divide by its sum).`, { row: r, sum: s })
    }
  }
  return flat
}

/** The given start and transition probabilities of `init` (null: not given) for k states. */
export function givenChain(init: HmmInit, k: number): { startProb: Float64Array | null; transMat: Float64Array | null } {
  return {
    startProb: init.startProb === undefined ? null : probabilityRows(init.startProb, [k], 'init.startProb'),
    transMat: init.transMat === undefined ? null : probabilityRows(init.transMat, [k, k], 'init.transMat'),
  }
}

/** The pseudo-counts as flat arrays for k states (zeros where not given). */
export function pseudoCountArrays(pc: HmmPseudoCounts, k: number): { start: Float64Array; trans: Float64Array } {
  return { start: pseudoCounts(pc.startProb, [k], 'pseudoCounts.startProb'), trans: pseudoCounts(pc.transMat, [k, k], 'pseudoCounts.transMat') }
}

function pseudoCounts(value: unknown, shape: number[], name: string): Float64Array {
  const size = shape.reduce((a, b) => a * b, 1)
  if (value === undefined) return new Float64Array(size)
  const out = typeof value === 'number' ? new Float64Array(size).fill(value) : shapedOption(value, shape, name)
  out.forEach((v, i) => { if (!(v >= 0 && Number.isFinite(v))) throw new OptionError(name, `entry ${i} is ${v}; pseudo-counts must be finite and >= 0.`) })
  return out
}
