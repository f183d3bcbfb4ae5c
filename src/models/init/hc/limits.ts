/**
 * mclust's limit: hc keeps n(n - 1)/2 costs; more rows than this are refused (subsample
 * them). Apart from the agglomeration, so that option checks do not import it (a fit
 * with init 'hc' does: models/gmm/init.ts's loadInit).
 */
export const HC_MAX_ROWS = 5000
