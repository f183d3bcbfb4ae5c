import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url))

/** Numeric columns of a fixture CSV (quoted header; non-numeric columns dropped). */
export function fixtureMatrix(name: string): number[][] {
  const lines = readFileSync(fixtures + 'data/' + name, 'utf8').trim().split(/\r?\n/)
  return lines.slice(1).map((line) => line.split(',').map(Number).filter((v) => !Number.isNaN(v)))
}

export function fixtureJson<T = any>(name: string): T {
  return JSON.parse(readFileSync(fixtures + name, 'utf8')) as T
}

export const BACKENDS = ['js', 'wasm-scalar', 'wasm'] as const

export function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300)
}

/**
 * Largest |a - b| / max(1, |b|) over nested arrays (and plain objects with the same
 * keys) of the same shape; anything else that is not a number counts only when equal
 * (Infinity otherwise).
 */
export function maxScaledDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : Math.abs(a - b) / Math.max(1, Math.abs(b))
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return Infinity
    return a.reduce((m: number, v, i) => Math.max(m, maxScaledDiff(v, b[i])), 0)
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length || !keys.every((key) => key in b)) return Infinity
    return keys.reduce((m: number, key) => Math.max(m, maxScaledDiff((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])), 0)
  }
  return a === b ? 0 : Infinity
}

/** Tobin's durable-goods data (survival_tobin.csv): X = [age, quant], y = durable (censored at 0). */
export function tobinData(): { X: number[][]; y: number[] } {
  const rows = fixtureMatrix('survival_tobin.csv')
  return { X: rows.map((r) => [r[1]!, r[2]!]), y: rows.map((r) => r[0]!) }
}
