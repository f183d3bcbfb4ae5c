import { type EMModel, fitEM, makeStepper, type PreparedData } from '../../src/index.js'

// Genetic linkage (Dempster, Laird & Rubin 1977): 197 animals in four cells with
// probabilities (1/2 + t/4, (1 - t)/4, (1 - t)/4, t/4). The first cell is really two:
// one of probability 1/2, one of probability t/4 -- the missing data.
export interface Linkage extends PreparedData {
  readonly counts: readonly [number, number, number, number]
}

export const linkage: EMModel<number, Linkage> = {
  name: 'genetic-linkage',
  // E-step: expected count of the t/4 part of cell 1; statistics are additive counts.
  eStep(data, t) {
    const [y1, y2, y3, y4] = data.counts
    const x = (y1 * (t / 4)) / (0.5 + t / 4)
    return { stats: Float64Array.of(x + y4, y2 + y3), logLik: linkage.logLik(data, t) }
  },
  // M-step: the complete-data MLE, a binomial proportion.
  mStep: (stats) => stats[0]! / (stats[0]! + stats[1]!),
  logLik(data, t) {
    const [y1, y2, y3, y4] = data.counts
    return y1 * Math.log(0.5 + t / 4) + (y2 + y3) * Math.log((1 - t) / 4) + y4 * Math.log(t / 4)
  },
  nParameters: () => 1,
  // The flat vector accelerators extrapolate on, and the parameter space.
  pack: (t) => Float64Array.of(t),
  unpack: (vec) => vec[0]!,
  isValid: (vec) => vec[0]! > 0 && vec[0]! < 1,
}

const data: Linkage = { counts: [125, 18, 20, 34], totalWeight: 197 }
const options = { tol: 1e-12, criterion: 'parameters', maxIter: 1000 } as const

export const em = await fitEM(linkage, data, 0.5, options)
export const squarem = await fitEM(linkage, data, 0.5, { ...options, stepper: makeStepper(linkage, { accelerate: 'squarem' }) })

console.log(em.params, em.status, em.nIter, em.fixedPointEvaluations)
// 0.6268214978709072 converged 14 14   (the MLE: 0.6268215)
console.log(squarem.params, squarem.fixedPointEvaluations, squarem.objectiveEvaluations)
