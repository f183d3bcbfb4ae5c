/**
 * The HMM's names for its emission distributions. They are the shared components of
 * src/models/components/ (the mixtures use the same classes); nothing is defined here.
 * The names stay because the HMM estimators, the registry and tests import them.
 */
export { GaussianEmission } from '../components/gaussian-emission.js'
export { type GaussianParams as GaussianEmissionParams, type GaussianData as GaussianEmissionData } from '../components/gaussian.js'
export {
  CategoricalComponent as CategoricalEmission, type CategoricalParams as CategoricalEmissionParams,
  type CategoricalData as CategoricalEmissionData, drawFrom,
} from '../components/categorical.js'
export {
  PoissonComponent as PoissonEmission, type PoissonParams as PoissonEmissionParams, type PoissonData as PoissonEmissionData, poissonDraw,
} from '../components/poisson.js'
export {
  GaussianMixtureEmission, type GaussianMixtureEmissionParams, type GaussianMixtureEmissionData,
} from '../components/gaussian-mixture-emission.js'
