import type { RegressionFamily, VarianceConvention } from '../models/regression-mixture.js'
import { MixtureOfRegressions, REGRESSION_MIXTURE_OPTIONS, type RegressionMixtureOptions } from './mixture-of-regressions.js'
import { oneOf, type OptionDef, type Resolved } from './schema.js'

export type { RegressionMixtureFitOptions, RegressionMixtureInit, RegressionMixtureOptions } from './mixture-of-regressions.js'

const SCHEMA = {
  ...REGRESSION_MIXTURE_OPTIONS,
  /** 'ml' (the MLE) or 'flexmix' (sigma^2 scaled by n / (n - p)). */
  varianceConvention: { default: 'ml', check: oneOf<VarianceConvention>(['ml', 'flexmix']) } as OptionDef<VarianceConvention>,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface RegressionMixture extends Resolved<typeof SCHEMA> {}

/**
 * A mixture of K Gaussian linear regressions (mixtools' regmixEM, flexmix's
 * FLXMRglm(gaussian)): y | x ~ sum_c w_c N(intercept_c + x' beta_c, sigma_c^2), fitted
 * by EM (optionally accelerated) from seeded random soft labels (nInit restarts), given
 * labels or posteriors (flexmix's start) or given parameters (regmixEM's start).
 */
export class RegressionMixture extends MixtureOfRegressions<RegressionMixtureOptions> {
  static override readonly kind: string = 'RegressionMixture'
  static override readonly schema = SCHEMA

  protected get responseFamily(): RegressionFamily { return 'gaussian' }
  protected get varianceRule(): VarianceConvention { return this.varianceConvention }

  /** Per component, the standard deviation of y around its regression line. */
  get scales(): number[] { return Array.from(this.fitted('scales').params.sigma) }
}
