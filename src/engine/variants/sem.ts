import { Rng } from '../../core/rng/xoshiro128.js'
import type { EMModel, MonteCarloCapability, MonteCarloIteration, PreparedData, Stepper } from '../types.js'
import { deltaQStats, deltaQValues, monteCarloMStep, relativeChange } from './monteCarlo.js'
import { semSteps, type SemOptions } from './options.js'

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
