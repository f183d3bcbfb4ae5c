/**
 * The HMM's passes over its rows in blocks, so that no buffer of n x K lives in kernel
 * memory: a 50 MB file of short values is millions of steps, and forward-backward's
 * per-step arrays (densities, alpha, beta, posteriors) took 8-15x the file. A block
 * holds HMM_BLOCK_ROWS rows cut into pieces, one per sequence it meets.
 *
 * - forward: each block's emission densities, then hmmForward from the alpha row the
 *   block before left (`carry`), kept per block as a checkpoint;
 * - backward: blocks from the last, each one's densities and forward pass again from
 *   its checkpoint (the same bits), then hmmSmooth from the next block's first row
 *   (`tail`): its posteriors, which `visit` reads, and its transition counts;
 * - Viterbi: the same two sweeps, the second backtracking each block from the state
 *   the block after it chose for its first row.
 *
 * Each pass costs the emission densities and the forward recursion twice (once with
 * one block: the last block's are still in the buffers). Sums over blocks run in a
 * fixed order, so every backend gives the same bits.
 */
import type { Arena, F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import type { Component } from '../components/component.js'

/** Rows per block: its buffers (two of rows x K, scaled densities and alpha) stay small, and the per-block calls few. */
export const HMM_BLOCK_ROWS = 16384

export interface ChainBlock {
  readonly lo: number
  readonly hi: number
  /** The lengths of its pieces (runs of one sequence each), in kernel memory. */
  readonly pieces: I32Buffer
  readonly nPieces: number
  /** Its first piece carries on a sequence from the block before. */
  readonly continuesIn: boolean
  /** Its last piece carries on into the next block. */
  readonly continuesOut: boolean
}

/** What the passes need of a prepared HMM's data. */
export interface ChainBuffers<ED> {
  readonly n: number
  readonly arena: Arena
  readonly blocks: readonly ChainBlock[]
  /** One block's log densities, turned into scaled densities by hmmForward. */
  readonly b: F64Buffer
  /** One block's alpha, then its posteriors. */
  readonly alpha: F64Buffer
  readonly scale: F64Buffer
  /** The last alpha (or Viterbi delta) row of the block before. */
  readonly carry: F64Buffer
  /** The next block's first row: [scaled densities (k) | beta (k) | normaliser]. */
  readonly tail: F64Buffer
  /** carry at the start of each block (k each), from the forward sweep. */
  readonly checkpoints: Float64Array
  readonly xi: F64Buffer
  readonly startProb: F64Buffer
  readonly transMat: F64Buffer
  readonly emission: ED
  /** Viterbi's back-pointers and path of one block, allocated on first use. */
  psi?: I32Buffer
  path?: I32Buffer
}

/** One block's posteriors (rows x k, its first row is block.lo). */
export interface PosteriorBlock {
  readonly block: ChainBlock
  readonly gamma: F64Buffer
}

/** Where Viterbi writes a path of n states: kernel memory, or a JS array (a Uint8Array holds up to 256 states). */
export type PathTarget = I32Buffer | Int32Array | Uint8Array

/** Each sequence cut where blocks of `blockRows` rows end (sequences of length 0 have no piece). */
export function chainBlocks(arena: Arena, lengths: ArrayLike<number>, n: number, blockRows: number): ChainBlock[] {
  const nBlocks = Math.ceil(n / blockRows)
  const pieces = arena.i32(nBlocks + lengths.length)
  const P = pieces.view
  const blocks: ChainBlock[] = []
  let s = 0, used = 0, at = 0
  for (let lo = 0; lo < n; lo += blockRows) {
    const hi = Math.min(n, lo + blockRows), first = at
    let t = lo
    const continuesIn = used > 0
    let continuesOut = false
    while (t < hi) {
      while (lengths[s]! - used === 0) { s++; used = 0 }
      const take = Math.min(lengths[s]! - used, hi - t)
      P[at++] = take
      used += take
      t += take
      if (used === lengths[s]!) { s++; used = 0 } else continuesOut = true
    }
    blocks.push({ lo, hi, pieces: pieces.subarray(first, at), nPieces: at - first, continuesIn, continuesOut })
  }
  return blocks
}

/** Rows lo..hi of the emission's data (the whole of it for a component that has no row views: then there is one block). */
export function blockRows<ED>(emission: Component<unknown, ED>, data: { readonly emission: ED }, block: ChainBlock): ED {
  return emission.rows ? emission.rows(data.emission, block.lo, block.hi) : data.emission
}

/**
 * Log emission densities of every row into `out` (n x k), block by block; with `far`,
 * as the emission gives them (common/far.ts). For the log-space passes and Louis's
 * method, which need them all.
 */
export function allLogDensities<E, ED>(
  chain: { readonly k: number; readonly emission: Component<E, ED> }, data: ChainBuffers<ED>, emission: E,
  out: F64Buffer | Float64Array, far?: Float64Array,
): void {
  for (const block of data.blocks) {
    const rows = block.hi - block.lo
    chain.emission.logDensities(blockRows(chain.emission, data, block), rows, emission, data.b, far?.subarray(block.lo, block.hi))
    // a kernel buffer's view is read again after the kernels ran: they may have grown memory
    ;(out instanceof Float64Array ? out : out.view).set(data.b.view.subarray(0, rows * chain.k), block.lo * chain.k)
  }
}

interface Chain<E, ED> {
  readonly kernels: Kernels
  readonly k: number
  readonly emission: Component<E, ED>
}

/**
 * The forward sweep at the scaled chain in data.startProb / data.transMat; returns the
 * log-likelihood (not finite: the caller turns to the log-space passes) and the last
 * block's emission rows, which still hold its densities.
 */
export function forwardSweep<E, ED>(chain: Chain<E, ED>, data: ChainBuffers<ED>, emission: E): { logLik: number; last: ED } {
  const { kernels, k } = chain
  let logLik = 0
  let last = data.emission
  data.blocks.forEach((block, j) => {
    if (block.continuesIn) data.checkpoints.set(data.carry.view, j * k)
    last = blockRows(chain.emission, data, block)
    chain.emission.logDensities(last, block.hi - block.lo, emission, data.b)
    logLik += kernels.hmmForward(data.b, block.pieces, block.nPieces, k, data.startProb, data.transMat, data.alpha, data.scale, data.carry, block.continuesIn)
  })
  return { logLik, last }
}

/**
 * The backward sweep after forwardSweep at the same parameters: `visit` reads each
 * block's posteriors (rows x k, from the last block to the first) with its emission
 * rows; data.xi gets the expected transition counts.
 */
export function backwardSweep<E, ED>(
  chain: Chain<E, ED>, data: ChainBuffers<ED>, emission: E, transMat: Float64Array, lastRows: ED,
  visit: (block: ChainBlock, rows: ED, gamma: F64Buffer) => void,
): void {
  const { kernels, k } = chain
  const { blocks } = data
  data.xi.view.fill(0, 0, k * k)
  for (let j = blocks.length - 1; j >= 0; j--) {
    const block = blocks[j]!
    let rows = lastRows
    if (j < blocks.length - 1) {
      if (block.continuesIn) data.carry.view.set(data.checkpoints.subarray(j * k, j * k + k))
      rows = blockRows(chain.emission, data, block)
      chain.emission.logDensities(rows, block.hi - block.lo, emission, data.b)
      kernels.hmmForward(data.b, block.pieces, block.nPieces, k, data.startProb, data.transMat, data.alpha, data.scale, data.carry, block.continuesIn)
    }
    kernels.hmmSmooth(data.b, block.pieces, block.nPieces, k, data.transMat, data.scale, data.alpha, data.xi, data.tail, block.continuesOut)
    visit(block, rows, data.alpha)
  }
  const X = data.xi.view
  for (let p = 0; p < k * k; p++) X[p] = transMat[p]! * X[p]!
}

/**
 * backwardSweep's posteriors in time order, a block at a time (for writers of a file,
 * which cannot hold n x K): the backward sweep keeps each block's boundary (the next
 * block's first row, `tail`: 2K + 1 doubles a block), then each block from the second
 * is passed forward and smoothed again from its kept boundary: the same bits as
 * backwardSweep's, at up to twice its cost. Each yielded buffer is valid until the next
 * is asked for; data.xi is scratch here (the second smoothing adds to it again).
 */
export function* smoothedInTimeOrder<E, ED>(
  chain: Chain<E, ED>, data: ChainBuffers<ED>, emission: E, transMat: Float64Array, lastRows: ED,
): Generator<PosteriorBlock, void, undefined> {
  const { kernels, k } = chain
  const { blocks } = data
  const width = 2 * k + 1
  const boundaries = new Float64Array(blocks.length * width)
  let j = blocks.length
  // after block j is smoothed, the tail holds its first row: block j - 1's boundary
  backwardSweep(chain, data, emission, transMat, lastRows, () => {
    j--
    if (j > 0) boundaries.set(data.tail.view.subarray(0, width), (j - 1) * width)
  })
  if (blocks.length === 0) return
  // the backward sweep ended on the first block: its posteriors are in data.alpha
  yield { block: blocks[0]!, gamma: data.alpha }
  for (let b = 1; b < blocks.length; b++) {
    const block = blocks[b]!
    if (block.continuesIn) data.carry.view.set(data.checkpoints.subarray(b * k, b * k + k))
    chain.emission.logDensities(blockRows(chain.emission, data, block), block.hi - block.lo, emission, data.b)
    kernels.hmmForward(data.b, block.pieces, block.nPieces, k, data.startProb, data.transMat, data.alpha, data.scale, data.carry, block.continuesIn)
    data.tail.view.set(boundaries.subarray(b * width, b * width + width))
    kernels.hmmSmooth(data.b, block.pieces, block.nPieces, k, data.transMat, data.scale, data.alpha, data.xi, data.tail, block.continuesOut)
    yield { block, gamma: data.alpha }
  }
}

/**
 * Viterbi at the log chain in data.startProb / data.transMat: the total best joint
 * log-probability of every sequence and the path (n states). With `far` (n values),
 * rows far from every state come relative to their offsets (common/far.ts). The path
 * goes into `into` when given (n int32s of kernel memory, or a JS array of n: bytes hold
 * up to 256 states), else a new JS Int32Array.
 */
export function viterbiSweeps<E, ED>(chain: Chain<E, ED>, data: ChainBuffers<ED>, emission: E, far?: Float64Array, into?: PathTarget): { logProb: number; path: Int32Array | Uint8Array } {
  const { kernels, k } = chain
  const { blocks } = data
  const rows = blocks.length > 0 ? blocks[0]!.hi - blocks[0]!.lo : 0
  const psi = data.psi ??= data.arena.i32(rows * k)
  const blockPath = data.path ??= data.arena.i32(rows)
  const run = (j: number, endState: number): number => {
    const block = blocks[j]!
    chain.emission.logDensities(blockRows(chain.emission, data, block), block.hi - block.lo, emission, data.b, far?.subarray(block.lo, block.hi))
    return kernels.hmmViterbi(data.b, block.pieces, block.nPieces, k, data.startProb, data.transMat, psi, blockPath, data.carry, block.continuesIn, block.continuesOut, endState)
  }
  let logProb = 0
  blocks.forEach((block, j) => {
    if (block.continuesIn) data.checkpoints.set(data.carry.view, j * k)
    logProb += run(j, -1)
  })
  const own = into === undefined ? new Int32Array(data.n) : ArrayBuffer.isView(into) ? into : null
  // a kernel buffer's view taken at each use: the kernels may have grown memory
  const target = (): Int32Array | Uint8Array => own ?? (into as I32Buffer).view
  let endState = -1
  for (let j = blocks.length - 1; j >= 0; j--) {
    const block = blocks[j]!
    // the last block ends its sequences: the forward sweep's backtrack of it is complete
    if (j < blocks.length - 1) {
      if (block.continuesIn) data.carry.view.set(data.checkpoints.subarray(j * k, j * k + k))
      run(j, endState)
    }
    const P = blockPath.view
    target().set(P.subarray(0, block.hi - block.lo), block.lo)
    endState = block.continuesIn ? psi.view[P[0]!]! : -1
  }
  return { logProb, path: target() }
}
