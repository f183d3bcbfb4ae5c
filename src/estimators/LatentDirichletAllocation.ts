import { InputError, OptionError, UnsupportedError } from '../core/errors.js'
import type { Rng } from '../core/rng/xoshiro128.js'
import type { OnlineSettings } from '../engine/online-options.js'
import type { StrategyOptions } from '../engine/strategy.js'
import type { Kernels } from '../kernels/types.js'
import { blocksOf, type LdaData, LdaModel, type LdaParams } from '../models/lda/model.js'
import { type Dataset, shareDataset } from '../runtime/dataset.js'
import { parallelRunner, type ShardGroup, threadsFor } from '../runtime/runner.js'
import { paramsFingerprint } from '../runtime/statistics.js'
import { decodeAll, encodeStatistics, mergeDecoded } from '../runtime/statistics-write.js'
import type { ShardSession } from './shard.js'
import { ENGINE_OPTIONS } from './engine-options.js'
import { Estimator, type BaseFitOptions, type Shape } from './base.js'
import { type CountsInput, countsDataset } from './lda-input.js'
import { integerAtLeast, numberAtLeast, oneOf, type OptionDef, type Resolved, show } from './schema.js'
import { loadKernels } from '../kernels/index.js'
import { gamma } from '../core/rng/sampling.js'

export type { CountsInput, CsrCounts, DenseCounts, TripletCounts } from './lda-input.js'
export type { LdaParams } from '../models/lda/model.js'

export type LdaLearningMethod = 'batch' | 'online'
/** 'random' (seeded Gamma(100, 1/100) draws, scikit-learn's) or the starting topic-word matrix (K x V, entries > 0). */
export type LdaInit = 'random' | { readonly topicWord: ArrayLike<ArrayLike<number>> }

const nullOrPositive = (v: unknown, name: string): number | null => (v === null ? null : numberAtLeast(0, true)(v, name))

function checkInit(value: unknown, name: string): LdaInit {
  if (value === 'random') return value
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const key of Object.keys(value)) if (key !== 'topicWord') throw new OptionError(name, `has no entry '${key}'; give 'random' or { topicWord }.`)
    const tw = (value as { topicWord?: unknown }).topicWord as ArrayLike<ArrayLike<unknown>> | undefined
    if (!tw || typeof tw.length !== 'number' || tw.length === 0) throw new OptionError(name, `init.topicWord must be K rows of V positive numbers, got ${show(tw)}.`)
    for (let k = 0; k < tw.length; k++) {
      const row = tw[k]
      if (!row || typeof row.length !== 'number') throw new OptionError(name, `init.topicWord[${k}] is ${show(row)}, not a row of numbers.`)
      for (let w = 0; w < row.length; w++) {
        const v = row[w]
        if (!(typeof v === 'number' && v > 0 && v < Infinity)) throw new OptionError(name, `init.topicWord[${k}][${w}] is ${show(v)}; topic-word parameters must be finite and > 0.`, { row: k, column: w })
      }
    }
    return value as LdaInit
  }
  throw new OptionError(name, `must be 'random' or { topicWord }, got ${show(value)}.`)
}

