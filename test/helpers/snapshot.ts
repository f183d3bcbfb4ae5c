/** What a fit ended with, as plain values, for comparing two fits bit for bit (serial and pooled, any worker count, saved and loaded). */
import type { GaussianMixture } from '../../src/index.js'

/** A Gaussian mixture's parameters, objective history, log-likelihood, iterations and status. */
export function gmmSnapshot(gm: GaussianMixture) {
  return { logLik: gm.fitResult.logLik, weights: gm.weights, means: gm.means, covariances: gm.covariances, history: gm.history, nIter: gm.nIter, status: gm.status }
}

/** Any estimator's fit result: its parameters (typed arrays as arrays, at any depth), objective history, log-likelihood, iterations and status. */
export function fitSnapshot(e: { readonly fitResult: { readonly params: unknown; readonly history: readonly number[]; readonly logLik: number; readonly nIter: number; readonly status: string } }) {
  const { params, history, logLik, nIter, status } = e.fitResult
  return { params: plain(params), history, logLik, nIter, status }
}

function plain(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>)
  if (Array.isArray(v)) return v.map(plain)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
  return v
}
