/**
 * The saved-model format (`toJSON()` / `fromJSON()` / `loadModel()`): plain JSON that
 * restores every number bit for bit. Typed arrays are tagged (`{ "f64": [...] }`,
 * `{ "i32": [...] }`) and non-finite numbers spelt out (`{ "num": "NaN" }`), because
 * JSON has neither; finite doubles survive JSON.stringify/parse exactly.
 *
 * Version history: 1 (emkit 0.1): { format, version, kind, options, fitted }; `fitted.extras`
 * is optional (documents without it load as before).
 */
import { ModelFormatError } from '../core/errors.js'

export const MODEL_FORMAT = 'emkit-model'
export const MODEL_VERSION = 1

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** The fitted part of a saved model. */
export interface SavedFit {
  /** What the model was built for (numbers of features, symbols, ...). */
  readonly shape: Json
  readonly params: Json
  /** The fit's summary: nIter, status, history, logLik, evaluation counts. */
  readonly result: Json
  readonly totalWeight: number
  /** What the fit keeps besides its parameters (group labels, a centre, ...), when anything. */
  readonly extras?: Json
}

export interface SavedModel {
  readonly format: typeof MODEL_FORMAT
  readonly version: number
  readonly kind: string
  readonly options: Json
  readonly fitted: SavedFit | null
}

export function encode(value: unknown): Json {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return Number.isFinite(value) ? value : { num: String(value) }
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (value instanceof Float64Array) return { f64: Array.from(value, encodeNumber) }
  if (value instanceof Int32Array) return { i32: Array.from(value) }
  if (Array.isArray(value)) return value.map(encode)
  if (typeof value === 'object') {
    const out: Record<string, Json> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== 'function') out[k] = encode(v)
    return out
  }
  throw new ModelFormatError('INVALID_MODEL', `Cannot save a value of type ${typeof value} in a model document.`)
}

function encodeNumber(v: number): Json {
  return Number.isFinite(v) ? v : { num: String(v) }
}
