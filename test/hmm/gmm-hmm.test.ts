/**
 * The GMM-HMM (hmmlearn's GMMHMM) over the shared Gaussian component: with one
 * mixture component per state it is the Gaussian HMM (exactly, and its tied type is
 * GaussianHMM's full model); its log-likelihood and mixture occupancies equal a sum
 * over every state path and mixture label on a tiny problem; every backend gives the
 * same history; Baum-Welch never lowers the log-likelihood (property).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fitEM } from '../../src/engine/fitEM.js'
import { loadKernels } from '../../src/kernels/index.js'
import type { BackendName, Kernels } from '../../src/kernels/types.js'
import { GaussianEmission } from '../../src/models/components/gaussian-emission.js'
import { GaussianMixtureEmission, type GaussianMixtureEmissionParams } from '../../src/models/components/gaussian-mixture-emission.js'
import { COVARIANCE_TYPES, type CovarianceType } from '../../src/models/gmm/covariance.js'
import { COVARIANCE } from '../../src/models/gmm/covariance-table.js'
import { HmmModel, type HmmParams } from '../../src/models/hmm/model.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
import { BACKENDS } from '../helpers/data.js'
import { itProperty } from '../helpers/property.js'

/** A sticky 2-state chain, each state a mixture of two Gaussians in d = 2 (seeded). */
function sequence(seed: number, T: number): Float64Array {
  const rng = new Rng(seed)
  const out = new Float64Array(T * 2)
  let s = rng.integer(2)
  for (let t = 0; t < T; t++) {
    if (rng.uniform() < 0.1) s = 1 - s
    const m = rng.uniform() < 0.4 ? 0 : 1
    out[2 * t] = 5 * s + (m ? 1.5 : -1.5) + rng.normal()
    out[2 * t + 1] = -2 * s + 0.5 * m + (0.5 + s) * rng.normal()
  }
  return out
}

function hmmOf<E, ED>(kernels: Kernels, k: number, emission: HmmModel<E, ED>['emission']): HmmModel<E, ED> {
  return new HmmModel({ kernels, k, emission, fit: { startProb: true, transMat: true }, startPseudoCounts: new Float64Array(k), transPseudoCounts: new Float64Array(k * k) })
}

function gmmHmm(kernels: Kernels, S: number, M: number, type: CovarianceType, regCovar: number): HmmModel<GaussianMixtureEmissionParams, any> {
  return hmmOf(kernels, S, new GaussianMixtureEmission(kernels, S, M, 2, type, regCovar))
}

/** The model's buffers with X loaded. */
function load<E>(model: HmmModel<E, any>, X: Float64Array, lengths: number[]): any {
  const data = model.prepare(lengths)
  ;(model.emission as unknown as { load(d: unknown, m: unknown): void }).load(data.emission, { rows: X.length / 2, cols: 2, data: X })
  return data
}

const START = Float64Array.from([0.5, 0.3, 0.2])
const TRANS = Float64Array.from([0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.15, 0.25, 0.6])

