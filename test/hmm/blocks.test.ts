/**
 * The HMM's passes in blocks of rows (src/models/hmm/passes.ts): sequences cut where
 * blocks end, forward-backward and Viterbi carried across the cuts. Blocks of 7 and
 * 100 rows (the second holds more than hmmSmooth's 64 transition times) against one
 * block of every row, for each emission (Gaussian, Gaussian mixture, categorical,
 * Poisson): the same log-likelihood, statistics and posteriors to 1e-12 (sums over
 * blocks run in another order), the same Viterbi path; every backend the same bits.
 * The posteriors in time order (posteriorsInTimeOrder) are the backward sweep's bits.
 * And kernel memory that grows with the rows by the rows alone.
 */
import { describe, expect, it, vi } from 'vitest'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { loadKernels } from '../../src/kernels/index.js'
import type { BackendName, Kernels } from '../../src/kernels/index.js'
import { kernelMemoryInUse } from '../../src/kernels/wasm/memory-use.js'
import { CategoricalComponent } from '../../src/models/components/categorical.js'
import type { Component } from '../../src/models/components/component.js'
import { GaussianMixtureEmission } from '../../src/models/components/gaussian-mixture-emission.js'
import { PoissonComponent } from '../../src/models/components/poisson.js'
import { GaussianEmission } from '../../src/models/hmm/emissions.js'
import { HmmModel, type HmmParams } from '../../src/models/hmm/model.js'
import { chainBlocks } from '../../src/models/hmm/passes.js'
import { BACKENDS, maxScaledDiff } from '../helpers/data.js'

const K = 3
const LENGTHS = [5, 130, 1, 9, 57, 2]
const N = LENGTHS.reduce((a, b) => a + b, 0)

interface Case {
  name: string
  emission: (kernels: Kernels) => Component<any, any>
  params: (emission: any) => unknown
  load: (emission: any, data: any) => void
}

const rng = new Rng(20261203)
const states = Array.from({ length: N }, (_, t) => Math.floor(t / 11) % K)
const rows = Float64Array.from(states.flatMap((s) => [2 * s + rng.normal(), -s + 0.5 * rng.normal()]))
const symbols = Int32Array.from(states, (s) => (s + (rng.uniform() < 0.3 ? 1 : 0)) % 4)
const counts = Float64Array.from(states, (s) => Math.floor((s + 1) * 2 * rng.uniform() * 2))

const CASES: Case[] = [
  {
    name: 'gaussian', emission: (kernels) => new GaussianEmission(kernels, K, 2, 'full', 1e-6),
    params: (e: GaussianEmission) => e.makeParams(Float64Array.from([0, 0, 2, -1, 4, -2]), Float64Array.from([1, 0.2, 0.2, 1, 1, 0, 0, 1, 0.5, 0, 0, 0.5])),
    load: (e: GaussianEmission, data) => e.load(data, { rows: N, cols: 2, data: rows }),
  },
  {
    name: 'gaussian mixture', emission: (kernels) => new GaussianMixtureEmission(kernels, K, 2, 2, 'diag', 1e-6),
    params: (e: GaussianMixtureEmission) => e.makeParams(Float64Array.from([0.5, 0.5, 0.3, 0.7, 0.6, 0.4]), Float64Array.from({ length: K * 2 * 2 }, (_, p) => (p % 4) - 1.5 + Math.floor(p / 4)), new Float64Array(K * 2 * 2).fill(1)),
    load: (e: GaussianMixtureEmission, data) => e.load(data, { rows: N, cols: 2, data: rows }),
  },
  {
    name: 'categorical', emission: (kernels) => new CategoricalComponent(kernels, K, 4),
    params: (e: CategoricalComponent) => e.makeParams(Float64Array.from([0.7, 0.1, 0.1, 0.1, 0.1, 0.7, 0.1, 0.1, 0.1, 0.1, 0.4, 0.4])),
    load: (e: CategoricalComponent, data) => e.load(data, symbols),
  },
  {
    name: 'poisson', emission: (kernels) => new PoissonComponent(kernels, K),
    params: (e: PoissonComponent) => e.makeParams(Float64Array.from([1, 3, 6])),
    load: (e: PoissonComponent, data) => e.load(data, counts),
  },
]

