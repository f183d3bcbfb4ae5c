import { InputError } from './errors.js'
import { show } from './show.js'

/**
 * Flatten a nested array that must have exactly `shape`, with finite entries. A 0 in
 * `shape` is a column count not known yet (no data, and no row of the value to read it
 * from): messages name it d, the columns of X, rather than ask for 0 of them.
 */
export function flattenShape(value: unknown, shape: number[], label: string): Float64Array {
  const out: number[] = []
  const unknown = shape.includes(0)
  const shown = `[${shape.map((s) => (s === 0 ? 'd' : String(s))).join(', ')}]${unknown ? ' (d: the columns of X)' : ''}`
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InputError('INVALID_DATA', `${label}${path} is ${show(v)}; expected a finite number${typeof v === 'bigint' ? ' (convert BigInts with Number(...))' : ''}.`)
      }
      out.push(v)
      return
    }
    if (!v || typeof v !== 'object' || (v as ArrayLike<unknown>).length !== shape[depth]) {
      throw new InputError('SHAPE_MISMATCH', `${label} must have shape ${shown}; ${label}${path} is ${v && typeof v === 'object' && typeof (v as ArrayLike<unknown>).length === 'number' ? `of length ${(v as ArrayLike<unknown>).length}` : show(v)}.`, { shape })
    }
    const arr = v as ArrayLike<unknown>
    for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1, `${path}[${i}]`)
  }
  walk(value, 0, '')
  return Float64Array.from(out)
}

/** The arrays end to end in one (a packed parameter vector). */
export function concatArrays(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

/** `vec` cut into consecutive copies of the given sizes (the inverse of concatArrays). */
export function splitArray(vec: Float64Array, sizes: readonly number[]): Float64Array[] {
  const parts: Float64Array[] = []
  let o = 0
  for (const s of sizes) { parts.push(vec.slice(o, o + s)); o += s }
  return parts
}
