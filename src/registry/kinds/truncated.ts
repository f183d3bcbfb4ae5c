/**
 * TruncatedNormal and TruncatedRegression in the registry. Parametric replicates draw
 * each value again from the fitted normal truncated to [lower, upper] (at each row's
 * mean for the regression, X kept: the bootstrap conditional on the recorded design).
 */
import { truncatedStd } from '../../core/rng/sampling.js'
import { TruncatedNormal } from '../../estimators/TruncatedNormal.js'
import { TruncatedRegression } from '../../estimators/TruncatedRegression.js'
import { registerBuiltinKind } from '../registry.js'
import { coefficients, VectorBuilder } from './vector.js'

interface TruncatedState { readonly mu: Float64Array; readonly sigma: number; readonly lower: number; readonly upper: number }

const redraw = (s: TruncatedState, rng: Parameters<typeof truncatedStd>[0]): Float64Array =>
  Float64Array.from(s.mu, (m) => m + s.sigma * truncatedStd(rng, (s.lower - m) / s.sigma, (s.upper - m) / s.sigma))

registerBuiltinKind<TruncatedNormal>('TruncatedNormal', {
  create: (options) => new TruncatedNormal(options),
  vector: (t) => new VectorBuilder().add('mean', t.mean).add('scale', t.scale).build(),
  state: (t, data): TruncatedState => ({ mu: new Float64Array(data.X.rows).fill(t.mean), sigma: t.scale, lower: t.lower, upper: t.upper }),
  simulate: (_options, raw, template, rng) => {
    const x = redraw(raw as TruncatedState, rng)
    return { ...template, X: { rows: x.length, cols: 1, data: x } }
  },
})

registerBuiltinKind<TruncatedRegression>('TruncatedRegression', {
  create: (options) => new TruncatedRegression(options),
  fields: ['y'],
  required: ['y'],
  vector: (t) => coefficients(t.fitIntercept, t.intercept, t.coefficients).add('sigma', t.scale).build(),
  state: (t, data): TruncatedState => ({ mu: Float64Array.from(t.predict(data.X)), sigma: t.scale, lower: t.lower, upper: t.upper }),
  simulate: (_options, raw, template, rng) => ({ ...template, y: redraw(raw as TruncatedState, rng) }),
})
