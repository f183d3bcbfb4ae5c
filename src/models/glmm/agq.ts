/**
 * Marginal log-likelihood of the logistic random-intercept model by adaptive
 * Gauss-Hermite quadrature (Liu & Pierce 1994; what lme4's glmer does with nAGQ > 1):
 * per group, the integrand exp(h(b)) with
 *   h(b) = sum_j [log C(t_j, y_j) + y_j x_j - t_j log(1 + exp(x_j))] + log N(b; 0, sigma^2),
 *   x_j = eta_j + b,
 * is centred at its mode b^ (Newton, h is concave) and scaled by tau = (-h''(b^))^(-1/2):
 *   log int e^h = log(sqrt 2 tau) + log sum_k w_k exp(x_k^2 + h(b^ + sqrt 2 tau x_k)).
 * nAGQ = 1 is the Laplace approximation. The binomial coefficients are included, as in
 * lme4's logLik for binomial data (its family's aic() uses dbinom).
 */
import { logisticTerms, softplus } from '../../kernels/js/glmm.js'
import { gaussHermite } from '../../core/math/quadrature.js'
import { LOG_SQRT_2PI } from '../../core/math/normal.js'

/** The rows of one group, sorted by group as the kernels see them. */
export interface GroupedRows {
  readonly nGroups: number
  /** nGroups + 1 offsets into the rows. */
  readonly groupStart: Int32Array
  readonly y: Float64Array
  readonly trials: Float64Array
  /** sum over rows of log C(t, y). */
  readonly logChoose: number
}

/** The conditional log-density of the data of rows start..end given b, without the binomial coefficients. */
function conditional(rows: GroupedRows, eta: Float64Array, start: number, end: number, b: number): number {
  let s = 0
  for (let j = start; j < end; j++) {
    const x = eta[j]! + b
    s += rows.y[j]! * x - rows.trials[j]! * softplus(x)
  }
  return s
}

const terms2 = new Float64Array(2)

/**
 * Mode of h for one group and -h'' there: Newton (h is strictly concave) from `from`,
 * halving a step that lowers h.
 */
export function groupMode(rows: GroupedRows, eta: Float64Array, start: number, end: number, sigma: number, from = 0): { mode: number; curvature: number } {
  const prec = 1 / (sigma * sigma)
  const h = (b: number) => conditional(rows, eta, start, end, b) - 0.5 * prec * b * b
  let b = from
  let hb = h(b)
  let stale = false
  let curvature = prec
  for (let iter = 0; iter < 100; iter++) {
    let grad = -prec * b
    curvature = prec
    for (let j = start; j < end; j++) {
      logisticTerms(eta[j]! + b, terms2)
      grad += rows.y[j]! - rows.trials[j]! * terms2[0]!
      curvature += rows.trials[j]! * terms2[1]!
    }
    let step = grad / curvature
    if (Math.abs(step) < 1e-12 * (1 + Math.abs(b))) break
    if (Math.abs(step) < 1e-3) {
      // Newton's quadratic convergence region: h changes below rounding, no check to make
      b += step
      stale = true
      continue
    }
    if (stale) { hb = h(b); stale = false }
    let next = b + step, hn = h(next)
    for (let k = 0; k < 60 && !(hn >= hb); k++) {
      step /= 2
      next = b + step
      hn = h(next)
    }
    if (!(hn >= hb)) break
    b = next
    hb = hn
  }
  return { mode: b, curvature }
}

/**
 * The marginal log-likelihood at (eta, sigma) by nAGQ-point adaptive Gauss-Hermite
 * quadrature. `modes`, when given (nGroups), holds the starting points of the mode
 * searches (the modes of a previous call: successive MCEM iterates are close, so Newton
 * then needs a step or two) and receives the new modes. `perGroup`, when given
 * (nGroups), receives each group's term without its binomial coefficients.
 */
export function marginalLogLik(rows: GroupedRows, eta: Float64Array, sigma: number, nAGQ: number, modes?: Float64Array, perGroup?: Float64Array): number {
  const { nodes, weights } = gaussHermite(nAGQ)
  const logNormConst = -LOG_SQRT_2PI - Math.log(sigma)
  const prec = 1 / (sigma * sigma)
  const terms = new Float64Array(nAGQ)
  let total = rows.logChoose
  for (let g = 0; g < rows.nGroups; g++) {
    const start = rows.groupStart[g]!, end = rows.groupStart[g + 1]!
    const { mode, curvature } = groupMode(rows, eta, start, end, sigma, modes ? modes[g]! : 0)
    if (modes) modes[g] = mode
    const scale = Math.SQRT2 / Math.sqrt(curvature)
    let max = -Infinity
    for (let k = 0; k < nAGQ; k++) {
      const x = nodes[k]!
      const b = mode + scale * x
      terms[k] = Math.log(weights[k]!) + x * x + conditional(rows, eta, start, end, b) - 0.5 * prec * b * b
      if (terms[k]! > max) max = terms[k]!
    }
    let sum = 0
    for (let k = 0; k < nAGQ; k++) sum += Math.exp(terms[k]! - max)
    const term = Math.log(scale) + logNormConst + max + Math.log(sum)
    if (perGroup) perGroup[g] = term
    total += term
  }
  return total
}
