/**
 * VariationalAutoencoder in the registry (restarts on the pool, loadModel, model
 * selection): its vector is the flat weight vector. No alignment (network weights are
 * identified only up to permutations and rotations of hidden units and latent axes, so
 * bootstrap summaries of them mean little) and no parametric simulation.
 */
import { VariationalAutoencoder } from '../../estimators/VariationalAutoencoder.js'
import { registerBuiltinKind } from '../registry.js'
import { VectorBuilder } from './vector.js'

registerBuiltinKind<VariationalAutoencoder>('VariationalAutoencoder', {
  create: (options) => new VariationalAutoencoder(options),
  vector: (vae) => {
    const w = vae.weights
    return new VectorBuilder().addArray('weight', w, [w.length]).build()
  },
})
