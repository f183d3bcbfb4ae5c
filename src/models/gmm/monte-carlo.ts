/**
 * SEM and MCEM for the Gaussian mixture (the `monteCarlo` capability; the engine's
 * variants/sem.ts and variants/mcem.ts drive it). The missing data are the component
 * labels: one draw labels every row from its responsibilities (the `sampleCategorical`
 * kernel, one call per draw, so every backend draws the same labels from the same
 * seed) and gives the hard-assignment statistics through the model's own statistics
 * path (one-hot responsibilities). With values missing at random, the missing
 * coordinates are not drawn: given the drawn label their statistics stay the
 * conditional expectations (conditional mean, plus the conditional covariance in the
 * second moments) of gmm/missing.ts.
 *
 * Empty classes: a draw that leaves component c with fewer (weighted) rows than its
 * covariance needs (`CovarianceStrategy.minPoints`: d + 1 full, 2 diag / spherical,
 * 1 tied) takes that component's expected statistics (the responsibilities' ones)
 * instead. Keeping the previous parameters would need the M-step to see more than
 * statistics; the expected statistics keep every draw a valid input of the one M-step,
 * keep the chain inside the parameter space without leaning on regCovar, and for that
 * component amount to an EM step, which is what SEM does anyway when the class is
 * large enough.
 *
 * A draw's row is [statistics | the reference means they were gathered around (k*d)]:
 * `completeLogLik` is evaluated at parameters other than those of the draw (MCEM's
 * change in Q), so the row carries its reference. Averaging rows keeps it, and it is
 * the `params.means` handed to `mStep` with them, which reads only the statistics.
 */
import type { MonteCarloCapability } from '../../engine/types.js'
import { DegenerateError } from '../../io/errors.js'
import type { Rng } from '../../rng/xoshiro128.js'
import { inverseSPD } from '../common/dense.js'
import type { GaussianMixtureModel, GmmData, GmmParams } from './model.js'

const LOG_2PI = 1.8378770664093453

export function gmmMonteCarlo(model: GaussianMixtureModel): MonteCarloCapability<GmmParams, GmmData> {
  return {
    sampleLatent: (data, params, rng, m) => sampleLabels(model, data, params, rng, m),
    completeLogLik: (stats, params) => completeLogLik(model, stats, params),
  }
}

/** Layout of one component's block in the statistics: [N (k) | S1 (k*d) | S2 (k*s2)]. */
function s2Size(model: GaussianMixtureModel): number {
  return model.covariance.statsKernel === 'statsFull' ? model.d * model.d : model.d
}

function sampleLabels(model: GaussianMixtureModel, data: GmmData, params: GmmParams, rng: Rng, m: number): Float64Array {
  const { kernels, k, d, covariance } = model
  const n = data.n
  const s2 = s2Size(model)
  model.expectation(data, params)
  const arena = kernels.arena()
  try {
    const prob = arena.f64From(data.resp.view.subarray(0, n * k))
    const expected = model.statistics(data, params.means, params)
    const size = expected.length
    const width = size + k * d
    const out = new Float64Array(m * width)
    const labels = arena.i32(n), state = arena.i32(4)
    const minPoints = covariance.minPoints(d)
    state.view.set(rng.state)
    for (let r = 0; r < m; r++) {
      const bad = kernels.sampleCategorical(state, prob, n, k, labels)
      if (bad > 0) throw new DegenerateError('DEGENERATE', `${bad} rows have no finite responsibilities at the current parameters, so their labels cannot be drawn; use a larger regCovar or rescale the data.`, { rows: bad })
      const resp = data.resp.view, lab = labels.view
      resp.fill(0, 0, n * k)
      for (let i = 0; i < n; i++) resp[i * k + lab[i]!] = 1
      const s = model.statistics(data, params.means, params)
      for (let c = 0; c < k; c++) {
        if (s[c]! >= minPoints) continue
        s[c] = expected[c]!
        s.set(expected.subarray(k + c * d, k + (c + 1) * d), k + c * d)
        s.set(expected.subarray(k + k * d + c * s2, k + k * d + (c + 1) * s2), k + k * d + c * s2)
      }
      out.set(s, r * width)
      out.set(params.means, r * width + size)
    }
    rng.state.set(state.view)
    return out
  } finally {
    arena.dispose()
  }
}

/**
 * log p(x, z | params) of one draw's statistics (constants kept): per component
 * N log w + N log N(. | mu, Sigma) summed over its rows, the quadratic part from the
 * scatter about mu rebuilt from the statistics around the draw's reference. Diagonal
 * statistics pair with diagonal covariances, so their trace uses the diagonal only.
 */
function completeLogLik(model: GaussianMixtureModel, stats: Float64Array, params: GmmParams): number {
  const { k, d, covariance } = model
  const s2 = s2Size(model)
  const diagonal = covariance.statsKernel === 'statsDiag'
  const size = k + k * d + k * s2
  const ref = stats.subarray(size, size + k * d)
  const full = covariance.expandFull(params.covariances, k, d)
  let inv: Float64Array | null = null
  let ll = 0
  for (let c = 0; c < k; c++) {
    if (!covariance.shared || c === 0) inv = inverseSPD(full.subarray(c * d * d, (c + 1) * d * d), d)
    if (!inv) throw new DegenerateError('SINGULAR_COVARIANCE', `The covariance of component ${c} is not positive definite.`, { component: c })
    const nc = stats[c]!
    if (nc === 0) continue
    ll += nc * (Math.log(params.weights[c]!) + params.logDetP[c]! - 0.5 * d * LOG_2PI)
    const s1 = k + c * d, s2At = k + k * d + c * s2
    let quad = 0
    for (let j = 0; j < d; j++) {
      const dj = params.means[c * d + j]! - ref[c * d + j]!
      const from = diagonal ? j : 0, to = diagonal ? j + 1 : d
      for (let l = from; l < to; l++) {
        const dl = params.means[c * d + l]! - ref[c * d + l]!
        const moment = diagonal ? stats[s2At + j]! : stats[s2At + j * d + l]!
        quad += inv[j * d + l]! * (moment - stats[s1 + j]! * dl - dj * stats[s1 + l]! + nc * dj * dl)
      }
    }
    ll -= 0.5 * quad
  }
  return ll
}
