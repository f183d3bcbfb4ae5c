/**
 * Standard errors at fitted parameters from the observed information matrix, by one
 * of three methods (see their files): 'louis' (the model's complete-data score and
 * Hessian), 'sem' (supplemented EM: the DM matrix of EM's map), 'hessian' (numerical
 * Hessian of the observed log-likelihood; every model). Everything is in the model's
 * free coordinates (`information.parameterisation`, else `pack`).
 */
import { UnsupportedError } from '../../core/errors.js'
import { show } from '../../core/show.js'
import type { EMModel, PreparedData } from '../types.js'
import { covarianceOf } from './covariance.js'
import { hessianInformation } from './hessian.js'
import { louisInformation } from './louis.js'
import { inFreeCoordinates, parameterisationOf, probeSteps } from './parameterisation.js'
import { qFunctionOf, semInformation } from './sem.js'

export type InformationMethod = 'louis' | 'sem' | 'hessian'
export const INFORMATION_METHODS: readonly InformationMethod[] = ['louis', 'sem', 'hessian']

export interface StandardErrors {
  readonly method: InformationMethod
  /** Names of the free parameters, in the order of every array here. */
  readonly names: string[]
  readonly estimates: number[]
  readonly standardErrors: number[]
  /** Inverse of the observed information. */
  readonly covariance: number[][]
  /** The observed information matrix. */
  readonly information: number[][]
  /** 'sem': Meng & Rubin's DM matrix (dm[i][j] = d M_j / d theta_i). */
  readonly dm?: number[][]
  /** 'sem': EM's rate of convergence at the estimate (the largest eigenvalue of DM: the largest fraction of missing information). */
  readonly rate?: number
}

/** The methods `model` can honour. */
export function informationMethods(model: EMModel<any, any>): InformationMethod[] {
  const out: InformationMethod[] = []
  if (model.variational) return out // a posterior, not an estimate: no observed information
  if (model.information?.louis) out.push('louis')
  if (qFunctionOf(model)) out.push('sem')
  out.push('hessian')
  return out
}

/** Refuses a method the model cannot honour, listing those it can. */
export function checkInformationMethod(model: EMModel<any, any>, method: unknown): InformationMethod {
  if (model.variational) {
    throw new UnsupportedError(`${model.name} is fitted by variational Bayes: its parameters are a posterior distribution and its objective a bound, so there is no observed information. Read the posterior's spread, or fit the maximum-likelihood model (e.g. GaussianMixture) for standard errors.`, { method, supported: [] })
  }
  const supported = informationMethods(model)
  if (!supported.includes(method as InformationMethod)) {
    const known = INFORMATION_METHODS.includes(method as InformationMethod)
    throw new UnsupportedError(
      known
        ? `${model.name} cannot give standard errors by method ${show(method)}; it supports ${supported.map((m) => `'${m}'`).join(', ')}.`
        : `Unknown standard-error method ${show(method)}: use one of ${supported.map((m) => `'${m}'`).join(', ')} (what ${model.name} supports).`,
      { method, supported },
    )
  }
  return method as InformationMethod
}

const rows = (a: Float64Array, m: number): number[][] => Array.from({ length: m }, (_, i) => Array.from(a.subarray(i * m, (i + 1) * m)))

/** Standard errors of `params` (the MLE of `model` on `data`) by `method`. */
export function standardErrorsOf<P, D extends PreparedData>(model: EMModel<P, D>, data: D, params: P, method: InformationMethod): StandardErrors {
  // terms imported on demand and not yet loaded would silently change the coordinates and methods
  if (model.loadInformation && !model.information) throw new UnsupportedError(`${model.name}'s information terms are imported on demand: await model.loadInformation() before standardErrorsOf.`)
  checkInformationMethod(model, method)
  const base = parameterisationOf(model)
  const par = base.at?.(params) ?? base
  const names = par.names(params)
  const estimates = par.toFree(params)
  const m = estimates.length
  // every method: a parameter on the boundary of its space (a start probability of 1) has no standard error
  probeSteps(estimates, estimates.map((v) => 1e-7 * Math.max(1, Math.abs(v))), names, 'the model', inFreeCoordinates(par, params, () => 0))
  let info: Float64Array
  let sem: { dm: Float64Array; rate: number } | null = null
  if (method === 'louis') {
    info = louisInformation(model, data, params).info
  } else if (method === 'sem') {
    const r = semInformation(model, data, params, par, qFunctionOf(model)!, names)
    info = r.info
    sem = r
  } else {
    info = hessianInformation(model, data, params, par, names)
  }
  const cov = covarianceOf(info, names, method)
  return {
    method,
    names,
    estimates: Array.from(estimates),
    standardErrors: Array.from({ length: m }, (_, i) => Math.sqrt(cov[i * m + i]!)),
    covariance: rows(cov, m),
    information: rows(info, m),
    ...(sem ? { dm: rows(sem.dm, m), rate: sem.rate } : {}),
  }
}
