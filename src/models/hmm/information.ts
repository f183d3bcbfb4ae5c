/**
 * The HMM's standard-error coordinates: the parameters Baum-Welch fits, each free one
 * once: startProb[0..K-2] (the last is 1 minus the others), transMat[i][0..K-2] per row,
 * then the emission's (its component's `free`, else its packed vector). Parameters
 * held fixed (fitParams without them) are left out: with one sequence the MLE of the
 * start probabilities is a vertex of the simplex (no standard error), so fit without
 * them ('t' + the emission's letters) to get the others'.
 */
import type { InformationCapability, Parameterisation } from '../../engine/types.js'
import { countsLogProb } from '../../core/math/xlogy.js'
import { freeRows, rowNames, simplexFromFree, simplexRowsFromFree, weightNames } from '../common/free-coordinates.js'
import type { Component } from '../components/component.js'
import { hmmLouis } from './louis.js'

interface Params<E> { readonly startProb: Float64Array; readonly transMat: Float64Array; readonly emission: E }

export function hmmInformation<E, ED>(k: number, fit: { readonly startProb: boolean; readonly transMat: boolean }, emission: Component<E, ED>, hasPrior = false): InformationCapability<Params<E>, any> {
  // read when standard errors ask, not when the model is built: a Gaussian's free entries are costly to find
  let lazy: Parameterisation<E> | undefined
  const em = (): Parameterisation<E> => (lazy ??= emission.free ?? {
    names: (p) => Array.from(emission.pack(p), (_, i) => `emission[${i}]`),
    toFree: (p) => emission.pack(p),
    fromFree: (v, like) => emission.unpack(v, like),
  })
  const ns = fit.startProb ? k - 1 : 0, nt = fit.transMat ? k * (k - 1) : 0
  const emissionQ = emission.completeLogLik
  return {
    ...(emission.rowDerivatives && 'free' in emission ? { louis: (data: any, params: Params<E>) => hmmLouis(k, fit, emission, data, params) } : {}),
    // Q(params | at) from the E-step's statistics at `at`: the expected start and
    // transition counts against log startProb and log transMat, plus the emission's part;
    // supplemented EM needs it. Not with pseudo-counts: the fit is then a MAP estimate.
    ...(emissionQ && !hasPrior ? {
      q: (stats: Float64Array, at: Params<E>, params: Params<E>) =>
        countsLogProb(stats.subarray(0, k), params.startProb)
        + countsLogProb(stats.subarray(k, k + k * k), params.transMat)
        + emissionQ.call(emission, stats.subarray(k + k * k), at.emission, params.emission),
    } : {}),
    parameterisation: {
      names: (p) => [
        ...(fit.startProb ? weightNames(k, 'startProb') : []),
        ...(fit.transMat ? rowNames(k, k, 'transMat') : []),
        ...em().names(p.emission),
      ],
      toFree(p) {
        const e = em().toFree(p.emission)
        const out = new Float64Array(ns + nt + e.length)
        if (fit.startProb) out.set(p.startProb.subarray(0, k - 1))
        if (fit.transMat) out.set(freeRows(p.transMat, k, k), ns)
        out.set(e, ns + nt)
        return out
      },
      fromFree(v, like) {
        const startProb = fit.startProb ? simplexFromFree(v.subarray(0, k - 1), k, 'startProb') : like.startProb
        const transMat = fit.transMat ? simplexRowsFromFree(v.subarray(ns, ns + nt), k, k, 'transMat') : like.transMat
        return { startProb, transMat, emission: em().fromFree(v.subarray(ns + nt), like.emission) }
      },
    },
  }
}
