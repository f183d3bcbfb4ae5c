/**
 * The GLMM keeps its draws and z' beta in kernel memory between calls (models/glmm/draws.ts,
 * the offset cache): a model that reuses them gives exactly what a fresh model that copies
 * everything in gives, for the sampled array, another array of the same size, a grown
 * sample and other coefficients, on every backend.
 */
import { describe, expect, it } from 'vitest'
import { LogisticGlmmModel } from '../../src/models/glmm/model.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { BACKENDS, loadAll } from '../kernels/backends.js'
import { groups, trials, X, y } from './cbpp.js'

function prepared(kernels: LogisticGlmmModel['kernels']) {
  const n = X.length, p = 4
  const z = new Float64Array(n * p)
  X.forEach((row, i) => { z[i * p] = 1; row.forEach((v, j) => { z[i * p + 1 + j] = v }) })
  const starts = [0]
  for (let i = 1; i <= n; i++) if (i === n || groups[i] !== groups[i - 1]) starts.push(i)
  const model = new LogisticGlmmModel(kernels, { burnIn: 20, thin: 1, nAGQ: 5 })
  return { model, data: model.prepare(z, n, p, Float64Array.from(y), Float64Array.from(trials), Int32Array.from(starts)) }
}

describe('LogisticGLMM kernel buffers', () => {
  it('reused draws and linear predictors give what fresh copies give', async () => {
    const all = await loadAll()
    for (const backend of BACKENDS) {
      const a = prepared(all[backend])
      const params = a.model.initialParams(a.data)
      const rng = new Rng(9)
      const draws = a.model.sampleLatent(a.data, params, rng, 30)
      const next = a.model.mStepFromDraws(draws, 30, params, a.data)
      const other = draws.map((v) => v + 0.25)
      const grown = a.model.sampleLatent(a.data, next, rng, 70)
      // the reusing model, in an order that hits and misses both caches
      const got = [
        a.model.completeLogLiks(draws, 30, next, a.data), a.model.completeLogLiks(draws, 30, params, a.data),
        a.model.completeLogLiks(other, 30, params, a.data), a.model.completeLogLiks(grown, 70, next, a.data),
        a.model.completeLogLiks(draws, 30, next, a.data),
      ]
      const mStep = a.model.mStepFromDraws(grown, 70, next, a.data)
      // a fresh model for each value: nothing cached
      const fresh = (f: (b: ReturnType<typeof prepared>) => unknown) => {
        const b = prepared(all[backend])
        try { return f(b) } finally { b.model.release(b.data) }
      }
      const want = [
        fresh((b) => b.model.completeLogLiks(draws.slice(), 30, next, b.data)), fresh((b) => b.model.completeLogLiks(draws.slice(), 30, params, b.data)),
        fresh((b) => b.model.completeLogLiks(other.slice(), 30, params, b.data)), fresh((b) => b.model.completeLogLiks(grown.slice(), 70, next, b.data)),
        fresh((b) => b.model.completeLogLiks(draws.slice(), 30, next, b.data)),
      ]
      expect(got, backend).toEqual(want)
      expect(got[2]).not.toEqual(got[1])
      expect(mStep).toEqual(fresh((b) => b.model.mStepFromDraws(grown.slice(), 70, next, b.data)))
      a.model.release(a.data)
    }
  })
})
