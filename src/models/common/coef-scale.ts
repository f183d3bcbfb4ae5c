/**
 * The flat parameter vector of a regression with one positive scale (Tobit's sigma, the
 * GLMM's random-intercept SD): [coef..., scale]. One codec for every such model:
 * CoefScaleModel, which those models extend.
 */
import { DegenerateError } from '../../core/errors.js'
import type { Parameterisation } from '../../engine/types.js'

export interface CoefScale {
  readonly coef: Float64Array
  readonly sigma: number
}

/**
 * The EMModel members every [coef, scale] model shares (Tobit, the GLMM): its free
 * parameters, and the flat vector accelerators, numerical derivatives and the
 * bootstrap see. `scaleName` says in errors which scale left the parameter space.
 */
export abstract class CoefScaleModel<P extends CoefScale> {
  protected abstract readonly scaleName: string

  /**
   * Standard errors are given for [coef..., log(scale)] (survreg's Log(scale)): the
   * log keeps numerical steps inside the space, and the coefficients' standard errors
   * do not depend on how the scale is parameterised.
   */
  get information(): { parameterisation: Parameterisation<P> } {
    return {
      parameterisation: {
        names: (params) => [...Array.from(params.coef, (_, j) => `coef[${j}]`), `log(${this.scaleName})`],
        toFree: (params) => {
          const v = this.pack(params)
          v[params.coef.length] = Math.log(params.sigma)
          return v
        },
        fromFree: (vec, like) => {
          const v = Float64Array.from(vec)
          v[like.coef.length] = Math.exp(vec[like.coef.length]!)
          return this.unpack(v, like)
        },
      },
    }
  }

  /** Row i's linear predictor z_i' coef (z: the design, row-major with p columns). */
  protected rowPredictor(data: { readonly z: Float64Array; readonly p: number }, coef: Float64Array, i: number): number {
    let s = 0
    for (let a = 0; a < data.p; a++) s += data.z[i * data.p + a]! * coef[a]!
    return s
  }

  nParameters(params: P): number {
    return params.coef.length + 1
  }

  pack(params: P): Float64Array {
    const v = new Float64Array(params.coef.length + 1)
    v.set(params.coef)
    v[params.coef.length] = params.sigma
    return v
  }

  unpack(vec: Float64Array, like: P): P {
    const p = like.coef.length
    const sigma = vec[p]!
    if (!(sigma > 0)) throw new DegenerateError('DEGENERATE', `The ${this.scaleName} became ${sigma}.`)
    return { coef: vec.slice(0, p), sigma } as CoefScale as P
  }

  isValid(vec: Float64Array, like: P): boolean {
    const s = vec[like.coef.length]!
    return s > 0 && s < Infinity && vec.every(Number.isFinite)
  }
}
