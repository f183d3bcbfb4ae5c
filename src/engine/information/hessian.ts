/**
 * The observed information as minus the Hessian of the observed log-likelihood in the
 * free coordinates, by Richardson-extrapolated central differences: needs nothing of
 * the model but logLik and its parameterisation, so every model has it.
 */
import { curvatureSteps, richardsonHessian } from '../../core/math/derivatives.js'
import type { EMModel, Parameterisation, PreparedData } from '../types.js'
import { inFreeCoordinates, probeSteps } from './parameterisation.js'

export function hessianInformation<P, D extends PreparedData>(model: EMModel<P, D>, data: D, params: P, par: Parameterisation<P>, names: readonly string[]): Float64Array {
  const f = inFreeCoordinates(par, params, (p) => model.logLik(data, p))
  const x = par.toFree(params)
  const steps = curvatureSteps(f, x)
  probeSteps(x, steps, names, 'the log-likelihood', f)
  const H = richardsonHessian(f, x, { steps })
  for (let i = 0; i < H.length; i++) H[i] = -H[i]!
  return H
}
