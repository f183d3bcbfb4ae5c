/**
 * The VAE's E-step statistics are the gradient of the negative bound: against central
 * finite differences of the bound at the same draws (the noise seed is the data's), for
 * the linear Gaussian, a ReLU Gaussian and a ReLU Bernoulli network.
 */
import { expect, it } from 'vitest'
import { loadKernels } from '../../src/kernels/index.js'
import { makeLayout } from '../../src/models/vae/network.js'
import { VaeModel } from '../../src/models/vae/model.js'
import { Rng } from '../../src/core/rng/xoshiro128.js'
it('the statistics are the gradient of -bound (finite differences)', async () => {
  const k = await loadKernels('js')
  for (const [lik, hidden] of [['gaussian', []], ['gaussian', [5]], ['bernoulli', [4]]] as const) {
    const layout = makeLayout(4, 2, hidden, lik)
    const model = new VaeModel(k, layout, 7, 1e-3)
    const rng = new Rng(3)
    const n = 11
    const x = Float64Array.from({ length: n * 4 }, () => lik === 'gaussian' ? 3 + rng.normal() : (rng.uniform() < 0.4 ? 1 : 0))
    const data = model.prepare({ rows: n, cols: 4, data: x }, 5)
    const p = model.initialParams(data, rng)
    const { stats, logLik } = model.eStep(data, p)
    let worst = 0
    for (let e = 0; e < layout.size; e++) {
      const h = 1e-6
      const up = Float64Array.from(p.theta); up[e]! += h
      const dn = Float64Array.from(p.theta); dn[e]! -= h
      const fd = -(model.logLik(data, { ...p, theta: up }) - model.logLik(data, { ...p, theta: dn })) / (2 * h)
      worst = Math.max(worst, Math.abs(fd - stats[e]!) / (1 + Math.abs(fd)))
    }
    console.log(lik, hidden, logLik, 'worst', worst)
    expect(worst).toBeLessThan(1e-5)
  }
})
