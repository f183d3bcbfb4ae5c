import { UnsupportedError } from '../../core/errors.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { Arena, F64Buffer, I32Buffer, Kernels } from '../../kernels/types.js'
import type { Component } from './component.js'
import type { Parameterisation } from '../../engine/types.js'
import { countsLogProb } from '../../core/math/xlogy.js'
import { freeRows, rowNames, simplexRowsFromFree } from '../common/free-coordinates.js'

/**
 * k categorical distributions over the symbols 0..nSymbols-1: hmmCategoricalLogB for
 * the log-densities, hmmCategoricalCounts (expected counts per member and symbol) for
 * the statistics, normalised rows for the M-step. The categorical HMM uses it.
 */

export interface CategoricalParams {
  /** k*nSymbols row-major: emissionProb[c*nSymbols + s] = P(symbol s | member c). */
  readonly emissionProb: Float64Array
  readonly logEmission: Float64Array
}

export interface CategoricalData {
  readonly symbols: I32Buffer
  readonly logEmission: F64Buffer
  readonly counts: F64Buffer
}

export class CategoricalComponent implements Component<CategoricalParams, CategoricalData> {
  readonly name = 'categorical'
  readonly statsSize: number

  constructor(readonly kernels: Kernels, readonly k: number, readonly nSymbols: number, readonly fit: { readonly emissionProb: boolean } = { emissionProb: true }) {
    this.statsSize = k * nSymbols
  }

  prepare(arena: Arena, n: number): CategoricalData {
    return { symbols: arena.i32(n), logEmission: arena.f64(this.k * this.nSymbols), counts: arena.f64(this.k * this.nSymbols) }
  }

  rows(data: CategoricalData, lo: number, hi: number): CategoricalData {
    return { ...data, symbols: data.symbols.subarray(lo, hi) }
  }

  load(data: CategoricalData, symbols: Int32Array): void {
    data.symbols.view.set(symbols)
  }

  /** Standard-error coordinates: emission[c][s] for s < nSymbols - 1 (each row's last is 1 minus the others). */
  get free(): Parameterisation<CategoricalParams> {
    const { k, nSymbols: m } = this, on = this.fit.emissionProb
    return {
      names: () => (on ? rowNames(k, m, 'emission') : []),
      toFree: (params) => (on ? freeRows(params.emissionProb, k, m) : new Float64Array(0)),
      fromFree: (vec, like) => (on ? this.makeParams(simplexRowsFromFree(vec, k, m, 'emission')) : like),
    }
  }

  rowDerivatives(data: CategoricalData, params: CategoricalParams): (i: number, c: number, score: Float64Array, negHessian: Float64Array) => void {
    const { k, nSymbols: M } = this, m = k * (M - 1), symbols = data.symbols.view, p = params.emissionProb
    return (i, c, score, negHessian) => {
      if (!this.fit.emissionProb) return
      const s = symbols[i]!, b = p[c * M + s]!, at = c * (M - 1)
      if (s < M - 1) {
        score[at + s]! += 1 / b
        negHessian[(at + s) * m + at + s]! += 1 / (b * b)
      } else {
        // the last symbol's probability is 1 minus the row's free ones
        for (let a = 0; a < M - 1; a++) {
          score[at + a]! -= 1 / b
          for (let e = 0; e < M - 1; e++) negHessian[(at + a) * m + at + e]! += 1 / (b * b)
        }
      }
    }
  }

  makeParams(emissionProb: Float64Array): CategoricalParams {
    return { emissionProb, logEmission: emissionProb.map(Math.log) }
  }

  logDensities(data: CategoricalData, n: number, params: CategoricalParams, out: F64Buffer): void {
    data.logEmission.view.set(params.logEmission)
    this.kernels.hmmCategoricalLogB(data.symbols, n, data.logEmission, this.k, this.nSymbols, out)
  }

  describe(data: CategoricalData, t: number): string {
    return `symbol ${data.symbols.view[t]}`
  }

  /** A symbol absent from the training data gets emission probability 0 in every state (maximum likelihood, as hmmlearn). */
  readonly unseenRemedy = 'a symbol the training data never showed has emission probability 0 in every state; fit on data that contain it, or start from init.emissionProb giving it a positive probability and keep it (fitParams: { emissionProb: false })'

  statistics(data: CategoricalData, n: number, weights: F64Buffer, rowWeight: F64Buffer | null, _params: CategoricalParams, out: Float64Array): void {
    // the counts kernel has no per-row weight yet; say so rather than drop the weights
    if (rowWeight) throw new UnsupportedError('The categorical component does not take row (sample) weights yet.')
    this.kernels.hmmCategoricalCounts(data.symbols, n, weights, this.k, this.nSymbols, data.counts)
    out.set(data.counts.view.subarray(0, this.statsSize))
  }

  /** Expected counts against the emission probabilities (the counts do not depend on `at`). */
  completeLogLik(stats: Float64Array, _at: CategoricalParams, params: CategoricalParams): number {
    return countsLogProb(stats.subarray(0, this.statsSize), params.emissionProb)
  }

  /** Each row: counts / their sum; a row with no mass keeps its probabilities. */
  fromStats(stats: Float64Array, params: CategoricalParams): CategoricalParams {
    if (!this.fit.emissionProb) return params
    const { k, nSymbols: S } = this
    const out = new Float64Array(k * S)
    for (let c = 0; c < k; c++) {
      let s = 0
      for (let v = 0; v < S; v++) s += stats[c * S + v]!
      for (let v = 0; v < S; v++) out[c * S + v] = s > 0 ? stats[c * S + v]! / s : params.emissionProb[c * S + v]!
    }
    return this.makeParams(out)
  }

  nParameters(): number {
    return this.fit.emissionProb ? this.k * (this.nSymbols - 1) : 0
  }

  pack(params: CategoricalParams): Float64Array {
    return Float64Array.from(params.emissionProb)
  }

  unpack(vec: Float64Array): CategoricalParams {
    return this.makeParams(Float64Array.from(vec))
  }

  isValid(vec: Float64Array): boolean {
    for (let c = 0; c < this.k; c++) if (!isDistribution(vec, c * this.nSymbols, this.nSymbols)) return false
    return true
  }

  sample(params: CategoricalParams, c: number, rng: Rng): number {
    return drawFrom(params.emissionProb, c * this.nSymbols, this.nSymbols, rng)
  }

  dispose(): void {}
}

/** Index drawn from the distribution p[offset .. offset + n) (one uniform). */
export function drawFrom(p: ArrayLike<number>, offset: number, n: number, rng: Rng): number {
  let u = rng.uniform()
  for (let j = 0; j < n - 1; j++) {
    u -= p[offset + j]!
    if (u < 0) return j
  }
  return n - 1
}

/** Whether v[offset .. offset + n) are probabilities summing to 1 (within tol). */
export function isDistribution(v: ArrayLike<number>, offset: number, n: number, tol = 1e-8): boolean {
  let s = 0
  for (let j = 0; j < n; j++) {
    const p = v[offset + j]!
    if (!(p >= 0 && p <= 1)) return false
    s += p
  }
  return Math.abs(s - 1) <= tol
}
