/**
 * How a categorical HMM knows its number of symbols: given (the option, or the shape
 * of given emission probabilities), else the fitted model's, else read off the data.
 * Shared by CategoricalHMM and VariationalCategoricalHMM.
 */
import { NotFittedError } from '../../core/errors.js'
import type { Matrix } from '../../core/matrix.js'
import type { Dataset } from '../../runtime/dataset.js'
import type { Shape } from '../base.js'
import type { EstimatorSpec } from '../../runtime/tasks.js'
import { checkSymbols, symbolCount, toIntegerColumn } from './inputs.js'

/** The symbols of a fitted (or fully given) model; NOT_FITTED while unknown. */
export function knownSymbols(fitted: Shape | undefined, given: number | null, estimator: string): number {
  const n = fitted?.['nSymbols'] ?? given
  if (n === null || n === undefined) throw new NotFittedError(estimator, 'nSymbols')
  return n
}

/** A worker or bootstrap replicate whose data lack the largest symbol must keep the fit's shape. */
export function specWithSymbols(spec: EstimatorSpec, n: number | null): EstimatorSpec {
  return n === null ? spec : { ...spec, options: { ...spec.options, nSymbols: n } }
}

/** Symbols as a column, checked against the given number of symbols. */
export function symbolObservations(X: unknown, given: number | null): Matrix {
  const m = toIntegerColumn(X, 'symbols')
  if (given !== null) checkSymbols(m, given, 'option')
  return m
}

/** The model's shape: given symbols, else a warm start's fitted ones (its parameters are shaped for them), else the data's. */
export function symbolShape(data: Dataset, given: number | null, warmFitted: number | undefined): Shape {
  return { nFeatures: 1, nSymbols: given ?? warmFitted ?? symbolCount(data.X) }
}
