import { OptionError, UnsupportedError } from '../core/errors.js'
import type { AitkenOptions } from './accelerators/aitken.js'
import type { QuasiNewtonOptions } from './accelerators/quasiNewton.js'
import type { SquaremOptions } from './accelerators/squarem.js'
import { emStepper } from './emStep.js'
import type { EMModel, PreparedData, Stepper } from './types.js'
import type { McemOptions, SemOptions } from './variants/options.js'
import type { OnlineSettings } from './online-options.js'
import { show } from '../core/show.js'

/** How the E- and M-steps are done. */
export type Algorithm = 'em' | 'gem' | 'ecm' | 'ecme' | 'px-em' | 'sem' | 'mcem' | 'variational' | 'incremental' | 'cem' | 'stochastic' | 'online'
export const ALGORITHMS: readonly Algorithm[] = ['em', 'gem', 'ecm', 'ecme', 'px-em', 'sem', 'mcem', 'variational', 'incremental', 'cem', 'stochastic', 'online']

/** What wraps the algorithm's map on the packed parameter vector. */
export type AcceleratorName = 'none' | 'aitken' | 'squarem' | 'quasi-newton'
export const ACCELERATORS: readonly AcceleratorName[] = ['none', 'aitken', 'squarem', 'quasi-newton']

/** An accelerator by name, or with its settings. */
export type Accelerate =
  | AcceleratorName
  | ({ readonly method: 'squarem' } & SquaremOptions)
  | ({ readonly method: 'aitken' } & AitkenOptions)
  | ({ readonly method: 'quasi-newton' } & QuasiNewtonOptions)
  | { readonly method: 'none' }

export interface StrategyOptions {
  readonly algorithm?: Algorithm
  readonly accelerate?: Accelerate
  /** Settings of algorithm 'sem' (seed, burnIn, iterations, draws). */
  readonly sem?: SemOptions
  /** Settings of algorithm 'mcem' (seed, initialSamples, sampleSize rule, growth, stopping rule...). */
  readonly mcem?: McemOptions
  /** Row blocks of algorithm 'incremental' (default 10; ignored by the other algorithms). */
  readonly blocks?: number
  /** Step sizes of algorithm 'online' (default offset 10, decay 0.7); totalWeight defaults to the data's. */
  readonly online?: OnlineSettings
}

/** The algorithms a model can run, from the capabilities it offers. */
export function supportedAlgorithms(model: EMModel<any, any>): Algorithm[] {
  const out: Algorithm[] = ['em']
  if (model.gem) out.push('gem')
  if (model.cmSteps && model.cmSteps.length > 0) {
    out.push('ecm')
    if (model.cmSteps.some((cm) => cm.maximiseL)) out.push('ecme')
  }
  if (model.parameterExpansion) out.push('px-em')
  if (model.monteCarlo) out.push('sem', 'mcem')
  if (model.variational) out.push('variational')
  if (model.incremental) out.push('incremental')
  if (model.classification) out.push('cem')
  if (model.stochastic) out.push('stochastic')
  if (model.onlineEM?.batches) out.push('online')
  return out
}

/** The error for an algorithm a model cannot run: names the ones it can. */
export function unsupportedAlgorithm(modelName: string, algorithm: string, supported: readonly string[], why = ''): UnsupportedError {
  return new UnsupportedError(
    `${modelName} cannot run algorithm '${algorithm}'${why ? ` (${why})` : ''}; it supports ${supported.map((a) => `'${a}'`).join(', ')}. Choose one of those.`,
    { model: modelName, algorithm, supported: [...supported] },
  )
}

/**
 * Accelerators extrapolate a map of the parameters alone. SEM and MCEM are Markov
 * chains, and an incremental EM sweep also depends on the blocks' statistics kept from
 * earlier sweeps: nothing to extrapolate (throws OptionError).
 */
export function refuseAcceleratedStochastic(algorithm: Algorithm, accelerate: Accelerate): void {
  const method = typeof accelerate === 'string' ? accelerate : accelerate.method
  if (method === 'none') return
  if (algorithm === 'sem' || algorithm === 'mcem' || algorithm === 'stochastic') {
    throw new OptionError('accelerate', `'${method}' extrapolates a deterministic map; algorithm '${algorithm}' is stochastic: use accelerate 'none'.`)
  }
  if (algorithm === 'cem') {
    throw new OptionError('accelerate', `'${method}' extrapolates a smooth map; classification EM's map jumps with the hard assignments: use accelerate 'none'.`)
  }
  if (algorithm === 'incremental') {
    throw new OptionError('accelerate', `'${method}' extrapolates a map of the parameters alone; an incremental EM sweep also depends on the statistics it kept from earlier sweeps: use accelerate 'none' (or algorithm 'em' with '${method}').`)
  }
}

