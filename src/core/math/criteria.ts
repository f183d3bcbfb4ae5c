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
