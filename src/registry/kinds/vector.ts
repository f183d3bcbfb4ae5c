/**
 * What the kinds share: named flat parameter vectors, permuting component (state)
 * blocks of a vector after matching, and multivariate draws that keep the real
 * data's missing values missing.
 */
import type { Matrix } from '../../core/matrix.js'
import { jsKernels } from '../../kernels/js/index.js'
import { sampleMixture } from '../../models/gmm/sample.js'
import type { Rng } from '../../core/rng/xoshiro128.js'
import type { ParameterVector } from '../../runtime/tasks.js'
import { gamma } from '../../core/rng/sampling.js'

/** Builds a ParameterVector entry by entry; arrays get indexed names (`mean[1][0]`) from their shape. */
export class VectorBuilder {
  private readonly names: string[] = []
  private readonly values: number[] = []

  add(name: string, value: number): this {
    this.names.push(name)
    this.values.push(value)
    return this
  }

  /** Row-major `values` of the given shape (its product = values.length). */
  addArray(prefix: string, values: ArrayLike<number>, shape: readonly number[]): this {
    for (let p = 0; p < values.length; p++) {
      let rest = p, suffix = ''
      for (let a = shape.length - 1; a >= 0; a--) {
        suffix = `[${rest % shape[a]!}]` + suffix
        rest = Math.floor(rest / shape[a]!)
      }
      this.add(prefix + suffix, values[p]!)
    }
    return this
  }

  /** Entries with names given elsewhere (e.g. covarianceEntryNames of a covariance strategy). */
  addNamed(names: readonly string[], values: ArrayLike<number>): this {
    for (let p = 0; p < values.length; p++) this.add(names[p]!, values[p]!)
    return this
  }

  build(): ParameterVector {
    return { values: Float64Array.from(this.values), names: this.names }
  }
}

/** A run of per-component blocks in a vector: K blocks of `block` entries from `offset` (block 0: shared, left as is). */
export interface Segment {
  readonly offset: number
  readonly block: number
}

/**
 * `values` with its components reordered: reference component r takes replicate
 * component match[r] in every segment; with `transitions` (an HMM's K x K matrix at
 * that offset), rows and columns both.
 */
export function permuteComponents(values: Float64Array, match: readonly number[], segments: readonly Segment[], transitions?: number): Float64Array {
  const out = values.slice()
  const k = match.length
  for (const { offset, block } of segments) {
    if (block === 0) continue
    for (let r = 0; r < k; r++) out.set(values.subarray(offset + match[r]! * block, offset + (match[r]! + 1) * block), offset + r * block)
  }
  if (transitions !== undefined) {
    for (let r = 0; r < k; r++) for (let s = 0; s < k; s++) out[transitions + r * k + s] = values[transitions + match[r]! * k + match[s]!]!
  }
  return out
}

/** Copy the missing (NaN) entries of `template` into `data` (same shape): simulated data are missing where the real data are. */
export function keepMissing(data: Float64Array, template: Matrix): Float64Array {
  for (let p = 0; p < data.length; p++) if (Number.isNaN(template.data[p]!)) data[p] = NaN
  return data
}

/** n rows of N(mean, cov) through the one mixture sampler (K = 1). */
export function normalRows(mean: ArrayLike<number>, cov: ArrayLike<number>, n: number, rng: Rng): Float64Array {
  const d = mean.length
  return sampleMixture(jsKernels, { k: 1, d, weights: [1], means: mean, fullCovariances: Float64Array.from(cov) }, n, rng).data
}

/** Flatten rows (number[][]) into one row-major array. */
export function flat(rows: readonly (readonly number[])[]): Float64Array {
  return Float64Array.from(rows.flat())
}

/** A regression's named vector: 'intercept' (when fitted), then coef[0..p). */
export function coefficients(fitIntercept: boolean, intercept: number, coef: readonly number[]): VectorBuilder {
  const v = new VectorBuilder()
  if (fitIntercept) v.add('intercept', intercept)
  return v.addArray('coef', coef, [coef.length])
}

/**
 * Normal draws made t draws, in place, one gamma per row in row order: row i becomes
 * m + (x_i - m) sqrt(nu / g), g ~ chi-square(nu), with m and nu those of block
 * `block(i)` (a mixture's component, or 0 for one t distribution).
 */
export function normalRowsToT(data: Float64Array, d: number, means: ArrayLike<number>, nu: ArrayLike<number>, block: (row: number) => number, rng: Rng): Float64Array {
  for (let i = 0; i < data.length / d; i++) {
    const c = block(i)
    const scale = Math.sqrt(nu[c]! / gamma(rng, nu[c]! / 2, 0.5))
    for (let j = 0; j < d; j++) data[i * d + j] = means[c * d + j]! + (data[i * d + j]! - means[c * d + j]!) * scale
  }
  return data
}
