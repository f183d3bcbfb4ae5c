/**
 * GaussianHMM, CategoricalHMM, PoissonHMM, GMMHMM and the variational Gaussian and
 * categorical HMMs in the registry: data { X, lengths }.
 * Nonparametric replicates resample whole sequences (kind.unit 'sequences'); states
 * are matched to the full fit's (Gaussian: means; Poisson: rates; categorical:
 * emission rows; GMM: mixture-weighted state means, then each state's Gaussians by
 * their means) and the start vector, both axes of the transition matrix and the
 * emission blocks are permuted together. Parametric replicates re-create the
 * estimator with the fitted parameters as its `init` and draw sequences of the real
 * lengths with its own sampler. The variational HMMs are bootstrapped on their
 * posterior means, and simulated from them by the Baum-Welch estimator of the same
 * emission (the same generative model at those parameters).
 */
import { CategoricalHMM, GaussianHMM, GMMHMM, PoissonHMM, VariationalCategoricalHMM, VariationalGaussianHMM } from '../../estimators/hmm/index.js'
import { matchComponents } from '../../core/math/assignment.js'
import type { Matrix } from '../../core/matrix.js'
import { COVARIANCE } from '../../models/gmm/covariance-table.js'
import { covarianceEntryNames } from '../../models/gmm/covariance-names.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Dataset } from '../../runtime/dataset.js'
import { column } from '../../runtime/dataset.js'
import { type EstimatorKind, registerBuiltinKind } from '../registry.js'
import { permuteComponents, type Segment, VectorBuilder } from './vector.js'

type Hmm = GaussianHMM | CategoricalHMM | PoissonHMM | GMMHMM | VariationalGaussianHMM | VariationalCategoricalHMM

/** What sampling needs of an estimator whose `init` is a full fit. */
type Sampler = Pick<GaussianHMM, 'sampleSequences'>

/** start probabilities, transition matrix, then the emission parameters */
function hmmVector(h: Hmm): VectorBuilder {
  const k = h.nComponents
  return new VectorBuilder().addArray('startProb', h.startProb, [k]).addArray('transMat', h.transMat.flat(), [k, k])
}

/** The K x `width` block at the start of the emission part (the states' means, rates or emission rows). */
const leadingBlock = (k: number, width: number) => (v: Float64Array) => v.subarray(k + k * k, k + k * k + k * width)

/** Align states by their K x `width` keys (default the leading emission block); `emission` segments are relative to the emission part. */
function hmmAlign(values: Float64Array, reference: Float64Array, k: number, width: number, emission: readonly Segment[], key = leadingBlock(k, width)): Float64Array {
  const off = k + k * k
  const match = matchComponents(key(reference), key(values), k, width)
  return permuteComponents(values, match, [{ offset: 0, block: 1 }, ...emission.map((s) => ({ offset: off + s.offset, block: s.block }))], k)
}

