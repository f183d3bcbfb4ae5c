/**
 * The strategy table's algorithms other than plain EM, and its accelerators: how each
 * is built from the model's capabilities, and `makeStepper` over the whole table. An
 * estimator's fit imports this file only when its algorithm or accelerator needs it
 * (load-stepper.ts), so a bundle that fits by plain EM leaves it out.
 */
import { aitkenStepper, type AitkenOptions } from './accelerators/aitken.js'
import { quasiNewtonStepper, type QuasiNewtonOptions } from './accelerators/quasiNewton.js'
import { squaremStepper, type SquaremOptions } from './accelerators/squarem.js'
import type { EMModel, PreparedData, Stepper } from './types.js'
import { OptionError } from '../core/errors.js'
import { show } from '../core/show.js'
import { checkModel } from './check.js'
import { ALGORITHMS, composeStepper, type StepperTable, type StrategyOptions } from './strategy.js'
import { ecmStepper } from './variants/ecm.js'
import { incrementalStepper } from './variants/incremental.js'
import { checkBlocks, checkMcemOptions, checkSemOptions } from './variants/options.js'
import { gemStepper } from './variants/gem.js'
import { pxemStepper } from './variants/pxem.js'
import { mcemStepper } from './variants/mcem.js'
import { semStepper } from './variants/sem.js'
import { variationalStepper } from './variants/variational.js'
import { cemStepper } from './variants/cem.js'
import { stochasticStepper } from './variants/stochastic.js'
import { onlineStepper } from './variants/online.js'
import { DEFAULT_LEARNING_DECAY, DEFAULT_LEARNING_OFFSET } from './online-options.js'

export const ALGORITHM_STEPPERS: StepperTable['algorithms'] = {
  'gem': (model) => gemStepper(model, model.gem!),
  'ecm': (model) => ecmStepper(model, model.cmSteps!, false),
  'ecme': (model) => ecmStepper(model, model.cmSteps!, true),
  'px-em': (model) => pxemStepper(model, model.parameterExpansion!),
  'sem': (model, options) => semStepper(model, model.monteCarlo!, checkSemOptions(options.sem)),
  'mcem': (model, options) => mcemStepper(model, model.monteCarlo!, checkMcemOptions(options.mcem)),
  'variational': (model) => variationalStepper(model.variational!),
  'incremental': (model, options) => incrementalStepper(model, model.incremental!, checkBlocks(options.blocks)),
  'cem': (model) => cemStepper(model, model.classification!),
  'stochastic': (model) => stochasticStepper(model, model.stochastic!),
  'online': (model, options) => onlineStepper(model, model.onlineEM!, options.online ?? { learningOffset: DEFAULT_LEARNING_OFFSET, learningDecay: DEFAULT_LEARNING_DECAY }),
}

export const ACCELERATOR_STEPPERS: StepperTable['accelerators'] = {
  'squarem': (model, base, settings) => squaremStepper(model, base, settings as SquaremOptions),
  'aitken': (model, base, settings) => aitkenStepper(model, base, settings as AitkenOptions),
  'quasi-newton': (model, base, settings) => quasiNewtonStepper(model, base, settings as QuasiNewtonOptions),
}

/**
 * The stepper for one fit: the algorithm's map built from the model's capabilities,
 * wrapped in the accelerator. Throws UnsupportedError when the model lacks the
 * capability an algorithm needs. Every call returns a fresh stepper (accelerators keep
 * state within one fit).
 */
export function makeStepper<P, D extends PreparedData>(model: EMModel<P, D>, options: StrategyOptions = {}): Stepper<P, D> {
  const algorithm = options.algorithm ?? 'em'
  if (!ALGORITHMS.includes(algorithm)) {
    throw new OptionError('algorithm', `must be one of ${ALGORITHMS.map((a) => `'${a}'`).join(', ')}, got ${show(algorithm)}.`)
  }
  checkModel(model, algorithm === 'em' ? ['eStep', 'mStep'] : [], 'makeStepper')
  return composeStepper(model, options, { algorithms: ALGORITHM_STEPPERS, accelerators: ACCELERATOR_STEPPERS })
}
