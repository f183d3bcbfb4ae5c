import type { EMModel, PreparedData, Stepper, StoppingRule } from '../types.js'
import { hasConverged } from '../convergence.js'
import { dot, MapEvaluator, sub } from './evaluator.js'

/** EM's own rule between the first two iterates of a cycle: the plain map would stop here too. */
function emRuleMet(rule: StoppingRule, l0: number, l1: number): boolean {
  return rule.criterion === 'objective' && hasConverged(l1, l0, rule.scale, rule.tol)
}

export interface SquaremOptions {
  /** Step length: 1 (SqS1), 2 (SqS2) or 3 (SqS3, default), R SQUAREM's `method`. */
  readonly stepLength?: 1 | 2 | 3
  /** Initial lower bound of the step length (R: step.min0 = 1). */
  readonly stepMin0?: number
  /** Initial upper bound of the step length (R: step.max0 = 1). */
  readonly stepMax0?: number
  /** Factor by which the upper bound grows when reached (R: mstep = 4). */
  readonly mstep?: number
  /** Largest decrease of the objective an extrapolation may cause and still be kept (R: objfn.inc = 1). */
  readonly objectiveSlack?: number
}

/**
 * SQUAREM (Varadhan & Roland 2008), as R SQUAREM 2021.1's `squarem1` with its
 * defaults: from theta, two applications of the base map give r = F(theta) - theta and
 * v = F(F(theta)) - 2F(theta) + theta; the step length alpha (SqS3: |r|/|v|) is
 * clamped to [stepMin, stepMax]; the extrapolation theta + 2 alpha r + alpha^2 v
 * (alpha = 1 gives F(F(theta))) is stabilised by one more application of the map
 * when |alpha - 1| > 0.01. When the result leaves the parameter space (`isValid`, or the
 * model refuses it) or its objective falls below the one at theta by more than
 * `objectiveSlack`, the cycle ends at F(F(theta)) instead and the upper bound shrinks;
 * when alpha hits the upper bound, the bound grows by `mstep`.
 *
 * Convergence: with criterion 'parameters', |F(theta) - theta| < tol (R's rule);
 * with 'objective', the remaining gain predicted from the two applications of the map
 * at theta is < tol per sample (see `mapConverged`).
 */
export function squaremStepper<P, D extends PreparedData>(model: EMModel<P, D>, base: Stepper<P, D>, options: SquaremOptions = {}): Stepper<P, D> {
  const method = options.stepLength ?? 3
  const stepMin0 = options.stepMin0 ?? 1
  const stepMax0 = options.stepMax0 ?? 1
  const mstep = options.mstep ?? 4
  const slack = options.objectiveSlack ?? 1
  let stepMin = stepMin0
  let stepMax = stepMax0
  const ev = new MapEvaluator(model, base)

  return {
    step(data, p, rule?: StoppingRule) {
      const cycle = ev.twoMaps(data, p, rule, (l0, l1) => rule !== undefined && emRuleMet(rule, l0, l1))
      if ('done' in cycle) return cycle.done
      const { l0, p2, x, r: q1, v: q2, rr: sr2 } = cycle

      const v = sub(q2, q1)
      const sv2 = dot(v, v)
      const srv = dot(q1, v)
      let alpha = method === 1 ? -srv / sv2 : method === 2 ? -sr2 / srv : Math.sqrt(sr2 / sv2)
      if (!Number.isFinite(alpha)) alpha = 1
      alpha = Math.max(stepMin, Math.min(stepMax, alpha))
      const xNew = new Float64Array(x.length)
      for (let i = 0; i < x.length; i++) xNew[i] = x[i]! + 2 * alpha * q1[i]! + alpha * alpha * v[i]!

      let next: P | undefined = ev.toParams(xNew, p)
      if (next !== undefined && Math.abs(alpha - 1) > 0.01) next = ev.tryAt(data, next)?.params // stabilisation step
      let accepted = false
      if (next !== undefined) {
        const sNew = ev.tryAt(data, next)
        accepted = sNew !== undefined && !(sNew.logLik < l0 - slack)
      }
      if (!accepted) {
        next = p2
        if (alpha === stepMax) stepMax = Math.max(stepMax0, stepMax / mstep)
        alpha = 1
      }
      if (alpha === stepMax) stepMax = mstep * stepMax
      if (stepMin < 0 && alpha === stepMin) stepMin = mstep * stepMin
      return { params: next!, logLik: l0, converged: false, ...ev.take() }
    },
  }
}
