/**
 * Every failure emkit reports is an EmkitError with a stable `code` (safe to switch
 * on) and a message that says what to do. Subclasses group the codes by cause so
 * callers can also use `instanceof`.
 */

export type EmkitErrorCode =
  | 'EMPTY_DATA'
  | 'RAGGED_ROWS'
  | 'NON_FINITE'
  | 'INVALID_DATA'
  | 'SHAPE_MISMATCH'
  | 'TOO_MANY_COMPONENTS'
  | 'INVALID_OPTION'
  | 'UNSUPPORTED'
  | 'NOT_FITTED'
  | 'SINGULAR_COVARIANCE'
  | 'DEGENERATE'
  | 'BACKEND_UNAVAILABLE'
  | 'PARSE_ERROR'
  | 'WORKER_FAILED'
  | 'INVALID_MODEL'
  | 'MODEL_VERSION'
  | 'SINGULAR_INFORMATION'
  | 'STREAM_FAILED'
  | 'STREAM_CHANGED'
  | 'STATISTICS_FORMAT'

export class EmkitError extends Error {
  readonly code: EmkitErrorCode
  /** Structured facts about the failure (row, column, option, component...). */
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: EmkitErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.name = new.target.name
    this.code = code
    this.details = details
  }
}

/** The data given cannot be fitted or scored as it is. */
export class InputError extends EmkitError {}

/** An option (constructor or fit argument) is out of its domain. */
export class OptionError extends EmkitError {
  constructor(option: string, message: string, details: Record<string, unknown> = {}) {
    super('INVALID_OPTION', `Invalid option '${option}': ${message}`, { option, ...details })
  }
}

/** The model or algorithm cannot do what was asked (e.g. an unsupported variant). */
export class UnsupportedError extends EmkitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('UNSUPPORTED', message, details)
  }
}

/**
 * A part bundles import on demand used before its loader ran (the fits await the
 * loaders first: an emkit bug, or a caller of the models' internals skipping one):
 * names the part and the loader to await.
 */
export function notLoaded(part: string, loader: string): UnsupportedError {
  return new UnsupportedError(`${part} is imported on demand: await ${loader} first.`)
}

/** A member that needs fitted parameters was used before fit(); `remedy` says what else would give them (default: loading a saved model). */
export class NotFittedError extends EmkitError {
  constructor(estimator: string, member: string, remedy = 'or load a saved one with loadModel()') {
    super('NOT_FITTED', `${estimator}.${member} needs a fitted model: call fit() first, ${remedy}.`, { estimator, method: member })
  }
}

/**
 * The fit reached a point where the model is not defined: a covariance that is not
 * positive definite, a component with no weight. The engine turns it into the
 * status 'degenerate' of that run.
 */
export class DegenerateError extends EmkitError {}

/**
 * The observed information at the estimate is singular or not positive definite, or a
 * parameter sits on the boundary of its space: no standard errors. `details.parameters`
 * names the parameters involved.
 */
export class InformationError extends EmkitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('SINGULAR_INFORMATION', message, details)
  }
}

/** The requested compute backend cannot run here. */
export class BackendError extends EmkitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BACKEND_UNAVAILABLE', message, details)
  }
}

/** A CSV (or other text input) could not be read as numbers. */
export class ParseError extends EmkitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('PARSE_ERROR', message, details)
  }
}

/** A saved model (toJSON output) that cannot be loaded: malformed (INVALID_MODEL) or written by a newer format (MODEL_VERSION). */
export class ModelFormatError extends EmkitError {}

/** Whether `make` builds its parameters inside the parameter space: false on a DegenerateError, other errors thrown. */
export function insideSpace(make: () => unknown): boolean {
  try {
    make()
    return true
  } catch (e) {
    if (e instanceof DegenerateError) return false
    throw e
  }
}

/**
 * Whether `e` is an EmkitError of any copy of emkit (by its shape, not instanceof: a
 * package user's estimator running in a worker thread may come from another bundle of
 * emkit than the worker's own), optionally of the class named `name`.
 */
export function isEmkitError(e: unknown, name?: string): e is EmkitError {
  const err = e as { code?: unknown; details?: unknown; name?: unknown } | null
  return e instanceof Error && typeof err!.code === 'string' && typeof err!.details === 'object' && (name === undefined || err!.name === name)
}
