/** The JS twin of assembly/sampling.ts: the same draws through the `Rng` stream. */
import { Rng } from '../../core/rng/xoshiro128.js'
import { lastSpare, normalPair } from '../../core/rng/normal.js'
import { categoricalRow, gammaStd, standardBounds, truncatedStd } from '../../core/rng/sampling.js'
import type { SamplingKernels } from '../sampling.js'
import { glmmLogisticSums, glmmSampleIntercepts } from './glmm.js'

export const jsSampling: SamplingKernels = {
  sampleNormals(state, out, n) {
    const rng = Rng.fromState(state.view)
    const o = out.view
    let i = 0
    for (; i + 1 < n; i += 2) {
      o[i] = normalPair(rng)
      o[i + 1] = lastSpare()
    }
    if (i < n) o[i] = normalPair(rng)
    state.view.set(rng.state)
  },

  sampleGammas(state, shape, out, n) {
    const rng = Rng.fromState(state.view)
    const a = shape.view, o = out.view
    let bad = -1
    for (let i = 0; i < n; i++) {
      const s = a[i]!
      if (!(s > 0 && s < Infinity)) { bad = i; break }
      o[i] = gammaStd(rng, s)
    }
    state.view.set(rng.state)
    return bad
  },

  sampleTruncatedNormals(state, mean, sd, lower, upper, n, out) {
    const rng = Rng.fromState(state.view)
    const m = mean.view, s = sd.view, lo = lower.view, hi = upper.view, o = out.view
    let bad = -1
    for (let i = 0; i < n; i++) {
      const ab = standardBounds(m[i]!, s[i]!, lo[i]!, hi[i]!)
      if (ab === null) { bad = i; break }
      o[i] = m[i]! + s[i]! * truncatedStd(rng, ab[0], ab[1])
    }
    state.view.set(rng.state)
    return bad
  },

  sampleCategorical(state, prob, n, k, labels) {
    const rng = Rng.fromState(state.view)
    const p = prob.view, l = labels.view
    let bad = 0
    for (let i = 0; i < n; i++) {
      const label = categoricalRow(rng, p, i * k, k)
      if (label < 0) bad++
      l[i] = label
    }
    state.view.set(rng.state)
    return bad
  },

  glmmSampleIntercepts,
  glmmLogisticSums,
}