const SCHEMA = {
  /** Number of topics K. */
  nComponents: { default: 10, check: integerAtLeast(1) } as OptionDef<number>,
  /** alpha of the documents' Dirichlet prior over topics, > 0; default (null) 1 / nComponents. */
  docTopicPrior: { default: null, check: nullOrPositive } as OptionDef<number | null>,
  /** eta of the topics' Dirichlet prior over terms, > 0; default (null) 1 / nComponents. */
  topicWordPrior: { default: null, check: nullOrPositive } as OptionDef<number | null>,
  /** 'batch' (all documents per update) or 'online' (mini-batches of batchSize). */
  learningMethod: { default: 'batch', check: oneOf(['batch', 'online'] as const) } as OptionDef<LdaLearningMethod>,
  /** kappa of the online step size (learningOffset + t)^-kappa; in (0.5, 1] for convergence. */
  learningDecay: { default: 0.7, check: numberAtLeast(0) } as OptionDef<number>,
  /** tau0 of the online step size; > 1 down-weights early iterations. */
  learningOffset: { default: 10, check: numberAtLeast(0) } as OptionDef<number>,
  /** Passes over the corpus (EM iterations). */
  maxIter: { default: 10, check: integerAtLeast(0) } as OptionDef<number>,
  /** Documents per online mini-batch (consecutive, in corpus order). */
  batchSize: { default: 128, check: integerAtLeast(1) } as OptionDef<number>,
  /** Check perplexity every this many iterations for perpTol (<= 0: never; the bound is recorded in history anyway). */
  evaluateEvery: { default: -1, check: (v: unknown, n: string) => { if (!(typeof v === 'number' && Number.isInteger(v))) throw new OptionError(n, `must be an integer, got ${show(v)}.`); return v } } as OptionDef<number>,
  /** Documents partialFit scales a mini-batch to (scikit-learn's total_samples). */
  totalSamples: { default: 1e6, check: numberAtLeast(0, true) } as OptionDef<number>,
  /** Stop when perplexity changes by less than this between evaluations. */
  perpTol: { default: 0.1, check: numberAtLeast(0) } as OptionDef<number>,
  /** Per-document loop stops when the mean change of gamma is below this. */
  meanChangeTol: { default: 1e-3, check: numberAtLeast(0) } as OptionDef<number>,
  /** Most iterations of the per-document loop. */
  maxDocUpdateIter: { default: 100, check: integerAtLeast(1) } as OptionDef<number>,
  /** 'random' (seeded) or { topicWord }: the starting K x V topic-word matrix. */
  init: { default: 'random', check: checkInit } as OptionDef<LdaInit>,
  /** How training VE-steps start each document: 'ones' (deterministic, as scikit-learn's transform) or 'random' (seeded Gamma(100, 1/100) draws, scikit-learn's fit). */
  docInit: { default: 'ones', check: oneOf(['ones', 'random'] as const) } as OptionDef<'ones' | 'random'>,
  seed: ENGINE_OPTIONS.seed,
  backend: ENGINE_OPTIONS.backend,
  /** Threads for a batch fit's E-step (Node): 'auto' (large corpora only), or a count (1 = serial). Documents are cut into fixed blocks whose statistics add in order: the same bits either way. */
  workers: ENGINE_OPTIONS.workers,
}

export interface LatentDirichletAllocation extends Resolved<typeof SCHEMA> {}

export interface LdaOptions extends Partial<Omit<Resolved<typeof SCHEMA>, 'init'>> { init?: LdaInit }

/**
 * Latent Dirichlet allocation by batch or online variational Bayes, scikit-learn's
 * LatentDirichletAllocation (defaults and semantics, in camelCase), on the one engine.
 * Each document's variational parameters start from ones (as scikit-learn's transform),
 * so a fit is deterministic given the start (init 'random' is seeded). history holds
 * the approximate bound at the start and after each pass; a fit stops early on perpTol
 * only when evaluateEvery > 0.
 */
export class LatentDirichletAllocation extends Estimator<LdaParams, LdaModel, LdaData, LdaOptions> {
  static override readonly kind: string = 'LatentDirichletAllocation'
  static override readonly schema = SCHEMA

  override fit(counts: CountsInput, options: BaseFitOptions<LdaParams> = {}): Promise<this> { return super.fit(counts, options) }

  private get alpha(): number { return this.docTopicPrior ?? 1 / this.nComponents }
  private get eta(): number { return this.topicWordPrior ?? 1 / this.nComponents }

