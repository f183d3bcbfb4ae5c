// One variational EM iteration of the Bayesian Gaussian mixture (VE-step, VM-step and
// the bound) next to one EM iteration of the Gaussian mixture on the same data, full
// covariances, on wasm SIMD vs wasm scalar vs pure JS. EM starts from the variational
// start's point estimates: the kernels' work depends on how many responsibilities are
// exactly 0 (the statistics skip them), so both must see the same components.
import { makeStepper } from '../dist/src/engine/steppers.js'
import { loadKernels } from '../dist/src/kernels/index.js'
import { BayesianGaussianMixtureModel } from '../dist/src/models/bgmm/model.js'
import { initialParams as bgmmStart } from '../dist/src/models/bgmm/init.js'
import { resolvePriors } from '../dist/src/models/bgmm/priors.js'
import { GaussianMixtureModel } from '../dist/src/models/gmm/model.js'
import { Rng } from '../dist/src/core/rng/xoshiro128.js'
import { BACKENDS, medians, mixtureData, ms, printTable, ratio } from './lib.mjs'

const SIZES = [
  [100000, 8, 8],
  [100000, 2, 3],
]

const PRIORS = { weightConcentrationPrior: 1 / 8, meanPrecisionPrior: 1, meanPrior: null, degreesOfFreedomPrior: null, covariancePrior: null }

export async function run() {
  const rows = []
  for (const [n, d, k] of SIZES) {
    const X = mixtureData(n, d, k)
    const tasks = []
    const release = []
    for (const backend of BACKENDS) {
      const kernels = await loadKernels(backend)
      const bgmm = new BayesianGaussianMixtureModel({ kernels, k, d, covarianceType: 'full', weightConcentrationPriorType: 'dirichlet_process', regCovar: 1e-6 })
      const bgmmData = bgmm.prepare(X)
      const q = bgmmStart(bgmm, bgmmData, 'kmeans++', resolvePriors(PRIORS, X, 'full'), new Rng(1))
      const gmm = new GaussianMixtureModel({ kernels, k, d, covarianceType: 'full', regCovar: 1e-6 })
      const gmmData = gmm.prepare(X)
      const theta = gmm.makeParams(bgmm.weightPrior.pointWeights(q.weightConcentration, k), q.means, q.covariances)
      const vb = makeStepper(bgmm, { algorithm: 'variational' })
      const em = makeStepper(gmm, { algorithm: 'em' })
      tasks.push([`${backend}|EM`, () => em.step(gmmData, theta)])
      tasks.push([`${backend}|VB`, () => vb.step(bgmmData, q)])
      release.push(() => { gmm.release(gmmData); gmm.dispose(); bgmm.release(bgmmData); bgmm.dispose() })
    }
    const t = await medians(tasks, { time: n * d * d * k > 1e7 ? 1500 : 600 })
    for (const backend of BACKENDS) {
      rows.push([`${n}x${d}, K=${k}`, backend === 'wasm' ? 'wasm-simd' : backend, ms(t.get(`${backend}|EM`)), ms(t.get(`${backend}|VB`)), ratio(t.get(`${backend}|VB`), t.get(`${backend}|EM`))])
    }
    rows.push([`${n}x${d}, K=${k}`, 'VB: scalar/simd, js/simd', '', ratio(t.get('wasm-scalar|VB'), t.get('wasm|VB')), ratio(t.get('js|VB'), t.get('wasm|VB'))])
    for (const r of release) r()
  }
  printTable(['N x d, K (full)', 'backend', 'EM iteration ms', 'VB iteration ms', 'VB / EM'], rows)
}
