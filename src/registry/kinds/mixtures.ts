/** PoissonMixture and TMixture in the registry (fitted through the estimator base): components aligned to the full fit (rates; means), simulated from the fit. */
import { PoissonMixture } from '../../estimators/PoissonMixture.js'
import { TMixture } from '../../estimators/TMixture.js'
import { matchComponents } from '../../core/math/assignment.js'
import { jsKernels } from '../../kernels/js/index.js'
import { sampleMixture } from '../../models/gmm/sample.js'
import { drawFrom, poissonDraw } from '../../models/hmm/emissions.js'
import { registerBuiltinKind } from '../registry.js'
import { flat, normalRowsToT, permuteComponents, VectorBuilder } from './vector.js'

interface PoissonMixtureState { readonly weights: Float64Array; readonly rates: Float64Array }

registerBuiltinKind<PoissonMixture>('PoissonMixture', {
  create: (options) => new PoissonMixture(options),
  fields: ['sampleWeight'],
  vector: (pm) => new VectorBuilder().addArray('weight', pm.weights, [pm.nComponents]).addArray('rate', pm.rates, [pm.nComponents]).build(),
  align: (values, reference, pm) => {
    const k = pm.nComponents
    const match = matchComponents(reference.subarray(k, 2 * k), values.subarray(k, 2 * k), k, 1)
    return permuteComponents(values, match, [{ offset: 0, block: 1 }, { offset: k, block: 1 }])
  },
  state: (pm): PoissonMixtureState => ({ weights: Float64Array.from(pm.weights), rates: Float64Array.from(pm.rates) }),
  // each count: a component by its weight, then a Poisson draw at its rate; weights kept
  simulate: (_options, raw, template, rng) => {
    const { weights, rates } = raw as PoissonMixtureState
    const n = template.X.rows
    const y = Float64Array.from({ length: n }, () => poissonDraw(rates[drawFrom(weights, 0, weights.length, rng)]!, rng))
    return { ...template, X: { rows: n, cols: 1, data: y } }
  },
})

interface TMixtureState {
  readonly weights: Float64Array
  readonly means: Float64Array
  readonly scatters: Float64Array
  readonly nu: Float64Array
}

registerBuiltinKind<TMixture>('TMixture', {
  create: (options) => new TMixture(options),
  fields: ['sampleWeight'],
  vector: (tm) => {
    const k = tm.nComponents, d = tm.means[0]!.length
    return new VectorBuilder()
      .addArray('weight', tm.weights, [k])
      .addArray('mean', flat(tm.means), [k, d])
      .addArray('scatter', Float64Array.from(tm.scatters.flat(2)), [k, d, d])
      .addArray('nu', tm.degreesOfFreedom, [k])
      .build()
  },
  align: (values, reference, tm) => {
    const k = tm.nComponents, d = tm.means[0]!.length
    const match = matchComponents(reference.subarray(k, k + k * d), values.subarray(k, k + k * d), k, d)
    return permuteComponents(values, match, [
      { offset: 0, block: 1 }, { offset: k, block: d }, { offset: k + k * d, block: d * d }, { offset: k + k * d + k * d * d, block: 1 },
    ])
  },
  state: (tm): TMixtureState => ({
    weights: Float64Array.from(tm.weights), means: flat(tm.means),
    scatters: Float64Array.from(tm.scatters.flat(2)), nu: Float64Array.from(tm.degreesOfFreedom),
  }),
  // a t draw is mean + (normal draw - mean) / sqrt(g / nu), g ~ chi-square(nu): the normal part from the one mixture sampler
  simulate: (_options, raw, template, rng) => {
    const { weights, means, scatters, nu } = raw as TMixtureState
    const k = weights.length, d = means.length / k, n = template.X.rows
    const { data, labels } = sampleMixture(jsKernels, { k, d, weights, means, fullCovariances: scatters }, n, rng)
    return { ...template, X: { rows: n, cols: d, data: normalRowsToT(data, d, means, nu, (i) => labels[i]!, rng) } }
  },
})
