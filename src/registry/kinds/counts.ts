/** GammaPoisson in the registry: data counts or { X: counts, exposure }; simulated as theta ~ Gamma(alpha, beta), x ~ Poisson(theta t). */
import { GammaPoisson } from '../../estimators/GammaPoisson.js'
import { poissonDraw } from '../../models/hmm/emissions.js'
import { registerBuiltinKind } from '../registry.js'
import { VectorBuilder } from './vector.js'
import { gamma } from '../../core/rng/sampling.js'

interface GammaPoissonState { readonly alpha: number; readonly beta: number }

registerBuiltinKind<GammaPoisson>('GammaPoisson', {
  create: (options) => new GammaPoisson(options),
  fields: ['exposure'],
  vector: (gp) => new VectorBuilder().add('alpha', gp.alpha).add('beta', gp.beta).build(),
  state: (gp): GammaPoissonState => ({ alpha: gp.alpha, beta: gp.beta }),
  simulate: (_options, raw, template, rng) => {
    const { alpha, beta } = raw as GammaPoissonState
    const n = template.X.rows, t = template.exposure
    const x = Float64Array.from({ length: n }, (_, i) => poissonDraw(gamma(rng, alpha, beta) * (t ? t[i]! : 1), rng))
    return { ...template, X: { rows: n, cols: 1, data: x } }
  },
})
