/**
 * A package user's kind on worker threads: registered with { module } it runs there
 * (restarts and bootstrap replicates identical to a serial run); registered on this
 * thread only it runs serially under 'auto' workers and is refused, saying what to do,
 * for a thread count.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { bootstrap, closePool, GaussianMixture, registerKind, UnsupportedError } from '../../src/node.js'
import { faithfulRows } from '../../src/data/faithful.js'
import { threadsFor } from '../../src/runtime/runner.js'

const X = faithfulRows()

afterAll(async () => {
  await closePool()
})

class LocalGMM extends GaussianMixture {
  static override readonly kind = 'LocalGMM'
}
registerKind('LocalGMM', { create: (o) => new LocalGMM(o as never), vector: (m: LocalGMM) => ({ values: Float64Array.from(m.means.flat()), names: m.means.flat().map(String) }) })

describe('user kinds and worker threads', () => {
  it('registered with { module: import.meta.url }: restarts and replicates run on workers, identical to serial', async () => {
    const { RenamedGMM } = await import('../fixtures/kinds/renamed-gmm.mjs')
    const fit = async (workers: number) => (await new RenamedGMM({ nComponents: 2, nInit: 4, seed: 3, workers }).fit(X)).fitResult
    const [pooled, serial] = [await fit(2), await fit(1)]
    expect(pooled.logLik).toBe(serial.logLik)
    expect(Array.from(pooled.params.means)).toEqual(Array.from(serial.params.means))
    const boot = async (workers: number) => bootstrap(() => new RenamedGMM({ nComponents: 2 }), X, { replicates: 6, seed: 1, workers })
    const [a, b] = [await boot(2), await boot(1)]
    expect(a.replicates.map((r) => Array.from(r))).toEqual(b.replicates.map((r) => Array.from(r)))
  }, 60000)

  it('registered on this thread only: a thread count is refused with what to do; auto runs serially', async () => {
    const err = await new LocalGMM({ nComponents: 2, nInit: 3, workers: 2 }).fit(X).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnsupportedError)
    expect((err as UnsupportedError).code).toBe('UNSUPPORTED')
    expect((err as Error).message).toMatch(/Estimator kind 'LocalGMM' was registered on this thread only, so worker threads cannot re-create it\. Register it in a module with registerKind\('LocalGMM', kind, \{ module: import\.meta\.url \}\).*or run on this thread with workers: 1/)
    await expect(bootstrap(() => new LocalGMM({ nComponents: 2 }), X, { replicates: 4, workers: 2 })).rejects.toThrow(/registered on this thread only/)
    expect(threadsFor('auto', 8, 1e12, 'LocalGMM')).toBe(1)
    const auto = await new LocalGMM({ nComponents: 2, nInit: 3, seed: 3 }).fit(X)
    const plain = await new GaussianMixture({ nComponents: 2, nInit: 3, seed: 3 }).fit(X)
    expect(auto.logLik).toBe(plain.logLik)
  })
})
