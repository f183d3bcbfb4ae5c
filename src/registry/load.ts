/** `loadModel`: any saved estimator back from its toJSON() document, by the kind the document names. */
import { UnsupportedError } from '../core/errors.js'
import type { SavedModel } from '../estimators/persist.js'
import { decode, readSaved } from '../estimators/persist-read.js'
import './kinds/index.js'
import { kindOf } from './registry.js'

interface Restorable {
  restore(doc: SavedModel): Promise<unknown>
}

/**
 * The estimator a document made by `toJSON()` describes (a JSON string is parsed
 * first), fitted state included: it predicts exactly as the saved one did. A damaged
 * document is a ModelFormatError (code INVALID_MODEL), a newer format MODEL_VERSION.
 */
export async function loadModel(json: unknown): Promise<unknown> {
  const doc = readSaved(json)
  const estimator = kindOf(doc.kind).create(decode(doc.options) as Record<string, unknown>) as Partial<Restorable>
  if (typeof estimator.restore !== 'function') throw new UnsupportedError(`Estimator kind '${doc.kind}' cannot be loaded from a document.`, { kind: doc.kind })
  return estimator.restore(doc)
}
