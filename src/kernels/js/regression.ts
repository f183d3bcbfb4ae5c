/** The JS twin of assembly/regression.ts (see its file comment): the same operations in the same order. */
import type { RegressionKernels } from '../regression.js'
import { expFlush } from './math.js'

export const jsRegression: RegressionKernels = {
  regressionEta(zB, n, p, coefB, k, etaB) {
    const z = zB.view, coef = coefB.view, eta = etaB.view
    for (let i = 0; i < n; i++) {
      const r = i * p
      for (let c = 0; c < k; c++) {
        const b = c * p
        let s = 0
        for (let j = 0; j < p; j++) s += z[r + j]! * coef[b + j]!
        eta[i * k + c] = s
      }
    }
  },

  glmRowTerms(family, yB, trialsB, logConstB, etaB, n, k, aB, bB, start, densB, targetB, weightB) {
    const y = yB.view, eta = etaB.view, a = aB.view, b = bB.view, dens = densB.view, target = targetB.view
    const trials = trialsB?.view, logConst = logConstB?.view, weight = weightB?.view
    for (let i = 0; i < n; i++) {
      const yi = y[i]!
      for (let c = 0; c < k; c++) {
        const o = i * k + c
        if (family === 0) {
          const r = yi - eta[o]!
          const s = r * b[c]!
          dens[o] = a[c]! - 0.5 * (s * s)
          target[o] = r
        } else if (family === 1) {
          let e: number, mu: number
          if (start !== 0) { mu = yi + 0.1; e = Math.log(mu) } else { e = eta[o]!; mu = expFlush(e) }
          dens[o] = (yi * e - mu) - logConst![i]!
          weight![o] = mu
          const t = mu > 0 ? (yi - mu) / mu : 0
          target[o] = start !== 0 ? e + t : t
        } else {
          const ti = trials![i]!
          let e: number
          if (start !== 0) { const m0 = (yi + 0.5) / (ti + 1); e = Math.log(m0 / (1 - m0)) } else e = eta[o]!
          const ex = expFlush(-Math.abs(e))
          const d = 1 + ex
          const mu = e >= 0 ? 1 / d : ex / d
          const w = ti * (ex / (d * d))
          dens[o] = (yi * e - ti * ((e > 0 ? e : 0) + Math.log(d))) + logConst![i]!
          weight![o] = w
          const t = w > 0 ? (yi - ti * mu) / w : 0
          target[o] = start !== 0 ? e + t : t
        }
      }
    }
  },

  weightedCrossProducts(zB, n, p, k, respB, swB, weightB, targetB, densB, outB) {
    const z = zB.view, resp = respB.view, sw = swB?.view, weight = weightB?.view, target = targetB.view, dens = densB?.view, out = outB.view
    const size = p * p + p + 3
    // partial sums over the even and the odd rows, interleaved as the SIMD lanes hold them
    const acc = size * k
    out.fill(0, acc, acc + 2 * size * k)
    for (let i = 0; i < n; i++) {
      const row = i * p
      const lane = i & 1
      for (let c = 0; c < k; c++) {
        const o = i * k + c
        let m = resp[o]!
        if (sw) m = m * sw[i]!
        const w = weight ? m * weight[o]! : m
        const t = target[o]!
        const blk = acc + 2 * c * size + lane
        out[blk] = out[blk]! + m
        for (let j = 0; j < p; j++) {
          const wz = w * z[row + j]!
          const arow = blk + 2 * (1 + j * p)
          for (let l = j; l < p; l++) out[arow + 2 * l] = out[arow + 2 * l]! + wz * z[row + l]!
        }
        const wt = w * t
        const bv = blk + 2 * (1 + p * p)
        for (let j = 0; j < p; j++) out[bv + 2 * j] = out[bv + 2 * j]! + wt * z[row + j]!
        const tp = bv + 2 * p
        out[tp] = out[tp]! + wt * t
        if (dens) out[tp + 2] = out[tp + 2]! + (m !== 0 ? m * dens[o]! : 0)
      }
    }
    for (let c = 0; c < k; c++) {
      const blk = c * size, pairs = acc + 2 * c * size
      for (let e = 0; e < size; e++) out[blk + e] = out[pairs + 2 * e]! + out[pairs + 2 * e + 1]!
      const a = blk + 1
      for (let j = 0; j < p; j++) for (let l = 0; l < j; l++) out[a + j * p + l] = out[a + l * p + j]!
    }
  },
}
