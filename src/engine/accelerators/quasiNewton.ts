import type { EMModel, PreparedData, Stepper, StoppingRule } from '../types.js'
import { dot, MapEvaluator, sub } from './evaluator.js'
import { solveGeneral } from '../../core/math/dense-general.js'

export interface QuasiNewtonOptions {
  /** Number of secant pairs kept (Zhou, Alexander & Lange's q; default 2). */
  readonly secants?: number
}

/** Halvings of the quasi-Newton step toward F(F(theta)) before giving up on it. */
const MAX_HALVINGS = 10

/**
 * Quasi-Newton acceleration of Zhou, Alexander & Lange (2011, "A quasi-Newton
 * acceleration for high-dimensional optimization algorithms", Stat. Comput. 21),
 * the scheme of turboEM's "qn". The Jacobian of the base map F is approximated from
 * the last q secant pairs u_i = F(theta_i) - theta_i, v_i = F(F(theta_i)) - F(theta_i)
 * (M u_i = v_i, minimum norm), and Newton's method on theta - F(theta) = 0 gives
 *
 *   theta_qn = F(theta) + V (U^T (U - V))^{-1} U^T (F(theta) - theta).
 *
 * Projection: when theta_qn lies outside the parameter space it is pulled back along
 * the segment to F(F(theta)) (a valid point; the parameter spaces of emkit's models are
 * convex) by halving, up to 10 times. Safeguard: theta_qn is kept only if its objective
 * is at least that of F(theta); otherwise the iteration ends at F(F(theta)), so every
 * iteration does at least as well as one EM step.
 *
 * Convergence: as SQUAREM (parameters: |F(theta) - theta| < tol; objective: the
 * remaining gain predicted from the two applications of the map at theta is < tol per
 * sample, see `mapConverged`).
 */
export function quasiNewtonStepper<P, D extends PreparedData>(model: EMModel<P, D>, base: Stepper<P, D>, options: QuasiNewtonOptions = {}): Stepper<P, D> {
  const q = options.secants ?? 2
  const ev = new MapEvaluator(model, base)
  const U: Float64Array[] = []
  const V: Float64Array[] = []

  return {
    step(data, theta, rule?: StoppingRule) {
      const cycle = ev.twoMaps(data, theta, rule)
      if ('done' in cycle) return cycle.done
      const { l0, l1, p2, x1, x2, r: u, v } = cycle
      U.push(u)
      V.push(v)
      if (U.length > q) { U.shift(); V.shift() }

      const xQn = qnPoint(U, V, x1, u)
      let next: P | undefined
      if (xQn) {
        const d = sub(xQn, x2)
        let t = 1
        for (let h = 0; h <= MAX_HALVINGS && next === undefined; h++, t /= 2) {
          const xt = new Float64Array(x2.length)
          for (let i = 0; i < xt.length; i++) xt[i] = x2[i]! + t * d[i]!
          next = ev.toParams(xt, theta)
        }
      }
      if (next !== undefined) {
        const sNext = ev.tryAt(data, next)
        if (sNext === undefined || sNext.logLik < l1) next = undefined
      }
      return { params: next ?? p2, logLik: l0, converged: false, ...ev.take() }
    },
  }
}

/** F(theta) + V (U^T (U - V))^{-1} U^T u; undefined when the small system is singular. */
function qnPoint(U: Float64Array[], V: Float64Array[], x1: Float64Array, u: Float64Array): Float64Array | undefined {
  const m = U.length
  const a = new Float64Array(m * m)
  const b = new Float64Array(m)
  for (let i = 0; i < m; i++) {
    b[i] = dot(U[i]!, u)
    for (let j = 0; j < m; j++) a[i * m + j] = dot(U[i]!, U[j]!) - dot(U[i]!, V[j]!)
  }
  const c = solveGeneral(a, b, m)
  if (!c) return undefined
  const out = Float64Array.from(x1)
  for (let j = 0; j < m; j++) {
    const vj = V[j]!
    for (let i = 0; i < out.length; i++) out[i] = out[i]! + vj[i]! * c[j]!
  }
  return out
}

