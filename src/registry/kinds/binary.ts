/** BernoulliMixture in the registry: components aligned to the full fit by their probabilities, simulated from the fit. */
import { BernoulliMixture } from '../../estimators/BernoulliMixture.js'
import { matchComponents } from '../../core/math/assignment.js'
import { drawFrom } from '../../models/components/categorical.js'
import { registerBuiltinKind } from '../registry.js'
import { flat, permuteComponents, VectorBuilder } from './vector.js'

interface BernoulliMixtureState { readonly weights: Float64Array; readonly probs: Float64Array }

registerBuiltinKind<BernoulliMixture>('BernoulliMixture', {
  create: (options) => new BernoulliMixture(options),
  fields: ['sampleWeight'],
  vector: (bm) => {
    const k = bm.nComponents, d = bm.nFeatures
    return new VectorBuilder().addArray('weight', bm.weights, [k]).addArray('prob', flat(bm.probs), [k, d]).build()
  },
  align: (values, reference, bm) => {
    const k = bm.nComponents, d = bm.nFeatures
    const match = matchComponents(reference.subarray(k, k + k * d), values.subarray(k, k + k * d), k, d)
    return permuteComponents(values, match, [{ offset: 0, block: 1 }, { offset: k, block: d }])
  },
  state: (bm): BernoulliMixtureState => ({ weights: Float64Array.from(bm.weights), probs: flat(bm.probs) }),
  // each row: a component by its weight, then one uniform per feature against its probability
  simulate: (_options, raw, template, rng) => {
    const { weights, probs } = raw as BernoulliMixtureState
    const k = weights.length, d = probs.length / k, n = template.X.rows
    const x = new Float64Array(n * d)
    for (let i = 0; i < n; i++) {
      const c = drawFrom(weights, 0, k, rng)
      for (let j = 0; j < d; j++) x[i * d + j] = rng.uniform() < probs[c * d + j]! ? 1 : 0
    }
    return { ...template, X: { rows: n, cols: d, data: x } }
  },
})
