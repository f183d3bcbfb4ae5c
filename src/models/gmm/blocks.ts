/**
 * Incremental EM for the Gaussian mixture (the `incremental` capability; the engine's
 * variants/incremental.ts drives it). A block is the prepared data of a run of rows:
 * views of the whole's kernel buffers (rows, sample weights, responsibilities, per-row
 * log-likelihoods; with missing values, its part of the pattern layout), so the model's
 * own E-step runs on it unchanged, every covariance type and missing values included.
 * Its statistics are gathered around the means it is evaluated at; the Gaussian
 * component moves them to other means exactly (`GaussianComponent.recentre`), the
 * weights' part (N) does not depend on the reference.
 */
import type { IncrementalCapability } from '../../engine/types.js'
import type { GaussianComponent } from '../components/gaussian.js'
import { type RowRange, rowBlocks, rowsOf } from '../common/blocks.js'
import { mixtureRows } from '../common/mixture.js'
import { notLoaded } from '../../core/errors.js'
import type { CovarianceStrategy } from './covariance.js'
import type { GmmData } from './data.js'
import { missingStatisticsCode } from './missing-load.js'
import type { GmmParams } from './params.js'

/** What the blocks need of the model (GaussianMixtureModel has it). */
interface GaussianMixtureModel {
  readonly k: number
  readonly d: number
  readonly covariance: CovarianceStrategy
  readonly gaussian: GaussianComponent
}

/** complete-loglik.ts (with the recentring) once `load` has imported it (bundles load it only for a fit by incremental EM, or standard errors). */
let complete: typeof import('./complete-loglik.js') | null = null

export function gmmIncremental(model: GaussianMixtureModel): IncrementalCapability<GmmParams, GmmData> {
  return {
    async load() { complete ??= await import('./complete-loglik.js') },
    splitBlocks: (data, blocks) => splitBlocks(model, data, blocks),
    rowBlock: (data, lo, hi) => blockOf(model, data, { lo, hi }),
    recentre: (stats, from, to) => loaded().recentreGaussianStats(stats, from.means, to.means, model.k, model.d, model.covariance.statsKernel === 'statsFull'),
    // Q from statistics around params.means: one "draw" whose reference is params.means
    completeLogLik: (stats, params) => loaded().completeLogLikAround(model, stats, params.means, params),
  }
}

function loaded(): typeof import('./complete-loglik.js') {
  if (!complete) throw notLoaded('The Gaussian mixture\'s complete-data log-likelihood', 'incremental.load() (loadStepper does)')
  return complete
}

function splitBlocks(model: GaussianMixtureModel, data: GmmData, blocks: number): GmmData[] {
  // the blocks' E-steps overwrite the whole's responsibilities piece by piece
  data.respAt = null
  return rowBlocks(data.n, blocks).map((range) => blockOf(model, data, range))
}

/**
 * The prepared data of one run of rows: views of the whole's buffers (the first rows'
 * work buffers when the whole has only a block's: `GaussianMixtureModel.prepare`'s blockRows).
 */
function blockOf(model: GaussianMixtureModel, data: GmmData, range: RowRange): GmmData {
  const { k, d } = model
  const shared = data.rowLogLik.length < data.n
  const work = shared ? { lo: 0, hi: range.hi - range.lo } : range
  return {
    ...data,
    ...mixtureRows(data, range, k, work),
    x: rowsOf(data.x, range, d),
    ...(data.missing ? { missing: missingStatisticsCode().missingBlock(data.missing, range.lo, range.hi, k, d) } : {}),
    respAt: null,
  }
}
