import { Rng } from '../../core/rng/xoshiro128.js'
import type { EMModel, MonteCarloCapability, MonteCarloIteration, PreparedData, Stepper } from '../types.js'
import { deltaQStats, deltaQValues, monteCarloMStep, relativeChange } from './monteCarlo.js'
import type { McemOptions } from './options.js'

/** Upper quantile of N(0, 1) at level p in (0, 0.5) (Acklam's rational approximation, ~1e-9: plenty for a sample size rule). */
export function normalUpperQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.383577518672690e2, -3.066479806614716e1, 2.506628277459239]
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
  // quantile of the lower tail at p, negated
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p))
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  }
  const q = p - 0.5
  const r = q * q
  return -((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
}

/**
 * Monte Carlo EM (Wei & Tanner 1990): the E-step is the mean of the statistics of M_t
 * draws of the missing data. Per iteration it reports the Monte Carlo estimate of the
 * change in Q and its standard error. Sample sizes: 'geometric' multiplies M by
 * `growth` each iteration; 'ascent' (Caffo, Jank & Jones 2005) redoes a step whose
 * asymptotic lower bound deltaQ - z_alpha se is negative with M/augment more draws
 * (appended), and sets the next M to max(M_t, se^2 M (z_alpha + z_beta)^2 / deltaQ^2).
 * Stops (StepResult.converged) after `consecutive` iterations in a row with
 * max_i |dtheta_i| / (|theta_i| + delta) < epsilon on the packed parameters.
 */
export function mcemStepper<P, D extends PreparedData>(model: EMModel<P, D>, mc: MonteCarloCapability<P, D>, options: McemOptions = {}): Stepper<P, D> {
  const rng = new Rng(options.seed ?? 0)
  const rule = options.sampleSize ?? 'ascent'
  const growth = options.growth ?? 1.2
  const maxSamples = options.maxSamples ?? 20000
  const delta = options.delta ?? 0.025
  const epsilon = options.epsilon ?? 0.02
  const needed = options.consecutive ?? 3
  const zAlpha = normalUpperQuantile(options.alpha ?? 0.25)
  const zBeta = normalUpperQuantile(options.beta ?? 0.25)
  const augment = options.augment ?? 3
  const maxAugmentations = options.maxAugmentations ?? 10
  let m = Math.min(options.initialSamples ?? 100, maxSamples)
  let inARow = 0
  const iterations: MonteCarloIteration[] = []
  return {
    step(data, params) {
      const logLik = model.logLik(data, params)
      const from = model.pack(params)
      const mStart = m
      let rows = mc.sampleLatent(data, params, rng, m)
      let augmentations = 0
      let next: P
      let dq: { mean: number; se: number }
      for (;;) {
        next = monteCarloMStep(model, mc, rows, m, params, data)
        dq = deltaQStats(deltaQValues(mc, rows, m, next, params, data))
        if (rule !== 'ascent' || dq.mean - zAlpha * dq.se >= 0 || augmentations >= maxAugmentations || m >= maxSamples) break
        const extra = Math.min(Math.ceil(m / augment), maxSamples - m)
        const more = mc.sampleLatent(data, params, rng, extra)
        const joined = new Float64Array(rows.length + more.length)
        joined.set(rows)
        joined.set(more, rows.length)
        rows = joined
        m += extra
        augmentations++
      }
      const to = model.pack(next)
      const change = relativeChange(from, to, delta)
      iterations.push({ iteration: iterations.length + 1, samples: m, deltaQ: dq.mean, mcError: dq.se, relativeChange: change, augmentations })
      inARow = change < epsilon ? inARow + 1 : 0
      if (rule === 'geometric') {
        m = Math.min(maxSamples, Math.ceil(m * growth))
      } else {
        const variance = dq.se * dq.se * m
        const want = dq.mean !== 0 ? Math.ceil((variance * (zAlpha + zBeta) ** 2) / (dq.mean * dq.mean)) : maxSamples
        m = Math.min(maxSamples, Math.max(mStart, Number.isFinite(want) ? want : maxSamples))
      }
      return { params: next, logLik, fixedPointEvaluations: 1 + augmentations, objectiveEvaluations: 1, converged: inARow >= needed }
    },
    report() {
      return { algorithm: 'mcem', iterations, mcError: iterations.at(-1)?.mcError ?? NaN }
    },
  }
}
