/**
 * One-population multivariate models in the registry: MultivariateNormal,
 * MultivariateT, FactorAnalysis. No labels to switch. Simulations keep the real
 * data's missing values missing (the fitted models treat NaN as missing at random).
 *
 * FactorAnalysis's vector holds the mean, the uniquenesses and the implied covariance
 * Lambda Lambda' + Psi, not the loadings: loadings are identified only up to a
 * rotation, so their bootstrap spread would mostly be rotation.
 */
import { FactorAnalysis } from '../../estimators/FactorAnalysis.js'
import { MultivariateNormal } from '../../estimators/MultivariateNormal.js'
import { MultivariateT } from '../../estimators/MultivariateT.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { registerBuiltinKind } from '../registry.js'
import { flat, keepMissing, normalRows, normalRowsToT, VectorBuilder } from './vector.js'

interface NormalState { readonly mean: Float64Array; readonly cov: Float64Array }

function simulateNormal(raw: unknown, template: Dataset, rng: Rng): Dataset {
  const { mean, cov } = raw as NormalState
  const n = template.X.rows, d = mean.length
  return { ...template, X: { rows: n, cols: d, data: keepMissing(normalRows(mean, cov, n, rng), template.X) } }
}

registerBuiltinKind<MultivariateNormal>('MultivariateNormal', {
  create: (options) => new MultivariateNormal(options),
  vector: (mvn) => {
    const d = mvn.mean.length
    return new VectorBuilder().addArray('mean', mvn.mean, [d]).addArray('cov', flat(mvn.covariance), [d, d]).build()
  },
  state: (mvn): NormalState => ({ mean: Float64Array.from(mvn.mean), cov: flat(mvn.covariance) }),
  simulate: (_options, raw, template, rng) => simulateNormal(raw, template, rng),
})

registerBuiltinKind<FactorAnalysis>('FactorAnalysis', {
  create: (options) => new FactorAnalysis(options),
  fields: ['sampleWeight'],
  vector: (fa) => {
    const d = fa.mean.length
    return new VectorBuilder()
      .addArray('mean', fa.mean, [d])
      .addArray('uniqueness', fa.uniquenesses, [d])
      .addArray('cov', flat(fa.getCovariance()), [d, d])
      .build()
  },
  state: (fa): NormalState => ({ mean: Float64Array.from(fa.mean), cov: flat(fa.getCovariance()) }),
  simulate: (_options, raw, template, rng) => simulateNormal(raw, template, rng),
})

interface TState extends NormalState { readonly nu: number }

registerBuiltinKind<MultivariateT>('MultivariateT', {
  create: (options) => new MultivariateT(options),
  fields: ['sampleWeight'],
  vector: (mt) => {
    const d = mt.mean.length
    return new VectorBuilder().addArray('mean', mt.mean, [d]).addArray('scatter', flat(mt.scatter), [d, d]).add('nu', mt.degreesOfFreedom).build()
  },
  state: (mt): TState => ({ mean: Float64Array.from(mt.mean), cov: flat(mt.scatter), nu: mt.degreesOfFreedom }),
  // mean + (normal draw - mean) / sqrt(g / nu), g ~ chi-square(nu) per row
  simulate: (_options, raw, template, rng) => {
    const { mean, cov, nu } = raw as TState
    const n = template.X.rows, d = mean.length
    const data = normalRowsToT(normalRows(mean, cov, n, rng), d, mean, [nu], () => 0, rng)
    return { ...template, X: { rows: n, cols: d, data: keepMissing(data, template.X) } }
  },
})