/** Sequences of the real data's lengths drawn from an estimator whose `init` is the full fit. */
function simulateFrom(h: Sampler, template: Dataset, rng: Rng, cols: number): Dataset {
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

/** What both Gaussian HMMs' kinds do alike: fit on X, states aligned by their means (covariance blocks moved with them). */
function gaussianParts<H extends GaussianHMM | VariationalGaussianHMM>(): Pick<EstimatorKind<H>, 'fit' | 'align' | 'state'> {
  return {
    fit: (h, data, callbacks) => h.fit(data.X, { ...callbacks, ...lengthsOf(data) }),
    align: (values, reference, h) => {
      const k = h.nComponents, d = h.nFeaturesIn
      const strategy = COVARIANCE[h.covarianceType]
      return hmmAlign(values, reference, k, d, [{ offset: 0, block: d }, { offset: k * d, block: strategy.shared ? 0 : strategy.storageSize(1, d) }])
    },
    state: (h) => ({ startProb: h.startProb, transMat: h.transMat, means: h.means, covariances: h.covariances }),
  }
}

registerBuiltinKind('GaussianHMM', hmmKind<GaussianHMM>({
  create: (options) => new GaussianHMM(options),
  ...gaussianParts<GaussianHMM>(),
  vector: (h) => {
    const k = h.nComponents, d = h.means[0]!.length
    const e = h.fitResult.params.emission
    return hmmVector(h).addArray('mean', e.means, [k, d]).addNamed(covarianceEntryNames(COVARIANCE[h.covarianceType], k, d), e.covariances).build()
  },
  simulate: (options, init, template, rng) => simulateFrom(new GaussianHMM({ ...options, init: init as object }), template, rng, template.X.cols),
}))

/** What both categorical HMMs' kinds do alike: fit on a symbol column, emission rows in the vector, states aligned by them. */
function categoricalParts<H extends CategoricalHMM | VariationalCategoricalHMM>(): Pick<EstimatorKind<H>, 'fit' | 'vector' | 'align' | 'state'> {
  return {
    fit: (h, data, callbacks) => h.fit(column(data.X), { ...callbacks, ...lengthsOf(data) }),
    vector: (h) => hmmVector(h).addArray('emissionProb', h.emissionProb.flat(), [h.nComponents, h.nSymbols]).build(),
    align: (values, reference, h) => hmmAlign(values, reference, h.nComponents, h.nSymbols, [{ offset: 0, block: h.nSymbols }]),
    state: (h) => ({ startProb: h.startProb, transMat: h.transMat, emissionProb: h.emissionProb }),
  }
}

registerBuiltinKind('CategoricalHMM', hmmKind<CategoricalHMM>({
  create: (options) => new CategoricalHMM(options),
  ...categoricalParts<CategoricalHMM>(),
  simulate: (options, init, template, rng) => simulateFrom(new CategoricalHMM({ ...options, init: init as object }), template, rng, 1),
}))

registerBuiltinKind('PoissonHMM', hmmKind<PoissonHMM>({
  create: (options) => new PoissonHMM(options),
  fit: (h, data, callbacks) => h.fit(column(data.X), { ...callbacks, ...lengthsOf(data) }),
  vector: (h) => hmmVector(h).addArray('rate', h.rates, [h.nComponents]).build(),
  align: (values, reference, h) => hmmAlign(values, reference, h.nComponents, 1, [{ offset: 0, block: 1 }]),
  state: (h) => ({ startProb: h.startProb, transMat: h.transMat, rates: h.rates }),
  simulate: (options, init, template, rng) => simulateFrom(new PoissonHMM({ ...options, init: init as object }), template, rng, 1),
}))

registerBuiltinKind('VariationalGaussianHMM', hmmKind<VariationalGaussianHMM>({
  create: (options) => new VariationalGaussianHMM(options),
  ...gaussianParts<VariationalGaussianHMM>(),
  vector: (h) => {
    const k = h.nComponents, d = h.nFeatures
    return hmmVector(h).addArray('mean', Float64Array.from(h.means.flat()), [k, d])
      .addNamed(covarianceEntryNames(COVARIANCE[h.covarianceType], k, d), h.fitResult.params.emission.point.covariances).build()
  },
  simulate: (options, init, template, rng) => simulateFrom(new GaussianHMM({ nComponents: options['nComponents'] as number | undefined, covarianceType: (options['covarianceType'] ?? 'full') as 'full', init: init as object }), template, rng, template.X.cols),
}))

registerBuiltinKind('VariationalCategoricalHMM', hmmKind<VariationalCategoricalHMM>({
  create: (options) => new VariationalCategoricalHMM(options),
  ...categoricalParts<VariationalCategoricalHMM>(),
  simulate: (options, init, template, rng) => simulateFrom(new CategoricalHMM({ nComponents: options['nComponents'] as number | undefined, init: init as object }), template, rng, 1),
}))

/** A GMM-HMM's emission part: weights (K x M), means (K x M x d), covariances (K blocks of the type's storage for M). */
function gmmLayout(h: GMMHMM) {
  const k = h.nComponents, M = h.nMix, d = h.means[0]![0]!.length, strategy = COVARIANCE[h.covarianceType]
  const off = k + k * k
  return { k, M, d, strategy, weights: off, means: off + k * M, covariances: off + k * M + k * M * d, covBlock: strategy.storageSize(M, d) }
}

/** Each state's mixture-weighted mean (K x d): what identifies a state whatever the order of its Gaussians. */
function stateMeans(v: Float64Array, h: GMMHMM): Float64Array {
  const { k, M, d, weights, means } = gmmLayout(h)
  const out = new Float64Array(k * d)
  for (let s = 0; s < k; s++) for (let m = 0; m < M; m++) for (let j = 0; j < d; j++) out[s * d + j] += v[weights + s * M + m]! * v[means + (s * M + m) * d + j]!
  return out
}

/** States matched by their weighted means, then the Gaussians within each state by their means. */
function gmmAlign(values: Float64Array, reference: Float64Array, h: GMMHMM): Float64Array {
  const L = gmmLayout(h), { k, M, d } = L
  const byState = hmmAlign(values, reference, k, d, [
    { offset: 0, block: M }, { offset: L.means - L.weights, block: M * d }, { offset: L.covariances - L.weights, block: L.covBlock },
  ], (v) => stateMeans(v, h))
  let out = byState
  for (let s = 0; s < k; s++) {
    const at = L.means + s * M * d
    const match = matchComponents(reference.subarray(at, at + M * d), out.subarray(at, at + M * d), M, d)
    out = permuteComponents(out, match, [
      { offset: L.weights + s * M, block: 1 }, { offset: at, block: d },
      { offset: L.covariances + s * L.covBlock, block: L.strategy.shared ? 0 : L.strategy.storageSize(1, d) },
    ])
  }
  return out
}

registerBuiltinKind('GMMHMM', hmmKind<GMMHMM>({
  create: (options) => new GMMHMM(options),
  fit: (h, data, callbacks) => h.fit(data.X, { ...callbacks, ...lengthsOf(data) }),
  vector: (h) => {
    const { k, M, d, strategy } = gmmLayout(h)
    const e = h.fitResult.params.emission
    // the covariance names of state s: its Gaussians' (or its tied block's) with [s] after the prefix
    const covNames = Array.from({ length: k }, (_, s) => covarianceEntryNames(strategy, M, d).map((n) => n.replace('[', `[${s}][`))).flat()
    return hmmVector(h).addArray('weight', e.weights, [k, M]).addArray('mean', e.states.flatMap((p) => Array.from(p.means)), [k, M, d])
      .addNamed(covNames, e.states.flatMap((p) => Array.from(p.covariances))).build()
  },
  align: gmmAlign,
  state: (h) => ({ startProb: h.startProb, transMat: h.transMat, weights: h.weights, means: h.means, covariances: h.covariances }),
  simulate: (options, init, template, rng) => simulateFrom(new GMMHMM({ ...options, init: init as object }), template, rng, template.X.cols),
}))
