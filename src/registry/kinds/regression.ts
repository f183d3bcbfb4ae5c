/**
 * TobitRegression and ProbitRegression in the registry: data { X, y, sampleWeight? }.
 * Parametric replicates keep X (and the weights) and draw y from the fit at each row's
 * linear predictor (the estimators' own predict), i.e. the bootstrap conditional on
 * the design. Per-row censoring points (fit's lower/upper/intervals) are not part of
 * the bootstrap data: Tobit replicates use the estimator's `left`/`right`.
 */
import { ProbitRegression } from '../../estimators/ProbitRegression.js'
import { TobitRegression } from '../../estimators/TobitRegression.js'
import { registerBuiltinKind } from '../registry.js'
import { coefficients } from './vector.js'

interface TobitState { readonly mu: Float64Array; readonly sigma: number; readonly left: number; readonly right: number }

registerBuiltinKind<TobitRegression>('TobitRegression', {
  create: (options) => new TobitRegression(options),
  fields: ['y', 'sampleWeight'],
  required: ['y'],
  vector: (t) => coefficients(t.fitIntercept, t.intercept, t.coefficients).add('sigma', t.scale).build(),
  state: (t, data): TobitState => ({ mu: Float64Array.from(t.predict(data.X)), sigma: t.scale, left: t.left, right: t.right }),
  // y* = x'beta + sigma z, censored to [left, right] as the estimator reads it (y <= left: only y* <= left is known)
  simulate: (_options, raw, template, rng) => {
    const { mu, sigma, left, right } = raw as TobitState
    const y = Float64Array.from(mu, (m) => Math.min(right, Math.max(left, m + sigma * rng.normal())))
    return { ...template, y }
  },
})

interface ProbitState { readonly p: Float64Array }

registerBuiltinKind<ProbitRegression>('ProbitRegression', {
  create: (options) => new ProbitRegression(options),
  fields: ['y', 'sampleWeight'],
  required: ['y'],
  vector: (pr) => coefficients(pr.fitIntercept, pr.intercept, pr.coefficients).build(),
  state: (pr, data): ProbitState => ({ p: Float64Array.from(pr.predictProba(data.X)) }),
  // y = 1 with probability Phi(x'beta): the same law as 1[x'beta + z > 0], one uniform per row
  simulate: (_options, raw, template, rng) => ({ ...template, y: Float64Array.from((raw as ProbitState).p, (p) => (rng.uniform() < p ? 1 : 0)) }),
})
