/**
 * What every finite mixture keeps of a fit's data besides its component's buffers:
 * the sample weights, the n x k responsibilities, per-row log-likelihoods and the
 * log-weights the responsibilities kernel adds. The Gaussian and the Poisson mixtures
 * share the buffers, the E-step's last kernel call and incremental EM's row views.
 */
import type { ClassificationCapability, EMModel, EStepResult, PreparedData } from '../../engine/types.js'
import { addBlocks, blockShare, blocksOf, type RowBlock } from '../../engine/blocks.js'
import type { Arena, F64Buffer, Kernels } from '../../kernels/types.js'
import { blockWeight, type RowRange, rowsOf } from './blocks.js'

export interface MixtureData extends PreparedData {
  readonly n: number
  readonly sampleWeight: F64Buffer | null
  /** n*k: log-densities, then responsibilities. */
  readonly resp: F64Buffer
  readonly rowLogLik: F64Buffer
  readonly logWeights: F64Buffer
  readonly arena: Arena
}

/** The mixture's buffers for n rows and k components in `arena` (totalWeight: the sample weights summed, or n). */
/** The total weight of n rows: their sample weights summed in row order, or n. */
export function mixtureTotalWeight(n: number, sampleWeight: Float64Array | null): number {
  if (!sampleWeight) return n
  let totalWeight = 0
  for (let i = 0; i < sampleWeight.length; i++) totalWeight += sampleWeight[i]!
  return totalWeight
}

export function mixtureBuffers(arena: Arena, n: number, k: number, sampleWeight: Float64Array | null, workRows = n): MixtureData {
  const rows = Math.min(n, workRows)
  return {
    n, totalWeight: mixtureTotalWeight(n, sampleWeight),
    sampleWeight: sampleWeight ? arena.f64From(sampleWeight) : null,
    // fewer rows than n: work buffers that every block of rows, evaluated one at a time, shares (a shard's; see gmm/blocks.ts)
    resp: arena.f64(rows * k),
    rowLogLik: arena.f64(rows),
    logWeights: arena.f64(k),
    arena,
  }
}

/** The M-step of the mixing weights: each component's mass (stats[c * stride]) over their sum. */
export function massWeights(stats: Float64Array, k: number, stride = 1): Float64Array {
  let total = 0
  for (let c = 0; c < k; c++) total += stats[c * stride]!
  const weights = new Float64Array(k)
  for (let c = 0; c < k; c++) weights[c] = stats[c * stride]! / total
  return weights
}

/**
 * In place: the log-densities in data.resp become responsibilities under the mixing
 * weights `weights`, per-row log-likelihoods go to data.rowLogLik; returns the total
 * (weighted) log-likelihood.
 */
export function mixtureResponsibilities(kernels: Kernels, data: MixtureData, k: number, weights: Float64Array): number {
  const lw = data.logWeights.view
  for (let c = 0; c < k; c++) lw[c] = Math.log(weights[c]!)
  return kernels.responsibilities(data.resp, data.n, k, data.logWeights, data.rowLogLik, data.sampleWeight)
}

/** The mixture's part of a block of rows (incremental EM): views of the whole's buffers (the work buffers' rows `work`: the block's own, or the first rows' when blocks share them). */
export function mixtureRows(data: MixtureData, range: RowRange, k: number, work: RowRange = range): Pick<MixtureData, 'n' | 'totalWeight' | 'sampleWeight' | 'resp' | 'rowLogLik'> {
  return {
    n: range.hi - range.lo,
    totalWeight: blockWeight(data.sampleWeight, range),
    sampleWeight: data.sampleWeight ? rowsOf(data.sampleWeight, range, 1) : null,
    resp: rowsOf(data.resp, work, k),
    rowLogLik: rowsOf(data.rowLogLik, work, 1),
  }
}

/**
 * Classification EM for a mixture whose E-step is `expectation` (posteriors into
 * data.resp) followed by `statistics` (of whatever data.resp holds): the C-step hardens
 * the posteriors in place (kernel `hardenResponsibilities`, the first component on
 * ties) before the statistics are gathered; `beforeHarden` lets a model drop what it
 * cached about data.resp.
 */
export function mixtureClassification<P, D extends PreparedData & Pick<MixtureData, 'n' | 'resp' | 'rowLogLik' | 'sampleWeight'>>(
  kernels: Kernels, k: number,
  expectation: (data: D, params: P) => number,
  statistics: (data: D, params: P) => Float64Array,
  beforeHarden: (data: D) => void = () => {},
): ClassificationCapability<P, D> {
  const harden = (data: D, params: P): number => {
    const logLik = expectation(data, params)
    beforeHarden(data)
    // a non-finite log-likelihood is the engine's degenerate case: report it as the objective
    if (!Number.isFinite(logLik)) return logLik
    return kernels.hardenResponsibilities(data.resp, data.n, k, data.rowLogLik, data.sampleWeight)
  }
  return {
    cStep: (data, params) => {
      const logLik = harden(data, params)
      return { stats: statistics(data, params), logLik }
    },
    classificationLogLik: harden,
  }
}

/** Each blocked data's blocks, made at its first E-step (views of its buffers, valid as long as it is). */
const madeBlocks = new WeakMap<MixtureData, readonly MixtureData[]>()

/**
 * The blocks of mixture data prepared with work buffers for fewer rows than it has
 * (one block's: a shard's rows, or a serial fit by plain EM), to be evaluated one at a
 * time; null for data with every row's buffers. Made once per data (as a shard session
 * makes its blocks once), not at every E-step: a block's total weight is a pass over its
 * sample weights.
 */
export function workBlocks<D extends MixtureData>(data: D, rowBlock: RowBlock<D>): readonly D[] | null {
  const blockRows = data.rowLogLik.length
  if (blockRows >= data.n) return null
  let blocks = madeBlocks.get(data) as readonly D[] | undefined
  if (!blocks) madeBlocks.set(data, blocks = blocksOf(data, data.n, blockRows, rowBlock))
  return blocks
}

/** The E-step of data prepared in blocks: each block's, added in block order as a sharded fit adds its shards' blocks (engine/blocks.ts). */
export function blocksEStep<P, D extends MixtureData>(model: EMModel<P, D>, blocks: readonly D[], params: P): EStepResult {
  return addBlocks(blocks.map((block) => blockShare(model, block, params)))
}

const NO_STATS = new Float64Array(0)

/** The log-likelihood alone of data prepared in blocks: each block's `expectation`, added as blocksEStep adds them (no statistics gathered). */
export function blocksLogLik<D extends MixtureData>(blocks: readonly D[], expectation: (block: D) => number): number {
  return addBlocks(blocks.map((block) => ({ stats: NO_STATS, logLik: expectation(block), rows: block.n, totalWeight: block.totalWeight }))).logLik
}

/** Data prepared in blocks are evaluated a block at a time: a pass over every row would write past their work buffers. */
export function checkWholeRows(data: MixtureData): void {
  if (data.rowLogLik.length < data.n) throw new Error('emkit internal error: a pass over every row of data prepared in blocks')
}
