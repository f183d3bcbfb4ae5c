/**
 * What the regressions share (TobitRegression, ProbitRegression, LogisticGLMM): calls
 * shaped `fit(X, y, options)` (and so scoring calls), the `fitIntercept` option, the
 * design Z = [1, X], and the fitted coefficients and linear predictor.
 */
import { InputError } from '../core/errors.js'
import type { Matrix, MatrixInput } from '../core/matrix.js'
import { toMatrix, toSampleWeight } from '../core/validate.js'
import type { PreparedData } from '../engine/types.js'
import { linearPredictor } from '../models/glmm/model.js'
import type { Dataset } from '../runtime/dataset.js'
import { Estimator, type FitModel, type Shape } from './base.js'
import { flag, type OptionDef } from './schema.js'

/** Fit an intercept (X never holds an intercept column). */
export const FIT_INTERCEPT: OptionDef<boolean> = { default: true, check: flag }

/** The regressions' design Z (row-major n x p): a leading column of ones when `fitIntercept`, then X. */
export function designMatrix(x: Matrix, fitIntercept: boolean): { z: Float64Array; p: number } {
  const off = fitIntercept ? 1 : 0
  const p = x.cols + off
  const z = new Float64Array(x.rows * p)
  for (let i = 0; i < x.rows; i++) {
    if (off) z[i * p] = 1
    for (let j = 0; j < x.cols; j++) z[i * p + off + j] = x.data[i * x.cols + j]!
  }
  return { z, p }
}

/** Refuse an array that does not have one value per row of X. */
export function checkPerRow(values: unknown, name: string, rows: number): asserts values is ArrayLike<unknown> {
  const v = values as ArrayLike<unknown> | null | undefined
  if (!v || typeof v !== 'object' || v.length !== rows) {
    throw new InputError('SHAPE_MISMATCH', `${name} has ${v?.length ?? 'no'} values but X has ${rows} rows; give one per row.`, { rows })
  }
}

export abstract class Regression<P extends { readonly coef: Float64Array }, M extends FitModel<P, D>, D extends PreparedData, O extends object> extends Estimator<P, M, D, O> {
  declare readonly fitIntercept: boolean

  /** fit(X, y, options), scoreSamples(X, y, options), ...: the input is { X, y }. */
  protected override splitArgs(args: readonly unknown[]): { input: unknown; options: unknown } {
    return { input: { X: args[0], y: args[1] }, options: args[2] }
  }

  /** A dataset from elsewhere (the bootstrap's allows NaN, unchecked weights) gets the checks of fit's own input. */
  protected override forFit(data: Dataset): Dataset {
    const X = toMatrix(data.X, 'X')
    const weight = toSampleWeight(data.sampleWeight, X.rows)
    return { ...data, X, ...(weight ? { sampleWeight: weight } : {}) }
  }

  protected shapeOf(data: Dataset): Shape {
    return { nFeatures: data.X.cols }
  }

  /** scoreSamples(X, y), bic(X, y), ...: the responses go with X. */
  protected override scoringArgs(data: Dataset): unknown[] {
    return [data.X, data.y]
  }

  /** X (finite, not empty) and y (one value per row) of a call's { X, y }. */
  protected xy(input: unknown): { X: Matrix; y: ArrayLike<unknown> } {
    const { X, y } = input as { X: MatrixInput; y: unknown }
    const x = toMatrix(X, 'X')
    checkPerRow(y, 'y', x.rows)
    return { X: x, y }
  }

  /** The fitted intercept (0 without fitIntercept). */
  get intercept(): number {
    const { params } = this.fitted('intercept')
    return this.fitIntercept ? params.coef[0]! : 0
  }

  /** The coefficients of the columns of X. */
  get coefficients(): number[] {
    return Array.from(this.fitted('coefficients').params.coef.subarray(this.fitIntercept ? 1 : 0))
  }

  /** intercept + x' beta of each row of X (the fit's own design and linear predictor), X shaped like the training data. */
  protected linear(X: MatrixInput | Matrix, what: string): Float64Array {
    const { params, shape } = this.fitted(what)
    const x = toMatrix(X as MatrixInput, 'X')
    this.checkShape(shape, { nFeatures: x.cols })
    const { z, p } = designMatrix(x, this.fitIntercept)
    return linearPredictor(z, x.rows, p, params.coef)
  }
}
