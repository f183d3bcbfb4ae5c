/**
 * Reading the saved-model format (persist.ts): a document checked for format, version
 * and kind, and its values decoded bit for bit. Apart from the writer so that bundles
 * load it only when a model is loaded (fromJSON, restore and loadModel import it; toJSON
 * is synchronous and needs only the writer).
 */
import { EmkitError, ModelFormatError } from '../core/errors.js'
import type { FitResult, PreparedData } from '../engine/types.js'
import { loadKernels } from '../kernels/index.js'
import type { EstimatorHooks, FitModel, Shape } from './hooks.js'
import { type Json, MODEL_FORMAT, MODEL_VERSION, type SavedModel } from './persist.js'

export function decode(value: Json, path = 'model'): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((v, i) => decode(v, `${path}[${i}]`))
  const keys = Object.keys(value)
  if (keys.length === 1) {
    const [key] = keys
    const inner = value[key!]
    if (key === 'num') return decodeNumber(inner, path)
    if (key === 'f64' && Array.isArray(inner)) return Float64Array.from(inner, (v, i) => (typeof v === 'number' ? v : decodeNumber(v, `${path}.f64[${i}]`)))
    if (key === 'i32' && Array.isArray(inner)) return Int32Array.from(inner as number[])
  }
  const out: Record<string, unknown> = {}
  for (const k of keys) out[k] = decode(value[k]!, `${path}.${k}`)
  return out
}

function decodeNumber(v: Json, path: string): number {
  const inner = v !== null && typeof v === 'object' && !Array.isArray(v) ? v['num'] : v
  if (inner === 'NaN') return NaN
  if (inner === 'Infinity') return Infinity
  if (inner === '-Infinity') return -Infinity
  throw new ModelFormatError('INVALID_MODEL', `${path} is not a number (${JSON.stringify(v)}); the document is damaged: save the model again with toJSON().`, { path })
}

/** A parsed saved model (a string is parsed first), checked for format, version and kind. */
export function readSaved(json: unknown, expectedKind?: string): SavedModel {
  let doc = json
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc)
    } catch (e) {
      throw new ModelFormatError('INVALID_MODEL', `The model document is not JSON (${(e as Error).message}); pass what toJSON() returned, or JSON.stringify of it.`)
    }
  }
  const d = doc as Partial<SavedModel> | null
  if (!d || typeof d !== 'object' || d.format !== MODEL_FORMAT) {
    throw new ModelFormatError('INVALID_MODEL', `Not an emkit model document (format ${JSON.stringify(d && typeof d === 'object' ? d.format : d)}); pass what an estimator's toJSON() returned.`)
  }
  if (typeof d.version !== 'number' || !Number.isInteger(d.version) || d.version < 1) {
    throw new ModelFormatError('INVALID_MODEL', `The model document's version is ${JSON.stringify(d.version)}; expected an integer >= 1.`)
  }
  if (d.version > MODEL_VERSION) {
    throw new ModelFormatError('MODEL_VERSION', `The model was saved in format version ${d.version}, newer than this emkit reads (${MODEL_VERSION}); upgrade emkit to load it.`, { version: d.version, supported: MODEL_VERSION })
  }
  if (typeof d.kind !== 'string') throw new ModelFormatError('INVALID_MODEL', 'The model document names no estimator kind; pass what toJSON() returned.')
  if (expectedKind !== undefined && d.kind !== expectedKind) {
    throw new ModelFormatError('INVALID_MODEL', `The document holds a ${d.kind}, not a ${expectedKind}; load it with ${d.kind}.fromJSON() or loadModel().`, { kind: d.kind })
  }
  if (d.fitted !== null && (typeof d.fitted !== 'object' || d.fitted === undefined || !('params' in d.fitted) || !('result' in d.fitted))) {
    throw new ModelFormatError('INVALID_MODEL', 'The model document\'s "fitted" part is damaged (it needs shape, params, result, totalWeight); save the model again.')
  }
  return d as SavedModel
}

/** The fitted part of a document loaded into a fresh estimator through its hooks: the body of the base's restore. */
export async function restoreFitted<P, M extends FitModel<P, D>, D extends PreparedData>(est: EstimatorHooks<P, M, D>, fitted: NonNullable<SavedModel['fitted']>): Promise<void> {
  try {
    const shape = decode(fitted.shape) as Shape
    const params = est.reviveParams(decode(fitted.params))
    const summary = decode(fitted.result) as Omit<FitResult<P>, 'params'>
    await est.loadParts(null)
    const kernels = await loadKernels(est.settings.backend, est.kernelFamilies())
    const model = est.createModel(kernels, shape)
    const extras = fitted.extras === undefined ? {} : decode(fitted.extras) as Record<string, unknown>
    est.state = { params, result: { ...summary, params }, shape, totalWeight: fitted.totalWeight, model, kernels, extras }
  } catch (e) {
    if (e instanceof EmkitError) throw e
    throw new EmkitError('INVALID_MODEL', `The model document's fitted part does not fit a ${est.kind} with these options (${(e as Error).message}); save the model again.`)
  }
}
