import type { MatrixInput } from '../core/matrix.js'
import type { RegressionFamily, VarianceConvention } from '../models/regression-mixture.js'
import { MixtureOfRegressions, REGRESSION_MIXTURE_OPTIONS, type RegressionMixtureFitOptions, type RegressionMixtureOptions } from './mixture-of-regressions.js'
import { oneOf, type OptionDef, type Resolved } from './schema.js'

export type GLMMixtureFamily = Exclude<RegressionFamily, 'gaussian'>

export interface GLMMixtureOptions extends Omit<RegressionMixtureOptions, 'varianceConvention'> {
  /** 'poisson' (default: counts, log link) or 'binomial' (successes out of `trials`, logit link). */
  family?: GLMMixtureFamily
}

const SCHEMA = {
  ...REGRESSION_MIXTURE_OPTIONS,
  /** 'poisson' (log link) or 'binomial' (logit link, y successes out of the fit's trials). */
  family: { default: 'poisson', check: oneOf<GLMMixtureFamily>(['poisson', 'binomial']) } as OptionDef<GLMMixtureFamily>,
}

/** The resolved options, from the schema: each a read-only attribute of the estimator. */
export interface GLMMixture extends Resolved<typeof SCHEMA> {}

/**
 * A mixture of K generalised linear models (flexmix's FLXMRglm with family 'poisson' or
 * 'binomial'): y | x ~ sum_c w_c f(y | g^-1(intercept_c + x' beta_c)). EM with an exact
 * M-step: each component's weighted GLM solved by IRLS (step-halving on its weighted
 * log-likelihood) to convergence. Counts must be non-negative integers; binomial
 * successes integers in [0, trials] (`fit(X, y, { trials })`, default 1 per row).
 */
export class GLMMixture extends MixtureOfRegressions<GLMMixtureOptions> {
  static override readonly kind: string = 'GLMMixture'
  static override readonly schema = SCHEMA
  static override readonly fitOptionNames: readonly string[] = ['sampleWeight', 'trials']

  protected get responseFamily(): RegressionFamily { return this.family }
  protected get varianceRule(): VarianceConvention { return 'ml' }

  /** y: counts (Poisson) or successes (binomial, out of `trials`). */
  override fit(X: MatrixInput, y: ArrayLike<number>, options: RegressionMixtureFitOptions = {}): Promise<this> { return super.fit(X, y, options) }
}
