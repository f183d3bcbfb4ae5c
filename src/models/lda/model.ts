/**
 * Latent Dirichlet allocation fitted by variational Bayes (Blei, Ng & Jordan 2003;
 * online: Hoffman, Blei & Bach 2010), scikit-learn's LatentDirichletAllocation:
 *   q(beta_k) = Dirichlet(lambda_k) over the V terms (the parameters: lambda, K x V),
 *   q(theta_d) = Dirichlet(gamma_d), each document's gamma refitted from ones by the
 *   ldaEStep kernel at every VE-step (so a fit is deterministic).
 * Statistics: sstats (V x kp, term-major), additive over documents. VM-step (batch):
 * lambda = eta + sstats * exp E[log beta]; online: the engine's online EM with lambda
 * as its running average (onlineEM.natural: lambda blended with the VM-step of a
 * mini-batch's statistics scaled to the corpus, step rho_t = (learningOffset + t)^-learningDecay),
 * t counting mini-batches over every pass and partial fit (kept in the parameters as
 * nBatchIter = t + 1, scikit-learn's n_batch_iter_).
 * The recorded objective is scikit-learn's approximate bound (bound.ts) with gamma
 * from the VE-step at the same lambda; perplexity = exp(-bound / tokens).
 */
import { DegenerateError } from '../../core/errors.js'
import { digamma } from '../../core/math/special.js'
import type { EMModel, EStepResult, OnlineEMCapability, PreparedData, VariationalCapability } from '../../engine/types.js'
import type { Arena, F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import { expFlush } from '../../core/math/exp.js'
import { Rng } from '../../core/rng/xoshiro128.js'
import { documentBound, topicBound } from './bound.js'
import { gamma as gammaDraw } from '../../core/rng/sampling.js'

/** Documents per block of the statistics' reduction (see expectations). */
export const BLOCK_DOCS = 2048

/** [begin, end) ranges of begin..end cut at multiples of BLOCK_DOCS. */
export function blocksOf(begin: number, end: number): [number, number][] {
  const out: [number, number][] = []
  for (let b = begin; b < end;) {
    const e = Math.min(end, (Math.floor(b / BLOCK_DOCS) + 1) * BLOCK_DOCS)
    out.push([b, e])
    b = e
  }
  return out
}

export interface LdaParams {
  /** lambda: K x V row-major (scikit-learn's components_). */
  readonly components: Float64Array
  /** Updates done so far, counted from 1 (scikit-learn's n_batch_iter_): the online step counter. */
  readonly nBatchIter: number
}

export interface LdaSettings {
  readonly nComponents: number
  readonly nTerms: number
  readonly docTopicPrior: number
  readonly topicWordPrior: number
  readonly maxDocUpdateIter: number
  readonly meanChangeTol: number
  readonly evaluateEvery: number
  readonly perpTol: number
  readonly batchSize: number
  /** How a training VE-step starts each document: from ones (default) or seeded Gamma(100, 1/100) draws (scikit-learn's fit). */
  readonly docInit?: 'ones' | 'random'
  /** Seed of docInit 'random''s draws (one generator per prepared corpus). */
  readonly seed?: number
}

/** A corpus (or a range of its documents: the same buffers) in kernel memory. */
export interface LdaData extends PreparedData {
  readonly arena: Arena
  readonly nDocs: number
  readonly docBegin: number
  readonly docEnd: number
  readonly tokens: number
  readonly indptr: I32Buffer
  readonly indices: I32Buffer
  readonly counts: F64Buffer
  readonly gamma: F64Buffer
  readonly wordBound: F64Buffer
  readonly ebT: F64Buffer
  readonly stats: F64Buffer
  /** docInit 'random''s generator (null for 'ones'). */
  readonly rng: Rng | null
  /** Which lambda ebT holds (by identity), so one VE-step and its VM-step compute it once. */
  cache: { components: Float64Array | null; elogBeta: Float64Array | null }
}

export class LdaModel implements EMModel<LdaParams, LdaData> {
  readonly name = 'LatentDirichletAllocation'
  readonly K: number
  readonly V: number
  readonly kp: number
  readonly variational: VariationalCapability<LdaParams, LdaData>
  readonly onlineEM: OnlineEMCapability<LdaParams, LdaData>

  constructor(private readonly kernels: Kernels, readonly settings: LdaSettings) {
    this.K = settings.nComponents
    this.V = settings.nTerms
    this.kp = (this.K + 1) & ~1
    this.variational = { veStep: (d, p) => this.veStep(d, p), vmStep: (s, p, d) => this.vmStep(s, p, d) }
    this.onlineEM = {
      batches: (d) => this.batches(d),
      batchStats: (b, p) => this.expectations(b, p, true),
      natural: {
        of: (p) => ({ lambda: p.components, t: p.nBatchIter - 1 }),
        fromStats: (s, factor, p, d) => this.lambdaOf(s, factor, p, d),
        params: (lambda, t) => ({ components: lambda, nBatchIter: t + 1 }),
      },
    }
  }

  /** The corpus (CSR from a Dataset's (term, count) rows and lengths) copied into kernel memory once. */
  prepare(terms: Float64Array, lengths: Float64Array): LdaData {
    const nDocs = lengths.length
    const nnz = terms.length / 2
    const arena = this.kernels.arena()
    try {
      const indptr = arena.i32(nDocs + 1), indices = arena.i32(Math.max(1, nnz)), counts = arena.f64(Math.max(1, nnz))
      const gamma = arena.f64(nDocs * this.K), wordBound = arena.f64(nDocs)
      const ebT = arena.f64(this.V * this.kp), stats = arena.f64(this.V * this.kp)
      const P = indptr.view, W = indices.view, C = counts.view
      let tokens = 0
      for (let d = 0, p = 0; d < nDocs; d++) { p += lengths[d]!; P[d + 1] = p }
      for (let j = 0; j < nnz; j++) { W[j] = terms[2 * j]!; C[j] = terms[2 * j + 1]!; tokens += C[j]! }
      const rng = this.settings.docInit === 'random' ? new Rng(this.settings.seed ?? 0) : null
      return { arena, nDocs, docBegin: 0, docEnd: nDocs, tokens, totalWeight: nDocs, indptr, indices, counts, gamma, wordBound, ebT, stats, rng, cache: { components: null, elogBeta: null } }
    } catch (e) {
      arena.dispose()
      throw e
    }
  }

  release(data: LdaData): void {
    data.arena.dispose()
  }

  /** Documents begin..end of `data` (the same buffers; tokens counted for the range). */
  range(data: LdaData, begin: number, end: number): LdaData {
    const P = data.indptr.view, C = data.counts.view
    let tokens = 0
    for (let j = P[begin]!; j < P[end]!; j++) tokens += C[j]!
    return { ...data, docBegin: begin, docEnd: end, tokens, totalWeight: end - begin }
  }

  /** Consecutive mini-batches of batchSize documents in corpus order (the last may be shorter). */
  batches(data: LdaData): LdaData[] {
    const out: LdaData[] = []
    for (let b = data.docBegin; b < data.docEnd; b += this.settings.batchSize) out.push(this.range(data, b, Math.min(b + this.settings.batchSize, data.docEnd)))
    return out
  }

  /** E[log beta] (K x V) of `params`, and exp of it into data.ebT (term-major, pad zero), once per lambda. */
  elogBeta(data: LdaData, params: LdaParams): Float64Array {
    const lambda = params.components
    if (data.cache.components === lambda && data.cache.elogBeta) return data.cache.elogBeta
    const { K, V, kp } = this
    const out = new Float64Array(K * V)
    const eb = data.ebT.view
    for (let k = 0; k < K; k++) {
      let sum = 0
      for (let w = 0; w < V; w++) sum += lambda[k * V + w]!
      const ps = digamma(sum)
      for (let w = 0; w < V; w++) {
        const e = digamma(lambda[k * V + w]!) - ps
        out[k * V + w] = e
        eb[w * kp + k] = expFlush(e)
      }
    }
    if (kp > K) for (let w = 0; w < V; w++) eb[w * kp + K] = 0
    data.cache.components = lambda
    data.cache.elogBeta = out
    return out
  }

  /**
   * The kernel over data's documents: gamma and word bounds written; the statistics
   * returned when asked for. Statistics are gathered per fixed block of BLOCK_DOCS
   * documents (boundaries at multiples of it) and the blocks added in order, so any
   * split of the corpus at block boundaries (worker shards) sums to the same bits.
   */
  expectations(data: LdaData, params: LdaParams, withStats: boolean): Float64Array {
    this.elogBeta(data, params)
    // scikit-learn draws training starts at random (its transform and scores start from ones)
    const random = withStats && data.rng !== null
    if (random) {
      const G = data.gamma.view
      for (let i = data.docBegin * this.K; i < data.docEnd * this.K; i++) G[i] = gammaDraw(data.rng!, 100, 100)
    }
    const s = this.settings
    const total = withStats ? new Float64Array(this.V * this.kp) : new Float64Array(0)
    for (const [begin, end] of blocksOf(data.docBegin, data.docEnd)) {
      if (withStats) data.stats.view.fill(0)
      this.kernels.ldaEStep(
        data.indptr, data.indices, data.counts, begin, end, this.K, data.ebT,
        s.docTopicPrior, s.maxDocUpdateIter, s.meanChangeTol, data.gamma, withStats ? data.stats : null, data.wordBound, random,
      )
      if (withStats) {
        const b = data.stats.view
        for (let i = 0; i < total.length; i++) total[i] = total[i]! + b[i]!
      }
    }
    return total
  }

  /** The bound's document terms (documents of `data`) after `expectations`: per block in order, then added. */
  documentTerms(data: LdaData): number {
    let total = 0
    for (const [begin, end] of blocksOf(data.docBegin, data.docEnd)) {
      total += documentBound(data.gamma.view, data.wordBound.view, begin, end, this.K, this.settings.docTopicPrior)
    }
    return total
  }

  veStep(data: LdaData, params: LdaParams): EStepResult {
    const stats = this.expectations(data, params, true)
    return { stats, logLik: this.bound(data, params) }
  }

  /** The approximate bound at params with the gamma of the last `expectations` call on data. */
  bound(data: LdaData, params: LdaParams): number {
    const elb = this.elogBeta(data, params)
    return this.documentTerms(data) + topicBound(params.components, elb, this.K, this.V, this.settings.topicWordPrior)
  }

  /** eta + factor * sstats * exp E[log beta] of `params` (scikit-learn's suff_stats, scaled), K x V: the VM-step of factor x the statistics. */
  private lambdaOf(stats: Float64Array, factor: number, params: LdaParams, data: LdaData): Float64Array {
    this.elogBeta(data, params)
    const { K, V, kp } = this
    const eb = data.ebT.view
    const eta = this.settings.topicWordPrior
    const out = new Float64Array(K * V)
    for (let k = 0; k < K; k++) for (let w = 0; w < V; w++) out[k * V + w] = eta + factor * (stats[w * kp + k]! * eb[w * kp + k]!)
    return out
  }

  vmStep(stats: Float64Array, params: LdaParams, data: LdaData): LdaParams {
    return { components: this.lambdaOf(stats, 1, params, data), nBatchIter: params.nBatchIter + 1 }
  }

  /**
   * Documents begin..end (cut at block boundaries) block by block: each block's
   * statistics and document terms of the bound (what a worker's shard returns).
   */
  shardStats(data: LdaData, params: LdaParams, begin: number, end: number): { stats: Float64Array; objective: number }[] {
    return blocksOf(begin, end).map(([b, e]) => {
      const block = this.range(data, b, e)
      const stats = this.expectations(block, params, true)
      return { stats, objective: this.documentTerms(block) }
    })
  }

  /**
   * Shard the batch VE-step over workers: `run(params)` gives the blocks' { stats,
   * objective } in corpus order, or their sum formed in that order (shardStats on each
   * shard, added by mergeStatistics' rule); they are added in that order, as the serial
   * VE-step adds them, so both give the same bits.
   */
  setParallel(run: ((params: LdaParams) => Promise<readonly { stats: Float64Array; objective: number }[]>) | null): void {
    if (run === null) { delete this.variational.veStepAsync; return }
    this.variational.veStepAsync = async (data, params) => {
      const blocks = await run(params)
      const stats = new Float64Array(this.V * this.kp)
      let docTerms = 0
      for (const b of blocks) {
        for (let i = 0; i < stats.length; i++) stats[i] = stats[i]! + b.stats[i]!
        docTerms += b.objective
      }
      const elb = this.elogBeta(data, params)
      return { stats, logLik: docTerms + topicBound(params.components, elb, this.K, this.V, this.settings.topicWordPrior) }
    }
  }

  eStep(data: LdaData, params: LdaParams): EStepResult { return this.veStep(data, params) }
  mStep(stats: Float64Array, params: LdaParams, data: LdaData): LdaParams { return this.vmStep(stats, params, data) }

  logLik(data: LdaData, params: LdaParams): number {
    this.expectations(data, params, false)
    return this.bound(data, params)
  }

  /** Perplexity from a bound over `tokens` tokens. */
  static perplexity(bound: number, tokens: number): number {
    return Math.exp(-bound / tokens)
  }

  /**
   * scikit-learn's perp_tol rule: every evaluateEvery iterations, stop when the
   * perplexity changed by less than perpTol since the previous evaluation (the first
   * evaluation only records); evaluateEvery <= 0: run maxIter iterations.
   */
  stopRule(history: readonly number[], data: LdaData): boolean {
    const every = this.settings.evaluateEvery
    const m = history.length - 1
    if (!(every > 0) || m < 2 * every || m % every !== 0) return false
    const now = LdaModel.perplexity(history[m]!, data.tokens), before = LdaModel.perplexity(history[m - every]!, data.tokens)
    return Math.abs(now - before) < this.settings.perpTol
  }

  nParameters(): number { return this.K * (this.V - 1) }
  pack(params: LdaParams): Float64Array { return params.components.slice() }
  unpack(vec: Float64Array, like: LdaParams): LdaParams {
    if (!this.isValid(vec)) throw new DegenerateError('DEGENERATE', 'A topic-word parameter left (0, Infinity); use fewer components or a larger topicWordPrior.')
    return { components: vec.slice(), nBatchIter: like.nBatchIter }
  }
  isValid(vec: Float64Array): boolean {
    for (let i = 0; i < vec.length; i++) if (!(vec[i]! > 0 && vec[i]! < Infinity)) return false
    return true
  }
}
