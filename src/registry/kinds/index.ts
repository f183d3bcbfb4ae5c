/**
 * The estimator kinds worker threads and the bootstrap know: importing this module
 * registers all of them (../registry.ts has the registry and the EstimatorKind
 * contract). One small file per family; a new estimator gets a file here (or joins
 * a family's) with registerKind(...), an import line below, and a toSpec() on its
 * class (the estimator base provides one; FittedEstimator's needs `this.specOptions`
 * set in the constructor). An estimator on the base needs no `fit` hook: its
 * fitDataset takes the Dataset as it is.
 */
import './gmm.js'
import './mixtures.js'
import './multivariate.js'
import './regression.js'
import './counts.js'
import './hmm.js'
import './glmm.js'