  protected toDataset(counts: unknown): Dataset { return countsDataset(counts) }
  protected override checkScale(): void {}
  /** A corpus whose counts are all 0 has nothing to fit (and no perplexity). */
  protected override forFit(data: Dataset): Dataset {
    if (tokensOf(data) === 0) throw new InputError('EMPTY_DATA', 'Every count of the corpus is 0: there are no tokens to fit topics to; give documents with at least one nonzero count.')
    return data
  }
  /** The vocabulary size; a dataset rebuilt without it (a resampled corpus) gives the largest term seen + 1. */
  protected shapeOf(data: Dataset): Shape {
    if (data.nTerms !== undefined) return { nTerms: data.nTerms }
    let max = -1
    for (let j = 0; j < data.X.rows; j++) max = Math.max(max, data.X.data[2 * j]!)
    return { nTerms: max + 1 }
  }
  protected override workOf(data: Dataset): number { return data.X.rows * this.nComponents }
  protected override strategyExtras(): Partial<StrategyOptions> {
    if (this.learningMethod === 'batch') return { algorithm: 'variational' }
    return { algorithm: 'online', online: { learningOffset: this.learningOffset, learningDecay: this.learningDecay } }
  }

  /** partialFit's mini-batches stand for totalSamples documents (scikit-learn's partial_fit; fit's stand for the corpus). */
  protected override onlineSettings(): OnlineSettings {
    return { learningOffset: this.learningOffset, learningDecay: this.learningDecay, totalWeight: this.totalSamples }
  }

  protected createModel(kernels: Kernels, shape: Shape): LdaModel {
    return new LdaModel(kernels, {
      nComponents: this.nComponents, nTerms: shape['nTerms']!, docTopicPrior: this.alpha, topicWordPrior: this.eta,
      maxDocUpdateIter: this.maxDocUpdateIter, meanChangeTol: this.meanChangeTol, evaluateEvery: this.evaluateEvery,
      perpTol: this.perpTol, batchSize: this.batchSize, docInit: this.docInit, seed: this.seed,
    })
  }

  protected prepareData(model: LdaModel, data: Dataset): LdaData {
    const prepared = model.prepare(data.X.data, data.lengths!)
    this.shardOverWorkers(model, data, prepared)
    return prepared
  }

  /**
   * A batch fit with deterministic document starts on a large corpus: its VE-steps run
   * on shards of whole blocks of documents, each a long task on its own worker that
   * copies its documents into kernel memory once and holds them for the whole fit (the
   * runner's `openShards`, as a sharded fit's rows: estimators/shard.ts). Each VE-step
   * sends the parameters and gets the blocks' statistics and document terms back
   * (`openShard`), added here in block order: the serial sum bit for bit. The shards
   * open at the first VE-step and close when the fit ends (`fitDataset`).
   */
  private shardOverWorkers(model: LdaModel, dataset: Dataset, data: LdaData): void {
    if (!this.fitting || this.learningMethod !== 'batch' || this.docInit !== 'ones') return
    const blocks = blocksOf(0, data.nDocs)
    const threads = threadsFor(this.workers, blocks.length, (dataset.X.rows / blocks.length) * this.nComponents * 50, this.kind)
    const runner = parallelRunner()
    if (threads <= 1 || !runner?.openShards) return
    const shared: Dataset = { ...shareDataset(dataset, (m) => runner.share(m)), nTerms: model.V }
    // a shard needs the settings, not the start (which may be a K x V matrix)
    const spec = { ...this.toSpec(), options: { ...this.toSpec().options, init: 'random' } }
    const tasks = Array.from({ length: threads }, (_, t) => {
      const first = Math.floor((t * blocks.length) / threads), last = Math.floor(((t + 1) * blocks.length) / threads) - 1
      return { spec, data: documentsOf(shared, blocks[first]![0], blocks[last]![1]), firstBlock: first }
    })
    let opening: Promise<ShardGroup> | null = null
    this.closeShards = async () => {
      const group = await opening?.catch(() => null)
      await group?.close()
    }
    model.setParallel(async (params) => {
      const group = await (opening ??= runner.openShards!(tasks, this.backendName))
      const merged = mergeDecoded(decodeAll(await group.eStep(params))).blocks[0]!
      return [{ stats: merged.stats, objective: merged.logLik }]
    })
  }

