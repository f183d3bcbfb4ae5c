/**
 * RegressionMixture and GLMMixture in the registry: data { X, y, sampleWeight?, trials? }.
 * Components are aligned to the full fit by their [intercept, coefficients] rows;
 * parametric replicates keep X (and trials) and draw each y from a component chosen by
 * its weight, at that component's mean for the row (the bootstrap conditional on the
 * design).
 */
import { matchComponents } from '../../core/math/assignment.js'
import { GLMMixture } from '../../estimators/GLMMixture.js'
import type { MixtureOfRegressions } from '../../estimators/mixture-of-regressions.js'
import { RegressionMixture } from '../../estimators/RegressionMixture.js'
import { drawFrom, poissonDraw } from '../../models/hmm/emissions.js'
import { registerBuiltinKind } from '../registry.js'
import { flat, permuteComponents, VectorBuilder } from './vector.js'

type Mixture = MixtureOfRegressions<object>

interface RegressionMixtureState {
  readonly family: 'gaussian' | 'poisson' | 'binomial'
  readonly weights: Float64Array
  /** n x k component means (row-major). */
  readonly means: Float64Array
  readonly scales: Float64Array
}

function lines(m: Mixture): { k: number; q: number; rows: Float64Array } {
  const k = m.nComponents, coef = m.coefficients, icpt = m.intercepts
  const q = coef[0]!.length + 1
  const rows = new Float64Array(k * q)
  for (let c = 0; c < k; c++) { rows[c * q] = icpt[c]!; rows.set(coef[c]!, c * q + 1) }
  return { k, q, rows }
}

function vector(m: Mixture, scales: readonly number[] | null) {
  const { k, q } = lines(m)
  const v = new VectorBuilder().addArray('weight', m.weights, [k]).addArray('intercept', m.intercepts, [k]).addArray('coef', flat(m.coefficients), [k, q - 1])
  return (scales ? v.addArray('scale', scales, [k]) : v).build()
}

function align(values: Float64Array, reference: Float64Array, m: Mixture, withScales: boolean): Float64Array {
  const { k, q } = lines(m)
  // the regression lines [intercept_c, coef_c] of both vectors, matched as points
  const rowsOf = (v: Float64Array) => {
    const out = new Float64Array(k * q)
    for (let c = 0; c < k; c++) {
      out[c * q] = v[k + c]!
      for (let j = 1; j < q; j++) out[c * q + j] = v[2 * k + c * (q - 1) + j - 1]!
    }
    return out
  }
  const match = matchComponents(rowsOf(reference), rowsOf(values), k, q)
  const segments = [{ offset: 0, block: 1 }, { offset: k, block: 1 }, { offset: 2 * k, block: q - 1 }]
  if (withScales) segments.push({ offset: 2 * k + k * (q - 1), block: 1 })
  return permuteComponents(values, match, segments)
}

function state(m: Mixture, family: RegressionMixtureState['family'], X: unknown, scales: readonly number[] | null): RegressionMixtureState {
  const k = m.nComponents
  const columns = Array.from({ length: k }, (_, c) => m.predictResponse(X as number[][], { component: c }))
  const n = columns[0]!.length
  const means = new Float64Array(n * k)
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) means[i * k + c] = columns[c]![i]!
  return { family, weights: Float64Array.from(m.weights), means, scales: Float64Array.from(scales ?? []) }
}

registerBuiltinKind<RegressionMixture>('RegressionMixture', {
  create: (options) => new RegressionMixture(options),
  fields: ['y', 'sampleWeight'],
  required: ['y'],
  vector: (m) => vector(m, m.scales),
  align: (values, reference, m) => align(values, reference, m, true),
  state: (m, data) => state(m, 'gaussian', data.X, m.scales),
  simulate: (_options, raw, template, rng) => {
    const { weights, means, scales } = raw as RegressionMixtureState
    const k = weights.length
    const y = Float64Array.from({ length: template.X.rows }, (_, i) => {
      const c = drawFrom(weights, 0, k, rng)
      return means[i * k + c]! + scales[c]! * rng.normal()
    })
    return { ...template, y }
  },
})

registerBuiltinKind<GLMMixture>('GLMMixture', {
  create: (options) => new GLMMixture(options),
  fields: ['y', 'sampleWeight', 'trials'],
  required: ['y'],
  vector: (m) => vector(m, null),
  align: (values, reference, m) => align(values, reference, m, false),
  state: (m, data) => state(m, m.family, data.X, null),
  simulate: (_options, raw, template, rng) => {
    const { family, weights, means } = raw as RegressionMixtureState
    const k = weights.length
    const y = Float64Array.from({ length: template.X.rows }, (_, i) => {
      const mu = means[i * k + drawFrom(weights, 0, k, rng)]!
      if (family === 'poisson') return poissonDraw(mu, rng)
      const t = template.trials?.[i] ?? 1
      let s = 0
      for (let j = 0; j < t; j++) if (rng.uniform() < mu) s++
      return s
    })
    return { ...template, y }
  },
})