describe.each(BACKENDS)('GMM-HMM with one mixture component per state is the Gaussian HMM, %s', (backend) => {
  it.each(COVARIANCE_TYPES)('%s: the same history and parameters', async (type) => {
    const kernels = await loadKernels(backend as BackendName)
    const X = sequence(11, 400), lengths = [150, 250]
    // tied in a GMM-HMM ties the members of one state: with one member that is GaussianHMM's full model
    const gaussType: CovarianceType = type === 'tied' ? 'full' : type
    const means = Float64Array.from([-1, 0, 4, -2, 6, -3])
    const cov = COVARIANCE[gaussType].fromDataCovariance(Float64Array.from([3, 0.4, 0.4, 2]), 3, 2)
    const gauss = hmmOf(kernels, 3, new GaussianEmission(kernels, 3, 2, gaussType, 1e-6))
    const mix = gmmHmm(kernels, 3, 1, type, 1e-6)
    const gd = load(gauss, X, lengths), md = load(mix, X, lengths)
    try {
      const a = await fitEM(gauss, gd, { startProb: START, transMat: TRANS, emission: (gauss.emission as GaussianEmission).makeParams(means, cov) }, { maxIter: 25, tol: 0 })
      const b = await fitEM(mix, md, { startProb: START, transMat: TRANS, emission: (mix.emission as GaussianMixtureEmission).makeParams(new Float64Array(3).fill(1), means, cov) }, { maxIter: 25, tol: 0 })
      expect(a.nIter).toBe(25)
      const emitted = b.params.emission.states
      const mixMeans = Float64Array.from(emitted.flatMap((p) => Array.from(p.means)))
      const mixCov = Float64Array.from(emitted.flatMap((p) => Array.from(p.covariances)))
      if (type !== 'tied') {
        expect(b.history).toEqual(a.history)
        expect(b.params.transMat).toEqual(a.params.transMat)
        expect(mixMeans).toEqual(a.params.emission.means)
        expect(mixCov).toEqual(a.params.emission.covariances)
      } else {
        // tied divides the pooled scatter by the mass, full multiplies by its inverse: equal to rounding
        a.history.forEach((v, t) => expect(Math.abs(b.history[t]! - v)).toBeLessThan(1e-12 * Math.abs(v)))
        mixCov.forEach((v, p) => expect(Math.abs(v - a.params.emission.covariances[p]!)).toBeLessThan(1e-11))
      }
      expect(b.params.emission.weights).toEqual(new Float64Array(3).fill(1))
    } finally {
      gauss.release(gd); mix.release(md); gauss.dispose(); mix.dispose()
    }
  })
})

/** log N(x | mu, Sigma) for d = 2, written out. */
function logNormal2(x0: number, x1: number, mu: ArrayLike<number>, o: number, cov: Float64Array, c: number): number {
  const a = cov[c]!, b = cov[c + 1]!, d = cov[c + 3]!
  const det = a * d - b * b
  const z0 = x0 - mu[o]!, z1 = x1 - mu[o + 1]!
  return -Math.log(2 * Math.PI) - 0.5 * Math.log(det) - 0.5 * (d * z0 * z0 - 2 * b * z0 * z1 + a * z1 * z1) / det
}

/** Random parameters of a GMM-HMM: S states, M members, d = 2, any covariance type. */
function randomParams(emission: GaussianMixtureEmission, rng: Rng): GaussianMixtureEmissionParams {
  const { k: S, nMix: M } = emission
  const weights = Float64Array.from({ length: S * M }, () => 0.2 + rng.uniform())
  for (let s = 0; s < S; s++) {
    let t = 0
    for (let m = 0; m < M; m++) t += weights[s * M + m]!
    for (let m = 0; m < M; m++) weights[s * M + m] = weights[s * M + m]! / t
  }
  const means = Float64Array.from({ length: S * M * 2 }, () => 3 * rng.normal())
  const strategy = emission.gaussian.covariance
  const size = strategy.storageSize(M, 2)
  const covariances = new Float64Array(S * size)
  for (let s = 0; s < S; s++) {
    const a = 0.5 + rng.uniform(), d = 0.5 + rng.uniform(), b = 0.6 * Math.sqrt(a * d) * (2 * rng.uniform() - 1)
    const full = strategy.fromDataCovariance(Float64Array.from([a, b, b, d]), M, 2)
    for (let p = 0; p < size; p++) covariances[s * size + p] = full[p]! * (1 + 0.3 * (p % 3))
    // full and tied store 2 x 2 blocks: keep them symmetric
    if (strategy.statsKernel === 'statsFull') for (let q = 0; q < size; q += 4) covariances[s * size + q + 2] = covariances[s * size + q + 1]!
  }
  return emission.makeParams(weights, means, covariances)
}