  /** Ends the shards of the fit under way (set by shardOverWorkers). */
  private closeShards: (() => Promise<void>) | null = null

  private fitting = false

  /** Only fits shard their VE-steps (scoring calls run one pass on this thread). */
  override async fitDataset(given: Dataset, options: BaseFitOptions<LdaParams> = {}): Promise<this> {
    this.fitting = true
    try {
      return await super.fitDataset(given, options)
    } finally {
      this.fitting = false
      const close = this.closeShards
      this.closeShards = null
      await close?.()
    }
  }

  /** The fitted model keeps nothing of the pool (nor the shared corpus). */
  protected override fitExtras(model: LdaModel): Record<string, unknown> {
    model.setParallel(null)
    return {}
  }

  /**
   * A shard of the batch VE-step (what a worker holds for a fit): `dataset`'s documents,
   * whole blocks of BLOCK_DOCS from global block `firstBlock`, in kernel memory until
   * closed; each `eStep(params)` gives every block's statistics and document terms (as
   * `logLik`) in a statistics buffer (runtime/statistics.ts).
   */
  override async openShard(dataset: Dataset, firstBlock = 0): Promise<ShardSession<LdaParams>> {
    const kernels = await loadKernels(this.backend)
    const model = this.createModel(kernels, this.shapeOf(dataset))
    const data = model.prepare(dataset.X.data, dataset.lengths!)
    const ranges = blocksOf(0, data.nDocs)
    return {
      eStep: (params) => encodeStatistics({
        fingerprint: paramsFingerprint(model.pack(params)),
        merged: false,
        blocks: model.shardStats(data, params, 0, data.nDocs).map(({ stats, objective }, b) => {
          const docs = ranges[b]![1] - ranges[b]![0]
          return { index: firstBlock + b, rows: docs, totalWeight: docs, logLik: objective, stats }
        }),
      }),
      call: () => { throw new UnsupportedError('An LDA shard answers VE-steps only (its start is drawn on the main thread).') },
      close: () => model.release(data),
    }
  }

  /** Across hosts LDA does not shard (its blocks are of documents, not of SHARD_BLOCK_ROWS rows): as before, refused. */
  override eStepShard(): Promise<Uint8Array> {
    return Promise.reject(new UnsupportedError("The model 'LatentDirichletAllocation' cannot be sharded across hosts (eStepShard); fit it on one machine, with the workers option for its batch VE-steps."))
  }

  protected initialParams(model: LdaModel, _data: LdaData, rng: Rng): LdaParams {
    const { K, V } = model
    const out = new Float64Array(K * V)
    if (this.init === 'random') {
      for (let i = 0; i < out.length; i++) out[i] = gamma(rng, 100, 100)
    } else {
      const tw = this.init.topicWord
      if (tw.length !== K || tw[0]!.length !== V) {
        throw new OptionError('init', `init.topicWord is ${tw.length} x ${tw[0]!.length}, the fit needs nComponents x nTerms = ${K} x ${V}.`)
      }
      for (let k = 0; k < K; k++) for (let w = 0; w < V; w++) out[k * V + w] = tw[k]![w]!
    }
    return { components: out, nBatchIter: 1 }
  }

  /**
   * One online pass over `counts` (or over each chunk of an async iterable) in
   * mini-batches of batchSize, each scaled to totalSamples documents (scikit-learn's
   * partial_fit), through the base's online EM; starts from init when not fitted and
   * continues the step counter nBatchIter. The vocabulary size must match the fitted
   * one; a rejected call leaves the model as it was.
   */
  override partialFit(counts: CountsInput | AsyncIterable<CountsInput>, options: BaseFitOptions<LdaParams> = {}): Promise<this> { return super.partialFit(counts, options) }

  // ---- fitted attributes ----

  /** The topic-word parameters lambda, K rows of V (scikit-learn's components_). */
  get components(): number[][] {
    const s = this.fitted('components')
    const V = s.shape['nTerms']!
    return Array.from({ length: this.nComponents }, (_, k) => Array.from(s.params.components.subarray(k * V, (k + 1) * V)))
  }

