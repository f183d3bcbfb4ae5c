import { OptionError } from '../../core/errors.js'
import { Rng } from '../../core/rng/xoshiro128.js'
import type { EMModel, MonteCarloCapability, PreparedData, Stepper } from '../types.js'
import { checkKeys, checkNumber, checkSeed, deltaQStats, deltaQValues, monteCarloMStep, type MonteCarloIteration, relativeChange } from './monteCarlo.js'
import { show } from '../../core/show.js'

export interface SemOptions {
  /** Seed of the stepper's own generator (default 0). */
  readonly seed?: number
  /** Iterations discarded before averaging (default 100). */
  readonly burnIn?: number
  /** Iterations averaged after burn-in (default 400); the fit needs maxIter >= burnIn + iterations. */
  readonly iterations?: number
  /** Draws per iteration (default 1: the stochastic EM of Celeux & Diebolt). */
  readonly draws?: number
}

export function checkSemOptions(value: unknown): SemOptions {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null) throw new OptionError('sem', `must be an object, got ${show(value)}.`)
  const o = value as Record<string, unknown>
  checkKeys('sem', o, ['seed', 'burnIn', 'iterations', 'draws'])
  if (o.seed !== undefined) checkSeed('sem', o.seed)
  checkNumber('sem', 'burnIn', o.burnIn, (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0')
  checkNumber('sem', 'iterations', o.iterations, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1')
  checkNumber('sem', 'draws', o.draws, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1')
  return o as SemOptions
}

/** SEM's length: iterations discarded (burnIn, default 100) and averaged after them (default 400). Estimators size maxIter from it. */
export function semSteps(options: SemOptions = {}): { readonly burnIn: number; readonly iterations: number } {
  return { burnIn: options.burnIn ?? 100, iterations: options.iterations ?? 400 }
}

/**
 * Stochastic EM (Celeux & Diebolt 1985): each iteration imputes the missing data once
 * (`draws` times) at the current parameters and runs the M-step on the imputed
 * statistics, so the iterates form a Markov chain. After `burnIn + iterations` steps
 * the stepper returns the average of the packed iterates after burn-in (`unpack`) and
 * reports convergence; the chain is in `FitResult.monteCarlo.chain`.
 */
export function semStepper<P, D extends PreparedData>(model: EMModel<P, D>, mc: MonteCarloCapability<P, D>, options: SemOptions = {}): Stepper<P, D> {
  const rng = new Rng(options.seed ?? 0)
  const { burnIn, iterations: averagedSteps } = semSteps(options)
  const total = burnIn + averagedSteps
  const draws = options.draws ?? 1
  const chain: Float64Array[] = []
  const iterations: MonteCarloIteration[] = []
  let sum: Float64Array | undefined
  let averaged = 0
  return {
    step(data, params) {
      const logLik = model.logLik(data, params)
      const from = model.pack(params)
      if (chain.length === 0) chain.push(from)
      const rows = mc.sampleLatent(data, params, rng, draws)
      const next = monteCarloMStep(model, mc, rows, draws, params, data)
      const to = model.pack(next)
      chain.push(to)
      const { mean, se } = deltaQStats(deltaQValues(mc, rows, draws, next, params, data))
      iterations.push({ iteration: iterations.length + 1, samples: draws, deltaQ: mean, mcError: se, relativeChange: relativeChange(from, to, 0.025), augmentations: 0 })
      if (iterations.length > burnIn) {
        sum ??= new Float64Array(to.length)
        for (let i = 0; i < to.length; i++) sum[i]! += to[i]!
        averaged++
      }
      if (iterations.length >= total && sum) {
        const avg = sum.map((v) => v / averaged)
        return { params: model.unpack(avg, next), logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1, converged: true }
      }
      return { params: next, logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1, converged: false }
    },
    report() {
      return {
        algorithm: 'sem',
        iterations,
        mcError: iterations.at(-1)?.mcError ?? NaN,
        chain,
        ...(sum ? { estimate: sum.map((v) => v / averaged) } : {}),
      }
    },
  }
}
