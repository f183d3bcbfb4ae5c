import type { GaussianData } from '../components/gaussian.js'
import type { MixtureData } from '../common/mixture.js'
import type { MissingLayout } from './missing.js'
import type { GmmParams } from './params.js'

/**
 * The data of one fit (or one predict call) in kernel memory, with every work buffer:
 * the Gaussian component's (x, means, precision, logDetP, stats; with missing values x
 * has NaN replaced by column means, read only by the initialisation) and the mixture's.
 */
export interface GmmData extends MixtureData, GaussianData {
  /** Present only when the data has NaN (missing at random): the pattern layout of gmm/missing.ts. */
  readonly missing?: MissingLayout
  /**
   * The parameters whose responsibilities `resp` holds (null once anything else is
   * written there): SEM/MCEM draw labels at the parameters the engine has just
   * evaluated, and this lets them skip a second E-step. By identity: parameters are
   * never mutated. Writers other than `expectation` go through `model.overwriteResponsibilities`.
   */
  respAt: GmmParams | null
}
