/**
 * The HMM's posteriors are written over the forward pass's alpha once the transition
 * counts have read it (one n x K buffer less in kernel memory): fits, histories and
 * posteriors are the bits emkit gave before, on every backend (fixtures/hmm-in-place.json,
 * made by fixtures/make-hmm-in-place.mjs with the build before the change). And
 * withPosteriors hands the same posteriors as predictProbaMatrix, without the copy.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CategoricalHMM, GaussianHMM, GMMHMM, PoissonHMM, VariationalGaussianHMM } from '../../src/index.js'
import { loadKernels } from '../../src/kernels/index.js'
import { kernelMemoryInUse } from '../../src/kernels/wasm/memory-use.js'
import { GaussianEmission, type GaussianEmissionParams } from '../../src/models/hmm/emissions.js'
import { HmmModel } from '../../src/models/hmm/model.js'
import { BACKENDS } from '../helpers/data.js'

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
  for (const backend of BACKENDS) {
    it(`fits as before, bit for bit (${backend})`, async () => {
      for (const cov of ['diag', 'full'] as const) {
        const m = await new GaussianHMM({ nComponents: 3, covarianceType: cov, seed: 3, backend, maxIter: 20 }).fit(X, ops)
        expect(strip([m.toJSON(), m.history, m.predictProba(X, ops).flat()])).toEqual(before[`g-${cov}`])
      }
      expect(strip((await new CategoricalHMM({ nComponents: 2, seed: 1, backend }).fit(sym, ops)).toJSON())).toEqual(before['cat'])
      expect(strip((await new PoissonHMM({ nComponents: 2, seed: 1, backend }).fit(cnt, ops)).toJSON())).toEqual(before['pois'])
      expect(strip((await new GMMHMM({ nComponents: 2, nMix: 2, seed: 1, backend }).fit(X, ops)).toJSON())).toEqual(before['gmmhmm'])
      expect(strip((await new VariationalGaussianHMM({ nComponents: 3, seed: 1, backend }).fit(X, ops)).toJSON())).toEqual(before['vg'])
    })
  }

  it('withPosteriors reads predictProbaMatrix\'s posteriors in place and returns what its reader returns', async () => {
    const m = await new GaussianHMM({ nComponents: 3, seed: 3, maxIter: 5 }).fit(X, ops)
    const copy = m.predictProbaMatrix(X, ops)
    const seen = m.withPosteriors(X, (post) => ({ rows: post.rows, cols: post.cols, data: Array.from(post.data) }), ops)
    expect(seen).toEqual({ rows: copy.rows, cols: copy.cols, data: Array.from(copy.data) })
    expect(() => m.withPosteriors(X, () => 0, { lenghts: [700] } as never)).toThrow(/lengths/)
  })

  it('predictPath is predict\'s path as one Int32Array', async () => {
    const m = await new GaussianHMM({ nComponents: 3, seed: 3, maxIter: 5 }).fit(X, ops)
    const path = m.predictPath(X, ops)
    expect(path).toBeInstanceOf(Int32Array)
    expect(Array.from(path)).toEqual(m.predict(X, ops))
    expect(() => m.predictPath(X, { lenghts: [700] } as never)).toThrow(/did you mean 'lengths'/)
  })

  /**
   * Viterbi reads none of the forward-backward buffers (alpha, which the posteriors
   * share, beta and the scale factors): they are allocated on first use, so a predict
   * call needs 2 n x K + n doubles less kernel memory than a fit or a posterior call.
   */
  it('the forward-backward buffers are allocated on first use: Viterbi never makes them (wasm)', async () => {
    const kernels = await loadKernels('wasm')
    const K = 3, n = 700
    const model = new HmmModel<GaussianEmissionParams, any>({
      kernels, k: K, emission: new GaussianEmission(kernels, K, 2, 'diag', 1e-6, { means: true, covariances: true }),
      fit: { startProb: true, transMat: true }, startPseudoCounts: new Float64Array(K), transPseudoCounts: new Float64Array(K * K),
    })
    const emission = model.emission as GaussianEmission
    const params = {
      startProb: Float64Array.from([0.2, 0.5, 0.3]),
      transMat: Float64Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.25, 0.25, 0.5]),
      emission: emission.makeParams(Float64Array.from([0, 0, 2, -1, 4, -2]), Float64Array.from([1, 1, 1, 1, 1, 1])),
    }
    const data = model.prepare([400, 300])
    emission.load(data.emission, { rows: n, cols: 2, data: Float64Array.from(X.flat()) })
    const prepared = kernelMemoryInUse(kernels)
    const viterbi = model.viterbi(data, params)
    const afterViterbi = kernelMemoryInUse(kernels)
    // psi (n x K int32) and the path (n int32), nothing more
    expect(afterViterbi - prepared).toBeLessThan(n * K * 4 + n * 4 + 64)
    model.forwardBackward(data, params)
    expect(kernelMemoryInUse(kernels) - afterViterbi).toBeGreaterThanOrEqual(2 * n * K * 8 + n * 8)
    expect(data.gamma).toBe(data.alpha)
    model.release(data)
    // the same path as a model whose buffers were all made before Viterbi ran
    const eager = model.prepare([400, 300])
    emission.load(eager.emission, { rows: n, cols: 2, data: Float64Array.from(X.flat()) })
    model.forwardBackward(eager, params)
    expect(model.viterbi(eager, params)).toEqual(viterbi)
    model.release(eager)
    model.dispose()
  })
})
