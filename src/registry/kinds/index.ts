/**
 * The estimator kinds worker threads and the bootstrap know: importing this module
 * registers all of them (../registry.ts has the registry and the EstimatorKind
 * contract). One small file per family; a new estimator gets a file here (or joins
 * a family's) with registerBuiltinKind(...) and an import line below; the estimator base
 * gives its class toSpec(), fitDataset (so no `fit` hook is needed when the Dataset
 * is what fit takes) and fitRestart (restarts on workers).
 */
import './gmm.js'
import './mixtures.js'
import './multivariate.js'
import './regression.js'
import './regression-mixtures.js'
import './counts.js'
import './hmm.js'
import './glmm.js'
import './truncated.js'
import './binary.js'
import './autoencoder.js'
import './topics.js'
