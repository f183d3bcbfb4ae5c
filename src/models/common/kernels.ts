import { logDensityPoisson } from '../../kernels/js/mixture.js'
import type { Kernels } from '../../kernels/types.js'

/**
 * The kernels added for the Poisson and t models are optional in the Kernels
 * interface until every backend implements them; the JS versions read only `view`,
 * which every backend's buffers provide, so they stand in meanwhile.
 */
export function tKernel(kernels: Kernels): Kernels['logDensityT'] {
  return kernels.logDensityT.bind(kernels)
}

export function poissonKernel(kernels: Kernels): NonNullable<Kernels['logDensityPoisson']> {
  return kernels.logDensityPoisson?.bind(kernels) ?? logDensityPoisson
}
