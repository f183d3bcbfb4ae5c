/**
 * mclust's ten covariance models that scikit-learn lacks (index.ts imports them on
 * first use: loadCovarianceStrategy).
 */
import { EEI, EII, EVI, VEI } from './diagonal.js'
import { EVE, VEE, VVE } from './common-orientation.js'
import { EEV, EVV, VEV } from './varying-orientation.js'

export const MCLUST_STRATEGIES = { EII, EEI, VEI, EVI, VEE, EVE, VVE, EEV, VEV, EVV } as const
export type MclustStrategies = typeof MCLUST_STRATEGIES
