/**
 * The JS twin of assembly/glmm.ts (see its file comment): the same operations in the
 * same order, so the three backends give identical draws and sums from a seed.
 * `softplus`, `softplusFrom` and `logisticTerms` are the row terms of these kernels
 * and of the model's quadrature (src/models/glmm/agq.ts), so those exist once in
 * TypeScript.
 */
import { Rng } from '../../core/rng/xoshiro128.js'
import { lastSpare, normalPair } from '../../core/rng/normal.js'
import { expFlush } from './math.js'
import type { SamplingKernels } from '../sampling.js'

const TARGET_ACCEPT = 0.275
const ADAPT_EVERY = 100
const ADAPT_GAIN = 0.7

/** log(1 + exp(x)) without overflow: max(x, 0) + log(1 + exp(-|x|)). */
export function softplus(x: number): number {
  return softplusFrom(x, 1 + expFlush(-Math.abs(x)))
}

/** softplus(x) given d = 1 + exp(-|x|), which logisticTerms returns: a caller of both takes one exp, as the wasm kernel does. */
export function softplusFrom(x: number, d: number): number {
  return (x > 0 ? x : 0) + Math.log(d)
}

/**
 * mu = 1 / (1 + exp(-x)) and w = mu (1 - mu), both without cancellation, into out[0],
 * out[1] (no allocation: quadrature calls it per row and node). Returns d = 1 + exp(-|x|)
 * for softplusFrom.
 */
export function logisticTerms(x: number, out: Float64Array): number {
  const e = expFlush(-Math.abs(x))
  const d = 1 + e
  out[0] = x >= 0 ? 1 / d : e / d
  out[1] = e / (d * d)
  return d
}

function groupLogTarget(offset: Float64Array, y: Float64Array, trials: Float64Array, start: number, end: number, b: number, halfPrec: number): number {
  let s = 0
  for (let j = start; j < end; j++) s += y[j]! * b - trials[j]! * softplus(offset[j]! + b)
  return s - b * b * halfPrec
}

export const glmmSampleIntercepts: SamplingKernels['glmmSampleIntercepts'] = (
  state, offsetB, yB, trialsB, groupStartB, nGroups, sigma, bB, scaleB, currentB, burnIn, thin, m, drawsB, acceptB,
) => {
  const offset = offsetB.view, y = yB.view, trials = trialsB.view, gs = groupStartB.view
  const b = bB.view, scale = scaleB.view, current = currentB.view, draws = drawsB.view, accept = acceptB.view
  for (let g = 0; g < nGroups; g++) {
    const s = scale[g]!
    if (!(s > 0 && s < Infinity)) return g
  }
  const rng = Rng.fromState(state.view)
  const halfPrec = 0.5 / (sigma * sigma)
  for (let g = 0; g < nGroups; g++) {
    current[g] = groupLogTarget(offset, y, trials, gs[g]!, gs[g + 1]!, b[g]!, halfPrec)
    accept[g] = 0
  }
  const total = burnIn + m * thin
  let batch = 0
  let second = 0
  for (let sweep = 0; sweep < total; sweep++) {
    for (let g = 0; g < nGroups; g++) {
      let z: number
      if ((g & 1) === 0) {
        z = normalPair(rng)
        second = lastSpare()
      } else {
        z = second
      }
      const proposal = b[g]! + scale[g]! * z
      const target = groupLogTarget(offset, y, trials, gs[g]!, gs[g + 1]!, proposal, halfPrec)
      const u = rng.uniform()
      if (Math.log(u) < target - current[g]!) {
        b[g] = proposal
        current[g] = target
        accept[g] = accept[g]! + 1
      }
    }
    if (sweep < burnIn) {
      batch++
      if (batch === ADAPT_EVERY || sweep === burnIn - 1) {
        for (let g = 0; g < nGroups; g++) {
          scale[g] = scale[g]! * expFlush(ADAPT_GAIN * (accept[g]! / batch - TARGET_ACCEPT))
          accept[g] = 0
        }
        batch = 0
      }
    } else {
      const kept = sweep - burnIn + 1
      if (kept % thin === 0) draws.set(b.subarray(0, nGroups), (kept / thin - 1) * nGroups)
    }
  }
  const kept = m * thin
  for (let g = 0; g < nGroups; g++) accept[g] = kept > 0 ? accept[g]! / kept : 0
  state.view.set(rng.state)
  return -1
}

export const glmmLogisticSums: SamplingKernels['glmmLogisticSums'] = (offsetB, yB, trialsB, groupB, n, drawsB, m, nGroups, sB, hB, qB) => {
  const offset = offsetB.view, y = yB.view, trials = trialsB.view, group = groupB.view, draws = drawsB.view, s = sB.view, h = hB.view
  const q = qB?.view
  const terms = new Float64Array(2)
  s.fill(0, 0, n)
  h.fill(0, 0, n)
  let total = 0
  for (let r = 0; r < m; r++) {
    const row = r * nGroups
    let qr = 0
    for (let i = 0; i < n; i++) {
      const x = offset[i]! + draws[row + group[i]!]!
      const d = logisticTerms(x, terms)
      const yi = y[i]!, ti = trials[i]!
      s[i] = s[i]! + (yi - ti * terms[0]!)
      h[i] = h[i]! + ti * terms[1]!
      if (q) qr += yi * x - ti * softplusFrom(x, d)
    }
    if (q) {
      q[r] = qr
      total += qr
    }
  }
  return total
}