function modelOf(kernels: Kernels, c: Case): { model: HmmModel<unknown, unknown>; params: HmmParams<unknown> } {
  const emission = c.emission(kernels)
  const model = new HmmModel({
    kernels, k: K, emission, fit: { startProb: true, transMat: true }, startPseudoCounts: new Float64Array(K), transPseudoCounts: new Float64Array(K * K),
  })
  const params = {
    startProb: Float64Array.from([0.5, 0.3, 0.2]),
    transMat: Float64Array.from([0.8, 0.15, 0.05, 0.1, 0.7, 0.2, 0.3, 0, 0.7]),
    emission: c.params(emission),
  }
  return { model, params }
}

/** posteriorsInTimeOrder's blocks, gathered (each view copied before the next block is asked for), and their first rows. */
function inTimeOrder(model: HmmModel<unknown, unknown>, data: any, params: HmmParams<unknown>): { inOrder: number[]; starts: number[] } {
  const inOrder: number[] = [], starts: number[] = []
  for (const { block, gamma } of model.posteriorsInTimeOrder(data, params)) {
    starts.push(block.lo)
    inOrder.push(...gamma.view.subarray(0, (block.hi - block.lo) * K))
  }
  return { inOrder, starts }
}

/** Everything the passes give at `blockRows` rows per block. */
function passes(kernels: Kernels, c: Case, blockRows: number) {
  const { model, params } = modelOf(kernels, c)
  const data = model.prepare(LENGTHS, undefined, blockRows)
  try {
    c.load(model.emission, data.emission)
    const { stats, logLik } = model.expectation(data, params)
    const posteriors = new Float64Array(N * K)
    model.forwardBackward(data, params, (block, _rows, gamma) => posteriors.set(gamma.view.subarray(0, (block.hi - block.lo) * K), block.lo * K))
    const { inOrder, starts } = inTimeOrder(model, data, params)
    const score = model.scoreData(data, params)
    const { logProb, path } = model.viterbi(data, params)
    return { stats: Array.from(stats), logLik, posteriors: Array.from(posteriors), inOrder, starts, score, logProb, path: Array.from(path), blocks: data.blocks.length }
  } finally {
    model.release(data)
    model.dispose()
  }
}