  /** Online updates done, from 1 (scikit-learn's n_batch_iter_). */
  get nBatchIter(): number { return this.fitted('nBatchIter').params.nBatchIter }

  /** Each topic's n most probable terms (largest lambda first); vocabulary has one name per term. */
  topWords(vocabulary: ArrayLike<string>, n = 10): string[][] {
    const s = this.fitted('topWords')
    const V = s.shape['nTerms']!
    if (!vocabulary || typeof vocabulary.length !== 'number' || vocabulary.length !== V) {
      throw new InputError('SHAPE_MISMATCH', `The vocabulary has ${vocabulary && typeof vocabulary.length === 'number' ? vocabulary.length : show(vocabulary)} terms but the model was fitted with ${V}; give one name per column of the count matrix.`, { expected: V })
    }
    if (!(Number.isInteger(n) && n >= 1)) throw new OptionError('n', `must be an integer >= 1, got ${show(n)}.`)
    const lambda = s.params.components
    return Array.from({ length: this.nComponents }, (_, k) => {
      const order = Array.from({ length: V }, (_, w) => w).sort((a, b) => lambda[k * V + b]! - lambda[k * V + a]! || a - b)
      return order.slice(0, Math.min(n, V)).map((w) => vocabulary[w]!)
    })
  }

  /** Each document's topic distribution (its gamma normalised), from ones at the fitted lambda. */
  transform(counts: CountsInput): number[][] {
    return this.withData(counts, {}, 'transform', (model, data, params) => {
      model.expectations(data, params, false)
      const G = data.gamma.view, K = model.K
      return Array.from({ length: data.nDocs }, (_, d) => {
        let sum = 0
        for (let k = 0; k < K; k++) sum += G[d * K + k]!
        return Array.from({ length: K }, (_, k) => G[d * K + k]! / sum)
      })
    })
  }

  /** Each document's terms of the bound (the topics' terms are not per document: see score). */
  scoreSamples(counts: CountsInput): number[] {
    return this.withData(counts, {}, 'scoreSamples', (model, data, params) => {
      model.expectations(data, params, false)
      return Array.from({ length: data.nDocs }, (_, d) => model.documentTerms(model.range(data, d, d + 1)))
    })
  }

  /** The approximate bound on counts (default: the training corpus at the fitted lambda), scikit-learn's score. */
  override score(counts?: CountsInput): number {
    if (counts === undefined) return this.fitted('score').result.logLik
    return this.boundAndTokens(counts).bound
  }

  /** exp(-bound / tokens) on counts (scikit-learn's perplexity). */
  perplexity(counts: CountsInput): number {
    const { bound, tokens } = this.boundAndTokens(counts)
    if (tokens === 0) throw new InputError('EMPTY_DATA', 'Every count is 0, so the perplexity (per token) is undefined; give documents with at least one nonzero count.')
    return LdaModel.perplexity(bound, tokens)
  }

  private boundAndTokens(counts: CountsInput): { bound: number; tokens: number } {
    return this.withData(counts, {}, 'score', (model, data, params) => ({ bound: model.logLik(data, params), tokens: data.tokens }))
  }
}

function tokensOf(data: Dataset): number {
  let tokens = 0
  for (let j = 0; j < data.X.rows; j++) tokens += data.X.data[2 * j + 1]!
  return tokens
}

/** Documents begin..end of a corpus dataset (its entries and lengths): views, nothing copied. */
function documentsOf(data: Dataset, begin: number, end: number): Dataset {
  const lengths = data.lengths!
  let lo = 0
  for (let d = 0; d < begin; d++) lo += lengths[d]!
  let hi = lo
  for (let d = begin; d < end; d++) hi += lengths[d]!
  return { X: { rows: hi - lo, cols: 2, data: data.X.data.subarray(2 * lo, 2 * hi) }, lengths: lengths.subarray(begin, end), nTerms: data.nTerms }
}
