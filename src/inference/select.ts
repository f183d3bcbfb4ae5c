/** selectModel with every built-in estimator kind registered: what the package exports (select-model.ts has the selection). */
import '../registry/kinds/index.js'
export * from './select-model.js'
