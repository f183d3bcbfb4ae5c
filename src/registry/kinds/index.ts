/**
 * The estimator kinds worker threads and the bootstrap know: importing this module
 * registers all of them (src/parallel/tasks.ts has the registry and the EstimatorKind
 * contract). One small file per family; a new estimator gets a file here (or joins
 * a family's) with registerKind(...), an import line below, and a toSpec() on its
 * class (FittedEstimator provides one: set `this.specOptions` in the constructor).
 */
import './gmm.js'
import './bgmm.js'
import './mixtures.js'
import './multivariate.js'
import './regression.js'
import './counts.js'
import './hmm.js'
import './glmm.js'
