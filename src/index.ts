/** emkit: EM for latent-variable models. */
export { GaussianMixture } from './estimators/GaussianMixture.js'
export type { GaussianMixtureOptions, GaussianMixtureFitOptions } from './estimators/GaussianMixture.js'
export { fitEM } from './engine/fitEM.js'
export type { EMModel, EStepResult, FitOptions, FitResult, FitStatus, IterationInfo, PreparedData } from './engine/types.js'
export {
  EmkitError, InputError, OptionError, UnsupportedError, NotFittedError, DegenerateError, BackendError, ParseError,
} from './io/errors.js'
export type { EmkitErrorCode } from './io/errors.js'
export type { Matrix, MatrixInput } from './io/matrix.js'
export { loadKernels } from './kernels/index.js'
export type { BackendName, Kernels } from './kernels/types.js'
export { Rng } from './rng/xoshiro128.js'
export { bic, aic } from './inference/criteria.js'
