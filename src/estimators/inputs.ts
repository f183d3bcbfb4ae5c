/** What several estimators' public calls share: rows as a Dataset, `init` options checked by name, degrees of freedom, labels from responsibilities. */
import type { MatrixInput } from '../core/matrix.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import { InputError, OptionError } from '../core/errors.js'
import { unsupportedAlgorithm } from '../engine/strategy.js'
import { NU_MAX, NU_MIN } from '../models/t/nu.js'
import type { Dataset } from '../runtime/dataset.js'
import { oneOf, rejectUnknownNames, show } from './schema.js'

/** Rows X and the call's `sampleWeight` (frequency weights) as a Dataset; NaN only where `allowMissing`. */
export function rowsDataset(X: unknown, options: Readonly<Record<string, unknown>>, allowMissing = false): Dataset {
  const m = toMatrix(X as MatrixInput, 'X', { allowMissing })
  const weight = toSampleWeight(options['sampleWeight'] as ArrayLike<number> | undefined, m.rows)
  return weight ? { X: m, sampleWeight: weight } : { X: m }
}

/**
 * The check of an `init` option: one of `methods`, or an object of starting
 * parameters named `parts` plus an optional `method` (what fills the parts left
 * out). Names are checked here, so a misspelt part is an error with a suggestion
 * rather than a part silently estimated; values are checked at fit, against the data.
 */
export function initOption<M extends string, G extends object>(methods: readonly M[], parts: readonly string[]): (value: unknown, name: string) => M | G {
  return (value, name) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return oneOf(methods)(value, name)
    const given = value as Record<string, unknown>
    rejectUnknownNames(given, [...parts, 'method'], `The ${name} object`)
    if (given['method'] !== undefined) oneOf(methods)(given['method'], `${name}.method`)
    return value as G
  }
}

/** Whether every one of `parts` is given (then the start draws nothing and one restart is enough). */
export function givesAll(init: object, parts: readonly string[]): boolean {
  return parts.every((p) => (init as Record<string, unknown>)[p] !== undefined)
}

/** The most probable component of each of n rows of n x k responsibilities (the first on ties). */
export function mostProbable(resp: ArrayLike<number>, n: number, k: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    let best = 0
    for (let c = 1; c < k; c++) if (resp[i * k + c]! > resp[i * k + best]!) best = c
    return best
  })
}

/**
 * Refuse an algorithm a t model (MultivariateT, TMixture) cannot run with its `nu`
 * option as given: `algorithms(nuFixed)` lists those it can (ECME only estimates nu).
 */
export function checkTAlgorithm(kind: string, options: Readonly<Record<string, unknown>>, algorithms: (nuFixed: boolean) => readonly string[]): void {
  const supported = algorithms(options['nu'] !== undefined), algorithm = options['algorithm'] as string
  if (!supported.includes(algorithm)) throw unsupportedAlgorithm(kind, algorithm, supported, "with nu fixed, ECME has no step to take on the likelihood; omit 'nu' to estimate it")
}

/** Degrees of freedom of a t distribution (the `nu` option, init.nu): a number in [NU_MIN, NU_MAX], the range the nu steps search. */
export function degreesOfFreedom(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= NU_MIN && value <= NU_MAX)) {
    const remedy = typeof value !== 'number' ? 'give a number'
      : value > NU_MAX ? `a t with more degrees of freedom is a normal to double precision: use ${NU_MAX}, or fit a Gaussian model (GaussianMixture, MultivariateNormal)`
        : `give a number of at least ${NU_MIN}, or leave it out to estimate it`
    throw new OptionError(name, `must be degrees of freedom in [${NU_MIN}, ${NU_MAX}], got ${show(value)}; ${remedy}.`, { value: show(value) })
  }
  return value
}

/**
 * K components (or states) need at least K rows to start from the data and to be
 * estimated: refuse more, naming both numbers, in every mixture and HMM alike.
 */
export function checkComponents(k: number, rows: number, members: 'components' | 'states', unit = 'rows'): void {
  if (k > rows) throw new InputError('TOO_MANY_COMPONENTS', `nComponents = ${k} but X has only ${rows} ${unit}; use at most ${rows} ${members} or give more data.`, { nComponents: k, rows })
}

/** Rows with a positive weight (all rows without weights): what a mixture's components can be estimated from. */
export function usableRows(rows: number, weight: ArrayLike<number> | null | undefined): number {
  if (!weight) return rows
  let usable = 0
  for (let i = 0; i < weight.length; i++) if (weight[i]! > 0) usable++
  return usable
}

/**
 * The most numbers one sample() call returns: 2^27 (1 GiB as doubles, more as nested
 * arrays). Larger requests are refused before anything is allocated; draw in batches
 * instead (successive calls continue the stream).
 */
export const MAX_SAMPLE_VALUES = 2 ** 27

/** `n` of a sample() call: an integer >= 1 whose n x `perDraw` values fit MAX_SAMPLE_VALUES. */
export function drawCount(n: unknown, perDraw: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new OptionError('n', `must be an integer >= 1 (the number of draws), got ${show(n)}.`, { value: show(n) })
  if (n * perDraw > MAX_SAMPLE_VALUES) {
    const bytes = n * perDraw * 8
    throw new OptionError('n', `is ${n}: ${n} draws of ${perDraw} value${perDraw === 1 ? '' : 's'} are ${n * perDraw} numbers (${(bytes / 2 ** 30).toPrecision(3)} GiB as doubles), more than the ${MAX_SAMPLE_VALUES} (2^27) one call returns; draw in batches of at most ${Math.floor(MAX_SAMPLE_VALUES / perDraw)} (successive calls continue the stream).`, { value: n })
  }
  return n
}
