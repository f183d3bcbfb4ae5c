/** standardErrors prepares the training data in kernel memory and frees it: repeated calls leave wasm memory flat. */
import { describe, expect, it } from 'vitest'
import { GaussianMixture, loadKernels, PoissonMixture } from '../../src/index.js'
import { kernelMemoryInUse } from '../../src/kernels/index.js'

const X = Array.from({ length: 60 }, (_, i) => [Math.sin(i) * 3 + (i % 2) * 5, Math.cos(i * 1.3) + (i % 3)])

describe('standardErrors keeps no kernel memory', () => {
  for (const backend of ['wasm', 'wasm-scalar'] as const) {
    it(`GaussianMixture and PoissonMixture on ${backend}, every method`, async () => {
      const kernels = await loadKernels(backend)
      const gm = await new GaussianMixture({ nComponents: 2, seed: 1, tol: 1e-10, backend }).fit(X)
      const pm = await new PoissonMixture({ nComponents: 2, tol: 1e-10, backend }).fit([0, 1, 1, 2, 3, 5, 8, 9, 10, 12, 1, 0, 2, 11, 9])
      const round = async () => {
        for (const method of ['louis', 'sem', 'hessian'] as const) {
          await gm.standardErrors({ method })
          await pm.standardErrors({ method })
        }
      }
      await round()
      const before = kernelMemoryInUse(kernels)
      for (let r = 0; r < 5; r++) await round()
      expect(kernelMemoryInUse(kernels)).toBe(before)
    })
  }
})
