import type { Kernels } from '../types.js'
import { jsArena } from './arena.js'
import { cholesky, invertLower } from './linalg.js'
import { logDensityDiag, logDensityFull, logDensityPoisson, logDensityT, responsibilities, sqDistances, statsDiag, statsFull } from './mixture.js'
import { uniforms } from './rng.js'
import { digamma, logGamma } from './special.js'
import { jsSampling } from './sampling.js'
import { jsRegression } from './regression.js'
import { jsClassify } from './classify.js'
import { jsDense } from './dense.js'
import { ldaEStep } from './lda.js'
import {
  hmmBackwardLog, hmmCategoricalCounts, hmmCategoricalLogB, hmmForward, hmmForwardLog,
  hmmPosteriorsLog, hmmSmooth, hmmViterbi,
} from './hmm.js'

/** The pure-TypeScript backend: the reference the wasm kernels are tested against. */
export const jsKernels: Kernels = {
  name: 'js',
  arena: jsArena,
  cholesky,
  invertLower,
  logDensityFull,
  logDensityDiag,
  logDensityT,
  logDensityPoisson,
  responsibilities,
  statsFull,
  statsDiag,
  sqDistances,
  uniforms,
  digamma,
  logGamma,
  ...jsSampling,
  ...jsRegression,
  ...jsClassify,
  ...jsDense,
  hmmForward,
  hmmSmooth,
  hmmForwardLog,
  hmmBackwardLog,
  hmmPosteriorsLog,
  hmmViterbi,
  hmmCategoricalLogB,
  hmmCategoricalCounts,
  ldaEStep,
}
