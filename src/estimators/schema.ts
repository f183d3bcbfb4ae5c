/**
 * Declarative option schemas: each option has a default and a check (its documentation
 * is a comment: a string here would be carried by every bundle of the estimator).
 * One schema gives an estimator's validation, `getParams()` / `setParams()`, the spec
 * that re-creates it on a worker, the options saved by `toJSON()`, and suggestions
 * for misspelt names. Checks throw `OptionError` naming the option and its domain.
 */
import { EmkitError, OptionError } from '../core/errors.js'
import { aliasOf, closest, optionsObject, rejectUnknownNames } from '../core/options.js'
import { show } from '../core/show.js'

export { closest, optionsObject, rejectUnknownNames, show }

export interface OptionDef<T> {
  /** The value when the option is not given (or a function of the other given options). */
  readonly default: T | ((given: Readonly<Record<string, unknown>>) => T)
  /** The value as it will be used, or an OptionError naming `name`. */
  readonly check: (value: unknown, name: string) => T
}

export type OptionSchema = { readonly [name: string]: OptionDef<any> }

/** The resolved options of a schema. */
export type Resolved<S extends OptionSchema> = { readonly [K in keyof S]: S[K] extends OptionDef<infer T> ? T : never }

/** What to say when an alias names data this estimator's calls do not take. */
const NOT_TAKEN: Readonly<Record<string, (kind: string) => string>> = {
  sampleWeight: (kind) => `${kind} takes no sample weights here (to weight a row, repeat it)`,
  lengths: (kind) => `${kind}'s rows are independent samples, not sequences ('lengths' is for the HMMs: GaussianHMM, CategoricalHMM, PoissonHMM, GMMHMM)`,
  groups: (kind) => `${kind} has no groups ('groups' is for LogisticGLMM)`,
  trials: (kind) => `${kind} has no binomial trials ('trials' is for LogisticGLMM)`,
  exposure: (kind) => `${kind} has no exposures ('exposure' is for GammaPoisson)`,
}

/**
 * Refuse names a fit or scoring call does not take, with the best suggestion there is:
 * a close call option ('sampleWeights' -> 'sampleWeight'), the emkit name of a common
 * alias ('weights' -> 'sampleWeight', 'length' -> 'lengths', or why this estimator has
 * no such data), or an estimator option given to the call ('maxIters' -> the
 * constructor's 'maxIter').
 */
export function rejectUnknownCallNames(given: Readonly<Record<string, unknown>>, known: readonly string[], owner: string, kind: string, estimatorOptions: readonly string[]): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue
    const list = `${owner} takes ${known.join(', ')}`
    const near = closest(key, known)
    const alias = aliasOf(key)
    let hint: string
    let suggestion: string | undefined
    if (near) {
      suggestion = near
      hint = `did you mean '${near}'? ${list}.`
    } else if (alias && known.includes(alias)) {
      suggestion = alias
      hint = `did you mean '${alias}'? ${list}.`
    } else if (alias && NOT_TAKEN[alias]) {
      hint = `${NOT_TAKEN[alias]!(kind)}; ${list}.`
    } else {
      const option = estimatorOptions.includes(key) ? key : closest(key, estimatorOptions)
      if (option) {
        suggestion = option
        hint = `'${option}' is an option of the estimator, not of this call: give it to the constructor (new ${kind}({ ${option}: ... })) or to setParams({ ${option}: ... }); ${list}.`
      } else {
        hint = `${list}.`
      }
    }
    throw new OptionError(key, `${owner} has no option '${key}'; ${hint}`, { option: key, ...(suggestion ? { suggestion } : {}) })
  }
}

/** Validate `given` against `schema`: unknown names refused with a suggestion, defaults filled in. */
export function parseOptions<S extends OptionSchema>(schema: S, given: unknown, owner: string): Resolved<S> {
  const options = optionsObject(given, `${owner} options`)
  rejectUnknownNames(options, Object.keys(schema), owner)
  const out: Record<string, unknown> = {}
  for (const [name, def] of Object.entries(schema)) {
    const value = options[name]
    if (value === undefined) {
      out[name] = typeof def.default === 'function' ? (def.default as (g: Readonly<Record<string, unknown>>) => unknown)(options) : def.default
    } else {
      out[name] = def.check(value, name)
    }
  }
  return out as Resolved<S>
}

// ---- checks shared by the schemas ----

export function integerAtLeast(min: number): (value: unknown, name: string) => number {
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new OptionError(name, `must be an integer >= ${min}, got ${show(value)}.`, { value: show(value) })
    return value
  }
}

export function numberAtLeast(min: number, exclusive = false): (value: unknown, name: string) => number {
  return (value, name) => {
    const ok = typeof value === 'number' && Number.isFinite(value) && (exclusive ? value > min : value >= min)
    if (!ok) throw new OptionError(name, `must be a finite number ${exclusive ? '>' : '>='} ${min}, got ${show(value)}.`, { value: show(value) })
    return value as number
  }
}

/**
 * A threshold on the data's scale (a censoring or truncation point): any number but
 * `refused`, the infinity on the wrong side (default: the other infinity, no threshold).
 */
export function thresholdOption(refused: number): OptionDef<number> {
  return {
    default: -refused,
    check: (value, name) => {
      if (typeof value !== 'number' || Number.isNaN(value) || value === refused) throw new OptionError(name, `must be a number ${refused > 0 ? 'below' : 'above'} ${refused}, got ${show(value)}.`, { value: show(value) })
      return value
    },
  }
}

export function oneOf<T extends string>(allowed: readonly T[]): (value: unknown, name: string) => T {
  return (value, name) => {
    if (!allowed.includes(value as T)) {
      const near = typeof value === 'string' ? closest(value, allowed) : undefined
      throw new OptionError(name, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${show(value)}${near ? ` (did you mean '${near}'?)` : ''}.`, { value: show(value) })
    }
    return value as T
  }
}

export function flag(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new OptionError(name, `must be true or false, got ${show(value)}.`, { value: show(value) })
  return value
}

export function safeInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new OptionError(name, `must be an integer, got ${show(value)}.`, { value: show(value) })
  return value
}

/** `read()`, its EmkitError (a wrong shape, a non-number) raised as an OptionError naming the option. */
export function asOption<T>(name: string, read: () => T): T {
  try {
    return read()
  } catch (e) {
    if (e instanceof EmkitError && !(e instanceof OptionError)) throw new OptionError(name, e.message, e.details)
    throw e
  }
}
