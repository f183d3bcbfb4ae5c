/**
 * The Gaussian mixture's label draws for SEM and MCEM (see monte-carlo.ts, the
 * capability, which imports this on demand).
 */
import { DegenerateError } from '../../core/errors.js'
import type { F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { CovarianceStrategy } from './covariance.js'
import type { GmmData } from './data.js'
import type { GmmParams } from './params.js'

/** What the draws need of the model (GaussianMixtureModel has it). */
// MCEM's Q of the draws, loaded with them
export { completeLogLiks } from './complete-loglik.js'

export interface GaussianMixtureModel {
  readonly kernels: Kernels
  readonly k: number
  readonly d: number
  readonly covariance: CovarianceStrategy
  ensureResponsibilities(data: GmmData, params: GmmParams): void
  overwriteResponsibilities(data: GmmData): Float64Array
  statistics(data: GmmData, ref: Float64Array, params?: GmmParams): Float64Array
}

/** Layout of one component's block in the statistics: [N (k) | S1 (k*d) | S2 (k*s2)]. */
function s2Size(model: GaussianMixtureModel): number {
  return model.covariance.statsKernel === 'statsFull' ? model.d * model.d : model.d
}

/** Kernel buffers of the draws, allocated once per data in its arena (freed with it). */
interface DrawBuffers {
  /** n*k responsibilities at `at`, what sampleCategorical reads: data.resp gets each draw's one-hot labels. */
  readonly prob: F64Buffer
  readonly labels: I32Buffer
  /** The generator's state, advanced by the kernel. */
  readonly state: I32Buffer
  at: GmmParams | null
}

const drawBuffers = new WeakMap<GmmData, DrawBuffers>()

function buffersOf(model: GaussianMixtureModel, data: GmmData): DrawBuffers {
  let b = drawBuffers.get(data)
  if (!b) {
    b = { prob: data.arena.f64(data.n * model.k), labels: data.arena.i32(data.n), state: data.arena.i32(4), at: null }
    drawBuffers.set(data, b)
  }
  return b
}

/** The responsibilities at `params` in b.prob, from data.resp (an E-step only if they are not there). */
function responsibilitiesAt(model: GaussianMixtureModel, data: GmmData, params: GmmParams, b: DrawBuffers): void {
  if (b.at === params) return
  model.ensureResponsibilities(data, params)
  b.prob.view.set(data.resp.view.subarray(0, data.n * model.k))
  b.at = params
}

export function sampleLabels(model: GaussianMixtureModel, data: GmmData, params: GmmParams, rng: Rng, m: number): Float64Array {
  const { kernels, k, d, covariance } = model
  const n = data.n
  const s2 = s2Size(model)
  const b = buffersOf(model, data)
  responsibilitiesAt(model, data, params, b)
  // The responsibilities' statistics, computed on the first draw that leaves a component short
  // (data.resp holds that draw's labels by then: put the responsibilities back from b.prob).
  let expected: Float64Array | null = null
  const expectedStats = (): Float64Array => {
    model.overwriteResponsibilities(data).set(b.prob.view)
    return model.statistics(data, params.means, params)
  }
  const minPoints = covariance.minPoints(d)
  const size = k + k * d + k * s2
  const width = size + k * d
  const out = new Float64Array(m * width)
  b.state.view.set(rng.state)
  for (let r = 0; r < m; r++) {
    const bad = kernels.sampleCategorical(b.state, b.prob, n, k, b.labels)
    if (bad > 0) throw new DegenerateError('DEGENERATE', `${bad} rows have no finite responsibilities at the current parameters, so their labels cannot be drawn; use a larger regCovar or rescale the data.`, { rows: bad })
    const resp = model.overwriteResponsibilities(data), lab = b.labels.view
    resp.fill(0, 0, n * k)
    for (let i = 0; i < n; i++) resp[i * k + lab[i]!] = 1
    const s = model.statistics(data, params.means, params)
    for (let c = 0; c < k; c++) {
      if (s[c]! >= minPoints) continue
      expected ??= expectedStats()
      s[c] = expected[c]!
      s.set(expected.subarray(k + c * d, k + (c + 1) * d), k + c * d)
      s.set(expected.subarray(k + k * d + c * s2, k + k * d + (c + 1) * s2), k + k * d + c * s2)
    }
    out.set(s, r * width)
    out.set(params.means, r * width + size)
  }
  rng.state.set(b.state.view)
  return out
}
