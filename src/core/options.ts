/**
 * Options objects as every entry point reads them: a plain object or nothing, known
 * names only, and for an unknown name the known one it most likely meant. Checks throw
 * `OptionError`.
 */
import { OptionError } from './errors.js'
import { show } from './show.js'

/** Levenshtein distance (small strings: option names). */
export function editDistance(a: string, b: string): number {
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
    const d = kl === lower ? 0 : editDistance(lower, kl)
    if (d < bestDistance) { best = k; bestDistance = d }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined
}

/**
 * Refuse anything but a plain options object (undefined means "none"). An instance of
 * a class (an AbortSignal, a Map) is refused too: its fields are not options, and
 * taking it as {} would silently drop what the caller meant. Where the options take a
 * `signal` (`takesSignal`), an AbortSignal or AbortController given in their place is
 * told how to pass it.
 */
export function optionsObject(given: unknown, what: string, takesSignal = false): Readonly<Record<string, unknown>> {
  if (given === undefined) return {}
  if (given === null || typeof given !== 'object' || Array.isArray(given) || !isPlain(given)) {
    const hint = takesSignal && isSignalLike(given) ? ` (pass it as { signal: ${'signal' in given ? 'controller.signal' : 'signal'} })` : ''
    throw new OptionError(what, `must be an object of options (or left out), got ${show(given)}${hint}.`, { value: show(given) })
  }
  return given as Record<string, unknown>
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null
  return proto === null || proto === Object.prototype || proto.constructor?.name === 'Object'
}

function isSignalLike(value: unknown): value is object {
  if (!value || typeof value !== 'object') return false
  const v = value as { aborted?: unknown; signal?: unknown }
  return typeof v.aborted === 'boolean' || (typeof v.signal === 'object' && v.signal !== null && typeof (v.signal as { aborted?: unknown }).aborted === 'boolean')
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

/**
 * Names users reach for in a fit or scoring call, from scikit-learn and hmmlearn, and
 * the emkit name each means: a misspelling that no edit distance would find.
 */
const ALIASES: Readonly<Record<string, string>> = {
  weights: 'sampleWeight', weight: 'sampleWeight', sample_weight: 'sampleWeight', sampleweights: 'sampleWeight',
  length: 'lengths', lens: 'lengths', seqlengths: 'lengths', sequencelengths: 'lengths',
  group: 'groups', trial: 'trials', exposures: 'exposure',
}

/** The emkit name of a common alias ('weights' -> 'sampleWeight'), if `name` is one. */
export function aliasOf(name: string): string | undefined {
  return ALIASES[name.toLowerCase()]
}
