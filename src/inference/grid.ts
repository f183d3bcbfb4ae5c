/**
 * A grid of estimator options (`{ nComponents: [1, 2, 3], covarianceType: ['full', 'diag'] }`)
 * and its cells: the Cartesian product in the key order given, the first key slowest.
 * Only the shape of the grid is checked here; whether a key and its values suit the
 * estimator is the estimator's `setParams` to say.
 */
import { OptionError } from '../core/errors.js'
import { show } from '../core/show.js'

/** Option name -> the values to try. */
export type Grid<P = Record<string, unknown>> = { readonly [K in keyof P]?: readonly P[K][] }

/** One combination of grid values. */
export type GridCell<P = Record<string, unknown>> = Partial<P>

const EXAMPLE = "e.g. { nComponents: [1, 2, 3], covarianceType: ['full', 'diag'] }"

/** Values are the same when they serialise the same (options are plain values: numbers, strings, plain objects). */
function sameKey(value: unknown): string {
  if (value === undefined) return 'undefined'
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `bigint ${v}` : typeof v === 'number' && !Number.isFinite(v) ? `number ${v}` : v)) ?? show(value)
}

export function gridCells<P>(grid: Grid<P>): GridCell<P>[] {
  if (grid === undefined) throw new OptionError('grid', `is required: the options to try and their values (${EXAMPLE}).`)
  if (grid === null || typeof grid !== 'object' || Array.isArray(grid)) {
    throw new OptionError('grid', `must be an object of option name -> list of values (${EXAMPLE}), got ${show(grid)}.`)
  }
  const keys = Object.keys(grid) as (keyof P & string)[]
  if (keys.length === 0) throw new OptionError('grid', `is empty: name at least one option and the values to try (${EXAMPLE}).`)
  for (const key of keys) {
    const values: unknown = grid[key]
    if (!Array.isArray(values)) {
      throw new OptionError(`grid.${key}`, `must be a list of the values to try, got ${show(values)}; write { ${key}: [${show(values)}] } for a single value.`)
    }
    if (values.length === 0) throw new OptionError(`grid.${key}`, `is an empty list, so the grid has no cell; give at least one value (or leave ${key} out of the grid).`)
    const seen = new Set<string>()
    for (const v of values) {
      const k = sameKey(v)
      if (seen.has(k)) throw new OptionError(`grid.${key}`, `lists ${show(v)} twice (${show(values)}); list each value once.`)
      seen.add(k)
    }
  }
  let cells: GridCell<P>[] = [{}]
  for (const key of keys) {
    const values = grid[key] as readonly unknown[]
    cells = cells.flatMap((cell) => values.map((v) => ({ ...cell, [key]: v }) as GridCell<P>))
  }
  return cells
}
