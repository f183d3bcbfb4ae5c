import { DegenerateError } from '../../core/errors.js'
import type { EMModel, GemCapability, PreparedData, Stepper } from '../types.js'
import { cholesky, solveCholesky } from '../../core/math/dense.js'

/** Largest number of step halvings before the M-step gives up and keeps theta_t. */
const MAX_HALVINGS = 40

/**
 * Generalised EM (Dempster, Laird & Rubin 1977; Lange 1995's gradient algorithm):
 * the M-step is one Newton step on Q(. | theta_t) in the model's coordinates
 * (a gradient step when the model gives no Hessian or the Hessian is not negative
 * definite), halved until Q does not decrease. Any increase of Q increases the
 * objective, so GEM is monotone; it needs no closed-form M-step.
 */
export function gemStepper<P, D extends PreparedData>(model: EMModel<P, D>, gem: GemCapability<P, D>): Stepper<P, D> {
  return {
    step(data, params) {
      const { stats, logLik } = model.eStep(data, params)
      if (!Number.isFinite(logLik)) return { params, logLik, fixedPointEvaluations: 0, objectiveEvaluations: 1 }
      const x = gem.toCoordinates(params)
      const q0 = gem.q(stats, x, params, data)
      const g = gem.gradQ(stats, x, params, data)
      const h = gem.hessQ?.(stats, x, params, data)
      const direction = (h && newtonDirection(h, g, x.length)) ?? gradientDirection(g)
      const trial = new Float64Array(x.length)
      let t = 1
      for (let halving = 0; halving <= MAX_HALVINGS; halving++, t /= 2) {
        for (let i = 0; i < x.length; i++) trial[i] = x[i]! + t * direction[i]!
        let candidate: P
        try {
          candidate = gem.fromCoordinates(trial, params)
        } catch (e) {
          if (e instanceof DegenerateError) continue
          throw e
        }
        const q = gem.q(stats, trial, params, data)
        if (Number.isFinite(q) && q >= q0) return { params: candidate, logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
      }
      // No ascent found along the direction: theta_t is (numerically) the maximiser of Q.
      return { params, logLik, fixedPointEvaluations: 1, objectiveEvaluations: 1 }
    },
  }
}

/** -H^{-1} g by Cholesky of -H; undefined when -H is not positive definite. */
function newtonDirection(h: Float64Array, g: Float64Array, m: number): Float64Array | undefined {
  const l = cholesky(h.map((v) => -v), m)
  return l ? solveCholesky(l, m, g) : undefined
}

/** Unit-length steepest ascent direction (step-halving finds the length). */
function gradientDirection(g: Float64Array): Float64Array {
  let norm = 0
  for (let i = 0; i < g.length; i++) norm += g[i]! * g[i]!
  norm = Math.sqrt(norm)
  return g.map((v) => (norm > 0 ? v / norm : 0))
}
