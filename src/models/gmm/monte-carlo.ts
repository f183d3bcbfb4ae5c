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
 *
 * Cost per iteration: the engine has just evaluated the log-likelihood at `params`, so
 * the responsibilities are already in data.resp (`GmmData.respAt`); they are copied
 * once per parameters into a buffer kept with the data (MCEM's augmentations at the
 * same parameters reuse it), and the expected statistics are computed only when a
 * draw needs them. `completeLogLiks` factorises the covariances once per call, not
 * once per draw (MCEM's delta-Q evaluates up to 2 x 20000 draws per iteration).
 */
import type { MonteCarloCapability } from '../../engine/types.js'
import { notLoaded } from '../../core/errors.js'
import type { GmmData } from './data.js'
import type { GmmParams } from './params.js'
import type { GaussianMixtureModel } from './monte-carlo-draws.js'

/** monte-carlo-draws.ts once `load` has imported it (bundles load the draws and their Q only for a fit by SEM or MCEM, or standard errors). */
let draws: typeof import('./monte-carlo-draws.js') | null = null

function loaded(): typeof import('./monte-carlo-draws.js') {
  if (!draws) throw notLoaded('The Gaussian mixture\'s label draws', 'monteCarlo.load() (loadStepper does)')
  return draws
}

export function gmmMonteCarlo(model: GaussianMixtureModel): MonteCarloCapability<GmmParams, GmmData> {
  return {
    async load() { draws ??= await import('./monte-carlo-draws.js') },
    sampleLatent: (data, params, rng, m) => loaded().sampleLabels(model, data, params, rng, m),
    completeLogLik: (stats, params) => loaded().completeLogLiks(model, stats, 1, params)[0]!,
    completeLogLiks: (rows, m, params) => loaded().completeLogLiks(model, rows, m, params),
  }
}
