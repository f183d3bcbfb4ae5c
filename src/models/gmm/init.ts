import { InputError } from '../../core/errors.js'
import { flattenShape } from '../../core/shape.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import { type RowsPlan, runPlan, type ShardHandler } from '../init/plan.js'
import type { GaussianMixtureModel, GmmData, GmmParams } from './model.js'

export type InitMethod = 'kmeans++' | 'kmeans' | 'random' | 'random-from-data' | 'hc'
export const INIT_METHODS: readonly InitMethod[] = ['kmeans++', 'kmeans', 'random', 'random-from-data', 'hc']

/**
 * Starting parameters given by the user, in scikit-learn's shapes. Any of them may be
 * left out: the missing ones come, as in scikit-learn, from one M-step on the
 * responsibilities of `method` (default 'kmeans++'), and the given ones replace theirs.
 */
export interface GivenGmmParams {
  readonly weights?: ArrayLike<number>
  readonly means?: ArrayLike<ArrayLike<number>>
  readonly covariances?: unknown
  readonly method?: InitMethod
}

export type GmmInit = InitMethod | GivenGmmParams

/** The data-driven starts as plans over row shards (start.ts), once loadInit has loaded them. */
let starts: typeof import('./start.js') | null = null

/** mclust's hierarchical start (hc-start.ts over models/init/hc/), once a fit with init 'hc' has loaded it. */
let hcStart: typeof import('./hc-start.js').hcStart | null = null

/**
 * Import what an initialisation needs that bundles split off: init 'hc' (alone or as
 * given parameters' method) imports the agglomeration on first use. The estimator awaits
 * this before a fit (its loadParts), so initialParams stays synchronous.
 */
export async function loadInit(init: GmmInit): Promise<void> {
  const method = typeof init === 'object' ? init.method : init
  if (method === 'hc' && hcStart === null) hcStart = (await import('./hc-start.js')).hcStart
  // the passes over the rows (k-means and the other data-driven starts, start.ts): every start but 'hc' and fully given parameters
  if (method !== 'hc' && starts === null) starts = await import('./start.js')
  if (starts && starts.isOtherStart(method)) await starts.loadOtherStarts()
}

/**
 * Starting parameters. Every data-driven method ends the same way: responsibilities
 * (one-hot for the center-based methods) go through one M-step, so weights, means and
 * covariances all come from the data, as in scikit-learn.
 */
export function initialParams(model: GaussianMixtureModel, data: GmmData, init: GmmInit, rng: Rng, weight: Float64Array | null, hcSubset = HC_SUBSET): GmmParams {
  if (typeof init === 'object') {
    if (init.weights !== undefined && init.means !== undefined && init.covariances !== undefined) return completed(model, null, init)
    return completed(model, initialParams(model, data, init.method ?? 'kmeans++', rng, weight, hcSubset), init)
  }
  if (init === 'hc') {
    const labels = new Int32Array(data.n)
    // loaded by loadInit before the fit: missing means a caller skipped it
    if (hcStart === null) throw new Error("emkit internal error: init 'hc' was not loaded (await loadInit(init) before initialParams)")
    const centers = hcStart(model, data, labels, hcSubset, rng)
    const resp = model.overwriteResponsibilities(data)
    resp.fill(0)
    // a row outside hc's subset (label -1) gives no statistics: the M-step is the subset's
    for (let i = 0; i < data.n; i++) if (labels[i]! >= 0) resp[i * model.k + labels[i]!] = 1
    return model.fromStats(model.statistics(data, centers), centers)
  }
  // the passes over the rows as a sharded fit runs them on its shards, here over one shard holding every block
  const shard = gmmStartShard(model, data, weight, 0)
  try {
    return runPlan(gmmStartPlan(model, init, rng, data.n, weight !== null), [shard])
  } finally {
    shard.close()
  }
}

/** Whether `init` starts from passes over the rows that a sharded fit runs on its shards (kmeans++, kmeans, random-from-data, random; given parts completed by one of them; or every part given). */
export function shardableInit(init: GmmInit): boolean {
  const method = typeof init === 'object' ? (init.weights !== undefined && init.means !== undefined && init.covariances !== undefined ? null : init.method ?? 'kmeans++') : init
  return method === null || method === 'kmeans++' || method === 'kmeans' || method === 'random-from-data' || method === 'random'
}

/**
 * The start over rows held by shards (init/plan.ts; the methods' plans are in start.ts,
 * loaded by loadInit): given parameters as they are, or completed from `method`'s.
 */
export function* gmmStartPlan(model: GaussianMixtureModel, init: GmmInit, rng: Rng, n: number, weighted: boolean): RowsPlan<GmmParams> {
  if (typeof init === 'object') {
    if (init.weights !== undefined && init.means !== undefined && init.covariances !== undefined) return completed(model, null, init)
    return completed(model, yield* gmmStartPlan(model, init.method ?? 'kmeans++', rng, n, weighted), init)
  }
  return yield* loaded().methodStartPlan(model, init, rng, n, weighted)
}

/** A shard's side of gmmStartPlan (start.ts). */
export function gmmStartShard(model: GaussianMixtureModel, data: GmmData, weight: Float64Array | null, firstBlock: number): ShardHandler {
  return loaded().gmmStartShard(model, data, weight, firstBlock)
}

function loaded(): typeof import('./start.js') {
  // loaded by loadInit before the fit: missing means a caller skipped it
  if (starts === null) throw new Error('emkit internal error: the start plans were not loaded (await loadInit(init) before initialParams)')
  return starts
}

/** mclust.options('subset'): more rows than this are agglomerated as a random subset of this many. */
export const HC_SUBSET = 2000

/** The data-driven start with the given parts put in its place (scikit-learn's _initialize); every part given: no start (null). */
function completed(model: GaussianMixtureModel, fromData: GmmParams | null, init: GivenGmmParams): GmmParams {
  const { k, d } = model
  const weights = init.weights !== undefined ? givenWeights(init.weights, k) : fromData!.weights
  const means = init.means !== undefined ? flattenShape(init.means, [k, d], 'init.means') : fromData!.means
  const covariances = init.covariances !== undefined ? model.covariance.fromPublic(init.covariances, k, d) : fromData!.covariances
  return model.makeParams(weights, means, covariances)
}

export function givenWeights(value: ArrayLike<number>, k: number): Float64Array {
  const weights = flattenShape(value, [k], 'init.weights')
  let sum = 0
  for (let c = 0; c < k; c++) {
    if (!(weights[c]! >= 0)) throw new InputError('INVALID_DATA', `init.weights[${c}] is ${weights[c]}; weights must be >= 0.`)
    sum += weights[c]!
  }
  if (Math.abs(sum - 1) > 1e-6) throw new InputError('INVALID_DATA', `init.weights sum to ${sum}; they must sum to 1.`)
  return weights
}