describe('brute force: every state path and mixture label of a tiny sequence', () => {
  const S = 2, M = 2, T = 4
  it.each(BACKENDS.flatMap((b) => COVARIANCE_TYPES.map((t) => [b, t] as const)))('%s, %s: log-likelihood and mixture occupancies', async (backend, type) => {
    const seed = 7000 + COVARIANCE_TYPES.indexOf(type)
    console.log(`[gmm-hmm-brute] ${backend} ${type} seed ${seed}`)
    const rng = new Rng(seed)
    const kernels = await loadKernels(backend)
    const model = gmmHmm(kernels, S, M, type, 0)
    const emission = model.emission as GaussianMixtureEmission
    const X = Float64Array.from({ length: T * 2 }, () => 2 * rng.normal())
    const params: HmmParams<GaussianMixtureEmissionParams> = {
      startProb: Float64Array.from([0.35, 0.65]), transMat: Float64Array.from([0.7, 0.3, 0.45, 0.55]), emission: randomParams(emission, rng),
    }
    const full = params.emission.states.map((p) => emission.gaussian.covariance.expandFull(p.covariances, M, 2))
    // sum over (s_t, m_t) for t = 1..T of start * transitions * weights * densities
    const K = S * M
    let total = 0
    const occupancy = new Float64Array(S * M)
    const shift = new Float64Array(S * M * 2)
    for (let code = 0; code < K ** T; code++) {
      let c = code, lp = 0, prev = -1
      const labels: number[] = []
      for (let t = 0; t < T; t++) {
        const sm = c % K; c = Math.floor(c / K)
        const s = Math.floor(sm / M), m = sm % M
        lp += Math.log(prev < 0 ? params.startProb[s]! : params.transMat[prev * S + s]!)
        lp += Math.log(params.emission.weights[s * M + m]!) + logNormal2(X[2 * t]!, X[2 * t + 1]!, params.emission.states[s]!.means, m * 2, full[s]!, m * 4)
        labels.push(sm)
        prev = s
      }
      const p = Math.exp(lp)
      total += p
      labels.forEach((sm, t) => {
        occupancy[sm] += p
        const s = Math.floor(sm / M), m = sm % M, mu = params.emission.states[s]!.means
        for (let j = 0; j < 2; j++) shift[sm * 2 + j] += p * (X[2 * t + j]! - mu[m * 2 + j]!)
      })
    }
    const data = load(model, X, [T])
    try {
      const logLik = Math.log(total)
      expect(Math.abs(model.scoreData(data, params) - logLik)).toBeLessThan(1e-12 * Math.abs(logLik))
      const { stats } = model.eStep(data, params)
      const size = emission.gaussian.statsSize, at = S + S * S
      for (let s = 0; s < S; s++) {
        for (let m = 0; m < M; m++) {
          expect(Math.abs(stats[at + s * size + m]! - occupancy[s * M + m]! / total)).toBeLessThan(1e-12)
          for (let j = 0; j < 2; j++) expect(Math.abs(stats[at + s * size + M + m * 2 + j]! - shift[(s * M + m) * 2 + j]! / total)).toBeLessThan(1e-11)
        }
      }
    } finally {
      model.release(data); model.dispose()
    }
  })
})

describe('every backend gives the same history', () => {
  it.each(COVARIANCE_TYPES)('%s, 3 states x 2 mixture components, two sequences', async (type) => {
    const X = sequence(23, 500), lengths = [200, 300]
    const runs = await Promise.all(BACKENDS.map(async (backend) => {
      const kernels = await loadKernels(backend)
      const model = gmmHmm(kernels, 3, 2, type, 1e-6)
      const data = load(model, X, lengths)
      try {
        const emission = (model.emission as GaussianMixtureEmission).start(data.emission, data.n, new Rng(5))
        const r = await fitEM(model, data, { startProb: new Float64Array(3).fill(1 / 3), transMat: new Float64Array(9).fill(1 / 3), emission }, { maxIter: 30, tol: 0 })
        return { history: r.history, packed: model.pack(r.params), status: r.status }
      } finally {
        model.release(data); model.dispose()
      }
    }))
    expect(runs[0]!.status).toBe('max-iter')
    for (const r of runs.slice(1)) {
      expect(r.history).toEqual(runs[0]!.history)
      expect(r.packed).toEqual(runs[0]!.packed)
    }
  })
})

