import { OptionError } from '../core/errors.js'

/** Checks shared by every estimator's options: each failure names the option and its domain. */

export function rejectUnknown(options: object, known: readonly string[], estimator: string): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new OptionError(key, `${estimator} has no such option; known options are ${known.join(', ')}.`)
    }
  }
}

export function integerAtLeast(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new OptionError(name, `must be an integer >= ${min}, got ${String(value)}.`)
  return value
}

export function numberAtLeast(name: string, value: number, min: number, exclusive = false): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (exclusive ? value > min : value >= min)
  if (!ok) throw new OptionError(name, `must be a finite number ${exclusive ? '>' : '>='} ${min}, got ${String(value)}.`)
  return value
}

export function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new OptionError(name, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}.`)
  return value
}

export function safeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) throw new OptionError(name, `must be an integer, got ${String(value)}.`)
  return value
}
