/**
 * GaussianHMM, CategoricalHMM and PoissonHMM in the registry: data { X, lengths }.
 * Nonparametric replicates resample whole sequences (kind.unit 'sequences'); states
 * are matched to the full fit's (Gaussian: means; Poisson: rates; categorical:
 * emission rows) and the start vector, both axes of the transition matrix and the
 * emission blocks are permuted together. Parametric replicates re-create the
 * estimator with the fitted parameters as its `init` and draw sequences of the real
 * lengths with its own sampler.
 */
import { CategoricalHMM, GaussianHMM, PoissonHMM } from '../../estimators/hmm/index.js'
import { matchComponents } from '../../core/math/assignment.js'
import type { Matrix } from '../../core/matrix.js'
import { COVARIANCE } from '../../models/gmm/covariance.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Dataset } from '../../runtime/dataset.js'
import { column } from '../../runtime/dataset.js'
import { type EstimatorKind, registerKind } from '../registry.js'
import { permuteComponents, type Segment, VectorBuilder } from './vector.js'

type Hmm = GaussianHMM | CategoricalHMM | PoissonHMM

/** start probabilities, transition matrix, then the emission parameters */
function hmmVector(h: Hmm): VectorBuilder {
  const k = h.nComponents
  return new VectorBuilder().addArray('startProb', h.startProb, [k]).addArray('transMat', h.transMat.flat(), [k, k])
}

/** Align by the K x `width` block at `offset` of the emission part (the states' means, rates or emission rows). */
function hmmAlign(values: Float64Array, reference: Float64Array, k: number, width: number, emission: readonly Segment[]): Float64Array {
  const off = k + k * k
  const match = matchComponents(reference.subarray(off, off + k * width), values.subarray(off, off + k * width), k, width)
  return permuteComponents(values, match, [{ offset: 0, block: 1 }, ...emission.map((s) => ({ offset: off + s.offset, block: s.block }))], k)
}

/** Sequences of the real data's lengths drawn from an estimator whose `init` is the full fit. */
function simulateFrom(h: Hmm, template: Dataset, rng: Rng, cols: number): Dataset {
  const lengths = template.lengths ?? Float64Array.of(template.X.rows)
  const obs = h.sampleSequences(lengths, rng)
  const X: Matrix = { rows: obs.length, cols, data: Float64Array.from(cols === 1 && typeof obs[0] === 'number' ? (obs as number[]) : (obs as number[][]).flat()) }
  return { ...template, X }
}

/** What the three kinds share: data { X, lengths }, whole-sequence resampling. */
function hmmKind<E extends Hmm>(kind: Omit<EstimatorKind<E>, 'fields' | 'unit'>): EstimatorKind<E> {
  return { fields: ['lengths'], unit: 'sequences', ...kind }
}

const lengthsOf = (data: Dataset) => (data.lengths ? { lengths: data.lengths } : {})

registerKind('GaussianHMM', hmmKind<GaussianHMM>({
  create: (options) => new GaussianHMM(options),
  fit: (h, data) => h.fit(data.X, lengthsOf(data)),
  vector: (h) => {
    const k = h.nComponents, d = h.means[0]!.length
    const e = h.fitResult.params.emission
    return hmmVector(h).addArray('mean', e.means, [k, d]).addNamed(COVARIANCE[h.covarianceType].entryNames(k, d), e.covariances).build()
  },
  align: (values, reference, h) => {
    const k = h.nComponents, d = h.means[0]!.length
    const strategy = COVARIANCE[h.covarianceType]
    return hmmAlign(values, reference, k, d, [{ offset: 0, block: d }, { offset: k * d, block: strategy.shared ? 0 : strategy.storageSize(1, d) }])
  },
  state: (h) => ({ startProb: h.startProb, transMat: h.transMat, means: h.means, covariances: h.covariances }),
  simulate: (options, init, template, rng) => simulateFrom(new GaussianHMM({ ...options, init: init as object }), template, rng, template.X.cols),
}))

registerKind('CategoricalHMM', hmmKind<CategoricalHMM>({
  create: (options) => new CategoricalHMM(options),
  fit: (h, data) => h.fit(column(data.X), lengthsOf(data)),
  vector: (h) => hmmVector(h).addArray('emissionProb', h.emissionProb.flat(), [h.nComponents, h.nSymbols]).build(),
  align: (values, reference, h) => hmmAlign(values, reference, h.nComponents, h.nSymbols, [{ offset: 0, block: h.nSymbols }]),
  state: (h) => ({ startProb: h.startProb, transMat: h.transMat, emissionProb: h.emissionProb }),
  simulate: (options, init, template, rng) => simulateFrom(new CategoricalHMM({ ...options, init: init as object }), template, rng, 1),
}))

registerKind('PoissonHMM', hmmKind<PoissonHMM>({
  create: (options) => new PoissonHMM(options),
  fit: (h, data) => h.fit(column(data.X), lengthsOf(data)),
  vector: (h) => hmmVector(h).addArray('rate', h.rates, [h.nComponents]).build(),
  align: (values, reference, h) => hmmAlign(values, reference, h.nComponents, 1, [{ offset: 0, block: 1 }]),
  state: (h) => ({ startProb: h.startProb, transMat: h.transMat, rates: h.rates }),
  simulate: (options, init, template, rng) => simulateFrom(new PoissonHMM({ ...options, init: init as object }), template, rng, 1),
}))