describe('HMM passes in blocks', () => {
  it('cuts each sequence where a block ends', async () => {
    const kernels = await loadKernels('js')
    const plan = chainBlocks(kernels.arena(), [5, 12, 0, 1, 9], 27, 7)
    expect(plan.map((b) => [b.lo, b.hi, Array.from(b.pieces.view), b.continuesIn, b.continuesOut])).toEqual([
      [0, 7, [5, 2], false, true],
      [7, 14, [7], true, true],
      [14, 21, [3, 1, 3], true, true],
      [21, 27, [6], true, false],
    ])
  })

  for (const c of CASES) {
    it(`${c.name}: blocks of 7 and 100 rows give one block's numbers, every backend the same bits`, async () => {
      const results = await Promise.all(BACKENDS.map(async (backend) => {
        const kernels = await loadKernels(backend as BackendName)
        return [7, 100, N].map((rowsPerBlock) => passes(kernels, c, rowsPerBlock))
      }))
      for (const other of results.slice(1)) expect(other).toEqual(results[0])
      const [seven, hundred, whole] = results[0]!
      expect([seven!.blocks, hundred!.blocks, whole!.blocks]).toEqual([Math.ceil(N / 7), Math.ceil(N / 100), 1])
      for (const blocked of [seven!, hundred!]) {
        expect(blocked.path).toEqual(whole!.path)
        expect(maxScaledDiff([blocked.logLik, blocked.score, blocked.logProb], [whole!.logLik, whole!.score, whole!.logProb])).toBeLessThan(1e-13)
        expect(maxScaledDiff(blocked.stats, whole!.stats)).toBeLessThan(1e-12)
        expect(maxScaledDiff(blocked.posteriors, whole!.posteriors)).toBeLessThan(1e-12)
      }
      // in time order: the backward sweep's posteriors, the same bits, block after block
      for (const r of [seven!, hundred!, whole!]) {
        expect(r.inOrder).toEqual(r.posteriors)
        expect(r.starts).toEqual(Array.from({ length: r.blocks }, (_, b) => b * (r === seven ? 7 : r === hundred ? 100 : N)))
      }
      // the score is the E-step's log-likelihood: the same forward recursion
      expect(whole!.score).toBe(whole!.logLik)
    })
  }

  it('posteriors in time order from the log-space passes too (a row so far that every log-density is -Infinity)', async () => {
    const kernels = await loadKernels('js')
    const c = CASES[0]!
    const { model, params } = modelOf(kernels, c)
    const data = model.prepare(LENGTHS, undefined, 7)
    try {
      const far = rows.slice()
      far[2 * 40] = 1e200
      const gaussian: GaussianEmission = model.emission as never
      gaussian.load(data.emission as never, { rows: N, cols: 2, data: far })
      const posteriors = new Float64Array(N * K)
      model.forwardBackward(data, params, (block, _rows, gamma) => posteriors.set(gamma.view.subarray(0, (block.hi - block.lo) * K), block.lo * K))
      expect(posteriors.every(Number.isFinite)).toBe(true)
      const logSpace = vi.spyOn(kernels, 'hmmForwardLog')
      const { inOrder, starts } = inTimeOrder(model, data, params)
      expect(logSpace).toHaveBeenCalled()
      expect(inOrder).toEqual(Array.from(posteriors))
      expect(starts).toEqual(Array.from({ length: Math.ceil(N / 7) }, (_, b) => 7 * b))
    } finally {
      model.release(data)
      model.dispose()
    }
  })

  // the Gaussian mixture's per-state work buffers are sized for a block (prepare's workRows), not for n
  for (const [name, make, params] of [
    ['gaussian', (kernels: Kernels, k: number) => new GaussianEmission(kernels, k, 2, 'diag', 1e-6),
      (e: any, k: number) => e.makeParams(Float64Array.from({ length: 2 * k }, (_, p) => p), new Float64Array(2 * k).fill(1))],
    ['gaussian mixture', (kernels: Kernels, k: number) => new GaussianMixtureEmission(kernels, k, 2, 2, 'diag', 1e-6),
      (e: any, k: number) => e.makeParams(new Float64Array(2 * k).fill(0.5), Float64Array.from({ length: 4 * k }, (_, p) => p % 7), new Float64Array(4 * k).fill(1))],
  ] as const) {
    it(`${name}: kernel memory grows with the rows by the rows alone (wasm): no n x K buffer`, async () => {
      const kernels = await loadKernels('wasm')
      const k = 6
      const grown = (n: number): number => {
        const model = new HmmModel({
          kernels, k, emission: make(kernels, k) as Component<any, any>,
          fit: { startProb: true, transMat: true }, startPseudoCounts: new Float64Array(k), transPseudoCounts: new Float64Array(k * k),
        })
        const emission = model.emission as GaussianEmission | GaussianMixtureEmission
        const chain = { startProb: new Float64Array(k).fill(1 / k), transMat: new Float64Array(k * k).fill(1 / k), emission: params(emission, k) }
        const before = kernelMemoryInUse(kernels)
        const data = model.prepare([n])
        emission.load(data.emission as never, { rows: n, cols: 2, data: Float64Array.from({ length: 2 * n }, (_, p) => (p % 13) * 0.7) })
        model.expectation(data, chain)
        model.viterbi(data, chain)
        let seen = 0
        for (const { block } of model.posteriorsInTimeOrder(data, chain)) seen += block.hi - block.lo
        expect(seen).toBe(n)
        const used = kernelMemoryInUse(kernels) - before
        model.release(data)
        model.dispose()
        return used
      }
      const small = grown(50_000), large = grown(150_000)
      // the rows (2 doubles a row) and one piece length per block; whole-sequence buffers
      // (densities, alpha, beta, back-pointers; the mixture's per-state responsibilities)
      // would add at least k doubles a row
      console.log(`[hmm-blocks] ${name}: kernel memory for 50,000 rows ${small} B, for 150,000 rows ${large} B`)
      expect(large - small).toBeLessThan(100_000 * (2 * 8 + 1))
      expect(large - small).toBeGreaterThanOrEqual(100_000 * 2 * 8)
    })
  }
})
