import type { CovarianceStrategy } from './covariance.js'

/**
 * A readable name for every entry of a structure's storage, in storage order (bootstrap
 * summaries, standard errors): `cov[...]` (or `var[...]` for the diagonal structures)
 * indexed as the public shape, which the storage follows (full cov[c][i][j], tied
 * cov[i][j], diag var[c][j], spherical var[c]; mclust's models as the structure they
 * are stored like). A function of the table's entries, apart (not an entry, nor in covariance.ts):
 * only those readers load it.
 */
export function covarianceEntryNames(covariance: CovarianceStrategy, k: number, d: number): string[] {
  let names = [covariance.statsKernel === 'statsDiag' ? 'var' : 'cov']
  for (const n of covariance.publicShape(k, d)) names = names.flatMap((prefix) => Array.from({ length: n }, (_, i) => `${prefix}[${i}]`))
  return names
}
