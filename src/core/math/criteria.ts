/**
 * Information criteria in scikit-learn's convention (smaller is better; mclust's
 * BIC is the negative of this one).
 */

export function bic(logLik: number, nParameters: number, nSamples: number): number {
  return -2 * logLik + nParameters * Math.log(nSamples)
}

export function aic(logLik: number, nParameters: number): number {
  return -2 * logLik + 2 * nParameters
}

/**
 * sum_i w_i log z_i,c(i), c(i) the class of largest posterior z_i,c (the first of
 * equals): mclust's classification term of ICL (its icl(): BIC + 2 sum C * log z with
 * C the hard MAP classification), i.e. the complete-data log-likelihood minus the
 * observed one at the MAP labels. `z` holds n rows of k posteriors, row after row (a
 * flat buffer, never copied out; a callback reading z(i, c) boxed every value it
 * returned). `from` is a running sum to continue (blocks of rows in order give the bits
 * of one pass over them all).
 */
export function mapLogPosterior(z: ArrayLike<number>, n: number, k: number, weight?: ArrayLike<number>, from = 0): number {
  // `+from`: a running sum started from the parameter as given is kept boxed, a new heap
  // number per row (~0.7 GB of garbage per model selection on a 50 MB file)
  let sum = +from
  for (let i = 0, at = 0; i < n; i++, at += k) {
    let best = k > 0 ? z[at]! : 0
    for (let c = 1; c < k; c++) {
      const v = z[at + c]!
      if (v > best) best = v
    }
    // a row with all-zero posterior (e.g. weight 0 and no data) adds nothing, as mclust's ifelse(z > 0, log z, 0)
    if (best > 0) sum += (weight ? weight[i]! : 1) * Math.log(best)
  }
  return sum
}
