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

/** Successes y_i of trials t_i (null: one trial per row) at design z (n x p) and coefficients coef (rows of weight 0 left out): a description of the separation, or null. */
export function separation(z: Float64Array, n: number, p: number, y: ArrayLike<number>, trials: ArrayLike<number> | null, coef: ArrayLike<number>, weight: ArrayLike<number> | null = null): string | null {
  let norm = 0
  for (let a = 0; a < p; a++) norm = Math.max(norm, Math.abs(coef[a]!))
  if (!(norm > 0 && norm < Infinity)) return null
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
