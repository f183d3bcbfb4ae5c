/**
 * Separation in binary and binomial regressions (probit, logistic GLMM): when some
 * direction b of the coefficients puts every success on one side (z_i b >= 0) and
 * every failure on the other (Albert & Anderson 1984), the likelihood keeps rising
 * along b and the maximum-likelihood estimate does not exist: EM walks off to
 * infinity, slowly, and would otherwise report 'max-iter' or even 'converged' with a
 * huge estimate. All successes, or all failures, is the simplest case (b = the
 * intercept).
 *
 * The test reads fitted coefficients: if they classify every row whose outcomes agree
 * (all successes or all failures) strictly on its own side, they are such a b, and
 * the data are separated. The converse holds for data that are not separated: every
 * nonzero b misclassifies some row, the fitted coefficients included, so the test
 * never fires on them. (A row with both outcomes, 0 < y < trials, rules out every b
 * with z_i b != 0; when any is off the line the test does not fire.)
 */

/**
 * Successes y_i of trials t_i (null: one trial per row) at design z (n x p) and
 * coefficients coef (rows of weight 0 left out): a description of the separation, or
 * null. When the coefficients do not separate the rows themselves (a run stopped
 * before it walked far enough), a separating direction is searched for
 * (separatingDirection): the data are separated all the same if one is found.
 */
export function separation(z: Float64Array, n: number, p: number, y: ArrayLike<number>, trials: ArrayLike<number> | null, coef: ArrayLike<number>, weight: ArrayLike<number> | null = null): string | null {
  let norm = 0
  for (let a = 0; a < p; a++) norm = Math.max(norm, Math.abs(coef[a]!))
  if (!(norm < Infinity)) return null
  const direction = norm > 0 ? coef : null
  const why = direction && separatedBy(z, n, p, y, trials, direction, weight, norm)
  if (why) return why
  const found = separatingDirection(z, n, p, y, trials, weight)
  return found && separatedBy(z, n, p, y, trials, found, weight, norm)
}

/** The description of the separation if `b` puts every success above 0 and every failure below (else null); `norm`: the coefficients' largest size, for the message. */
function separatedBy(z: Float64Array, n: number, p: number, y: ArrayLike<number>, trials: ArrayLike<number> | null, coef: ArrayLike<number>, weight: ArrayLike<number> | null, norm: number): string | null {
  let successes = 0, failures = 0
  for (let i = 0; i < n; i++) {
    if (weight && weight[i] === 0) continue
    let eta = 0
    for (let a = 0; a < p; a++) eta += z[i * p + a]! * coef[a]!
    const t = trials ? trials[i]! : 1, yi = y[i]!
    if (yi === t) { if (!(eta > 0)) return null; successes++ }
    else if (yi === 0) { if (!(eta < 0)) return null; failures++ }
    else if (eta !== 0) return null
  }
  if (successes + failures === 0) return null
  const grown = `the coefficients grow without bound (the largest reached ${norm.toPrecision(3)})`
  if (failures === 0 || successes === 0) {
    const outcome = failures === 0 ? 'success' : 'failure'
    return `The data are separated: every row is a ${outcome}, so the probability of ${outcome} has no finite maximum-likelihood estimate (it is 1) and ${grown}. Give data where both outcomes occur.`
  }
  return `The data are separated: the columns of X separate the successes from the failures (a combination of them is above 0 for every success and below 0 for every failure), so the maximum-likelihood estimate does not exist and ${grown}. Remove or merge the separating columns, or give data where both outcomes occur at the same values of X.`
}

/** Work (multiply-adds) the search for a separating direction may spend: a few milliseconds. */
const SEARCH_WORK = 2e7
const SEARCH_STEPS = 5000

/**
 * A direction b with z_i b > 0 for every success and < 0 for every failure (rows of
 * weight 0 left out), or null when none is found. Gilbert's algorithm walks toward the
 * point of the convex hull of the rows a_i = +-z_i (+ for a success) nearest the
 * origin; any iterate w with a_i w > 0 for every i is such a b (a certificate, never a
 * false alarm). Data that are not separated have the origin in the hull, and the
 * search ends when its budget is spent. Rows with both outcomes (0 < y < trials) allow
 * no such b.
 */
export function separatingDirection(z: Float64Array, n: number, p: number, y: ArrayLike<number>, trials: ArrayLike<number> | null, weight: ArrayLike<number> | null = null): Float64Array | null {
  const rows: number[] = [], sign: number[] = []
  for (let i = 0; i < n; i++) {
    if (weight && weight[i] === 0) continue
    const t = trials ? trials[i]! : 1, yi = y[i]!
    if (yi === t) sign.push(1)
    else if (yi === 0) sign.push(-1)
    else return null
    rows.push(i)
  }
  if (rows.length === 0) return null
  const steps = Math.min(SEARCH_STEPS, Math.floor(SEARCH_WORK / (rows.length * p)))
  const w = new Float64Array(p), diff = new Float64Array(p)
  for (let a = 0; a < p; a++) w[a] = sign[0]! * z[rows[0]! * p + a]!
  for (let step = 0; step < steps; step++) {
    let lowest = Infinity, at = 0
    for (let r = 0; r < rows.length; r++) {
      let d = 0
      for (let a = 0; a < p; a++) d += z[rows[r]! * p + a]! * w[a]!
      d *= sign[r]!
      if (d < lowest) { lowest = d; at = r }
    }
    if (lowest > 0) return w
    // the nearest point to the origin on the segment from w to the row at fault
    let num = 0, den = 0
    for (let a = 0; a < p; a++) {
      diff[a] = sign[at]! * z[rows[at]! * p + a]! - w[a]!
      num -= w[a]! * diff[a]!
      den += diff[a]! * diff[a]!
    }
    if (!(den > 0)) return null
    const lambda = Math.min(1, Math.max(0, num / den))
    if (lambda === 0) return null
    for (let a = 0; a < p; a++) w[a] = w[a]! + lambda * diff[a]!
  }
  return null
}
