/**
 * LatentDirichletAllocation in the registry: a corpus is a Dataset of (term, count)
 * rows, one run of `lengths` rows per document, so replicates resample whole documents
 * ('sequences'); topics aligned to the full fit by their topic-word rows.
 */
import { LatentDirichletAllocation } from '../../estimators/LatentDirichletAllocation.js'
import { matchComponents } from '../../core/math/assignment.js'
import { registerBuiltinKind } from '../registry.js'
import { permuteComponents, VectorBuilder } from './vector.js'

registerBuiltinKind<LatentDirichletAllocation>('LatentDirichletAllocation', {
  create: (options) => new LatentDirichletAllocation(options),
  fields: ['lengths'],
  required: ['lengths'],
  unit: 'sequences',
  vector: (lda) => {
    const c = lda.components
    return new VectorBuilder().addArray('topicWord', c.flat(), [c.length, c[0]!.length]).build()
  },
  align: (values, reference, lda) => {
    const k = lda.nComponents, v = values.length / k
    return permuteComponents(values, matchComponents(reference, values, k, v), [{ offset: 0, block: v }])
  },
})
