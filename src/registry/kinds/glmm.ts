/**
 * LogisticGLMM in the registry: data { X, y, groups, trials? }. Nonparametric
 * replicates draw whole groups (a group drawn twice becomes two groups: the random
 * intercepts are the units that are independent). Parametric replicates keep X, the
 * grouping and the trials, and draw b_g ~ N(0, sigma^2) per group, then
 * y_i ~ Binomial(trials_i, logistic(x_i'beta + b_g)).
 */
import { LogisticGLMM } from '../../estimators/LogisticGLMM.js'
import { registerBuiltinKind } from '../registry.js'
import { unitCount } from '../../runtime/dataset.js'
import { coefficients } from './vector.js'
import { binomial } from '../../core/rng/sampling.js'

interface GlmmState { readonly eta: Float64Array; readonly sigma: number }

registerBuiltinKind<LogisticGLMM>('LogisticGLMM', {
  create: (options) => new LogisticGLMM(options),
  fields: ['y', 'groups', 'trials'],
  required: ['y', 'groups'],
  unit: 'groups',
  vector: (g) => coefficients(g.fitIntercept, g.intercept, g.coefficients).add('randomEffectSD', g.randomEffectSD).build(),
  state: (g, data): GlmmState => ({ eta: Float64Array.from(g.decisionFunction(data.X)), sigma: g.randomEffectSD }),
  simulate: (_options, raw, template, rng) => {
    const { eta, sigma } = raw as GlmmState
    const codes = template.groups!
    const b = Float64Array.from({ length: unitCount(template, 'groups') }, () => sigma * rng.normal())
    const y = Float64Array.from(eta, (e, i) => binomial(rng, template.trials ? template.trials[i]! : 1, 1 / (1 + Math.exp(-(e + b[codes[i]!]!)))))
    return { ...template, y }
  },
})
