/** What the fast-check property tests share: the run's seed, and the monotone-objective check. */
import { expect, it } from 'vitest'

/** This run's fast-check seed: FC_SEED if set, else one from the clock. */
export const FC_SEED = Number(process.env.FC_SEED ?? Date.now() % 1_000_000)

/**
 * `it` for a fast-check property: the seed is in the test's name and printed when it
 * runs (rerun with FC_SEED=...); `run` gets it for `fc.assert(..., { seed })`.
 */
export function itProperty(name: string, run: (seed: number) => Promise<void>, timeout?: number): void {
  it(`${name} (fast-check seed ${FC_SEED})`, async () => {
    console.log(`fast-check seed: ${FC_SEED} (rerun with FC_SEED=${FC_SEED})`)
    await run(FC_SEED)
  }, timeout)
}

/** The recorded objective never falls by more than 1e-9 relative, and the engine saw no decrease. */
export function expectMonotone(fit: { readonly history: readonly number[]; readonly fitResult: { readonly decreases: readonly unknown[] } }): void {
  const h = fit.history
  for (let t = 1; t < h.length; t++) expect(h[t]!).toBeGreaterThanOrEqual(h[t - 1]! - 1e-9 * Math.abs(h[t - 1]!))
  expect(fit.fitResult.decreases).toEqual([])
}