/** An accelerator setting's rule: the test and its words in messages ("secants must be an integer >= 1"). */
type SettingRule = readonly [ok: (v: unknown) => boolean, what: string]
const FINITE: SettingRule = [(v) => typeof v === 'number' && Number.isFinite(v), 'a finite number']

/** Each accelerator's settings, in the order they are checked (and named in messages). */
const ACCELERATOR_SETTINGS: Readonly<Record<AcceleratorName, Readonly<Record<string, SettingRule>>>> = {
  'none': {},
  'squarem': { stepLength: [(v) => [1, 2, 3].includes(v as number), '1, 2 or 3 (SqS1..SqS3)'], stepMin0: FINITE, stepMax0: FINITE, mstep: FINITE, objectiveSlack: FINITE },
  'aitken': { jump: [(v) => typeof v === 'boolean', 'true or false'] },
  'quasi-newton': { secants: [(v) => Number.isInteger(v) && (v as number) >= 1, 'an integer >= 1'] },
}

/** Validate an `accelerate` option (name or { method, ...settings }); throws OptionError. */
export function checkAccelerate(value: unknown): Accelerate {
  const method = typeof value === 'object' && value !== null ? (value as { method?: unknown }).method : value
  if (!ACCELERATORS.includes(method as AcceleratorName)) {
    throw new OptionError('accelerate', `must be one of ${ACCELERATORS.map((a) => `'${a}'`).join(', ')} (or { method, ...settings }), got ${show(value)}.`)
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>
    const rules = ACCELERATOR_SETTINGS[method as AcceleratorName]
    const names = Object.keys(rules)
    for (const key of Object.keys(o)) {
      if (key !== 'method' && !names.includes(key)) {
        throw new OptionError('accelerate', `'${String(method)}' has no setting '${key}'; its settings are ${names.join(', ') || 'none'}.`)
      }
    }
    for (const [key, [ok, what]] of Object.entries(rules)) {
      if (o[key] !== undefined && !ok(o[key])) throw new OptionError('accelerate', `${key} must be ${what}, got ${show(o[key])}.`)
    }
  }
  return value as Accelerate
}

/**
 * The strategy table's entries: every algorithm but plain EM, every accelerator but
 * none (steppers.ts, which this file does not import). `makeStepper` (steppers.ts) has
 * them all; an estimator's fit imports them only when its options name one
 * (load-stepper.ts), so bundles that fit by plain EM leave them out.
 */
export interface StepperTable {
  /** An algorithm's map, built from the capability the strategy checked the model has. */
  readonly algorithms: Readonly<Record<string, (model: EMModel<any, any>, options: StrategyOptions) => Stepper<any, any>>>
  /** An accelerator wrapped around an algorithm's map. */
  readonly accelerators: Readonly<Record<string, (model: EMModel<any, any>, base: Stepper<any, any>, settings: object) => Stepper<any, any>>>
}

/** The table of plain EM alone (nothing to import). */
export const EM_ONLY: StepperTable = { algorithms: {}, accelerators: {} }

/** Whether a fit with these options needs the whole table (an algorithm but 'em' or an accelerator). */
export function needsStepperTable(options: StrategyOptions): boolean {
  const accelerate = options.accelerate ?? 'none'
  return (options.algorithm ?? 'em') !== 'em' || (typeof accelerate === 'string' ? accelerate : accelerate?.method) !== 'none'
}

/**
 * The stepper for one fit from a table: the algorithm's map built from the model's
 * capabilities, wrapped in the accelerator. The algorithm's name and a given model's
 * functions are makeStepper's checks (an estimator's schema checked the name, and its
 * model is emkit's own). Throws UnsupportedError when the model lacks
 * the capability an algorithm needs. Every call returns a fresh stepper (accelerators
 * keep state within one fit).
 */
export function composeStepper<P, D extends PreparedData>(model: EMModel<P, D>, options: StrategyOptions, table: StepperTable): Stepper<P, D> {
  const algorithm = options.algorithm ?? 'em'
  const supported = supportedAlgorithms(model)
  if (!supported.includes(algorithm)) throw unsupportedAlgorithm(model.name, algorithm, supported)
  const base: Stepper<P, D> = algorithm === 'em' ? emStepper(model) : tableEntry(table.algorithms, algorithm)(model, options)
  const accelerate = checkAccelerate(options.accelerate ?? 'none')
  const { method, ...settings } = typeof accelerate === 'string' ? { method: accelerate } : accelerate
  refuseAcceleratedStochastic(algorithm, method)
  return method === 'none' ? base : tableEntry(table.accelerators, method)(model, base, settings)
}

function tableEntry<T>(entries: Readonly<Record<string, T>>, name: string): T {
  const entry = entries[name]
  // an estimator loads the table before its fit (load-stepper.ts): missing means a caller skipped that
  if (!entry) throw new Error(`emkit internal error: the strategy table's '${name}' was not loaded (await loadStepper, not composeStepper with EM_ONLY)`)
  return entry
}
