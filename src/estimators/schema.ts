/**
 * Declarative option schemas: each option has a default, a check and a line of doc.
 * One schema gives an estimator's validation, `getParams()` / `setParams()`, the spec
 * that re-creates it on a worker, the options saved by `toJSON()`, and suggestions
 * for misspelt names. Checks throw `OptionError` naming the option and its domain.
 */
import { EmkitError, OptionError } from '../core/errors.js'

export interface OptionDef<T> {
  /** The value when the option is not given (or a function of the other given options). */
  readonly default: T | ((given: Readonly<Record<string, unknown>>) => T)
  /** The value as it will be used, or an OptionError naming `name`. */
  readonly check: (value: unknown, name: string) => T
  readonly doc: string
}

export type OptionSchema = { readonly [name: string]: OptionDef<any> }

/** The resolved options of a schema. */
export type Resolved<S extends OptionSchema> = { readonly [K in keyof S]: S[K] extends OptionDef<infer T> ? T : never }

/** Levenshtein distance (small strings: option names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return row[b.length]!
}

/** The known name closest to `name` (case-insensitive match, a plural, or a small edit), if any. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase()
  let best: string | undefined
  let bestDistance = Infinity
  for (const k of known) {
    const kl = k.toLowerCase()
    const d = kl === lower ? 0 : distance(lower, kl)
    if (d < bestDistance) { best = k; bestDistance = d }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined
}

/** Show a value as given: strings quoted, NaN and Infinity as such, objects as JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === undefined || value === null) return String(value)
  if (typeof value === 'function') return 'a function'
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** Refuse anything but a plain options object (undefined means "none"). */
export function optionsObject(given: unknown, what: string): Readonly<Record<string, unknown>> {
  if (given === undefined) return {}
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new OptionError(what, `must be an object of options (or left out), got ${show(given)}.`, { value: show(given) })
  }
  return given as Record<string, unknown>
}

/** Names outside `known` are errors that suggest the nearest known name. */
export function rejectUnknownNames(given: Readonly<Record<string, unknown>>, known: readonly string[], owner: string): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue
    const near = closest(key, known)
    const hint = near ? `did you mean '${near}'? ` : ''
    throw new OptionError(key, `${owner} has no option '${key}'; ${hint}known options are ${known.join(', ')}.`, { option: key, ...(near ? { suggestion: near } : {}) })
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

/** An option whose value is passed through as given (checked elsewhere, e.g. by the model). */
export function anyValue<T>(value: unknown): T {
  return value as T
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
