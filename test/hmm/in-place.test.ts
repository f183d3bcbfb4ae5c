/**
 * The HMM's posteriors are written over the forward pass's alpha once the transition
 * counts have read it, and the backward pass keeps no n x K beta (hmmSmooth: two n x K
 * buffers less in kernel memory): fits, histories and posteriors are the same bits on
 * every backend and those emkit gave before to 1e-12 (fixtures/hmm-in-place.json, made
 * by fixtures/make-hmm-in-place.mjs with the build before posteriors over alpha). And
 * withPosteriors hands the same posteriors as predictProbaMatrix, without the copy, and
 * withPosteriorBlocks hands them a block at a time in time order.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, GaussianHMM, GMMHMM, PoissonHMM, VariationalGaussianHMM } from '../../src/index.js'
import { BACKENDS, maxScaledDiff } from '../helpers/data.js'

const before = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'hmm-in-place.json'), 'utf8')) as Record<string, unknown>

// the fixture's data, drawn as make-hmm-in-place.mjs draws them
let s = 11 >>> 0
const u = (): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32 }
const X = Array.from({ length: 700 }, (_, i) => { const st = Math.floor(i / 50) % 3; return [st * 2 + u() + u() - 1, -st + u() - 0.5] })
const sym = X.map((r): [number] => [Math.floor(Math.abs(r[0]!) * 2) % 4])
const cnt = X.map((r): [number] => [Math.floor(Math.abs(r[0]!) * 3)])
const ops = { lengths: [400, 300] }
const strip = (o: unknown): unknown => JSON.parse(JSON.stringify(o, (k, v: unknown) => (k === 'timeMs' || k === 'backend' ? undefined : v)))

describe('HMM posteriors written over alpha', () => {
  const fits = async (backend: (typeof BACKENDS)[number]): Promise<Record<string, unknown>> => {
    const out: Record<string, unknown> = {}
    for (const cov of ['diag', 'full'] as const) {
      const m = await new GaussianHMM({ nComponents: 3, covarianceType: cov, seed: 3, backend, maxIter: 20 }).fit(X, ops)
      out[`g-${cov}`] = strip([m.toJSON(), m.history, m.predictProba(X, ops).flat()])
    }
    out['cat'] = strip((await new CategoricalHMM({ nComponents: 2, seed: 1, backend }).fit(sym, ops)).toJSON())
    out['pois'] = strip((await new PoissonHMM({ nComponents: 2, seed: 1, backend }).fit(cnt, ops)).toJSON())
    out['gmmhmm'] = strip((await new GMMHMM({ nComponents: 2, nMix: 2, seed: 1, backend }).fit(X, ops)).toJSON())
    out['vg'] = strip((await new VariationalGaussianHMM({ nComponents: 3, seed: 1, backend }).fit(X, ops)).toJSON())
    return out
  }

  it('fits as before on every backend: the same bits on each, the fixture\'s to 1e-12', async () => {
    const [js, ...wasm] = await Promise.all(BACKENDS.map(fits))
    for (const other of wasm) expect(other).toEqual(js)
    for (const [name, value] of Object.entries(js!)) {
      // hmmSmooth adds the transition counts' blocks in another order than the three
      // kernels it replaced (each sequence backwards): the last bits move, nothing more
      const diff = maxScaledDiff(value, before[name])
      console.log(`[hmm-in-place] ${name}: largest scaled difference from the fixture ${diff.toExponential(2)}`)
      expect(diff, name).toBeLessThan(1e-12)
    }
  })

  it('withPosteriors reads predictProbaMatrix\'s posteriors in place and returns what its reader returns', async () => {
    const m = await new GaussianHMM({ nComponents: 3, seed: 3, maxIter: 5 }).fit(X, ops)
    const copy = m.predictProbaMatrix(X, ops)
    const seen = m.withPosteriors(X, (post) => ({ rows: post.rows, cols: post.cols, data: Array.from(post.data) }), ops)
    expect(seen).toEqual({ rows: copy.rows, cols: copy.cols, data: Array.from(copy.data) })
    expect(() => m.withPosteriors(X, () => 0, { lenghts: [700] } as never)).toThrow(/lengths/)
  })

  it('withPosteriorBlocks reads predictProbaMatrix\'s posteriors a block at a time in time order, the same bits (GaussianHMM, VariationalGaussianHMM)', async () => {
    // 40,000 steps: three blocks of the passes, sequences crossing their ends
    const long = Array.from({ length: 40_000 }, (_, i) => X[i % 700]!)
    const lengths = { lengths: [15_000, 20_000, 5_000] }
    for (const m of [
      await new GaussianHMM({ nComponents: 3, seed: 3, maxIter: 5 }).fit(X, ops),
      await new VariationalGaussianHMM({ nComponents: 3, seed: 1, maxIter: 5 }).fit(X, ops),
    ]) {
      const copy = m.predictProbaMatrix(long, lengths)
      const seen = m.withPosteriorBlocks(long, (post) => {
        const starts: number[] = []
        // twice: each iteration runs the passes again
        const [data, again] = [0, 1].map((pass) => {
          const into = new Float64Array(post.rows * post.cols)
          for (const block of post.blocks) {
            if (pass === 0) starts.push(block.start)
            into.set(block.data, block.start * post.cols)
          }
          return into
        })
        return { rows: post.rows, cols: post.cols, starts, data, again }
      }, lengths)
      expect(seen.starts).toEqual([0, 16_384, 32_768])
      expect({ rows: seen.rows, cols: seen.cols }).toEqual({ rows: 40_000, cols: 3 })
      expect(seen.data).toEqual(copy.data)
      expect(seen.again).toEqual(copy.data)
    }
    const m = await new GaussianHMM({ nComponents: 3, seed: 3, maxIter: 5 }).fit(X, ops)
    expect(() => m.withPosteriorBlocks(X, () => 0, { lenghts: [700] } as never)).toThrow(/did you mean 'lengths'/)
  })

  it('predictPath is predict\'s path as one Int32Array', async () => {
    const m = await new GaussianHMM({ nComponents: 3, seed: 3, maxIter: 5 }).fit(X, ops)
    const path = m.predictPath(X, ops)
    expect(path).toBeInstanceOf(Int32Array)
    expect(Array.from(path)).toEqual(m.predict(X, ops))
    expect(() => m.predictPath(X, { lenghts: [700] } as never)).toThrow(/did you mean 'lengths'/)
  })

  it('predictPath writes the path into a given Int32Array or Uint8Array (a byte a step) and returns it; a wrong target is refused', async () => {
    const m = await new GaussianHMM({ nComponents: 3, seed: 3, maxIter: 5 }).fit(X, ops)
    const path = m.predict(X, ops)
    for (const into of [new Uint8Array(700), new Int32Array(700)]) {
      expect(m.predictPath(X, ops, into)).toBe(into)
      expect(Array.from(into)).toEqual(path)
    }
    expect(() => m.predictPath(X, ops, new Uint8Array(699))).toThrow(/into holds 699 values for 700 steps/)
    expect(() => m.predictPath(X, ops, [0, 1] as never)).toThrow(/into is \[0, 1\]; give an Int32Array/)
    const many = await new GaussianHMM({ nComponents: 257, seed: 1, maxIter: 1, nInit: 1 }).fit(X.slice(0, 300))
    expect(() => many.predictPath(X.slice(0, 300), {}, new Uint8Array(300))).toThrow(/states 0..255, and the model has 257/)
    expect(many.predictPath(X.slice(0, 300), {}, new Int32Array(300))).toEqual(many.predictPath(X.slice(0, 300)))
  })

  it('withPath reads predictPath\'s path where Viterbi wrote it and returns what its reader returns', async () => {
    const m = await new GaussianHMM({ nComponents: 3, seed: 3, maxIter: 5 }).fit(X, ops)
    expect(m.withPath(X, (path) => Array.from(path), ops)).toEqual(Array.from(m.predictPath(X, ops)))
    expect(m.withPath(X, (path) => path.length, ops)).toBe(700)
    expect(() => m.withPath(X, () => 0, { lenghts: [700] } as never)).toThrow(/did you mean 'lengths'/)
  })
})