describe('layout and counts (hmmlearn)', () => {
  it.each([['full', 33, [3, 2, 2, 2]], ['diag', 27, [3, 2, 2]], ['spherical', 21, [3, 2]], ['tied', 24, [3, 2, 2]]] as const)(
    '%s: %i free emission parameters for 3 states x 2 members in d = 2, covariances shaped %j',
    async (type, count, shape) => {
      const kernels = await loadKernels('js')
      const emission = new GaussianMixtureEmission(kernels, 3, 2, 2, type, 1e-6)
      // means 3*2*2 + weights 3*(2-1) + covariances
      expect(emission.nParameters()).toBe(count)
      const params = randomParams(emission, new Rng(3))
      const dims: number[] = []
      let v: unknown = emission.publicCovariances(params)
      while (Array.isArray(v)) { dims.push(v.length); v = v[0] }
      expect(dims).toEqual(shape)
      const packed = Float64Array.from(emission.pack(params))
      expect(emission.isValid(packed, params)).toBe(true)
      expect(emission.pack(emission.unpack(packed, params))).toEqual(packed)
      const draw = emission.sample(params, 1, new Rng(1))
      expect(draw).toHaveLength(2)
      emission.dispose()
    },
  )
})

describe('Baum-Welch monotonicity of the GMM-HMM (property)', () => {
  itProperty('the log-likelihood never falls by more than 1e-9 relative', async (seed) => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(...COVARIANCE_TYPES),
        fc.constantFrom(...BACKENDS),
        async (dataSeed, extra, S, M, type, backend) => {
          // at least 8 (d + 1) rows per Gaussian, as the GMM property: with fewer, a component
          // can collapse onto a few points (regCovar is 0), where the likelihood is unbounded
          // and the rounding of a near-singular covariance is all that is left to compare
          const T = 8 * (2 + 1) * S * M + extra
          const kernels = await loadKernels(backend)
          // regCovar = 0: with a ridge the M-step no longer maximises Q exactly
          const model = gmmHmm(kernels, S, M, type, 0)
          const data = load(model, sequence(dataSeed, T), [T])
          try {
            let emission: GaussianMixtureEmissionParams
            try {
              emission = (model.emission as GaussianMixtureEmission).start(data.emission, T, new Rng(dataSeed))
            } catch (e) {
              if ((e as { code?: string }).code === 'SINGULAR_COVARIANCE') return
              throw e
            }
            // a Gaussian that captures one point has an unbounded likelihood (regCovar is 0): once a
            // variance has collapsed, EM's guarantee no longer holds and rounding decides; stop comparing there
            let collapsedAt = Infinity
            const onIteration = (info: { iteration: number; params: HmmParams<GaussianMixtureEmissionParams> }) => {
              if (collapsedAt === Infinity && info.params.emission.states.some((g) => smallestVariance(g.covariances, type) < 1e-8)) collapsedAt = info.iteration
            }
            const r = await fitEM(model, data, { startProb: new Float64Array(S).fill(1 / S), transMat: new Float64Array(S * S).fill(1 / S), emission }, { maxIter: 25, tol: 0, onIteration })
            const h = r.history.slice(0, Math.min(r.history.length, collapsedAt))
            for (let t = 1; t < h.length; t++) {
              if (h[t]! < h[t - 1]! - 1e-9 * Math.abs(h[t - 1]!)) {
                throw new Error(`log-likelihood fell at iteration ${t}: ${h[t - 1]} -> ${h[t]} (${type}, S=${S}, M=${M}, T=${T}, ${backend})`)
              }
            }
            expect(r.decreases.filter((t) => t < collapsedAt - 1)).toEqual([])
          } finally {
            model.release(data); model.dispose()
          }
        },
      ),
      { seed, numRuns: 60 },
    )
  })
})

/** The smallest variance among the covariances (diagonal entries of full/tied blocks) in d dimensions. */
/**
 * The smallest variance in any direction: a full (or tied) covariance collapses onto a
 * line while both its variances stay large, so its smallest eigenvalue (closed form for
 * the 2 x 2 blocks of these 2-D data), not its diagonal.
 */
function smallestVariance(cov: Float64Array, type: CovarianceType): number {
  if (type === 'spherical' || type === 'diag') return Math.min(...cov)
  let min = Infinity
  for (let b = 0; b < cov.length / 4; b++) {
    const a = cov[4 * b]!, c = cov[4 * b + 1]!, e = cov[4 * b + 3]!
    const half = (a + e) / 2
    min = Math.min(min, half - Math.sqrt(half * half - (a * e - c * c)))
  }
  return min
}
