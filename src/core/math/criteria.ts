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
 * observed one at the MAP labels. `z(i, c)` reads the posteriors wherever they are
 * (rows of arrays, or a flat n x k buffer that is never copied out). `sum` continues a
 * running sum (blocks of rows in order give the bits of one pass over them all).
 */
export function mapLogPosterior(n: number, k: number, z: (i: number, c: number) => number, weight?: ArrayLike<number>, sum = 0): number {
  for (let i = 0; i < n; i++) {
    let best = k > 0 ? z(i, 0) : 0
    for (let c = 1; c < k; c++) {
      const v = z(i, c)
      if (v > best) best = v
    }
    // a row with all-zero posterior (e.g. weight 0 and no data) adds nothing, as mclust's ifelse(z > 0, log z, 0)
    if (best > 0) sum += (weight ? weight[i]! : 1) * Math.log(best)
  }
  return sum
}
