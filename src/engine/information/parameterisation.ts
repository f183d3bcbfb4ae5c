/**
 * The coordinates standard errors are reported in (a model's `information.
 * parameterisation`, else its packed vector), and the probe that every coordinate
 * can be moved both ways by the first difference step (a parameter on the boundary of
 * its space, e.g. a mixture weight of 0, has no standard error: a typed error names it).
 */
import { DegenerateError, InformationError } from '../../core/errors.js'
import { show } from '../../core/show.js'
import type { EMModel, Parameterisation } from '../types.js'

/** The model's parameterisation, or `pack`/`unpack` with names theta[0], theta[1], ... */
export function parameterisationOf<P>(model: EMModel<P, any>): Parameterisation<P> {
  const own = model.information?.parameterisation
  if (own) return own
  return {
    names: (params) => Array.from(model.pack(params), (_, i) => `theta[${i}]`),
    toFree: (params) => model.pack(params),
    fromFree: (vec, like) => model.unpack(vec, like),
  }
}

/**
 * `evaluate(params)` as a function of the free coordinates that gives NaN where the
 * coordinates leave the parameter space (fromFree throws a DegenerateError).
 */
export function inFreeCoordinates<P, T extends number | Float64Array>(par: Parameterisation<P>, like: P, evaluate: (params: P) => T): (v: Float64Array) => T {
  return (v) => {
    let params: P
    try {
      params = par.fromFree(v, like)
    } catch (e) {
      if (e instanceof DegenerateError) return NaN as T
      throw e
    }
    return evaluate(params)
  }
}

/**
 * Throws an InformationError naming the first coordinate j for which f is not finite
 * (or throws a DegenerateError) a step `steps[j]` above or below x: that parameter is
 * on the boundary of its space.
 */
export function probeSteps(x: Float64Array, steps: Float64Array, names: readonly string[], what: string, f: (v: Float64Array) => number | Float64Array): void {
  for (let j = 0; j < x.length; j++) {
    for (const sign of [1, -1]) {
      const v = Float64Array.from(x)
      v[j] = x[j]! + sign * steps[j]!
      let ok: boolean
      try {
        const out = f(v)
        ok = typeof out === 'number' ? Number.isFinite(out) : out.every(Number.isFinite)
      } catch (e) {
        if (!(e instanceof DegenerateError)) throw e
        ok = false
      }
      if (!ok) {
        throw new InformationError(
          `The parameter ${names[j]} = ${show(x[j])} is on the boundary of its space: ${what} is not defined a step of ${show(steps[j])} ${sign > 0 ? 'above' : 'below'} it, so it has no standard error. Fit a model without it (e.g. fewer components), or use the bootstrap.`,
          { parameters: [names[j]], value: x[j] },
        )
      }
    }
  }
}
